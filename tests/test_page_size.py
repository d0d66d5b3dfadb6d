"""No published page above 2 MB, whatever the content (issue 11, item 15), and every listing's pages, CSV and
button agree at every size (issue 15).

One synthetic plan as large as validation accepts (a YAML file just under load.MAX_FILE_BYTES): thousands of
ordinary tasks (bench/scale.py's) in one province, so that its listings pass the feed cap and the page-split
thresholds, and a section of tasks whose text is as long as the schema allows and made of characters that HTML
escaping multiplies (a page of such rows would be tens of MB). One real build, shared by the assertions.

The plan and its build: tests/largest_plan.py (conftest.largest_plan_site, shared with test_publish.py).
"""
from __future__ import annotations

import csv
import functools
import io
import re
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urljoin

import pytest

MAX_PAGE = 2 * 1024 * 1024


# a full row (plan pages) or a listing's compact row (issue 15)
ROW_REF = re.compile(r'<tr(?: id="([^"]+)")? class="task[^"]*"><td(?: class="ref")?(?: data-label="Mục")?><a href="([^"]+)"')
# a listing's download (issue 15): made in the browser from the rows the page declares (DECLARED)
BUTTON = re.compile(r'<a class="md-button listing-csv" href="([^"]+)" download data-rows="(\d+)"[^>]*>Tải (\d+) dòng \(CSV\)</a>')
DECLARED = re.compile(r'<script type="application/json" id="csv-rows">(.*?)</script>', re.S)


def page_url(site: Path, path: Path) -> str:
    return "/" + path.parent.relative_to(site).as_posix() + "/" if path.parent != site else "/"


@functools.cache
def read_pages(site: Path) -> dict[str, str]:
    """Every page of the built site by its url (read once per module run: the tests only read them)."""
    return {page_url(site, p): p.read_text(encoding="utf-8") for p in site.rglob("index.html")}


@pytest.fixture
def largest(largest_plan_site):
    return largest_plan_site


def test_a_plan_at_the_validation_limit_builds_with_no_page_above_2_mb(largest):
    facts, site = largest
    assert facts["tasks"] > 5_000
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html")}
    biggest = max(sizes.items(), key=lambda kv: kv[1])
    assert biggest[1] <= MAX_PAGE, biggest


def test_every_task_is_on_exactly_one_page_of_its_plan_under_its_anchor(largest):
    import json
    facts, site = largest
    tasks = json.loads((site / "data" / "tasks.json").read_text(encoding="utf-8"))
    assert len(tasks) == facts["tasks"]
    plan = f"/ke-hoach/{facts['plan']}/"
    pages = {url: text for url, text in read_pages(site).items() if re.fullmatch(re.escape(plan) + r"(trang-\d+/)?", url)}
    assert len(pages) >= facts["tasks"] / 500 + 1            # split by count, and more by size (the long rows)
    anchors: dict[str, list[str]] = defaultdict(list)
    for url, text in pages.items():
        for anchor, _href in ROW_REF.findall(text):
            if anchor:
                anchors[anchor].append(url)
    assert all(len(v) == 1 for v in anchors.values()), [k for k, v in anchors.items() if len(v) > 1][:5]
    for t in tasks:                               # the task's permanent address names the page that holds it
        page, anchor = t["url"].split("#")
        assert anchors.get(anchor) == ["/" + page], (t["url"], anchors.get(anchor))
    # every link to a task's anchor, on any page, leads to the page that holds it
    where = {a: urls[0] for a, urls in anchors.items()}
    for url, text in read_pages(site).items():
        for href in re.findall(r'href="([^"#]*)#(t-[^"]+)"', text):
            target = urljoin(url, href[0]) if href[0] else url
            assert where.get(href[1]) == target, (url, href)


def test_source_lines_are_split_too_and_each_line_link_reaches_its_line(largest):
    facts, site = largest
    base = f"/ke-hoach/{facts['plan']}/van-ban-goc/"
    pages = {url: text for url, text in read_pages(site).items() if re.fullmatch(re.escape(base) + r"(trang-\d+/)?", url)}
    assert len(pages) > 1
    lines = {}
    for url, text in pages.items():
        for n in re.findall(r'<div class="line[^"]*" id="L(\d+)"', text):
            assert n not in lines, n
            lines[n] = url
    numbers = sorted(map(int, lines))             # every line of the file, each once
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) >= len(facts["source"].read_text(encoding="utf-8").rstrip("\n").split("\n"))
    for url, text in read_pages(site).items():
        for href, n in re.findall(r'href="([^"#]*van-ban-goc/(?:trang-\d+/)?)#L(\d+)(?:-L\d+)?"', text):
            assert lines[n] == urljoin(url, href), (url, href, n)


@functools.cache
def province_csv(site: Path, pid: str) -> dict[str, dict]:
    """A province's CSV file (data/csv/tinh/<province>.csv), its rows by id: read once, not once per listing."""
    return {r["id"]: r for r in csv.DictReader(io.StringIO((site / "data" / "csv" / "tinh" / f"{pid}.csv").read_text(encoding="utf-8-sig")))}


def csv_rows(site: Path, pages: dict[str, str], page: str) -> list[dict]:
    """The CSV a listing page's button gives, made as assets/js/listing-csv.js makes it: the rows the page declares
    (a national page: its parts'), each its line in its province's CSV, with the listing's role and via_group."""
    import json
    d = json.loads(DECLARED.search(pages[page]).group(1))
    if "parts" in d:
        return [r for part in d["parts"] for r in csv_rows(site, pages, "/" + part)]
    files = [province_csv(site, pid) for pid in d["provinces"]]
    out = []
    for r in d["rows"]:
        province, plan = d["plans"][r[0]]
        row = dict(files[province][f"{plan}/{r[1]}"])
        row["role"] = d["roles"][r[2]] if len(r) > 2 else ""
        row["via_group"] = d["via"][r[3]] if len(r) > 3 else ""
        out.append(row)
    return out


def test_every_listing_lists_its_csv_rows_and_its_button_counts_them(largest):
    """Grouped by the CSV their button downloads, a listing's pages (the first and its trang-2/, ..., a province's
    deadline pages per year) together show exactly the CSV's tasks; every button says how many rows it holds."""
    facts, site = largest
    pages = read_pages(site)
    by_csv: dict[str, list[str]] = defaultdict(list)
    buttons = 0
    for url, text in pages.items():
        for _href, rows, label in BUTTON.findall(text):
            assert rows == label
            target = DECLARED.search(text).group(1)        # the listing's one declaration: the same on each of its pages
            by_csv[target].append(url)
            rows_in_csv = csv_rows(site, pages, url)
            assert int(rows) == len(rows_in_csv), (url, rows, len(rows_in_csv))
            buttons += 1
    assert buttons > 50
    checked = Counter()
    for target, urls in by_csv.items():
        rows = csv_rows(site, pages, urls[0])
        expected = Counter("/" + r["url"] for r in rows)
        assert all(v == 1 for v in expected.values()), target
        shown = Counter()
        for url in set(urls):
            for _anchor, href in ROW_REF.findall(pages[url]):
                shown[urljoin(url, href)] += 1
        if not shown:                 # a summary (an agency across provinces, a province above 300 tasks, a criterion)
            continue
        kind = urls[0].split("/")[1]
        if kind == "co-quan":         # a task led and supported is listed under both roles, one CSV row
            assert set(shown) == set(expected), target
            continue
        assert shown == expected, (target, len(shown), len(expected))
        checked[kind] += 1
        if len(expected) > 500:
            checked["above 500"] += 1
    assert {"ke-hoach", "han", "linh-vuc", "tieu-chi"} <= set(checked) and checked["above 500"] >= 3, checked


def test_an_agency_above_the_feed_cap_and_the_page_split_counts_every_row(largest):
    """Issue 15's report: co-quan/so-noi-vu/<province>/ said "Tải 500 dòng" while its CSV held 744 rows."""
    facts, site = largest
    pages = read_pages(site)
    base = next(u for u in pages if re.fullmatch(r"/co-quan/so-noi-vu/mau-[^/]+/", u))
    group = sorted(u for u in pages if u == base or re.fullmatch(re.escape(base) + r"trang-\d+/", u))
    assert len(group) >= 3
    (_href, rows, _label), = BUTTON.findall(pages[base])
    data = csv_rows(site, pages, base)
    assert int(rows) == len(data) > 500
    lead = sum(1 for r in data if "lead" in r["role"])
    assert f"<strong>{lead}</strong> nhiệm vụ chủ trì" in pages[base]
    shown = {urljoin(u, h) for u in group for _a, h in ROW_REF.findall(pages[u])}
    assert shown == {"/" + r["url"] for r in data}
    # the numbered links: every page links to every other, in Vietnamese, the current one marked
    for k, url in enumerate(sorted(group, key=lambda u: int(u.rsplit("trang-", 1)[1][:-1]) if "trang-" in u else 1), start=1):
        nav = re.search(r'<nav class="list-pages" aria-label="([^"]+)"><p>Trang: (.*?)</p></nav>', pages[url])
        assert nav and nav.group(1) == "Các trang của danh sách"
        assert f'<strong aria-current="page">{k}</strong>' in nav.group(2)
        assert len(re.findall(r'<a href="[^"]+" aria-label="Trang \d+">', nav.group(2))) == len(group) - 1
