"""The portal as citizens and journalists use it: every page kind, in headless Chromium, at a desktop and a
phone width; what each page must show; the downloads, feeds and charts it offers; and that nothing is
fetched from another host.

The site under test is the one `make build` published (fixture ``site_dir``), served on 127.0.0.1.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import html.parser
import io
import json
import re
import shutil
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections import deque
from pathlib import Path

import pytest

from conftest import DESKTOP, PHONE, run_generator

PLAN = "ke-hoach/quang-binh-1886-kh-ubnd-2021/"

# page kind -> (path, text the H1 must contain)
PAGE_KINDS = {
    "home": ("", "Kế hoạch cải cách hành chính cấp tỉnh"),
    "provinces": ("tinh/", "Tỉnh, thành phố"),
    "province": ("tinh/quang-binh/", "Tỉnh Quảng Bình"),
    "plans": ("ke-hoach/", "Kế hoạch"),
    "plan": (PLAN, "1886/KH-UBND"),
    "source": (PLAN + "van-ban-goc/", "Văn bản gốc"),
    "fields": ("linh-vuc/", "Lĩnh vực và tiêu chí"),
    "field": ("linh-vuc/7/", "Lĩnh vực 7"),
    "criterion": ("tieu-chi/7.2.1/", "7.2.1"),
    "matrix": ("ma-tran/", "Ma trận"),
    "agencies": ("co-quan/", "Cơ quan"),
    "agency": ("co-quan/so-noi-vu/", "Sở Nội vụ"),
    "agency_province": ("co-quan/so-noi-vu/quang-binh/", "Sở Nội vụ — Quảng Bình"),
    "deadlines": ("han/", "Thời hạn"),
    "documents": ("van-ban/", "Văn bản được trích dẫn"),
    "document": ("van-ban/01-nq-tu-2021/", "01-NQ/TU"),
    "data": ("du-lieu/", "Dữ liệu mở"),
    "quality": ("chat-luong/", "Chất lượng dữ liệu"),
    "finder": ("tim-nhiem-vu/", "Tìm nhiệm vụ"),
    "about": ("gioi-thieu/", "Giới thiệu"),
}

# URL (site-relative) -> page kind, for the reachability crawl
KIND_PATTERNS = [
    ("home", r""),
    ("provinces", r"tinh/"),
    ("province", r"tinh/[^/]+/"),
    ("plans", r"ke-hoach/"),
    ("plan", r"ke-hoach/[^/]+/"),
    ("source", r"ke-hoach/[^/]+/van-ban-goc/"),
    ("fields", r"linh-vuc/"),
    ("field", r"linh-vuc/[^/]+/"),
    ("criterion", r"tieu-chi/[^/]+/"),
    ("matrix", r"ma-tran/"),
    ("agencies", r"co-quan/"),
    ("agency", r"co-quan/[^/]+/"),
    ("agency_province", r"co-quan/[^/]+/[^/]+/"),
    ("deadlines", r"han/"),
    ("documents", r"van-ban/"),
    ("document", r"van-ban/[^/]+/"),
    ("data", r"du-lieu/"),
    ("quality", r"chat-luong/"),
    ("finder", r"tim-nhiem-vu/"),
    ("about", r"gioi-thieu/"),
]

VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}


def kind_of(path: str) -> str | None:
    for kind, pattern in KIND_PATTERNS:
        if re.fullmatch(pattern, path):
            return kind
    return None


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as r:
        assert r.status == 200, url
        return r.read()


def download_csv(page, a) -> str:
    """The CSV a listing's button gives: made in the browser from the rows the page declares (issue 15)."""
    with page.expect_download() as info:
        a.click()
    path = info.value.path()
    assert info.value.suggested_filename.endswith(".csv")
    return Path(path).read_text(encoding="utf-8-sig")


def as_of_of(site_dir: Path) -> dt.date:
    """The build's declared date, as the deadlines page states it (d/M/yyyy)."""
    text = (site_dir / "han" / "index.html").read_text(encoding="utf-8")
    m = re.search(r"Tính đến ngày <strong>(\d{1,2})/(\d{1,2})/(\d{4})</strong>", text)
    assert m, "the deadlines page does not state its 'as of' date"
    d, mth, y = map(int, m.groups())
    return dt.date(y, mth, d)


# ---------------------------------------------------------------- every page kind, both widths

@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_page_kind_renders_cleanly_in_chromium(open_page, kind, viewport):
    path, heading = PAGE_KINDS[kind]
    w = open_page(path, VIEWPORTS[viewport])
    page = w.page
    assert page.evaluate("document.documentElement.lang") == "vi"
    h1 = page.locator("article h1, .md-content h1").first
    assert h1.is_visible(), f"{kind}: no visible H1"
    assert heading in h1.inner_text(), f"{kind}: H1 is {h1.inner_text()!r}"
    assert w.console_errors == [], f"{kind} {viewport}: console errors {w.console_errors}"
    assert w.page_errors == [], f"{kind} {viewport}: page errors {w.page_errors}"
    assert w.foreign_requests == [], f"{kind} {viewport}: requests to other hosts {w.foreign_requests}"
    # nothing wider than the screen: the reader never scrolls the whole page sideways
    # (wide tables scroll inside their own box)
    width = page.evaluate("document.documentElement.scrollWidth")
    if kind != "finder":   # the finder page belongs to the search work
        assert width <= VIEWPORTS[viewport]["width"], f"{kind} {viewport}: page is {width}px wide"


# ---------------------------------------------------------------- what each page must show

def test_plan_page_shows_metadata_and_permanent_task_anchor(open_page):
    w = open_page(PLAN + "#t-pl-1.3.1")
    page = w.page
    facts = page.locator("table.facts").inner_text()
    for expected in ("1886/KH-UBND", "10/9/2021", "Trần Thắng", "UBND tỉnh Quảng Bình", "Kế hoạch"):
        assert expected in facts, f"metadata table lacks {expected!r}: {facts}"
    row = page.locator("tr[id=\"t-pl-1.3.1\"]")
    assert row.count() == 1
    assert row.is_visible()
    assert "Tỷ lệ cơ quan chuyên môn" in row.inner_text()
    # lead linked to the agency in this province, deadline with its derived date, criterion linked, source lines
    assert row.locator("td:nth-child(3) a").first.get_attribute("href").endswith("co-quan/so-noi-vu/quang-binh/")
    assert "Quý III/2021" in row.locator("td:nth-child(5)").inner_text()
    assert "30/9/2021" in row.locator("td:nth-child(5)").inner_text()
    assert row.locator("td:nth-child(7) a", has_text="1.3.1").get_attribute("href").endswith("tieu-chi/1.3.1/")
    src = row.locator("a.source-link").get_attribute("href")
    assert "van-ban-goc/#L317-L325" in src
    # the row scrolled into view below the sticky header, highlighted
    top = row.evaluate("r => r.getBoundingClientRect().top")
    header = page.locator("header.md-header").evaluate("h => h.getBoundingClientRect().bottom")
    assert top >= header - 1, "the anchored task is hidden under the header"


def test_plan_page_on_a_phone_shows_each_task_as_a_labelled_card(open_page):
    w = open_page(PLAN + "#t-pl-1.3.1", PHONE)
    row = w.page.locator("tr[id=\"t-pl-1.3.1\"]")
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    lead = row.locator("td:nth-child(3)")
    assert lead.evaluate("td => getComputedStyle(td, '::before').content") == '"Chủ trì: "'
    box = row.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], "the task card is wider than the phone"
    # the written form of a renamed agency is shown as text on a phone, a tooltip on a desktop
    written = row.locator(".as-written").first
    assert written.is_visible() and "UBND các huyện, thị xã, thành phố" in written.inner_text()
    wide = open_page(PLAN + "#t-pl-1.3.1", DESKTOP)
    link = wide.page.locator("tr[id=\"t-pl-1.3.1\"] td:nth-child(4) a.differs").first
    assert "UBND các huyện, thị xã, thành phố" in link.get_attribute("title")
    assert not wide.page.locator("tr[id=\"t-pl-1.3.1\"] .as-written").first.is_visible()


def test_province_page_has_scores_chart_served_from_the_site_with_a_text_alternative(open_page, site_url):
    w = open_page("tinh/quang-binh/")
    page = w.page
    text = page.locator("article").inner_text()
    assert "82,33" in text, "scores are written with a decimal comma"
    assert "82.33" not in text
    charts = page.locator("figure.chart img")
    assert charts.count() == 2, "a scores chart and a tasks-per-field chart"
    for i in range(charts.count()):
        img = charts.nth(i)
        img.scroll_into_view_if_needed()      # lazy images load once near the viewport
        page.wait_for_function("i => i.complete && i.currentSrc", arg=img.element_handle())
        src = img.evaluate("i => i.currentSrc")
        assert src.startswith(site_url) and src.endswith(".svg")
        assert img.evaluate("i => i.complete && i.naturalWidth > 0"), f"{src} did not load"
        alt = img.get_attribute("alt")
        assert alt and len(alt) > 40
        svg = ET.fromstring(fetch(src))
        ns = {"s": "http://www.w3.org/2000/svg"}
        assert svg.find("s:title", ns) is not None and svg.find("s:desc", ns).text == alt
        # text kept as text (selectable, translatable), never fetched from elsewhere
        assert svg.findall(".//s:text", ns), f"{src}: labels were drawn as paths"
        assert not re.search(rb'(?:href|src)="https?://', fetch(src))
    scores_alt = charts.first.get_attribute("alt")
    assert "PAR INDEX năm 2020: 82,33 điểm, xếp hạng 50/63" in scores_alt
    # the same figures as a table next to the chart
    assert "50/63" in page.locator("table.scores").inner_text()
    field_table = page.locator("table.by-field").inner_text()
    assert "Cải cách thủ tục hành chính" in field_table


def test_province_page_names_successor_plans_agencies_and_objectives(open_page):
    page = open_page("tinh/quang-binh/").page
    text = page.locator("article").inner_text()
    assert "Sắp xếp đơn vị hành chính năm 2025" in text and "Quảng Trị" in text and "1/7/2025" in text
    assert page.locator("ol.top-agencies li").count() >= 3
    assert page.locator("ol.top-agencies li").first.inner_text().startswith("Sở Nội vụ")
    assert "Mục tiêu có chỉ tiêu số" in text
    assert page.locator(f'a[href$="{PLAN.split("/")[1]}/"]').count() >= 1
    # a province that was not merged has no such note
    assert "Sắp xếp đơn vị hành chính" not in open_page("tinh/quang-ninh/").page.locator("article").inner_text()


def test_criterion_page_answers_which_provinces_assigned_nothing(open_page, site_dir):
    tasks = json.loads((site_dir / "data" / "tasks.json").read_text(encoding="utf-8"))
    provinces = json.loads((site_dir / "data" / "plans.json").read_text(encoding="utf-8"))
    names = {p["province"]: p["province_name"] for p in provinces}
    with_tasks = {t["province"] for t in tasks if "7.2.1" in t["criteria"]}
    without = sorted(names[p] for p in names if p not in with_tasks)
    page = open_page("tieu-chi/7.2.1/").page
    if without:
        nothing = " ".join(page.locator("p.nothing, p.no-codes").all_inner_texts())
        for name in without:
            assert name in nothing
    # and the matrix marks the same cells empty, each cell a link
    m = open_page("ma-tran/").page
    row = m.locator("table.matrix tr", has=m.locator("th a", has_text=re.compile(r"^7\.2\.1$")))
    cells = row.locator("td")
    header = m.locator("table.matrix thead th").all_inner_texts()[1:]
    for i, name in enumerate(header):
        cell = cells.nth(i)
        assert cell.locator("a").count() == 1, f"matrix cell {name} × 7.2.1 is not a link"
        classes = (cell.get_attribute("class") or "").split()
        assert bool({"is-empty", "no-codes"} & set(classes)) == (name in without)


def test_deadlines_page_states_as_of_and_marks_past_due_not_failed(open_page, site_dir):
    as_of = as_of_of(site_dir)
    tasks = json.loads((site_dir / "data" / "tasks.json").read_text(encoding="utf-8"))
    ongoing = re.compile(r"thường xuyên|liên tục|năm tiếp theo|h[ằà]ng (năm|quý|tháng)|định kỳ", re.I)
    past = sum(1 for t in tasks if t["due"] and dt.date.fromisoformat(t["due"]) < as_of
               and t["deadline_kind"] not in ("recurring", "continuous") and not ongoing.search(t["deadline"]))
    summary = open_page("han/").page
    assert summary.locator(".as-of").is_visible()
    assert str(past) in summary.locator(".as-of").inner_text()
    # the national page counts by year and quarter (bounded size); each province's page lists the tasks
    assert summary.locator("tr#nam-2021").count() == 1 and summary.locator("td#nam-2021-quy-3").count() == 1
    province_pages = summary.locator("article table.stack th a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert len(province_pages) == 5
    badges = 0
    for href in province_pages:
        page = open_page("han/" + href.split("han/")[1]).page
        assert page.locator(".as-of").is_visible()
        badges += page.locator("table.tasks .badge.past-due").count()
        assert set(page.locator(".badge.past-due").all_inner_texts()) <= {"đã qua hạn"}
        body = page.locator("article").inner_text().lower()
        assert "thất bại" not in body and "không hoàn thành" not in body
    assert badges == past
    page = open_page("han/quang-binh/").page
    assert page.locator("h2#nam-2021").count() == 1
    assert page.locator("h3#nam-2021-quy-3").inner_text().startswith("Quý III/2021")


def test_dates_are_written_the_vietnamese_way(site_dir):
    text = (site_dir / PLAN / "index.html").read_text(encoding="utf-8")
    assert "10/9/2021" in text
    assert "2021-09-10" not in re.sub(r'(datetime|data-due)="[^"]*"', "", text)


# ---------------------------------------------------------------- downloads

LISTINGS = ["tinh/quang-binh/", PLAN, "co-quan/so-noi-vu/quang-binh/", "tieu-chi/7.2.1/quang-binh/", "linh-vuc/7/quang-binh/",
            "han/quang-ninh/", "co-quan/ubnd-cap-huyen/quang-ninh/", "co-quan/cac-so-ban-nganh/quang-binh/"]
# National pages count per province and link to each province's listing; their CSV holds every row.
SUMMARIES = ["tieu-chi/7.2.1/", "linh-vuc/7/", "tieu-chi/3.2.5/"]


@pytest.mark.parametrize("path", LISTINGS)
def test_every_csv_link_downloads_the_rows_listed(open_page, path):
    page = open_page(path).page
    links = page.locator("p.downloads a[download]")
    assert links.count() >= 1, f"{path} offers no CSV"
    # each task once, however many tables list it (a task an agency both leads and supports)
    # (the cross-province agency page lists, and downloads, the tasks the agency leads)
    listed = set(page.locator("table.tasks td:first-child a").evaluate_all("as => as.map(a => a.href)"))
    for i in range(links.count()):
        a = links.nth(i)
        rows = list(csv.DictReader(io.StringIO(download_csv(page, a))))
        assert len(rows) == int(a.get_attribute("data-rows")) == len(listed), (path, len(rows), len(listed))
        assert f"{len(rows)} dòng" in a.inner_text()
        # the rows are the page's, in the page's order (each task once)
        hrefs = page.locator("table.tasks td:first-child a").evaluate_all("as => as.map(a => a.href)")
        shown = list(dict.fromkeys("/".join(re.search(r"/ke-hoach/([^/]+)/(?:trang-\d+/)?#t-(.+)$", urllib.parse.unquote(h)).groups())
                                   for h in hrefs))
        assert [r["id"] for r in rows] == shown, path


@pytest.mark.parametrize("path", SUMMARIES)
def test_national_listing_counts_add_up_to_its_csv_and_its_province_pages(open_page, path):
    page = open_page(path).page
    a = page.locator("p.downloads a[download]").first
    rows = list(csv.DictReader(io.StringIO(download_csv(page, a))))
    links = page.locator("article table.stack td.num a").evaluate_all("as => as.map(a => [a.getAttribute('href'), a.innerText])")
    assert sum(int(text.split()[0]) for _, text in links) == len(rows) == int(a.get_attribute("data-rows"))
    for href, text in links:
        sub = open_page(path + href.split(path)[1]).page
        assert sub.locator("table.tasks tbody tr").count() == int(text.split()[0])


def test_open_data_page_lists_files_dictionary_and_licence(open_page, site_url):
    page = open_page("du-lieu/").page
    text = page.locator("article").inner_text()
    assert "CC0" in text and "Từ điển dữ liệu" in text
    for a in page.locator("article a[href*='data/']").evaluate_all("as => as.map(a => a.href)"):
        assert fetch(a), a


# ---------------------------------------------------------------- feeds

FEED_PAGES = ["tinh/quang-binh/", "co-quan/so-noi-vu/", "co-quan/so-noi-vu/quang-binh/"]


def tasks_of_feed(site_dir: Path, path: str) -> list[dict]:
    tasks = json.loads((site_dir / "data" / "tasks.json").read_text(encoding="utf-8"))
    parts = path.strip("/").split("/")
    if parts[0] == "tinh":
        return [t for t in tasks if t["province"] == parts[1]]
    agency = parts[1]
    # an agency's page in a province offers the agency kind's feed (all provinces) and the province's (issue 15)
    return [t for t in tasks if agency in t["lead_ids"] or agency in t["support_ids"]]


@pytest.mark.parametrize("path", FEED_PAGES)
def test_atom_feed_and_calendar_of_a_page_parse_and_hold_its_tasks(open_page, site_dir, path):
    from icalendar import Calendar
    page = open_page(path).page
    atom_href = page.locator(".follow a[type='application/atom+xml']").first.evaluate("a => a.href")
    ics_href = page.locator(".follow a[type='text/calendar']").first.evaluate("a => a.href")
    assert page.locator("link[rel='alternate feed'][type='application/atom+xml']").count() == 1
    expected = tasks_of_feed(site_dir, path)
    dated = [t for t in expected if t["due"]]

    feed = ET.fromstring(fetch(atom_href))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert len(entries) == len(expected)
    ids = [e.find("a:id", ns).text for e in entries]
    assert len(set(ids)) == len(ids)
    assert {i.rsplit(":", 1)[-1] for i in ids} == {t["id"] for t in expected}
    # entry links lead back to the task on its plan page
    first = entries[0].find("a:link", ns).get("href")
    resolved = urllib.parse.urljoin(atom_href, first)
    assert "#t-" in resolved and fetch(resolved.split("#")[0])

    cal = Calendar.from_ical(fetch(ics_href))
    events = cal.walk("VEVENT")
    assert len(events) == len(dated), "one event per task with a derived due date"
    by_uid = {str(e["UID"]): e for e in events}
    for t in dated:
        e = by_uid[f"{t['id']}@cchc-portal"]
        assert e.decoded("DTSTART") == dt.date.fromisoformat(t["due"])       # all-day, on the due date
        assert t["deadline"] in str(e["DESCRIPTION"])                        # the deadline as written


def test_feeds_are_deterministic(content_build, tmp_path):
    """Two renders of the same content with the same declared date give the same feed and chart bytes (the first:
    the run's shared build, `content_build`, made in another process)."""
    from conftest import CONTENT_AS_OF
    assert CONTENT_AS_OF == "2023-01-15"
    result = run_generator("render", "--quiet", "--docs", str(tmp_path / "b"), env={"PORTAL_AS_OF": CONTENT_AS_OF})
    assert result.returncode == 0, result.stderr
    a, b = content_build / "docs", tmp_path / "b"
    for rel in ("tinh/quang-binh/han.atom", "tinh/quang-binh/han.ics", "co-quan/so-noi-vu/han.ics",
                "tinh/quang-binh/diem-so.svg", "tinh/quang-binh/linh-vuc.svg"):
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel
    assert b"DTSTAMP:20230115T000000Z" in (a / "tinh/quang-binh/han.ics").read_bytes()


# ---------------------------------------------------------------- status recorded by maintainers

def test_a_recorded_status_is_shown_with_its_evidence(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(Path(__file__).resolve().parent.parent / "content", content)
    plan = content / "plans" / "quang-binh-1886-kh-ubnd-2021.yml"
    text = plan.read_text(encoding="utf-8")
    anchor = "- id: pl-1.3.1\n"
    assert anchor in text
    before, after = text.split(anchor, 1)
    after = after.replace("  note: null\n", "  note: null\n  status: {state: done, evidence: 'Báo cáo kiểm tra CCHC quý III/2021 của Sở Nội vụ', as_of: 2021-12-20}\n", 1)
    plan.write_text(before + anchor + after, encoding="utf-8")
    result = run_generator("--content", str(content), "render", "--quiet", "--docs", str(tmp_path / "docs"))
    assert result.returncode == 0, result.stderr
    md = (tmp_path / "docs" / PLAN / "index.md").read_text(encoding="utf-8")
    row = re.search(r'<tr id="t-pl-1\.3\.1".*?</tr>', md, re.S).group(0)
    assert "has-status" in row and "Đã hoàn thành" in row and "20/12/2021" in row
    assert "Báo cáo kiểm tra CCHC quý III/2021 của Sở Nội vụ" in row


# ---------------------------------------------------------------- reachability and other hosts

class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.resources: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        for attr in ("src", "srcset", "poster", "data"):
            if a.get(attr):
                self.resources.append((tag, a[attr]))
        if tag == "link" and a.get("href"):
            rel = (a.get("rel") or "").split()
            if {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest", "preconnect", "dns-prefetch"} & set(rel):
                self.resources.append((tag, a["href"]))


@functools.cache                  # the built site is read only: each page parsed once per worker, by whichever test
def parse(file: Path) -> Links:
    p = Links()
    p.feed(file.read_text(encoding="utf-8"))
    return p


def test_every_page_kind_is_within_three_clicks_of_home(site_dir):
    seen = {"": 0}
    queue = deque([""])
    found: dict[str, str] = {"home": ""}
    while queue:
        url = queue.popleft()
        depth = seen[url]
        if depth == 3:
            continue
        file = site_dir / url / "index.html"
        if not file.exists():
            continue
        for href in parse(file).hrefs:
            target = urllib.parse.urljoin("http://site/" + url, href)
            if not target.startswith("http://site/"):
                continue
            path = urllib.parse.urlparse(target).path.lstrip("/")
            if path.endswith("index.html"):
                path = path[: -len("index.html")]
            if path in seen or not (path == "" or path.endswith("/")):
                continue
            seen[path] = depth + 1
            queue.append(path)
            kind = kind_of(path)
            if kind and kind not in found:
                found[kind] = path
    missing = sorted(set(PAGE_KINDS) - set(found))
    assert not missing, f"not reachable in 3 clicks from the home page: {missing}"


def test_built_pages_load_nothing_from_another_host(site_dir):
    offenders = []
    for file in sorted(site_dir.rglob("*.html")):
        for tag, url in parse(file).resources:
            if re.match(r"(https?:)?//", url):
                offenders.append(f"{file.relative_to(site_dir)}: <{tag}> {url}")
    for file in sorted(site_dir.rglob("*.css")):
        for url in re.findall(r"(?:url\(\s*['\"]?|@import\s+['\"])((?:https?:)?//[^'\")\s]+)", file.read_text(encoding="utf-8", errors="replace")):
            offenders.append(f"{file.relative_to(site_dir)}: {url}")
    for file in sorted(site_dir.rglob("*.svg")):
        if re.search(rb'(?:href|src)="(?:https?:)?//', file.read_bytes()):
            offenders.append(f"{file.relative_to(site_dir)}: external reference")
    assert not offenders, "\n".join(offenders[:20])
    # Material's fonts are off: no Google Fonts stylesheet in any page
    assert "fonts.googleapis.com" not in (site_dir / "index.html").read_text(encoding="utf-8")
