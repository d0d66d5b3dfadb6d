"""How well are criteria inferred from a task's words? k-fold on the tasks a plan codes (Quảng Bình's).

    python bench/criteria_inference.py [--folds 5]

Each fold builds the lexicon (generator/content/criteria_inference.py) from the criterion names and the other folds'
coded tasks, infers criteria (x.y) for the held-out tasks as if their plan wrote no codes, and compares with
the criteria their codes name (a sub-criterion 7.2.1 names criterion 7.2). Precision: inferred links that are
right; recall: stated criteria found. Printed for several thresholds; the chosen one is the lowest whose
precision reaches TARGET_PRECISION.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.cli import Progress, load_corpus                          # noqa: E402
from generator.content import criteria_inference as CI                         # noqa: E402

THRESHOLDS = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0]


def measure(corpus, folds: int) -> list[dict]:
    coded = sorted(CI.coded_tasks(corpus), key=lambda t: t.uid)
    results = {th: {"tp": 0, "predicted": 0, "stated": 0, "found": 0, "tasks_with": 0} for th in THRESHOLDS}
    for k in range(folds):
        test = [t for i, t in enumerate(coded) if i % folds == k]
        train = [t for i, t in enumerate(coded) if i % folds != k]
        lexicon = CI.Lexicon.build(corpus.criteria, train)
        for t in test:
            stated = {CI.criterion_level(c.code) for c in t.criteria}
            ranked = lexicon.scores(t.text, t.field.code if t.field else None)
            for th in THRESHOLDS:
                got = [code for score, code, _ in ranked if score >= th][:CI.MAX_PER_TASK]
                r = results[th]
                r["predicted"] += len(got)
                r["tp"] += len(set(got) & stated)
                r["stated"] += len(stated)
                r["found"] += len(stated & set(got))
                r["tasks_with"] += bool(got)
    out = []
    for th, r in results.items():
        p = r["tp"] / r["predicted"] if r["predicted"] else 0.0
        rec = r["found"] / r["stated"] if r["stated"] else 0.0
        out.append({"threshold": th, "precision": p, "recall": rec, "links": r["predicted"], "tasks": r["tasks_with"],
                    "f1": 2 * p * rec / (p + rec) if p + rec else 0.0, "n": len(coded)})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--content", type=Path, default=ROOT / "content")
    args = ap.parse_args()
    _, corpus = load_corpus(args.content, Progress(quiet=True))
    rows = measure(corpus, args.folds)
    print(f"{args.folds}-fold on {rows[0]['n']} coded tasks; criteria at level x.y; at most {CI.MAX_PER_TASK} links a task; "
          f"the task's PAR INDEX field restricts the candidates")
    print(f"{'threshold':>9} {'precision':>9} {'recall':>7} {'F1':>6} {'links':>6} {'tasks':>6}")
    for r in rows:
        print(f"{r['threshold']:>9} {r['precision']:>9.1%} {r['recall']:>7.1%} {r['f1']:>6.2f} {r['links']:>6} {r['tasks']:>6}")
    ok = [r for r in rows if r["precision"] >= CI.TARGET_PRECISION]
    chosen = min(ok, key=lambda r: r["threshold"]) if ok else max(rows, key=lambda r: r["f1"])
    print(f"chosen threshold (lowest with precision >= {CI.TARGET_PRECISION:.0%}): {chosen['threshold']}"
          f" -> precision {chosen['precision']:.1%}, recall {chosen['recall']:.1%}; "
          f"generator/content/criteria_inference.py THRESHOLD = {CI.THRESHOLD}"
          + ("" if chosen["threshold"] == CI.THRESHOLD else "  (DIFFERS: update THRESHOLD)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
