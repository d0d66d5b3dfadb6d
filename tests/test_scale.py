"""The synthetic national corpus (bench/scale.py) and what keeps big builds cheap (issue 7).

Tiny sizes only: timings are measured by bench/run.py, never asserted here.
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run_generator, run_main

sys.path.insert(0, str(ROOT / "bench"))
from scale import write_corpus  # noqa: E402  (bench/scale.py)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("scale") / "corpus"
    counts = write_corpus(out, provinces=2, plans_per_province=2, tasks_per_plan=12, seed=7)
    assert counts == {"provinces": 2, "plans": 4, "tasks": counts["tasks"]} and counts["tasks"] >= 4 * 9
    return out


def test_generator_command_writes_a_corpus_that_validates(tmp_path):
    out = tmp_path / "c"
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "scale.py"), "--out", str(out), "--provinces", "3",
                           "--plans-per-province", "2", "--tasks-per-plan", "10", "--seed", "3"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "wrote 6 plans" in proc.stdout
    plans = sorted((out / "plans").glob("*.yml"))
    assert len(plans) == 6 and len(list((out / "sources").glob("*.txt"))) == 6
    provinces = yaml.safe_load((out / "registry" / "provinces.yml").read_text(encoding="utf-8"))["provinces"]
    assert sum(p["id"].startswith("mau-") for p in provinces) == 3
    # every task points at the source line that holds its text
    plan = yaml.safe_load(plans[0].read_text(encoding="utf-8"))
    lines = (out / "sources" / plan["source"]["file"]).read_text(encoding="utf-8").split("\n")
    for t in plan["tasks"]:
        assert lines[t["lines"][0] - 1] == "- " + t["text"]
    validated = run_main("--content", str(out), "validate")
    assert validated.returncode == 0, validated.stderr
    assert validated.stdout.startswith("ok: 6 plans")


def test_refuses_to_write_into_content(tmp_path):
    with pytest.raises(SystemExit):
        write_corpus(ROOT / "content" / "synthetic", 1, 1, 5)
    assert not (ROOT / "content" / "synthetic").exists()


def test_small_synthetic_corpus_builds(corpus, tmp_path):
    docs, site = tmp_path / "docs", tmp_path / "site"
    result = run_generator("--content", str(corpus), "build", "--docs", str(docs), "--site", str(site), timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    plan = yaml.safe_load(sorted((corpus / "plans").glob("*.yml"))[0].read_text(encoding="utf-8"))
    page = (site / "ke-hoach" / plan["id"] / "index.html").read_text(encoding="utf-8")
    assert f'id="t-{plan["tasks"][0]["id"]}"' in page
    assert (site / "tinh" / plan["province"] / "index.html").exists()


def _mtimes(docs: Path) -> dict[str, int]:
    return {p.relative_to(docs).as_posix(): p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}


def test_rebuild_after_editing_one_plan_rewrites_only_what_changed(corpus, tmp_path):
    docs = tmp_path / "docs"
    first = run_generator("--content", str(corpus), "render", "--docs", str(docs))
    assert first.returncode == 0, first.stderr
    before = _mtimes(docs)
    time.sleep(0.02)
    again = run_generator("--content", str(corpus), "render", "--docs", str(docs))
    assert again.returncode == 0, again.stderr
    assert _mtimes(docs) == before, "rendering unchanged content rewrote files"

    plans = sorted((corpus / "plans").glob("*.yml"))
    edited, other = plans[0], plans[-1]
    data = yaml.safe_load(edited.read_text(encoding="utf-8"))
    other_data = yaml.safe_load(other.read_text(encoding="utf-8"))
    assert data["province"] != other_data["province"]
    text = edited.read_text(encoding="utf-8")
    # the first task's note: a curator's remark, the one task field not bound to the source text (its text,
    # deadline and output must be written in its source lines, which validate checks)
    marker = "\n  note: null"
    i = text.index(marker, text.index("\ntasks:\n"))
    edited.write_text(text[:i] + "\n  note: \"đã sửa\"" + text[i + len(marker):], encoding="utf-8")
    try:
        time.sleep(0.02)
        third = run_generator("--content", str(corpus), "render", "--docs", str(docs))
        assert third.returncode == 0, third.stderr
        after = _mtimes(docs)
        changed = {f for f, t in after.items() if before.get(f) != t}
        assert f"ke-hoach/{data['id']}/index.md" in changed
        # the province's CSV holds the note; its page lists compact rows without notes (issue 15)
        assert f"data/csv/tinh/{data['province']}.csv" in changed
        # nothing of the other province, nor the untouched source view, is rewritten
        untouched = [f for f in changed if other_data["province"] in f or other_data["id"] in f or "van-ban-goc" in f]
        assert untouched == []
        assert len(changed) < len(after) / 3, sorted(changed)
    finally:
        edited.write_text(text, encoding="utf-8")


def test_above_the_task_limit_site_search_keeps_one_short_entry_per_page_read_by_name(site_dir, tmp_path):
    """National scale: Material's index (loaded by every page) keeps the pages a reader looks for by name."""
    import json
    import shutil
    from generator.site.search import HUB_TEXT_CHARS, NOT_HUBS, keep_hub_pages
    index = tmp_path / "search_index.json"
    shutil.copy(site_dir / "search" / "search_index.json", index)
    before = json.loads(index.read_text(encoding="utf-8"))["docs"]
    keep_hub_pages(index)
    after = json.loads(index.read_text(encoding="utf-8"))["docs"]
    locations = [d["location"] for d in after]
    assert set(locations) == {d["location"] for d in before if "#" not in d["location"] and d["location"].rstrip("/").count("/") <= 1
                              and not (d["location"].startswith(NOT_HUBS) and d["location"].count("/") > 1)}
    for must in ("", "tinh/quang-binh/", "ke-hoach/quang-binh-1886-kh-ubnd-2021/", "co-quan/so-noi-vu/", "tieu-chi/7.2.1/"):
        assert must in locations, must
    assert not any(loc.startswith(("co-quan/so-noi-vu/quang-binh/", "chat-luong/quang-binh", "tieu-chi/7.2.1/quang-binh/")) for loc in locations)
    assert all(len(d["text"]) <= HUB_TEXT_CHARS + 20 and "<" not in d["text"].replace("&lt;", "") for d in after)
    assert len(index.read_bytes()) < len(json.dumps(before, ensure_ascii=False)) / 3


def test_task_rows_cut_from_one_rendering_equal_rows_rendered_for_each_page(tmp_path):
    """render.TaskRows renders each task once and derives every variant (page depth, with or without the plan's
    name and the row's anchor) by substitution; each must equal the row rendered directly for that page."""
    from generator.cli import Progress, load_corpus
    from generator.site.presentation import rel_url
    from generator.site.render import BuildInfo, SiteBuilder, TaskRows, environment
    _valid, corpus = load_corpus(ROOT / "content", Progress(quiet=True))
    builder = SiteBuilder(corpus, BuildInfo.from_env())
    rows = TaskRows(environment(ROOT / "templates").get_template("_task_row.j2"), builder.common())
    checked = 0
    for t in corpus.tasks[::7]:
        view = builder.tv(t)
        for depth in (0, 1, 2, 3):
            for show_plan in (True, False):
                for anchors in (True, False):
                    direct = rows._render(view, lambda to, d=depth: rel_url("x/" * d, to), show_plan, anchors)
                    assert str(rows.html(view, depth, show_plan, anchors)) == direct, (t.uid, depth, show_plan, anchors)
                    checked += 1
    assert checked >= 16 * 80


def test_long_lists_of_a_province_split_into_pages_that_together_hold_every_task(tmp_path, monkeypatch):
    """Above 300 tasks a province's page links to its deadline list, the deadline list gets a page per year,
    a document cited more than DOCUMENT_INLINE_MENTIONS times a page per province (lowered here to 20: the
    synthetic plans cite each decree ~30 times in 600 tasks), and feeds keep the 500 tasks due nearest."""
    import re
    from generator.site import render
    from generator.cli import Progress, load_corpus
    corpus = tmp_path / "corpus"
    counts = write_corpus(corpus, provinces=1, plans_per_province=10, tasks_per_plan=60, seed=11)
    assert counts["tasks"] > 500
    docs = tmp_path / "docs"
    monkeypatch.setattr(render, "DOCUMENT_INLINE_MENTIONS", 20)
    _valid, resolved = load_corpus(corpus, Progress(quiet=True))
    render.render_site(resolved, docs, ROOT)
    province = yaml.safe_load((corpus / "registry" / "provinces.yml").read_text(encoding="utf-8"))["provinces"]
    pid = next(p["id"] for p in province if p["id"].startswith("mau-"))
    uids = set()
    for plan_file in (corpus / "plans").glob("*.yml"):
        plan = yaml.safe_load(plan_file.read_text(encoding="utf-8"))
        uids |= {f"{plan['id']}/#t-{t['id']}" for t in plan["tasks"]}
    assert len(uids) == counts["tasks"]

    province_page = (docs / "tinh" / pid / "index.md").read_text(encoding="utf-8")
    assert '<table class="tasks">' not in province_page and f'href="../../han/{pid}/"' in province_page

    summary = (docs / "han" / pid / "index.md").read_text(encoding="utf-8")
    assert '<table class="tasks">' not in summary
    parts = sorted(p for p in (docs / "han" / pid).iterdir() if p.is_dir())
    assert parts and all(re.fullmatch(r"\d{4}|khong-han", p.name) for p in parts)
    listed = []
    for part in parts:
        assert f'href="../../han/{pid}/{part.name}/"' in summary
        listed += re.findall(r'<td><a href="\.\./\.\./\.\./ke-hoach/([^"]+)"', (part / "index.md").read_text(encoding="utf-8"))
    assert sorted(listed) == sorted(uids), "each task on exactly one page of the split deadline list"

    cited = [d for d in (docs / "van-ban").iterdir() if d.is_dir() and (d / pid).is_dir()]
    assert cited, "a decree cited by every plan is split per province"
    for d in cited:
        assert '<table class="mentions stack">' not in (d / "index.md").read_text(encoding="utf-8")
        assert '<table class="mentions stack">' in (d / pid / "index.md").read_text(encoding="utf-8")

    feed = (docs / "tinh" / pid / "han.atom").read_text(encoding="utf-8")
    assert feed.count("<entry>") == 500 and f"500 trong {counts['tasks']} nhiệm vụ" in feed


def test_html_blocks_passed_around_markdown_reach_every_page_whole(site_dir):
    """site_config/hooks/raw_html.py cuts the generator's finished HTML blocks out before Markdown and puts them
    back into the page: no placeholder or marker is left, and each plan page holds its task table."""
    left = [p for p in site_dir.rglob("*.html") if "portal:raw" in p.read_text(encoding="utf-8")]
    assert left == []
    plan = (site_dir / "ke-hoach" / "quang-binh-1886-kh-ubnd-2021" / "index.html").read_text(encoding="utf-8")
    assert plan.count('<tr id="t-') == 180 and '<table class="tasks">' in plan
    source = (site_dir / "ke-hoach" / "quang-binh-1886-kh-ubnd-2021" / "van-ban-goc" / "index.html").read_text(encoding="utf-8")
    assert 'id="L1"' in source and '<div class="source-view" id="source">' in source


def test_every_listing_declares_once_the_rows_its_page_shows_its_button_counts_and_its_csv_holds(tmp_path):
    """Issue 15: a listing page declares its rows once (generator/site/listing.py); its compact rows, its button's
    count and its CSV (made in the browser from the province's CSV) all come from that declaration, at a size
    above the feed cap (500) and above the province page's inline limit (300). No listing has a CSV file of its
    own (one file per province), and feeds exist per province and per agency kind only."""
    import csv
    import io
    import json
    import re
    from generator.site import render
    from generator.cli import Progress, load_corpus
    corpus = tmp_path / "corpus"
    counts = write_corpus(corpus, provinces=2, plans_per_province=5, tasks_per_plan=60, seed=5)
    assert counts["tasks"] > 500
    docs = tmp_path / "docs"
    _valid, resolved = load_corpus(corpus, Progress(quiet=True))
    render.render_site(resolved, docs, ROOT)

    csv_files = sorted(p.relative_to(docs).as_posix() for p in (docs / "data" / "csv").rglob("*.csv"))
    assert csv_files == sorted(f"data/csv/tinh/{p.id}.csv" for p in resolved.provinces if p.plans)
    by_id: dict[str, dict] = {}
    for f in csv_files:
        for row in csv.DictReader(io.StringIO((docs / f).read_text(encoding="utf-8-sig"))):
            by_id[row["id"]] = row
    feeds = sorted(p.parent.relative_to(docs).as_posix() for p in docs.rglob("han.atom"))
    assert all(re.fullmatch(r"tinh/[^/]+|co-quan/[^/]+", f) for f in feeds), feeds
    assert len(feeds) == len({f for f in feeds if f.startswith("tinh/")}) + len({f for f in feeds if f.startswith("co-quan/")})

    declared_rows: dict[str, list[str]] = {}
    pages = {p.parent.relative_to(docs).as_posix() + "/": p.read_text(encoding="utf-8") for p in docs.rglob("index.md")}
    for url, text in pages.items():
        m = re.search(r'<script type="application/json" id="csv-rows">(.*?)</script>', text, re.S)
        if m:
            d = json.loads(m.group(1))
            if "rows" in d:
                declared_rows[url] = [d["plans"][r[0]][1] + "/" + r[1] for r in d["rows"]]
    assert len(declared_rows) > 50
    checked = 0
    for url, text in pages.items():
        m = re.search(r'<script type="application/json" id="csv-rows">(.*?)</script>', text, re.S)
        if not m:
            continue
        d = json.loads(m.group(1))
        rows = [uid for part in d["parts"] for uid in declared_rows[part]] if "parts" in d else declared_rows[url]
        button = re.search(r'data-rows="(\d+)"[^>]*>Tải (\d+) dòng \(CSV\)</a>', text)
        assert button and int(button.group(1)) == int(button.group(2)) == len(rows), url
        assert len(set(rows)) == len(rows), url
        assert all(uid in by_id for uid in rows), url          # each row is a line of its province's CSV
        shown = list(dict.fromkeys("/".join(x) for x in re.findall(r'<td><a href="(?:\.\./)*ke-hoach/([^/"]+)/(?:trang-\d+/)?#t-([^"]+)"', text)))
        if shown and not url.startswith("ke-hoach/"):
            assert shown == rows, url                           # the page's compact rows, in the same order
            checked += 1
    assert checked > 20
    # an agency kind's feed holds the 500 tasks due nearest, of all its tasks in every province
    kind = max((p for p in pages if re.fullmatch(r"co-quan/[^/]+/", p)), key=lambda p: int(re.search(r'data-rows="(\d+)"', pages[p]).group(1)))
    total = int(re.search(r'data-rows="(\d+)"', pages[kind]).group(1))
    entries = (docs / kind / "han.atom").read_text(encoding="utf-8").count("<entry>")
    assert entries == min(total, 500), (kind, total, entries)
