"""What keeps a national site within what free static hosting accepts (issue 15: <= 1 GB, <= 20,000 files),
with nothing lost for a reader: each task's row is downloaded from one file, the large national files are
compressed, and every listing still downloads its rows.

Sizes are tiny here, the limit lowered: bench/run.py measures the real figures (bench/results.md).
"""
from __future__ import annotations

import csv
import gzip
import http.server
import io
import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import ROOT, serve

sys.path.insert(0, str(ROOT / "bench"))
from scale import write_corpus  # noqa: E402  (bench/scale.py)


@pytest.fixture(scope="module")
def above_limit(tmp_path_factory):
    """A synthetic corpus of 2 provinces (about 120 tasks) rendered with the whole-corpus files' limit at 50 tasks."""
    from generator.site import listing, render
    from generator.cli import Progress, load_corpus
    root = tmp_path_factory.mktemp("above-limit")
    write_corpus(root / "corpus", provinces=2, plans_per_province=2, tasks_per_plan=30, seed=5)
    _valid, corpus = load_corpus(root / "corpus", Progress(quiet=True))
    assert len(corpus.tasks) > 50
    mp = pytest.MonkeyPatch()
    mp.setattr(listing, "WHOLE_FILES_MAX_TASKS", 50)
    try:
        render.render_site(corpus, root / "docs", ROOT)
    finally:
        mp.undo()
    return corpus, root / "docs"


def _csv_text(path: Path) -> str:
    data = path.read_bytes()
    return (gzip.decompress(data) if path.name.endswith(".gz") else data).decode("utf-8-sig")


def _csv_ids(path: Path) -> list[str]:
    return [row["id"] for row in csv.DictReader(io.StringIO(_csv_text(path), newline=""))]


def test_above_the_limit_each_tasks_row_is_in_one_csv_and_the_national_files_are_compressed(above_limit):
    corpus, docs = above_limit
    data = docs / "data"
    ids = [t.uid for t in corpus.tasks]
    # no national tasks.csv: it would repeat the provinces' files row for row
    assert not (data / "tasks.csv").exists() and not (data / "tasks.json").exists() and not (data / "assignments.csv").exists()
    assert not list(data.rglob("*.csv")), "every task file is compressed"
    seen = Counter(uid for f in sorted(data.rglob("*.csv.gz")) if f.name != "assignments.csv.gz" for uid in _csv_ids(f))
    assert sorted(seen) == sorted(ids) and set(seen.values()) == {1}, "each task's row in exactly one CSV file"
    assert sorted(p.name for p in (data / "csv" / "tinh").iterdir()) == sorted(f"{p.id}.csv.gz" for p in corpus.provinces if p.plans)
    # the same records, compressed
    records = json.loads(gzip.decompress((data / "tasks.json.gz").read_bytes()).decode("utf-8"))
    assert [r["id"] for r in records] == ids
    assignments = list(csv.DictReader(io.StringIO(gzip.decompress((data / "assignments.csv.gz").read_bytes()).decode("utf-8-sig"))))
    assert {a["task"] for a in assignments} <= set(ids) and len(assignments) >= len(ids)
    # compressed with no name or time in the header: the same content gives the same bytes
    assert (data / "tasks.json.gz").read_bytes()[4:8] == b"\0\0\0\0"
    # the large JSON files that are only downloaded too, and the open-data page links them as written
    assert not (data / "plans.json").exists() and not (data / "documents.json").exists()
    assert [p["id"] for p in json.loads(gzip.decompress((data / "plans.json.gz").read_bytes()))] == [p.id for p in corpus.plans]
    assert len(json.loads(gzip.decompress((data / "documents.json.gz").read_bytes()))) == len(corpus.documents)
    page = (docs / "du-lieu" / "index.md").read_text(encoding="utf-8")
    assert "data/plans.json.gz" in page and "data/documents.json.gz" in page


def test_above_the_limit_the_data_package_describes_and_validates_the_files_written(above_limit):
    import frictionless
    corpus, docs = above_limit
    data = docs / "data"
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    paths = {r["path"] for r in package["resources"]}
    written = {p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_file() and "finder" not in p.parts} - {"datapackage.json"}
    assert paths == written
    compressed = {r["path"] for r in package["resources"] if r.get("compression") == "gz"}
    assert compressed == {p for p in written if p.endswith(".gz")} and {"tasks.json.gz", "assignments.csv.gz"} < compressed
    report = frictionless.validate(str(data / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    provinces = [r for r in package["resources"] if r["name"].startswith("tasks-csv-")]
    assert len(provinces) == len([p for p in corpus.provinces if p.plans])


def test_above_the_limit_a_national_listing_and_the_finder_lead_to_the_provinces_csvs_without_javascript(above_limit):
    corpus, docs = above_limit
    page = (docs / "co-quan" / "so-noi-vu" / "index.md").read_text(encoding="utf-8")
    button = re.search(r'<a class="md-button listing-csv" href="([^"]+)"( download)? data-root="([^"]+)"', page)
    assert button and button.group(1) == "../../du-lieu/#csv-theo-tinh" and not button.group(2) and button.group(3) == "../../"
    finder = (docs / "tim-nhiem-vu" / "index.md").read_text(encoding="utf-8")
    assert 'href="../du-lieu/#csv-theo-tinh"' in finder
    open_data = (docs / "du-lieu" / "index.md").read_text(encoding="utf-8")
    listed = re.search(r'<div class="table-wrap" id="csv-theo-tinh">(.*?)</div>', open_data, re.S).group(1)
    files = re.findall(r'href="\.\./(data/csv/tinh/[^"]+\.csv\.gz)" download', listed)
    assert sorted(files) == sorted(f"data/csv/tinh/{p.id}.csv.gz" for p in corpus.provinces if p.plans)
    assert all((docs / f).exists() for f in files)
    for name in ("tasks.json.gz", "assignments.csv.gz"):
        assert f'href="../data/{name}"' in open_data
    # a province's listing gives its province's compressed file without JavaScript
    local = sorted((docs / "co-quan" / "so-noi-vu").glob("*/index.md"))[0]
    assert re.search(r'<a class="md-button listing-csv" href="(\.\./)+data/csv/tinh/[^"]+\.csv\.gz" download data-rows=', local.read_text(encoding="utf-8"))
    assert 'href="../data/tasks.csv"' not in open_data and 'href="../data/tasks.json"' not in open_data


class _EncodingHost(http.server.SimpleHTTPRequestHandler):
    """A static host that sends a .gz file as its content, compressed for transfer (Content-Encoding: gzip), as
    some do: the browser then hands the script the file unpacked."""

    def end_headers(self):
        if self.path.split("?")[0].endswith(".gz"):
            self.send_header("Content-Encoding", "gzip")
        super().end_headers()

    def log_message(self, *args):
        pass


def serve_as(site: Path, host: str):
    return serve(site) if host == "plain" else serve(site, _EncodingHost)


HOSTS = ["plain", "content-encoding"]


def test_above_the_limit_a_listings_download_is_a_plain_csv_made_from_the_compressed_provinces_files(above_limit, browser_context, tmp_path):
    """listing-csv.js reads data/csv/tinh/<province>.csv.gz when the plain file is not there, and saves the page's
    rows as a plain CSV: same header and cells as the province's file, each declared row once, in order."""
    import shutil
    corpus, docs = above_limit
    site = tmp_path / "site"
    shutil.copytree(docs / "data", site / "data")
    shutil.copy(ROOT / "site_config" / "assets" / "js" / "listing-csv.js", site / "listing-csv.js")
    page_md = sorted((docs / "co-quan" / "so-noi-vu").glob("*/index.md"))[0]
    md = page_md.read_text(encoding="utf-8")
    button = re.search(r'<p class="downloads">.*?</p>\s*<!--portal:raw-->\s*<script type="application/json" id="csv-rows">.*?</script>', md, re.S).group(0)
    where = site / page_md.parent.relative_to(docs)
    where.mkdir(parents=True)
    (where / "index.html").write_text('<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>t</title></head><body>'
                                      + button.replace("<!--portal:raw-->", "") + '<script src="../../../listing-csv.js"></script></body></html>', encoding="utf-8")
    declared = json.loads(re.search(r'id="csv-rows">(.*?)</script>', button, re.S).group(1))
    server, url = serve(site)
    page = browser_context.new_page()
    try:
        page.goto(url + page_md.parent.relative_to(docs).as_posix() + "/")
        with page.expect_download() as info:
            page.locator("a.listing-csv").click()
        saved = tmp_path / "listing.csv"
        info.value.save_as(saved)
    finally:
        page.close()
        server.shutdown()
    got = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"), newline="")))
    want = [declared["plans"][r[0]][1] + "/" + r[1] for r in declared["rows"]]
    assert [r["id"] for r in got] == want and len(want) > 5
    province = {r["id"]: r for r in csv.DictReader(io.StringIO(_csv_text(site / "data" / "csv" / "tinh" / f"{declared['provinces'][0]}.csv.gz"), newline=""))}
    for r in got:
        assert {k: v for k, v in r.items() if k not in ("role", "via_group")} == {k: v for k, v in province[r["id"]].items() if k not in ("role", "via_group")}
        assert r["role"] in ("lead", "support", "lead; support")


KEPT = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>", re.S | re.I)


def test_no_page_carries_the_indentation_of_materials_templates(site_dir):
    """site_config/hooks/raw_html.py: a run of white space with a line break is one line break (it is shown as
    one space either way), outside pre, textarea, scripts and styles; the generator's blocks keep their bytes."""
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        text = KEPT.sub("<kept>", page.read_text(encoding="utf-8"))
        frame = text.split("<article", 1)[0]         # Material's header, tabs and navigation
        assert not re.search(r"\n[ \t]+<|\n\s*\n", frame), page
    # the source text's lines (white-space: pre-wrap) are kept as the generator wrote them
    plan = site_dir / "ke-hoach" / "quang-binh-1886-kh-ubnd-2021" / "van-ban-goc" / "index.html"
    built = plan.read_text(encoding="utf-8")
    markdown = ROOT / "build" / "docs" / "ke-hoach" / "quang-binh-1886-kh-ubnd-2021" / "van-ban-goc" / "index.md"
    block = markdown.read_text(encoding="utf-8").split("<!--portal:raw-->", 1)[1].split("<!--/portal:raw-->", 1)[0].strip("\n")
    assert "\n" in block and block in built


def test_the_drawer_and_the_search_box_are_written_by_script_once_and_work_as_before(site_dir, open_page):
    """The page frame (issue 15): the drawer's list of sections is the tabs' list, copied by theme-start.js, and
    the search box is written by search.js; neither is in the page's bytes, both are there for a reader."""
    html = (site_dir / "ke-hoach" / "index.html").read_text(encoding="utf-8")
    assert html.count('class="md-tabs__link"') == 12 and 'data-portal-nav></ul>' in html, "the sections are written once, in the tabs"
    assert "md-search__input" not in html and "data-portal-search" in html
    page = open_page("ke-hoach/", {"width": 375, "height": 812}).page
    sections = "as => as.map(a => [a.getAttribute('href'), a.textContent.trim()])"
    tabs = page.locator(".md-tabs__link").evaluate_all(sections)
    assert len(tabs) == 12
    page.click("label.md-header__button[for='__drawer']")
    drawer = page.locator(".md-sidebar--primary .md-nav__link")
    drawer.last.wait_for(state="visible")
    assert drawer.evaluate_all(sections) == tabs
    assert page.locator(".md-sidebar--primary .md-nav__link--active").inner_text() == "Kế hoạch"
    drawer.nth(1).click()
    page.wait_for_url("**/tinh/")
    # the search box, written by its script, searches
    page.click("label.md-header__button[for='__search']")
    page.locator(".md-search__input").press_sequentially("so noi vu", delay=20)
    page.wait_for_selector(".md-search-result__item", timeout=20_000)


def test_the_finders_shards_are_stored_compressed(site_dir):
    """The finder's shards (59 MB of JSON on a national site) are gzip files, unpacked in the browser; the
    manifest names them and gives their sizes as stored (what a view downloads)."""
    finder = site_dir / "data" / "finder"
    manifest = json.loads((finder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["shards"]
    assert sorted(p.name for p in finder.glob("*.json")) == ["manifest.json"]
    for s in manifest["shards"]:
        for i, kind in enumerate(("rows", "index")):
            f = finder / s[kind]
            assert f.name.endswith(".json.gz") and s["gz"][i] == f.stat().st_size
            assert f.read_bytes()[4:8] == b"\0\0\0\0", "no time in the header: same content, same bytes"
            value = json.loads(gzip.decompress(f.read_bytes()).decode("utf-8"))
            if kind == "rows":
                assert len(value["rows"]) == s["n"]


@pytest.mark.parametrize("host", HOSTS)
def test_the_finder_answers_from_its_compressed_shards_on_either_kind_of_host(site_dir, browser_context, host):
    """A reader types into the finder; its shards are .json.gz files, unpacked by finder.js, or already unpacked by
    the browser when the host sends them with Content-Encoding: gzip."""
    server, url = serve_as(site_dir, host)
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(url + "tim-nhiem-vu/")
        box = page.locator("#finder-q")
        box.click()
        box.press_sequentially("so noi vu", delay=30)
        page.wait_for_function("() => document.querySelectorAll('#finder tr.task').length > 0", timeout=30_000)
        assert page.locator("#finder tr.task").count() > 0
    finally:
        page.close()
        server.shutdown()
    assert errors == []
