"""The curated truth of the extractor's development set (tests/fixtures/extract-dev/expected/*.yml) agrees with
its texts: every task's wording is in the text within the task's own lines, every name and deadline it records is
written in the text, line numbers fall inside the file and its task sections, and ids are unique. Independent of
the registry: names are checked against the text, not resolved."""
from __future__ import annotations

import datetime
import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from generator.content.schema import PlanFile

DEV = Path(__file__).parent / "fixtures" / "extract-dev"
EXPECTED = sorted((DEV / "expected").glob("*.yml"))
BULLET = re.compile(r"^(?:[-+•–]\s*)+")


def normalised_line(line: str, opens: bool) -> str:
    """A source line as the curated values quote it: NFC, Markdown emphasis removed, and the bullet marker
    dropped where the line opens a paragraph (a hard-wrapped line may start with a hyphen: "dạy - học\n- thi")."""
    line = unicodedata.normalize("NFC", line).replace("\u00a0", " ").replace("*", "").strip()
    return (BULLET.sub("", line) if opens else line).strip()


def normalised(lines: list[str]) -> str:
    """Hard-wrapped lines joined with one space, whitespace collapsed (table rule lines '|' dropped)."""
    bare = [unicodedata.normalize("NFC", x).replace("*", "").strip() for x in lines]
    parts = (normalised_line(x, i == 0 or bare[i - 1] in ("", "|")) for i, x in enumerate(lines))
    text = " ".join(p for p in parts if p and p != "|")
    return re.sub(r"\s+", " ", text).strip()


def value(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def names(entries) -> list[str]:
    return [e["name"] if isinstance(e, dict) else e for e in entries]


def load(path: Path):
    plan = yaml.safe_load(path.read_text(encoding="utf-8"))
    source = DEV / plan["source"]["file"]
    lines = source.read_text(encoding="utf-8").split("\n")
    return plan, lines


def test_the_development_set_is_curated():
    """At least six texts curated, each naming a text of the set that it is named after."""
    assert len(EXPECTED) >= 1
    for path in EXPECTED:
        plan = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert plan["source"]["file"] == path.stem + ".txt", path.name
        assert (DEV / plan["source"]["file"]).is_file(), path.name
        assert path.read_text(encoding="utf-8").startswith("# "), f"{path.name}: header comment missing"


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem)
def test_each_file_is_a_plan_in_the_documented_format(path):
    """The plan schema of content/README.md, as the generator loads it. The one liberty: source.file keeps the
    fixture's name as copied (capitals, e.g. "ha-noi-308-KH-UBND-2025.txt"); content/sources/ names are lower case."""
    plan = yaml.safe_load(path.read_text(encoding="utf-8"))
    plan["source"]["file"] = plan["source"]["file"].lower()
    PlanFile.model_validate(plan)


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem)
def test_metadata_is_written_in_the_text(path):
    plan, lines = load(path)
    whole = normalised(lines)
    assert re.fullmatch(r"[a-z0-9][a-z0-9.-]*", plan["id"]), plan["id"]
    assert plan["id"].startswith(plan["province"] + "-"), (plan["id"], plan["province"])
    slug = plan["number"].lower().replace("/", "-")
    assert plan["id"] == f"{plan['province']}-{slug}-{plan['issued'].year}", plan["id"]
    assert isinstance(plan["issued"], datetime.date)
    for field in ("number", "signer"):
        assert value(plan[field]) in whole, f"{path.name}: {field} {plan[field]!r} not in the text"
    for field, line in plan["source"].get("lines", {}).items():
        assert 1 <= line <= len(lines), f"{path.name}: source.lines.{field} {line} outside the file"
    assert plan["type"] in ("Kế hoạch", "Chỉ thị", "Quyết định", "Chương trình hành động")


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem)
def test_every_task_is_quoted_from_its_own_lines(path):
    plan, lines = load(path)
    whole = normalised(lines)
    sections = plan["task_sections"]
    group_ids = [g["id"] for g in plan["groups"]]
    task_ids = [t["id"] for t in plan["tasks"]]
    assert len(set(group_ids)) == len(group_ids), "group ids repeat"
    assert len(set(task_ids)) == len(task_ids), "task ids repeat"
    assert plan["tasks"], "no task"
    for a, b in sections:
        assert 1 <= a <= b <= len(lines), f"task section {a}-{b} outside the file"
    for g in plan["groups"]:
        a, b = g["lines"]
        assert 1 <= a <= b <= len(lines), f"group {g['id']}: lines {a}-{b}"
        assert g.get("parent") in (None, *group_ids), f"group {g['id']}: unknown parent"
    previous = 0
    for t in plan["tasks"]:
        where = f"{path.name}: task {t['id']}"
        a, b = t["lines"]
        assert 1 <= a <= b <= len(lines), f"{where}: lines {a}-{b} outside the file ({len(lines)} lines)"
        assert any(s <= a and b <= e for s, e in sections), f"{where}: lines {a}-{b} outside the task sections"
        assert a > previous, f"{where}: lines {a}-{b} overlap or precede the task before it (ends {previous})"
        previous = b
        assert re.fullmatch(r"[a-z0-9][a-z0-9.-]*", t["id"]), where
        assert t["group"] in (None, *group_ids), f"{where}: unknown group {t['group']}"
        text = value(t["text"])
        assert text, f"{where}: empty text"
        assert text.endswith("...") or not text.endswith((";", ".")), f"{where}: trailing ';' or '.' kept"
        own = normalised(lines[a - 1 : b])
        assert text in own, f"{where}: text not found within lines {a}-{b}:\n{text}\n---\n{own}"
        assert isinstance(t["lead"], list) and isinstance(t["support"], list), where
        for name in names(t["lead"]) + names(t["support"]):
            assert value(name) in whole, f"{where}: name {name!r} is not written in the text"
            assert not name.endswith((";", ".", ",")), f"{where}: name {name!r} keeps punctuation"
        for field in ("deadline", "output"):
            if t[field] is not None:
                assert value(t[field]) in whole, f"{where}: {field} {t[field]!r} is not written in the text"
    for skip in plan.get("skips", []):
        a, b = skip["lines"]
        assert 1 <= a <= b <= len(lines) and skip["reason"], f"{path.name}: skip {a}-{b}"
