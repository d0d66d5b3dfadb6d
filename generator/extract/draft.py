"""The draft: tasks, groups and objectives found, and the YAML document written for the maintainer to review."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .names import AgencyNames
from .text import slug

# ----------------------------------------------------------------------------------------------------------
# The draft

@dataclass
class DraftTask:
    id: str
    ref: str | None
    group: str | None
    text: str
    lead: list[str]
    support: list[str]
    deadline: str | None
    output: str | None
    note: str | None
    first: int
    last: int
    shape: str
    criteria: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)    # what the maintainer must look at (inferred values, ...)


@dataclass
class DraftGroup:
    id: str
    ref: str | None
    title: str
    parent: str | None
    first: int
    last: int
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)


@dataclass
class DraftObjective:
    id: str
    text: str
    targets: list[dict]
    first: int
    last: int


class Draft:
    def __init__(self) -> None:
        self.tasks: list[DraftTask] = []
        self.groups: list[DraftGroup] = []
        self.objectives: list[DraftObjective] = []
        self.sections: list[list[int]] = []
        self.ids: set[str] = set()
        self.placed: set[int] = set()         # table header rows: read, not tasks

    def unique(self, wanted: str) -> str:
        wanted = re.sub(r"[^a-z0-9.-]+", "-", wanted.lower()).strip("-.") or "x"
        if not re.match(r"^[a-z0-9]", wanted):
            wanted = "x" + wanted
        out, n = wanted, 2
        while out in self.ids:
            out = f"{wanted}-{n}"
            n += 1
        self.ids.add(out)
        return out


# ----------------------------------------------------------------------------------------------------------
# YAML output

class _Flow(list):
    pass


try:                        # libyaml's dumper when PyYAML was built with it: same output, faster
    from yaml import CSafeDumper as _SafeDumper
except ImportError:
    from yaml import SafeDumper as _SafeDumper


class _Dumper(_SafeDumper):
    pass


_Dumper.add_representer(_Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def _names(names: AgencyNames, written: list[str]) -> list:
    return [names.entry(n) for n in written]


def to_document(meta: dict, source_name: str, baselines: list[dict], draft: Draft, names: AgencyNames, where: dict) -> dict:
    doc = {
        "id": meta["id"], "province": meta["province"], "number": meta["number"], "type": meta["type"] or "Văn bản",
        "title": meta["title"] or Path(source_name).stem, "issued": meta["issued"], "issuer": meta["issuer"],
        "signer": meta["signer"], "period": meta["period"],
        "source": {"file": source_name, "lines": dict(sorted(where.items(), key=lambda kv: kv[1])),
                   "note": "Draft made by `python -m generator extract`; review every field against the source."},
        "task_sections": [_Flow(s) for s in sorted(draft.sections)],
        "baselines": [dict(b, lines=_Flow(b["lines"])) for b in baselines],
        "objectives": [{"id": o.id, "text": o.text, "targets": o.targets, "lines": _Flow([o.first, o.last])}
                       for o in draft.objectives],
        "groups": [{"id": g.id, "ref": g.ref, "title": g.title, **({"parent": g.parent} if g.parent else {}),
                    "lines": _Flow([g.first, g.last])} for g in draft.groups],
        "tasks": [{"id": t.id, "ref": t.ref, "group": t.group, "text": t.text, "lead": _names(names, t.lead),
                   "support": _names(names, t.support), "deadline": t.deadline, "output": t.output,
                   "field": _field(t.criteria), "criteria": t.criteria, "note": t.note,
                   "lines": _Flow([t.first, t.last])} for t in draft.tasks],
    }
    return doc


def _field(codes: list[str]) -> int | None:
    fields = {c.split(".")[0] for c in codes}
    return int(fields.pop()) if len(fields) == 1 else None


def derive_id(meta: dict, considered: Sequence[str] = ()) -> str:
    year = meta["issued"].year if meta["issued"] else None
    if year is None:
        years = re.findall(r"\b(20\d{2})\b", meta.get("title") or "")
        year = int(years[0]) if years else None
    middle = slug(meta["number"]).replace(".", "-") if meta["number"] else slug(meta["type"] or "van-ban")
    province = meta["province"] or (slug(considered[0]).replace(".", "-") if considered else "tinh")
    parts = [province, middle] + ([str(year)] if year else [])
    return "-".join(parts)


# ----------------------------------------------------------------------------------------------------------
# Review marks: YAML comments on the values a maintainer must look at (`python -m generator review` lists them)

MARK = "KIỂM TRA:"
META_LABELS = {"number": "số hiệu", "issued": "ngày ban hành", "signer": "người ký", "type": "loại văn bản",
               "title": "trích yếu", "issuer": "cơ quan ban hành"}
YEAR = re.compile(r"(?<![\d/])(\d{3,4})(?![\d/])")


def suspicious_deadline(text: str | None, issued) -> str | None:
    """Why a deadline looks wrong (a year of three digits, a year far from the issue date), else None."""
    if not text:
        return None
    if re.search(r"(?:năm|/)\s*\d{3}(?!\d)", text):
        return f'hạn "{text}" có năm không đủ 4 chữ số'
    for m in re.finditer(r"\b(19|20)(\d{2})\b", text):
        year = int(m.group(0))
        if issued is not None and not (issued.year - 1 <= year <= issued.year + 15):
            return f'hạn "{text}": năm {year} xa ngày ban hành ({issued.isoformat()})'
    for m in re.finditer(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", text):
        day, month = int(m.group(1)), int(m.group(2))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return f'hạn "{text}": ngày tháng không hợp lệ'
    return None


def review_marks(document: dict, meta: dict, reader, draft: Draft, names: AgencyNames) -> list[tuple[tuple, str]]:
    marks: list[tuple[tuple, str]] = []
    if document["province"] is None:
        considered = ", ".join(f'"{c}"' for c in reader.considered) or "không có"
        note = f"; {reader.province_note}" if reader.province_note else ""
        marks.append((("key", "province"), f"chưa xác định được tỉnh (đã xét: {considered}{note}); ghi id trong content/registry/provinces.yml"))
    elif "province" in reader.inferred or reader.province_note:
        marks.append((("key", "province"), reader.province_note or reader.inferred["province"]))
    for key, label in META_LABELS.items():
        if meta.get(key) is None:
            filled = {"type": ' (tạm ghi "Văn bản")', "title": " (tạm ghi tên tệp)"}.get(key, "")
            marks.append((("key", key), f"không đọc được {label} trong văn bản{filled}: kiểm tra, để null nếu văn bản không ghi"))
        elif key in reader.inferred:
            marks.append((("key", key), reader.inferred[key]))
    if meta.get("title") and meta["title"] != meta["title"].upper() and "title" in reader.where:
        pass
    for task in draft.tasks:
        notes = list(task.checks)
        unresolved = [n for n in [*task.lead, *task.support] if not names.resolves(n)]
        if unresolved:
            notes.append("tên chưa có trong danh mục: " + "; ".join(unresolved))
        if not task.lead:
            notes.append("không thấy cơ quan chủ trì")
        why = suspicious_deadline(task.deadline, meta.get("issued"))
        if why:
            notes.append(why)
        if notes:
            marks.append((("task", task.id), "; ".join(notes)))
    return marks


def add_marks(body: str, marks: list[tuple[tuple, str]]) -> str:
    """The YAML text with each mark as a comment: after a top-level key's value, or above a task."""
    keys = {a[1]: m for a, m in marks if a[0] == "key"}
    tasks = {a[1]: m for a, m in marks if a[0] == "task"}
    out = []
    for line in body.split("\n"):
        key = re.match(r"^([a-z_]+):", line)
        if key and key.group(1) in keys:
            line = f"{line}  # {MARK} {keys[key.group(1)]}"
        task = re.match(r"^(\s*)- id: (\S+)$", line)
        if task and task.group(2) in tasks:
            out.append(f"{task.group(1)}# {MARK} {tasks[task.group(2)]}")
        out.append(line)
    return "\n".join(out)
