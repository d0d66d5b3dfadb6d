"""The coverage check: every numbered row and bullet of a plan's task sections is accounted for.

In each range listed under ``task_sections``, every line that starts like an item (a number "1.", "1.2",
"1.2.3", a table STT alone on its line, a roman numeral, a letter "a)", or a bullet "-", "+", "*", "•") must
lie within the lines of a task, an objective or a group, or within a skip that gives its reason.
"""
from __future__ import annotations

import re

from . import schema
from ..problems import Problem

ITEM = re.compile(
    r"^\s*(?:"
    r"\d{1,3}(?:\.\d{1,3})*\.?(?=\s|\||$)"          # 1. 1.2 1.2.3 12 (table STT) 3 |
    r"|[IVXL]{1,6}\.?(?=\s|\||$)"                   # I. II IV |
    r"|[a-zđ]\)"                                    # a) đ)
    r"|[-+*•](?=\s)"                                # bullets
    r")"
)


def item_lines(lines: list[str], first: int, last: int) -> list[int]:
    return [n for n in range(first, min(last, len(lines)) + 1) if ITEM.match(lines[n - 1]) and lines[n - 1].strip()]


def check_plan(rel: str, plan: schema.PlanFile, source: list[str]) -> tuple[list[Problem], dict]:
    covered: set[int] = set()
    for item in list(plan.tasks) + list(plan.objectives) + list(plan.groups) + list(plan.skips):
        covered.update(range(item.lines[0], item.lines[1] + 1))
    missing = []
    total = 0
    for first, last in plan.task_sections:
        for n in item_lines(source, first, last):
            total += 1
            if n not in covered:
                missing.append(n)
    problems = [Problem(rel, None, "task_sections",
                        f"{plan.source.file}:{n}: item not accounted for (no task, objective, group or skip covers it): {source[n - 1].strip()[:100]!r}")
                for n in missing]
    if not plan.task_sections:
        problems.append(Problem(rel, None, "task_sections", "no task sections declared; expected the line ranges that hold tasks"))
    stats = {"plan": plan.id, "items": total, "accounted": total - len(missing), "tasks": len(plan.tasks),
             "objectives": len(plan.objectives), "groups": len(plan.groups), "skips": len(plan.skips)}
    return problems, stats
