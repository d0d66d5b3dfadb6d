"""`python -m generator review PLAN`: what is left to check in a drafted plan.

Lists the values `extract` marked with "# KIỂM TRA: …" (a maintainer deletes each mark once checked), the
agency names still marked unresolved, and the metadata still null, each with its file and line."""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

from .draft import MARK


def plan_file(plan: str, content: Path) -> Path | None:
    path = Path(plan)
    if path.suffix in (".yml", ".yaml") and path.is_file():
        return path
    candidate = content / "plans" / f"{plan}.yml"
    return candidate if candidate.is_file() else None


def left_to_check(path: Path) -> list[tuple[int, str]]:
    """(line, what) for every mark, unresolved name and missing metadata value of the plan file."""
    text = path.read_text(encoding="utf-8")
    items: list[tuple[int, str]] = []
    lines = text.split("\n")
    task_of_line: dict[int, str | None] = {}
    current = None
    marked_tasks = set()
    for n, line in enumerate(lines[:-1]):
        if line.strip().startswith(f"# {MARK}") and lines[n + 1].strip().startswith("- id: "):
            marked_tasks.add(lines[n + 1].strip()[6:])
    for n, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("- id: "):
            current = stripped[6:]
        task_of_line[n] = current
        if f"# {MARK}" in line:
            what = line.split(MARK, 1)[1].strip()
            if stripped.startswith("#"):
                nxt = lines[n].strip() if n < len(lines) else ""
                owner = nxt[6:] if nxt.startswith("- id: ") else None
                items.append((n, f"{owner}: {what}" if owner else what))
            else:
                items.append((n, f"{stripped.split(':', 1)[0]}: {what}"))
        elif "unresolved: true" in line and current not in marked_tasks:
            items.append((n, f"{current or '?'}: tên chưa có trong danh mục (unresolved): {stripped}"))
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        items.append(((mark.line + 1) if mark else 1, f"YAML không đọc được: {getattr(exc, 'problem', exc)}"))
        return sorted(items)
    if isinstance(data, dict):
        marked = {w for _, w in items}
        for key in ("number", "issued", "signer", "issuer", "province"):
            if key in data and data[key] is None and not any(w.startswith(f"{key}:") for w in marked):
                n = next((i for i, line in enumerate(lines, 1) if line.startswith(f"{key}:")), 1)
                items.append((n, f"{key}: null (văn bản không ghi? kiểm tra)"))
    return sorted(items)


def main(args) -> int:
    path = plan_file(args.plan, args.content)
    if path is None:
        print(f"review: no plan {args.plan!r}: expected a plan id of {args.content / 'plans'} or a .yml file",
              file=sys.stderr)
        return 1
    items = left_to_check(path)
    try:
        for n, what in items:
            print(f"{path}:{n}: {what}")
        sys.stdout.flush()
    except BrokenPipeError:     # `| head`: the reader has seen enough
        return 0
    if items:
        print(f"review: {len(items)} value(s) left to check in {path}; delete each '# {MARK} …' mark once checked,"
              f" then `make validate` and `make coverage`", file=sys.stderr)
    else:
        print(f"review: nothing left to check in {path}; next: `make validate`, `make coverage`, `make build`",
              file=sys.stderr)
    return 0
