"""Stage 5, index: the open-data files and the CSV of each province (from which every listing's download is made).

Everything is written in a stable order with no timestamp, so two builds of the same content give the same
bytes, and only files whose content changed are rewritten.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from . import permalinks as P
from ..files import GzipWriter, beside, write_if_changed
from .listing import Downloads
from ..model.domain import Corpus, Plan, Province, Task
from ..problems import ContentError, Problem
from .projection import project

TASK_COLUMNS = ["id", "plan", "province", "ref", "text", "lead", "support", "lead_written", "support_written",
                "lead_ids", "support_ids", "deadline", "due", "deadline_kind", "output", "field", "criteria", "criteria_inferred",
                "source_lines", "url", "status", "group", "note", "cites", "milestones"]
# Every task CSV (data/tasks.csv, each listing's, the finder's made in the browser) has these columns, in this
# order: the task's fields, then `role`, the role on that listing (an agency's page: lead, support or both;
# empty where a listing is not about an agency), and `via_group`, on an agency's listing the combined group(s)
# through which the task reaches the agency (Corpus.reach). The README's data dictionary describes each.
CSV_COLUMNS = TASK_COLUMNS + ["role", "via_group"]
ROLE_ORDER = ("lead", "support")


def task_record(t: Task) -> dict:
    """The task's JSON record and CSV line (data/tasks.json, the provinces' CSVs), from its one projection
    (generator/site/projection.py)."""
    x = project(t)
    return {
        "id": x.uid,
        "plan": x.plan_id,
        "province": x.province_id,
        "ref": x.ref,
        "text": x.text,
        "lead": [m.name for m in x.lead],
        "support": [m.name for m in x.support],
        "lead_written": [m.written for m in x.lead],
        "support_written": [m.written for m in x.support],
        "lead_ids": [m.agency_id for m in x.lead],
        "support_ids": [m.agency_id for m in x.support],
        "deadline": x.deadline,
        "due": x.due.isoformat() if x.due else None,
        "deadline_kind": x.deadline_kind,
        "output": x.output,
        "field": int(x.field_code) if x.field_code else None,
        "criteria": [c.code for c in x.criteria],
        # inferred from the words (generator/content/criteria_inference.py), never mixed with the stated codes
        "criteria_inferred": [i.code for i in x.inferred],
        "source_lines": list(x.lines),
        "url": x.url,
        "status": ({"state": x.status.state, "evidence": x.status.evidence, "as_of": x.status.as_of.isoformat(), "url": x.status.url}
                   if x.status else None),
        "group": x.group,
        "note": x.note,
        "cites": sorted({doc for doc, _number, _url in x.citations}),
        "milestones": [{"text": ms.text, "deadline": ms.deadline, "due": ms.due.isoformat() if ms.due else None}
                       for ms in x.milestones],
    }


def _iso(day) -> str | None:
    return day.isoformat() if day is not None else None


def _succession(s) -> dict:
    return {"id": s.agency.id, "name": s.agency.name, "since": s.since.isoformat(), "basis": s.basis, "note": s.note}


def province_record(p: Province) -> dict:
    """One provincial-level unit of the registry (both periods), whether or not it has a plan."""
    return {
        "id": p.id, "name": p.name, "kind": p.kind, "title": p.title,
        "valid_from": _iso(p.valid_from), "valid_to": _iso(p.valid_to),
        "former_names": [{"name": n, "kind": k, "until": until.isoformat(), "basis": src.document if src else None}
                         for n, k, until, src in p.former_names],
        "predecessors": [{"id": x.id, "name": x.name, "title": x.title} for x in p.predecessors],
        "successors": [{"id": x.id, "name": x.name, "title": x.title} for x in p.successors],
        "basis": ({"id": p.basis.id, "document": p.basis.document, "issuer": p.basis.issuer, "date": p.basis.date.isoformat(),
                   "title": p.basis.title} if p.basis else None),
        "note": p.note,
        "plans": len(p.plans),
        "url": P.province(p) if p.plans else None,
    }


def plan_record(p: Plan) -> dict:
    return {
        "id": p.id, "province": p.province.id, "province_name": p.province.name, "number": p.number, "type": p.type,
        "title": p.title, "issued": p.issued.isoformat() if p.issued else None, "issuer": p.issuer, "signer": p.signer,
        "period": p.period,
        "baselines": [{"index": b.index, "component": b.component, "max": b.max, "year": b.year, "score": b.score, "unit": b.unit,
                       "rank": b.rank, "of": b.of, "rank_scope": b.rank_scope, "change": b.change, "note": b.note,
                       "source_lines": list(b.lines)} for b in p.baselines],
        "objectives": [{"id": o.id, "text": o.text, "targets": [{"value": x.value, "unit": x.unit, "year": x.year, "metric": x.metric} for x in o.targets],
                        "source_lines": list(o.lines)} for o in p.objectives],
        "task_count": len(p.tasks), "url": P.plan(p), "source_url": P.plan_source(p), "source_file": p.source_file,
    }


ASSIGNMENT_COLUMNS = ["task", "plan", "province", "role", "agency_id", "agency", "written", "is_group", "via_group", "due", "url"]


def written_variants(corpus: Corpus) -> dict[str, list[dict]]:
    """Agency id -> the forms the plans write that are neither its name nor a registry-wide alias or abbreviation:
    per-plan aliases, typos among them ("Bưu điện tinh", "UNBD cấp huyện, cấp xã"), each with the plans writing it."""
    from ..content.registry import name_key
    out: dict[str, dict[str, set[str]]] = {}
    for t in corpus.tasks:
        for _, m in t.mentions():
            a = m.agency
            if a is None:
                continue
            known = {name_key(x) for x in (a.name, *a.aliases, *a.abbr)}
            if name_key(m.written) not in known:
                out.setdefault(a.id, {}).setdefault(m.written, set()).add(t.plan.id)
    return {aid: [{"written": w, "plans": sorted(plans)} for w, plans in sorted(forms.items())] for aid, forms in out.items()}


def data_package(produced: Outputs, files: Downloads) -> dict:
    """datapackage.json for the files just written: the fields of each JSON file are read from its first record."""
    from .datapackage import describe

    def first(rel: str, part: str | None = None):
        value: Any = produced.values[rel]
        if part is not None:
            value = value.get(part) or []
        return value[0] if value else None
    samples = {name: first(f"data/{name}.json") for name in ("scores", "agencies", "provinces")}
    samples["plans"] = first(files.plans_json)
    samples["documents"] = first(files.documents_json)
    samples["tasks"] = first(files.tasks_json)
    samples.update({f"criteria.{part}": first("data/criteria.json", part) for part in ("fields", "criteria", "sipas_components")})
    data = len("data/")
    return describe(CSV_COLUMNS, ASSIGNMENT_COLUMNS, samples,
                    {"tasks_json": files.tasks_json[data:], "tasks_csv": files.tasks_csv[data:] if files.tasks_csv else None,
                     "assignments": files.assignments[data:], "provinces": [path[data:] for _, path, _ in files.provinces],
                     "plans": files.plans_json[data:], "documents": files.documents_json[data:]})


def score_records(corpus: Corpus) -> list[dict]:
    """PAR INDEX and SIPAS results after the plans, each with its source; one record per province with a plan and
    year looked for, ``value``/``rank`` null and ``source`` null where no sourced figure was found."""
    out = []
    for prov in corpus.provinces:
        if not prov.plans:
            continue
        found = {(s.index, s.year): s for s in prov.scores}
        for index in ("PAR INDEX", "SIPAS"):
            for year in corpus.score_years:
                s = found.get((index, year))
                src = s.source if s else None
                out.append({"province": prov.id, "province_name": prov.name, "index": index, "year": year,
                            "value": s.value if s else None, "unit": s.unit if s else None,
                            "rank": s.rank if s else None, "of": s.of if s else None, "rank_scope": s.rank_scope if s else None,
                            "published": s is not None, "note": s.note if s else None,
                            "source": ({"kind": src.kind, "title": src.title, "publisher": src.publisher,
                                        "date": src.date.isoformat() if src.date else None, "url": src.url, "where": src.where}
                                       if src else None)})
    return out


FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet would run as a formula (starting with =, +, -, @, tab or a line break) gets a
    leading apostrophe, as OWASP recommends against CSV injection; a plain number written as text stays."""
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_cells(r: dict, columns: list[str]) -> list:
    row = []
    for col in columns:
        v = r.get(col)
        if col == "milestones":
            v = "; ".join(f"{x['text']}: {x['deadline']}" + (f" ({x['due']})" if x["due"] else "") for x in v or [])
        elif isinstance(v, list):
            v = "; ".join("" if x is None else str(x) for x in v) if col != "source_lines" else "-".join(str(x) for x in v)
        elif isinstance(v, dict):
            v = v.get("state", "")
        row.append("" if v is None else spreadsheet_safe(v) if isinstance(v, str) else v)
    return row


def csv_text(records: list[dict], columns: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for r in records:
        writer.writerow(csv_cells(r, columns))
    return "\ufeff" + buf.getvalue()   # BOM: spreadsheet programs then read Vietnamese correctly


class TaskCsv:
    """The tasks' CSV lines, each written once and joined into every listing's CSV that holds the task
    (a national corpus puts each task in about ten of them)."""

    def __init__(self, records: dict[int, dict]):
        self.records = records
        self.lines: dict[int, str] = {}
        self.header = csv_text([], CSV_COLUMNS)

    def line(self, t: Task) -> str:
        line = self.lines.get(id(t))
        if line is None:
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerow(csv_cells(self.records[id(t)], TASK_COLUMNS))
            line = self.lines[id(t)] = buf.getvalue()
        return line

    def text(self, tasks: list[Task], roles: dict[int, str] | None = None, via: dict[int, str] | None = None) -> str:
        """The CSV of a listing: its tasks in order, each once, with the role it has there (``roles``: id(task) ->
        "lead", "support" or "lead; support") and the combined groups it reaches the listing's agency through
        (``via``: id(task) -> group ids); the last two columns, plain ids and words, so they are appended as written."""
        roles, via = roles or {}, via or {}
        return self.header + "".join(self.line(t)[:-1] + "," + roles.get(id(t), "") + "," + via.get(id(t), "") + "\n"
                                     for t in tasks)


class Outputs:
    """The files this stage writes, each written as soon as it is made (a national corpus' texts are hundreds of
    MB: none is kept), and the values of the JSON ones (the data package is described from their first records).
    A second claim on one path is an error, never an overwrite: one download would otherwise hold another's rows."""

    def __init__(self, docs: Path):
        self.docs = docs
        self.paths: set[str] = set()
        self.values: dict[str, object] = {}
        self.gz = GzipWriter(beside(docs, ".gz"))      # a .gz file unchanged since the last build is not compressed again

    def __setitem__(self, path: str, text: str) -> None:
        """Write ``text`` to ``path``; a path ending in .gz gets it gzip-compressed (no name, no time: the same text
        gives the same bytes)."""
        if path in self.paths:
            raise ContentError([Problem(path, None, "", "two outputs of the build claim this path; nothing was "
                                        "written over (ids with '--' are refused, so report this as a bug)")])
        self.paths.add(path)
        if path.endswith(".gz"):
            self.gz.write(path, self.docs / path, text)
        else:
            write_if_changed(self.docs / path, text)

    def json(self, path: str, value, compact: bool = False) -> None:
        self[path] = dump_json(value, compact)
        self.values[path] = value


def dump_json(value, compact: bool = False) -> str:
    """JSON as written to data/: indented, but for the large files (tasks, documents: one record a line, no
    indentation, 15 % smaller at national scale)."""
    if compact and isinstance(value, list):
        return "[\n" + ",\n".join(json.dumps(v, ensure_ascii=False, separators=(",", ":")) for v in value) + "\n]\n"
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def write_data(corpus: Corpus, docs: Path, files: Downloads, info) -> set[str]:
    """``files``: the task files, as the pages list them (listing.Downloads)."""
    produced = Outputs(docs)
    records = {id(t): task_record(t) for t in corpus.tasks}
    all_tasks = [records[id(t)] for t in corpus.tasks]
    produced.json(files.tasks_json, all_tasks, compact=True)
    task_csv = TaskCsv(records)
    if files.tasks_csv:         # above the limit the provinces' CSVs (below) are the only copy of these rows
        produced[files.tasks_csv] = task_csv.text(corpus.tasks)
    produced.json(files.plans_json, [plan_record(p) for p in corpus.plans])
    assignments = []
    for t in corpus.tasks:
        x = project(t)
        named = {(role, m.agency.id) for role, m in t.mentions() if m.agency}
        due = x.due.isoformat() if x.due else None
        for role, m in t.mentions():
            assignments.append({"task": x.uid, "plan": x.plan_id, "province": x.province_id, "role": role,
                                "agency_id": m.agency.id if m.agency else None, "agency": m.name, "written": m.written,
                                "is_group": bool(m.agency and m.agency.group), "via_group": None, "due": due, "url": x.url})
            # a combined group's members hold the task too, one row each, marked with the group's id
            for member in corpus.members_of(m.agency) if m.agency and m.agency.members else []:
                if (role, member.id) in named:
                    continue
                named.add((role, member.id))
                assignments.append({"task": x.uid, "plan": x.plan_id, "province": x.province_id, "role": role,
                                    "agency_id": member.id, "agency": member.name, "written": m.written, "is_group": member.group,
                                    "via_group": m.agency.id, "due": due, "url": x.url})
    produced[files.assignments] = csv_text(assignments, ASSIGNMENT_COLUMNS)
    del assignments
    variants = written_variants(corpus)
    produced.json("data/agencies.json", [{"id": a.id, "name": a.name, "aliases": list(a.aliases), "abbr": list(a.abbr),
                                                 "group": a.group, "province": a.province, "url": P.agency(a),
                                                 "valid_from": _iso(a.valid_from), "valid_to": _iso(a.valid_to),
                                                 "successors": [_succession(s) for s in a.successors],
                                                 "predecessors": [_succession(s) for s in a.predecessors],
                                                 "members": list(a.members), "written_variants": variants.get(a.id, [])}
                                                for a in corpus.agencies.values()])
    produced.json("data/provinces.json", [province_record(p) for p in corpus.provinces])
    produced.json("data/criteria.json", {
        "fields": [{"code": f.code, "name": f.name, "url": P.field(f)} for f in corpus.fields],
        "criteria": [{"code": c.code, "name": c.name, "parent": c.parent, "field": c.field.code, "source": c.source,
                      "source_lines": list(c.lines) if c.lines else None, "url": P.criterion(c)} for c in corpus.criteria.values()],
        "sipas_components": [{"code": code, "name": name} for code, name in corpus.sipas_components],
    })
    produced.json(files.documents_json, [{
        "id": d.id, "number": d.number, "kind": d.kind, "date": d.date.isoformat() if d.date else None, "year": d.year,
        "url": P.document(d),
        "citations": [{"plan": c.plan.id, "line": c.line, "written": c.written, "task": c.task.uid if c.task else None, "ambiguous": c.ambiguous, "merged": c.merged}
                      for c in d.citations]} for d in corpus.documents], compact=True)

    produced.json("data/scores.json", score_records(corpus))
    produced["data/datapackage.json"] = dump_json(data_package(produced, files))

    # one CSV per province: every listing's download is made in the browser from these (generator/site/listing.py)
    for prov in corpus.provinces:
        if prov.plans:
            produced[files.province_csv(prov.id)] = task_csv.text([t for p in prov.plans for t in p.tasks])
    assert {path for _, path, _ in files.provinces} <= produced.paths
    produced.gz.save()
    return produced.paths
