"""How well does `python -m generator extract` recover the curated plans? (never writes into content/)

For each curated plan in content/plans/, runs the extractor on the source text the plan names (writing the
draft to a temporary directory), matches the extracted tasks to the curated ones and prints, per plan and
overall: curated tasks, tasks found (recall: the share of curated tasks matched), and for the matched tasks
the share whose lead, support, deadline and output equal the curated values exactly (names compared as
written, after whitespace collapse; an unresolved name counts by its written name). Extra = extracted tasks
that match no curated task.

Matching: a curated task and an extracted task match when their source line ranges overlap and their texts
are similar (difflib ratio >= 0.5, or the same first line); pairs are taken best first, one to one. Curated
tasks left over are then matched by text alone (ratio >= 0.8) to extracted tasks left over.

Two runs: with the agency registry as it stands, and without the registry file of the plan itself
(content/registry/agencies/<plan-id>.yml, the per-source aliases written while curating that plan), which
is closer to what the extractor does on a plan nobody has curated yet.

Usage: python bench/extract_accuracy.py [--plan ID]
"""
from __future__ import annotations

import argparse
import difflib
import re
import shutil
import subprocess
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


def run_extract(source: Path, content: Path, out: Path) -> dict:
    result = subprocess.run([sys.executable, "-m", "generator", "--content", str(content), "extract", str(source),
                             "-o", str(out), "--force"], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"extract failed on {source.name}:\n{result.stderr}")
    return yaml.safe_load(out.read_text(encoding="utf-8"))


def measure(plan_files: list[Path], content: Path, work: Path) -> list[dict]:
    rows = []
    for plan_file in plan_files:
        curated = yaml.safe_load(plan_file.read_text(encoding="utf-8"))
        source = CONTENT / "sources" / curated["source"]["file"]
        draft = run_extract(source, content, work / f"{curated['id']}.yml")
        pairs = match(curated["tasks"], draft["tasks"])
        row = {"plan": curated["id"], "curated": len(curated["tasks"]), "found": len(pairs),
               "extracted": len(draft["tasks"]), "extra": len(draft["tasks"]) - len(pairs)}
        for key in FIELDS:
            row[key] = sum(norm_field(curated["tasks"][i], key) == norm_field(draft["tasks"][j], key) for i, j in pairs)
        rows.append(row)
    return rows


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}%" if b else "    -"


def print_table(title: str, rows: list[dict]) -> None:
    print(title)
    head = f"{'plan':34} {'curated':>7} {'found':>6} {'recall':>7} {'lead':>7} {'support':>8} {'deadline':>9} {'output':>7} {'extra':>6}"
    print(head)
    print("-" * len(head))
    total = {k: 0 for k in ("curated", "found", "extra", *FIELDS)}
    for r in rows + [None]:
        if r is None:
            print("-" * len(head))
            r = dict(total, plan="overall")
        else:
            for k in total:
                total[k] += r[k]
        print(f"{r['plan']:34} {r['curated']:7d} {r['found']:6d} {pct(r['found'], r['curated']):>7} "
              f"{pct(r['lead'], r['found']):>7} {pct(r['support'], r['found']):>8} {pct(r['deadline'], r['found']):>9} "
              f"{pct(r['output'], r['found']):>7} {r['extra']:6d}")
    print()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", help="only this plan id")
    args = parser.parse_args(argv)
    plan_files = sorted((CONTENT / "plans").glob("*.yml"))
    if args.plan:
        plan_files = [p for p in plan_files if p.stem == args.plan]
        if not plan_files:
            raise SystemExit(f"no curated plan {args.plan!r} in content/plans/")
    print("lead/support/deadline/output: share of the found tasks whose value equals the curated one exactly\n")
    with tempfile.TemporaryDirectory(prefix="extract-bench-") as tmp:
        work = Path(tmp)
        print_table("Registry as it stands (content/registry):", measure(plan_files, CONTENT, work))
        rows = []
        for plan_file in plan_files:
            content = work / f"content-{plan_file.stem}"
            shutil.copytree(CONTENT / "registry", content / "registry")
            own = content / "registry" / "agencies" / plan_file.name
            if own.exists():
                own.unlink()
            rows += measure([plan_file], content, work)
        print_table("Without the plan's own registry file (registry/agencies/<plan-id>.yml removed):", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
