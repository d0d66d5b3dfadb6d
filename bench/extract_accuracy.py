"""How well does `python -m generator extract` recover curated plans? (never writes into content/)

Two sets, reported separately:

1. the five published plans: content/plans/*.yml against the texts of content/sources/ (the extractor's rules
   were first written on these: read the figures as a ceiling); run twice, with the agency registry as it
   stands and without the plan's own registry file (content/registry/agencies/<plan-id>.yml), which is closer
   to a plan nobody has curated yet;
2. the development set: tests/fixtures/extract-dev/*.txt against the curated expected YAML in
   tests/fixtures/extract-dev/expected/<name>.yml (real 2025 texts of other provinces; see its README).

Per document and in total: curated tasks, tasks found, recall (found / curated) and precision (found /
drafted); for the tasks found, the share whose lead, support, deadline and output equal the curated values
(names compared as written, after whitespace collapse and trailing punctuation; a list must hold the same names
in the same split: ["Sở A, Sở B"] is not ["Sở A", "Sở B"]); "split" = the share whose lead and support have as
many agencies as curated; the metadata fields right (number, issued, signer, type, title and issuer, the last two
compared case-insensitively), and "changes": how many values a maintainer had to change in the draft to reach
the curated file (each differing metadata field, each differing text/lead/support/deadline/output of a found
task, each filled field of a missed task, one per extra task to delete).

Matching: a curated task and an extracted task match when their source line ranges overlap and their texts
are similar (difflib ratio >= 0.5, or the same first line); pairs are taken best first, one to one. Curated
tasks left over are then matched by text alone (ratio >= 0.8) to extracted tasks left over.

Usage: python bench/extract_accuracy.py [--plan ID] [--set published|dev|all] [--details NAME]
"""
from __future__ import annotations

import argparse
import difflib
import re
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
FIELDS = ("lead", "support", "deadline", "output")


def norm_text(value) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip()


def norm_names(values) -> list[str]:
    out = []
    for v in values or []:
        out.append(norm_text(v["name"] if isinstance(v, dict) else v))
    return out


def norm_field(task: dict, key: str):
    if key in ("lead", "support"):
        return norm_names(task.get(key))
    value = task.get(key)
    return None if value is None else norm_text(value)


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, norm_text(a).casefold(), norm_text(b).casefold(), autojunk=False).ratio()


def match(curated: list[dict], extracted: list[dict]) -> list[tuple[int, int]]:
    pairs = []
    for i, c in enumerate(curated):
        c1, c2 = c["lines"]
        for j, e in enumerate(extracted):
            e1, e2 = e["lines"]
            if e1 <= c2 and c1 <= e2:
                sim = similarity(c["text"], e["text"])
                if sim >= 0.5 or c1 == e1:
                    pairs.append(((c1 == e1 and c2 == e2), sim, i, j))
    pairs.sort(reverse=True)
    used_c, used_e, out = set(), set(), []
    for _, _, i, j in pairs:
        if i not in used_c and j not in used_e:
            used_c.add(i)
            used_e.add(j)
            out.append((i, j))
    rest = []
    for i, c in enumerate(curated):
        if i in used_c:
            continue
        for j, e in enumerate(extracted):
            if j not in used_e:
                sim = similarity(c["text"], e["text"])
                if sim >= 0.8:
                    rest.append((sim, i, j))
    for _, i, j in sorted(rest, reverse=True):
        if i not in used_c and j not in used_e:
            used_c.add(i)
            used_e.add(j)
            out.append((i, j))
    return out


META = ("number", "issued", "signer", "type", "title", "issuer")
TASK_FIELDS = ("text", "lead", "support", "deadline", "output")
DEV = ROOT / "tests" / "fixtures" / "extract-dev"


def norm_meta(key: str, value):
    if value is None:
        return None
    text = norm_text(value)
    if key in ("title", "issuer"):
        text = re.sub(r"^(?:ủy|uỷ) ban nhân dân\b", "ubnd", text.casefold())
    return text


def draft_of(source: Path, content: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    from generator.extract import extract_text
    from generator.extract.names import load_registry
    from generator.content.load import read_text
    text = read_text(source, source.name, [])
    key = str(content)
    if key not in _REGISTRIES:
        _REGISTRIES[key] = load_registry(content)
    return yaml.safe_load(extract_text(text, source.name, _REGISTRIES[key]).yaml_text)


_REGISTRIES: dict = {}


def compare(name: str, curated: dict, draft: dict, details: bool = False) -> dict:
    pairs = match(curated["tasks"], draft["tasks"])
    row = {"plan": name, "curated": len(curated["tasks"]), "found": len(pairs), "extracted": len(draft["tasks"]),
           "extra": len(draft["tasks"]) - len(pairs), "split": 0, "changes": 0}
    for key in FIELDS:
        row[key] = 0
    for i, j in pairs:
        c, e = curated["tasks"][i], draft["tasks"][j]
        for key in FIELDS:
            same = norm_field(c, key) == norm_field(e, key)
            row[key] += same
            if not same:
                row["changes"] += 1
                if details:
                    print(f"  {name} {c['id']} {key}: curated {norm_field(c, key)!r} / draft {norm_field(e, key)!r}")
        row["changes"] += norm_text(c["text"]).strip(" .;") != norm_text(e["text"]).strip(" .;")
        row["split"] += all(len(norm_names(c.get(k))) == len(norm_names(e.get(k))) for k in ("lead", "support"))
    matched_c = {i for i, _ in pairs}
    matched_e = {j for _, j in pairs}
    for i, c in enumerate(curated["tasks"]):
        if i not in matched_c:
            row["changes"] += sum(bool(c.get(k)) for k in TASK_FIELDS)
            if details:
                print(f"  {name} MISSED {c['id']} {c['lines']}: {norm_text(c['text'])[:100]}")
    if details:
        for j, e in enumerate(draft["tasks"]):
            if j not in matched_e:
                print(f"  {name} EXTRA {e['id']} {e['lines']}: {norm_text(e['text'])[:100]}")
    row["changes"] += row["extra"]
    row["meta"] = 0
    for key in META:
        same = norm_meta(key, curated.get(key)) == norm_meta(key, draft.get(key))
        row["meta"] += same
        row[f"meta_{key}"] = int(same)
        if not same:
            row["changes"] += 1
            if details:
                print(f"  {name} META {key}: curated {curated.get(key)!r} / draft {draft.get(key)!r}")
    return row


def measure(plan_files: list[Path], content: Path, details: bool = False) -> list[dict]:
    rows = []
    for plan_file in plan_files:
        curated = yaml.safe_load(plan_file.read_text(encoding="utf-8"))
        source = CONTENT / "sources" / curated["source"]["file"]
        rows.append(compare(curated["id"], curated, draft_of(source, content), details))
    return rows


def measure_dev(names: list[str] | None = None, details: bool = False) -> list[dict]:
    rows = []
    for expected in sorted((DEV / "expected").glob("*.yml")):
        if names and expected.stem not in names:
            continue
        curated = yaml.safe_load(expected.read_text(encoding="utf-8"))
        rows.append(compare(expected.stem, curated, draft_of(DEV / f"{expected.stem}.txt", CONTENT), details))
    return rows


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}%" if b else "    -"


def print_table(title: str, rows: list[dict]) -> dict:
    print(title)
    head = (f"{'document':36} {'curated':>7} {'found':>5} {'recall':>7} {'precis.':>7} {'lead':>7} {'support':>7} "
            f"{'deadline':>8} {'output':>7} {'split':>7} {'metadata':>8} {'changes':>7}")
    print(head)
    print("-" * len(head))
    keys = ("curated", "found", "extracted", "extra", "split", "changes", "meta", *FIELDS, *(f"meta_{k}" for k in META))
    total = {k: 0 for k in keys}
    for r in rows + [None]:
        if r is None:
            print("-" * len(head))
            r = dict(total, plan="overall")
        else:
            for k in total:
                total[k] += r[k]
        n_meta = len(META) * (len(rows) if r["plan"] == "overall" else 1)
        print(f"{r['plan'][:36]:36} {r['curated']:7d} {r['found']:5d} {pct(r['found'], r['curated']):>7} "
              f"{pct(r['found'], r['extracted']):>7} {pct(r['lead'], r['found']):>7} {pct(r['support'], r['found']):>7} "
              f"{pct(r['deadline'], r['found']):>8} {pct(r['output'], r['found']):>7} {pct(r['split'], r['found']):>7} "
              f"{r['meta']:4d}/{n_meta:<3d} {r['changes']:7d}")
    print("metadata right, by field: " + ", ".join(f"{k} {total[f'meta_{k}']}/{len(rows)}" for k in META))
    print()
    return total


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", help="only this plan id (published set) or text name (development set)")
    parser.add_argument("--set", choices=("published", "dev", "all"), default="all")
    parser.add_argument("--details", action="store_true", help="print every difference")
    args = parser.parse_args(argv)
    print("lead/support/deadline/output: share of the found tasks whose value equals the curated one exactly; "
          "changes: values a maintainer had to change\n")
    if args.set in ("published", "all"):
        plan_files = sorted((CONTENT / "plans").glob("*.yml"))
        if args.plan:
            plan_files = [p for p in plan_files if p.stem == args.plan]
        if plan_files:
            print_table("Published plans, registry as it stands (content/registry):",
                        measure(plan_files, CONTENT, args.details))
            with tempfile.TemporaryDirectory(prefix="extract-bench-") as tmp:
                rows = []
                for plan_file in plan_files:
                    content = Path(tmp) / f"content-{plan_file.stem}"
                    shutil.copytree(CONTENT / "registry", content / "registry")
                    own = content / "registry" / "agencies" / plan_file.name
                    if own.exists():
                        own.unlink()
                    rows += measure([plan_file], content)
                print_table("Published plans without the plan's own registry file (registry/agencies/<plan-id>.yml removed):", rows)
    if args.set in ("dev", "all"):
        rows = measure_dev([args.plan] if args.plan else None, args.details)
        if rows:
            print_table("Development set (tests/fixtures/extract-dev, curated expected/*.yml; texts of other provinces, 2025):", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
