"""The largest plan validation accepts, built once per test run (conftest.largest_plan_site): one synthetic
province whose one plan's YAML is just under load.MAX_FILE_BYTES: thousands of ordinary tasks (bench/scale.py's),
so that its listings pass the feed cap and the page-split thresholds, and a section of tasks whose text is as long
as the schema allows and made of characters that HTML escaping multiplies (a page of such rows would be tens of MB).
test_page_size.py and test_publish.py read the one build."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

from conftest import ROOT, run_generator
from generator.content.load import MAX_FILE_BYTES

sys.path.insert(0, str(ROOT / "bench"))
from scale import Corpus, write_corpus  # noqa: E402  (bench/scale.py)

LONG_TASKS = 40                  # tasks of the longest text the schema accepts (schema.Text: 20,000 characters)
LONG_CHARS = 19_900
AS_OF = "2026-11-15"


def _dump(value, path: Path) -> None:
    path.write_text(yaml.dump(value, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True,
                              sort_keys=False, width=10_000), encoding="utf-8")


def long_text(k: int) -> str:
    """A task text of LONG_CHARS characters, mostly characters that HTML writes as entities (&lt; &amp; &#34;)."""
    unit = f'Nhiệm vụ {k} <kiểm tra> & "rà soát" <thủ tục> && <<>> '
    return (unit * (LONG_CHARS // len(unit) + 1))[:LONG_CHARS].strip() + "."


def write_largest_plan(out: Path) -> dict:
    """A corpus of one synthetic province whose one plan's YAML is just under the validation size limit."""
    write_corpus(out, provinces=1, plans_per_province=1, tasks_per_plan=5, seed=3)
    (small,) = (out / "plans").glob("*.yml")
    base = yaml.safe_load(small.read_text(encoding="utf-8"))
    small.unlink()
    (out / "sources" / base["source"]["file"]).unlink()
    province = base["province"]
    name = yaml.safe_load((out / "registry" / "provinces.yml").read_text(encoding="utf-8"))["provinces"][-1]["name"]
    maker = Corpus(out, seed=5)

    def make(n: int):
        maker.rng.seed(5)
        data, lines = maker.plan(province, name, 101, 2023, n)
        # a last section of very long tasks, placed after the ordinary ones inside the task section
        end = data["task_sections"][0][1]
        extra = [f"{9}. Nhiệm vụ có nội dung rất dài"]
        data["groups"].append({"id": "ii-9", "ref": "II.9", "title": "Nhiệm vụ có nội dung rất dài", "lines": [end + 1, end + 1]})
        for k in range(1, LONG_TASKS + 1):
            text = long_text(k)
            extra += [f"- {text}", "  Chủ trì: Sở Nội vụ. Thời gian: Quý IV/2023."]
            first = end + len(extra) - 1
            data["tasks"].append({"id": f"ii-9-{k}", "ref": f"II.9-{k}", "group": "ii-9", "text": text, "lead": ["Sở Nội vụ"],
                                  "support": [], "deadline": "Quý IV/2023", "output": None, "field": 1, "criteria": [],
                                  "note": None, "lines": [first, first + 1], "status": None})
        lines[end:end] = extra
        data["task_sections"] = [[data["task_sections"][0][0], end + len(extra)]]
        return data, lines

    path = out / "plans" / f"{province}-101-kh-ubnd-2023.yml"       # the plan's id (scale.Corpus.plan makes it)
    sizes = []
    for n in (1_000, 2_000):
        _dump(make(n)[0], path)
        sizes.append(path.stat().st_size)
    n = int(2_000 + (MAX_FILE_BYTES - 20_000 - sizes[1]) / ((sizes[1] - sizes[0]) / 1_000))
    while True:                  # the most ordinary tasks that keep the file under the limit
        data, lines = make(n)
        _dump(data, path)
        if path.stat().st_size <= MAX_FILE_BYTES:
            break
        n -= 50
    (out / "sources" / data["source"]["file"]).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"tasks": len(data["tasks"]), "bytes": path.stat().st_size, "plan": data["id"]}


def build_largest(out: Path) -> None:
    """Write the corpus into out/content and build it into out/site; the corpus's facts in out/facts.json."""
    facts = write_largest_plan(out / "content")
    assert MAX_FILE_BYTES - 100_000 < facts["bytes"] <= MAX_FILE_BYTES
    result = run_generator("--content", str(out / "content"), "build", "--quiet", "--docs", str(out / "docs"),
                           "--site", str(out / "site"), env={"PORTAL_AS_OF": AS_OF}, timeout=1500)
    assert result.returncode == 0, result.stderr[-3000:]
    (out / "facts.json").write_text(json.dumps(facts), encoding="utf-8")


def read_largest(out: Path) -> tuple[dict, Path]:
    facts = json.loads((out / "facts.json").read_text(encoding="utf-8"))
    facts["source"] = out / "content" / "sources" / f"{facts['plan']}.txt"
    return facts, (out / "site").resolve()
