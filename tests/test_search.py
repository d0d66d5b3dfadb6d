"""Site search (Material's, with the Vietnamese folding) and the assignment finder, driven in headless Chromium
on the built site. Expected finder counts are computed here from site/data/tasks.json."""
from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from generator.folding import index_terms, query_terms

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------- site search

def ui_search(open_page, query: str) -> tuple[str, list[str]]:
    """Open the site with ?q= as a reader's shared link would; the result count line and the pages listed."""
    from urllib.parse import quote
    watch = open_page("?q=" + quote(query))
    page = watch.page
    page.wait_for_function("""() => { const m = document.querySelector('.md-search-result__meta');
        return m && m.textContent.trim() && !/Initializing|Đang khởi tạo/.test(m.textContent) }""", timeout=60000)
    meta = page.inner_text(".md-search-result__meta")
    hrefs = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.getAttribute('href').split('?')[0])")
    titles = page.eval_on_selector_all(".md-search-result__item > a h1", "els => els.map(e => e.textContent)")
    assert not watch.page_errors and not watch.foreign_requests, (watch.page_errors, watch.foreign_requests)
    return meta, hrefs, titles


WORKER_QUERY = """async (queries) => {
  const config = JSON.parse(document.getElementById("__config").textContent);
  const base = new URL(config.base + "/", location.href);
  const worker = new Worker(new URL(config.search, location.href));
  const index = await (await fetch(new URL("search/search_index.json", base))).json();
  const replies = [];
  const next = () => new Promise(resolve => worker.addEventListener("message", ev => resolve(ev.data), { once: true }));
  worker.postMessage({ type: 0, data: { ...index, options: { suggest: false } } });
  await next();
  for (const q of queries) {
    worker.postMessage({ type: 2, data: q });
    const reply = await next();
    replies.push([...new Set(reply.data.items.map(group => group[0].location.split("#")[0]))].sort());
  }
  worker.terminate();
  return replies;
}"""


def worker_pages(open_page, queries: list[str]) -> list[list[str]]:
    """Every page Material's own (patched) search worker returns for each query, not only the first screen."""
    watch = open_page("")
    return watch.page.evaluate(WORKER_QUERY, queries)


PAIRS = [["Sở Nội vụ", "so noi vu", "SO NOI VU", unicodedata.normalize("NFD", "Sở Nội vụ")],
         ["Đài Phát thanh", "dai phat thanh"],
         ["UBND", "ủy ban nhân dân", "Uỷ ban nhân dân"],
         ["TTHC", "thủ tục hành chính"], ["CCHC", "cải cách hành chính"], ["VP UBND", "Văn phòng Ủy ban nhân dân"]]


@pytest.mark.parametrize("group", PAIRS, ids=lambda g: g[1])
def test_site_search_finds_same_pages_with_or_without_diacritics(open_page, group):
    shown = [ui_search(open_page, q) for q in group[:2]]     # on screen for two; the worker's full answer for all
    first_meta, first_hrefs, _ = shown[0]
    assert first_hrefs, f"{group[0]!r} found nothing"
    for q, (meta, hrefs, _) in zip(group[1:], shown[1:]):
        assert (meta, hrefs) == (first_meta, first_hrefs), q
    everything = worker_pages(open_page, group)
    assert everything[0], group[0]
    for q, pages in zip(group[1:], everything[1:]):
        assert pages == everything[0], q


def test_site_search_shows_text_as_written_and_keeps_plan_pages(open_page):
    meta, hrefs, titles = ui_search(open_page, "so noi vu")
    assert any("Sở Nội vụ" in t for t in titles), titles
    pages = worker_pages(open_page, ["so noi vu", "Khu hành chính cấp tỉnh"])
    assert any(p.startswith("ke-hoach/") and "van-ban-goc" not in p for p in pages[0]), pages[0]
    assert "ke-hoach/quang-tri-ke-hoach-cchc-2022/" in pages[1]


def test_text_that_reached_the_source_in_nfd_is_found_by_an_nfc_query(open_page, site_dir):
    # Quảng Trị's source has lines in decomposed Unicode; task ii-7-b5 comes from line 98.
    source = (ROOT / "content/sources/quang-tri-ke-hoach-cchc-2022.txt").read_text(encoding="utf-8").splitlines()
    assert unicodedata.normalize("NFC", source[97]) != source[97], "line 98 is expected to be NFD in the source"
    query = unicodedata.normalize("NFC", "khả thi Khu hành chính tập trung")
    assert "ke-hoach/quang-tri-ke-hoach-cchc-2022/" in worker_pages(open_page, [query])[0]
    ids = finder_ids(open_page, "tim-nhiem-vu/?tu-khoa=" + query)
    assert "quang-tri-ke-hoach-cchc-2022/ii-7-b5" in ids


# ---------------------------------------------------------------- finder: expected values from tasks.json

@pytest.fixture(scope="module")
def data(site_dir):
    tasks = json.loads((site_dir / "data/tasks.json").read_text(encoding="utf-8"))
    criteria = json.loads((site_dir / "data/criteria.json").read_text(encoding="utf-8"))
    parent = {c["code"]: c["parent"] for c in criteria["criteria"]}
    for t in tasks:
        chain = set()
        for code in t["criteria"]:
            while code:
                chain.add(code)
                code = parent.get(code)
        t["_criteria"] = chain
        names = [x for m in zip(t["lead"] + t["support"], t["lead_written"] + t["support_written"]) for x in dict.fromkeys(m)]
        t["_terms"] = index_terms(" ".join([t["ref"] or "", t["text"], t["output"] or "", *names]))
    return tasks


def expected(tasks: list[dict], f: dict) -> list[dict]:
    out = []
    words = query_terms(f.get("q", ""))
    for t in tasks:
        if any(not any(term.startswith(w) for term in t["_terms"]) for w in words):
            continue
        if f.get("tinh") and t["province"] != f["tinh"]:
            continue
        agency, role = f.get("co-quan"), f.get("vai-tro")
        if agency:
            ids = (t["lead_ids"] if role in (None, "lead") else []) + (t["support_ids"] if role in (None, "support") else [])
            if agency not in ids:
                continue
        elif role and not (t["lead"] if role == "lead" else t["support"]):
            continue
        if f.get("linh-vuc") and str(t["field"] if t["field"] is not None else "none") != f["linh-vuc"]:
            continue
        if f.get("tieu-chi") and f["tieu-chi"] not in t["_criteria"]:
            continue
        if f.get("nam") and (t["due"][:4] if t["due"] else "none") != f["nam"]:
            continue
        out.append(t)
    return out


def open_finder(open_page, path: str):
    watch = open_page(path)
    watch.page.wait_for_selector("#finder[data-ready='1']", timeout=30000)
    return watch


def finder_ids(open_page, path: str) -> list[str]:
    page = open_finder(open_page, path).page
    return page.eval_on_selector_all("table.finder-results tbody tr", "rows => rows.map(r => r.dataset.id)")


COMBINATIONS = [
    {},
    {"tinh": "quang-binh"},
    {"co-quan": "so-tai-chinh", "vai-tro": "lead"},
    {"co-quan": "so-noi-vu", "nam": "2021"},
    {"co-quan": "so-noi-vu", "vai-tro": "support", "tinh": "binh-dinh"},
    {"linh-vuc": "3", "tinh": "quang-ninh"},
    {"linh-vuc": "none"},
    {"tieu-chi": "3.2"},
    {"nam": "none", "vai-tro": "support"},
    {"q": "so noi vu"},
    {"q": "Sở Nội vụ"},
    {"q": "UBND", "nam": "2021"},
    {"q": "ủy ban nhân dân", "nam": "2021"},
    {"q": "dich vu cong truc tuyen", "tinh": "quang-binh"},
    {"q": "cai cach", "co-quan": "van-phong-ubnd-tinh"},
]


@pytest.mark.parametrize("combo", COMBINATIONS, ids=lambda c: "&".join(f"{k}={v}" for k, v in c.items()) or "all")
def test_finder_counts_equal_counts_from_tasks_json(open_page, data, combo):
    from urllib.parse import urlencode
    watch = open_finder(open_page, "tim-nhiem-vu/?" + urlencode({("tu-khoa" if k == "q" else k): v for k, v in combo.items()}))
    page = watch.page
    want = expected(data, combo)
    assert int(page.get_attribute(".finder-status", "data-count")) == len(want)
    ids = page.eval_on_selector_all("table.finder-results tbody tr", "rows => rows.map(r => r.dataset.id)")
    assert sorted(ids) == sorted(t["id"] for t in want)
    # the count beside each facet value is what choosing that value would give
    checked = 0
    for facet in ("tinh", "co-quan", "vai-tro", "linh-vuc", "tieu-chi", "nam"):
        for option in page.query_selector_all(f"#finder-{facet} option[data-count]"):
            value = option.get_attribute("value")
            assert int(option.get_attribute("data-count")) == len(expected(data, dict(combo, **{facet: value}))), (facet, value)
            checked += 1
    assert checked >= 10
    assert not watch.page_errors and not watch.console_errors and not watch.foreign_requests


def test_finder_links_each_task_to_its_anchor(open_page, site_dir):
    page = open_finder(open_page, "tim-nhiem-vu/?tinh=quang-tri").page
    link = page.query_selector("table.finder-results tbody tr td.ref a")
    href = link.get_attribute("href")
    plan_url, anchor = href.split("#")
    html = (site_dir / Path(plan_url.replace("../", "")) / "index.html").read_text(encoding="utf-8")
    assert f'id="{anchor}"' in html
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith("#" + anchor)


def test_finder_view_is_in_the_address_and_a_shared_link_reopens_it(open_page):
    watch = open_finder(open_page, "tim-nhiem-vu/")
    page = watch.page
    page.select_option("#finder-co-quan", "so-noi-vu")
    page.wait_for_selector("#finder[data-ready='1']")
    page.select_option("#finder-vai-tro", "lead")
    page.wait_for_selector("#finder[data-ready='1']")
    page.fill("#finder-q", "cai cach")
    page.press("#finder-q", "Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).get('tu-khoa') === 'cai cach'")
    page.wait_for_selector("#finder[data-ready='1']")
    shared = page.url
    assert parse_qs(urlsplit(shared).query) == {"tu-khoa": ["cai cach"], "co-quan": ["so-noi-vu"], "vai-tro": ["lead"]}
    view = lambda p: (p.input_value("#finder-q"), p.input_value("#finder-co-quan"), p.input_value("#finder-vai-tro"),
                      p.get_attribute(".finder-status", "data-count"),
                      p.eval_on_selector_all("table.finder-results tbody tr", "rows => rows.map(r => r.dataset.id)"))
    before = view(page)
    assert int(before[3]) > 0
    again = open_finder(open_page, shared.split("/", 3)[3]).page
    assert view(again) == before


def test_old_links_with_q_still_open_the_finder_view(open_page):
    ids = finder_ids(open_page, "tim-nhiem-vu/?q=so+noi+vu")
    assert ids and sorted(ids) == sorted(finder_ids(open_page, "tim-nhiem-vu/?tu-khoa=so+noi+vu"))


def test_finder_address_does_not_open_materials_search_dialog(open_page):
    page = open_finder(open_page, "tim-nhiem-vu/?tu-khoa=dich+vu+cong").page
    assert not page.is_checked("#__search")


def test_home_search_form_opens_the_finder_with_the_query(open_page):
    page = open_page("").page
    page.fill("#home-q", "so noi vu")
    page.press("#home-q", "Enter")
    page.wait_for_selector("#finder[data-ready='1']", timeout=30000)
    assert page.input_value("#finder-q") == "so noi vu"
    assert int(page.get_attribute(".finder-status", "data-count")) > 0


def test_csv_download_holds_exactly_the_rows_shown(open_page, data):
    page = open_finder(open_page, "tim-nhiem-vu/?co-quan=so-noi-vu&nam=2021").page
    shown = page.eval_on_selector_all("table.finder-results tbody tr", "rows => rows.map(r => r.dataset.id)")
    assert shown
    with page.expect_download() as info:
        page.click(".finder-download")
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["id"] for r in rows] == shown
    by_id = {t["id"]: t for t in data}
    for r in rows:
        t = by_id[r["id"]]
        assert r["nhiem_vu"] == t["text"] and r["han"] == (t["due"] or "")
        assert r["url"].endswith("/" + t["url"])


def test_finder_loads_only_what_a_scoped_query_needs(open_page, site_dir):
    manifest = json.loads((site_dir / "data/finder/manifest.json").read_text(encoding="utf-8"))
    page = open_finder(open_page, "tim-nhiem-vu/?tinh=quang-ninh").page
    files = [f["url"].rsplit("/", 1)[1] for f in page.evaluate("window.finderStats.files")]
    shard = next(s for s in manifest["shards"] if manifest["provinces"][s["province"]][0] == "quang-ninh")
    assert files == ["manifest.json", shard["rows"]]              # no other province, no text index
    page = open_finder(open_page, "tim-nhiem-vu/?tinh=quang-ninh&tu-khoa=dich+vu+cong").page
    files = [f["url"].rsplit("/", 1)[1] for f in page.evaluate("window.finderStats.files")]
    assert sorted(files) == sorted(["manifest.json", shard["rows"], shard["index"]])


def page_with_budget_of_one_shard(open_page, site_dir):
    """A page of the site whose finder manifest is served with its budget cut to one shard (the real data
    then behaves as a national corpus does); go to the finder from it with page.goto."""
    manifest = json.loads((site_dir / "data/finder/manifest.json").read_text(encoding="utf-8"))
    manifest["budget"] = 1
    page = open_page("gioi-thieu/").page
    page.route("**/data/finder/manifest.json", lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps(manifest)))
    return page, manifest


def test_finder_stops_at_its_budget_and_loads_more_on_request(open_page, data, site_dir):
    """A query by facets only loads its budget's worth of shards, then waits for the reader; here the budget is
    cut to one shard (the manifest is served with budget 1) to drive "Tải tiếp" and "Tải hết" on the real data."""
    page, manifest = page_with_budget_of_one_shard(open_page, site_dir)
    page.goto(page.url.replace("gioi-thieu/", "tim-nhiem-vu/?co-quan=so-noi-vu"))
    page.wait_for_selector("#finder[data-ready='1']")
    shards = [s for s in manifest["shards"] if s["agency"].get(str([a[0] for a in manifest["agencies"]].index("so-noi-vu")))]
    assert len(shards) > 2
    assert page.get_attribute(".finder-status", "data-complete") == "0"
    assert len(page.evaluate("window.finderStats.files")) == 2          # the manifest and one shard
    want = expected(data, {"co-quan": "so-noi-vu"})
    first = int(page.get_attribute(".finder-status", "data-count"))
    assert 0 < first < len(want)
    page.click(".finder-load-next")
    page.wait_for_function(f"() => window.finderStats.files.length === 3 && document.querySelector('#finder').dataset.ready === '1'")
    assert first < int(page.get_attribute(".finder-status", "data-count")) < len(want)
    page.click(".finder-load-all")
    page.wait_for_selector(".finder-status[data-complete='1']")
    assert int(page.get_attribute(".finder-status", "data-count")) == len(want)
    assert len(page.evaluate("window.finderStats.files")) == 1 + len(shards)


def test_finder_text_query_shows_its_first_budget_then_fills_in_the_rest(open_page, data, site_dir):
    """A query with words shows the results of its budget's worth of shards first, then the rest fill in as
    they arrive. Here the budget is cut to one shard (the manifest is served with budget 1)."""
    page, manifest = page_with_budget_of_one_shard(open_page, site_dir)
    page.goto(page.url.replace("gioi-thieu/", "tim-nhiem-vu/?tu-khoa=mot+cua"))
    page.wait_for_selector(".finder-status[data-complete='1']")
    assert page.evaluate("window.finderStats.filesAtFirstResult") <= 3      # the manifest, one shard and its text index
    assert int(page.get_attribute(".finder-status", "data-count")) == len(expected(data, {"q": "mot cua"}))
    assert len(page.evaluate("window.finderStats.files")) == 1 + 2 * len(manifest["shards"])
    assert page.is_hidden(".finder-stop") and page.is_hidden(".finder-load-next")


def test_finder_stops_filling_in_on_request_and_loads_more_when_asked(open_page, data, site_dir):
    """"Dừng tải" stops the filling in; "Tải tiếp" then loads another budget's worth, "Tải hết" the rest. The
    shards after the first are held back by the test until the reader has pressed stop."""
    page, manifest = page_with_budget_of_one_shard(open_page, site_dir)
    held, seen = [], []

    def hold(route):
        seen.append(route.request.url)
        if len(seen) == 1:
            route.continue_()
        else:
            held.append(route)
    page.route("**/data/finder/*.rows.*", hold)
    page.goto(page.url.replace("gioi-thieu/", "tim-nhiem-vu/?tu-khoa=mot+cua"))
    page.wait_for_function("() => window.finderStats.firstResultMs !== null")
    page.wait_for_selector(".finder-stop:not([hidden])")
    want = expected(data, {"q": "mot cua"})
    first = int(page.get_attribute(".finder-status", "data-count"))
    assert 0 < first < len(want)
    page.click(".finder-stop")
    page.unroute("**/data/finder/*.rows.*")
    for route in held:
        route.continue_()
    page.wait_for_selector("#finder[data-ready='1']")
    assert page.get_attribute(".finder-status", "data-complete") == "0"
    assert page.is_visible(".finder-load-next") and page.is_visible(".finder-load-all")
    partial = int(page.get_attribute(".finder-status", "data-count"))
    assert first <= partial < len(want)
    page.click(".finder-load-all")
    page.wait_for_selector(".finder-status[data-complete='1']")
    assert int(page.get_attribute(".finder-status", "data-count")) == len(want)