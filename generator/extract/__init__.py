"""For maintainers: draft a plan YAML from a plan's text (`python -m generator extract SOURCE`).

The draft follows content/README.md and is meant to be reviewed, not published as is. What it reads:

- metadata: số hiệu ("Số: 1886/KH-UBND"), place and date ("Quảng Bình, ngày 10 tháng 9 năm 2021"), the type
  from the title line ("KẾ HOẠCH"), the title under it, the signer under "CHỦ TỊCH" / "PHÓ CHỦ TỊCH", and a
  scraped metadata table ("Số hiệu | 3809/QĐ-UBND |", "• Người ký: ...") where the page has one;
- the province, matched against registry/provinces.yml (or given with --province);
- baselines: PAR INDEX and SIPAS scores stated in the preamble (score, unit, rank, of, change);
- objectives: the items under "Mục tiêu" headings, with the percentages and years they state;
- tasks, from four shapes recognised by the text's structure (never by file name or plan id):
  * tables with one cell per line (a header row "STT / Nội dung / ... / Chủ trì / Phối hợp", empty cells as
    lines holding a no-break space), code rows ("1.3.1") and bullet rows under a code row, each with its
    own deadline, lead and support;
  * tables whose cells end with "|" (one or several cells per line);
  * narrative sections (II. NHIỆM VỤ, III. TỔ CHỨC THỰC HIỆN, ...) where a heading names the agency and the
    bullets or paragraphs under it are its tasks; a heading naming a group ("Các sở, ngành, địa phương")
    assigns to that group, and a task that opens with an agency's name is assigned to that agency.

Faithfulness: text is NFC-normalised on input and kept as written (whitespace collapsed, bullets and the
trailing ";" "." of names removed); an empty cell stays empty; deadlines keep their text; what the text does
not say is null. Every agency name is resolved against registry/agencies/*.yml; a name that does not resolve
is written as {name: ..., unresolved: true}. Lines of the task sections that no task, group or objective
covers are listed on stderr.
"""
from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..content.load import read_text
from ..problems import Problem
from .draft import MARK, Draft, DraftGroup, DraftObjective, DraftTask, _Dumper, add_marks, derive_id, review_marks, to_document
from .metadata import MetadataReader, read_baselines
from .names import AgencyNames, Registry, load_registry
from .narrative import NarrativeReader, read_objective_section
from .tables import TableReader
from .text import SourceText, collapse, furniture

# ----------------------------------------------------------------------------------------------------------
# The command

@dataclass
class Extraction:
    document: dict
    draft: Draft
    counts: dict[str, int]
    unplaced: list[tuple[int, str]]
    yaml_text: str
    considered: list[str] = field(default_factory=list)
    province_note: str | None = None
    marks: list = field(default_factory=list)


def extract(source: Path, content: Path, province: str | None = None) -> Extraction:
    problems: list[Problem] = []
    text = read_text(source, source.name, problems)
    if text is None:
        raise ValueError("; ".join(str(p) for p in problems))
    return extract_text(text, source.name, load_registry(content), province)


def extract_text(text: str, source_name: str, registry: Registry, province: str | None = None) -> Extraction:
    """The draft of one source text (``source_name`` is the file name the draft refers to)."""
    if province is not None and not registry.known(province):
        hint = difflib.get_close_matches(province, registry.province_ids, n=1)
        raise ValueError(f'unknown province "{province}"' + (f'; did you mean "{hint[0]}"?' if hint else
                                                              "; expected an id of content/registry/provinces.yml"))
    src = SourceText(text)
    lines = src.lines
    reader = MetadataReader(src, registry)
    meta = reader.read(province)
    names = AgencyNames(registry.agencies, meta["province"])
    draft = Draft()
    tables = TableReader(lines, names, draft)
    found = tables.find()
    for k, (header_row, end) in enumerate(found, 1):
        tables.read(header_row, end, k)
    narrative = NarrativeReader(lines, names, draft, registry.criteria)
    task_sections, objective_sections = narrative.sections(found)
    for first, last, roman in task_sections:
        narrative.read_section(first, last, roman)
    for first, last in objective_sections:
        read_objective_section(lines, first, last, draft, narrative)
    spans: list[DraftTask | DraftGroup | DraftObjective] = [*draft.tasks, *draft.groups, *draft.objectives]
    for item in spans:
        item.last = src.end(item.last)
    draft.sections = [[a, src.end(b)] for a, b in draft.sections]
    first_task_line = min([s[0] for s in draft.sections], default=len(lines))
    baselines = read_baselines(lines, first_task_line)
    meta["id"] = derive_id(meta, reader.considered)
    draft.ids.add(meta["id"])

    covered: set[int] = set(draft.placed)
    for item in spans:
        covered.update(range(item.first, item.last + 1))
    unplaced = []
    for a, b in sorted(draft.sections):
        for n in range(a, b + 1):
            raw = lines[n - 1]
            if raw.strip(" \t\u00a0|") and n not in covered and not furniture(raw):
                unplaced.append((n, collapse(raw)))
    counts = {**tables.counts, **narrative.counts}
    document = to_document(meta, source_name, baselines, draft, names, reader.where)
    marks = review_marks(document, meta, reader, draft, names)
    header = [f"# Draft extract of {source_name}, made by `python -m generator extract`.",
              "# Check every value against the source before publishing; names that did not resolve are marked unresolved.",
              f"# {len(draft.tasks)} tasks; {len(unplaced)} line(s) of the task sections were not placed (listed on stderr).",
              f"# Values marked {MARK[:-1]} need a maintainer's look: `make review PLAN={meta['id']}` lists them;",
              "# delete each mark once checked."]
    if not draft.tasks:
        header.append(f"# {MARK} no task found: add the tasks by hand, or check that the text holds its task sections.")
    body = yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)
    return Extraction(document, draft, counts, unplaced, "\n".join(header) + "\n" + add_marks(body, marks),
                      reader.considered, reader.province_note, marks)


def main(args) -> int:
    source: Path = args.source
    content: Path = args.content
    if not source.is_file():
        print(f"extract: {source}: no such file; expected the text of a plan (UTF-8)", file=sys.stderr)
        return 1
    try:
        result = extract(source, content, args.province)
    except ValueError as exc:
        print(f"extract: {source}: {exc}", file=sys.stderr)
        return 1
    doc = result.document
    out = args.output
    if out is None:
        out = content / "plans" / f"{doc['id']}.yml"
    if str(out) != "-":
        if out.exists() and not args.force:
            print(f"extract: {out} already exists; not overwritten (use --force to replace it, or -o to write elsewhere)",
                  file=sys.stderr)
            return 2
        out.parent.mkdir(parents=True, exist_ok=True)
    for n, text in result.unplaced:
        print(f"{source.name}:{n}: not placed: {text[:160]}", file=sys.stderr)
    if doc["province"] is None:
        considered = ", ".join(f'"{c}"' for c in result.considered) or "none (no letterhead, no place and date line)"
        print(f"extract: {source}: province not known: names considered: {considered}"
              + (f"; {result.province_note}" if result.province_note else "")
              + "; the draft says province: null: give it with --province (an id of content/registry/provinces.yml)"
              + " or add the unit to the registry", file=sys.stderr)
    shapes = ", ".join(f"{k} {v}" for k, v in sorted(result.counts.items())) or "none"
    print(f"extract: {len(result.draft.tasks)} tasks ({shapes}); {len(result.draft.groups)} groups, "
          f"{len(result.draft.objectives)} objectives, {len(doc['baselines'])} baselines; "
          f"{len(result.unplaced)} unplaced line(s) in the task sections", file=sys.stderr)
    if not result.draft.tasks:
        print(f"extract: {source}: no task found (no table with STT / chủ trì columns and no section naming agencies' "
              f"tasks); the draft holds the metadata only", file=sys.stderr)
    print(f"extract: {len(result.marks)} value(s) marked '{MARK}' to check", file=sys.stderr)
    if not (content / "sources" / source.name).exists():
        print(f"extract: note: copy {source} to {content / 'sources' / source.name} before validating the draft",
              file=sys.stderr)
    if str(out) == "-":
        sys.stdout.write(result.yaml_text)
    else:
        out.write_text(result.yaml_text, encoding="utf-8")
        print(f"extract: wrote {out}", file=sys.stderr)
    return 0
