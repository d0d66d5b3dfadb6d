"""What makes a long page fast on a phone, asserted as structure (Lighthouse's timings are measured by
bench/audit.py, not here): no script holds up the page's first paint, and a phone draws only the task cards
near the screen, while every card stays reachable by scrolling and by its link (#t-...)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from conftest import FINDER_ROWS, finder_rows
from test_accessibility import PAGES

PHONE = {"width": 375, "height": 812}
PLAN = PAGES["plan"]
# the portal's own scripts (the finder's page loads its own engine in its content, finder.md.j2)
SCRIPT = re.compile(r"<script\b[^>]*\bsrc=\"[^\"]*assets/js/(?:search|source-lines|plan-parts)\.js\"[^>]*>")
BUNDLE = re.compile(r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js")


@pytest.mark.parametrize("kind", ["home", "plan", "source", "deadlines_province", "matrix", "about"])
def test_no_script_blocks_the_first_paint(site_dir, kind):
    html = (site_dir / PAGES[kind] / "index.html").read_text(encoding="utf-8")
    tags = SCRIPT.findall(html)
    assert len(tags) >= 3, tags                                   # the portal's three
    blocking = [t for t in tags if not re.search(r"\s(defer|async)[\s>=]", t)]
    assert not blocking, f"{kind}: parser-blocking scripts {blocking}"
    # Material's bundle is no script tag of the page: the loader names it, to start on the reader's first act
    assert BUNDLE.search(html), kind
    assert not re.search(r"<script\b[^>]*\bsrc=\"[^\"]*bundle\.", html), f"{kind}: Material's bundle loads with the page"


def test_materials_bundle_starts_when_the_reader_acts_and_then_works(open_page):
    """Material's bundle was most of a phone's blocking time on every page (Lighthouse); it only adds finish
    here (back-to-top, header title, the table of contents following the reader), so it is fetched on the
    reader's first act. Before that the page is complete and its own controls work; after it, Material's do."""
    watch = open_page(PLAN, PHONE)
    page = watch.page
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url) if BUNDLE.search(r.url) else None)
    page.wait_for_timeout(500)
    assert not requested and page.evaluate("typeof window.component$") == "undefined"
    # the page's own controls work before it: the drawer (a CSS toggle) opens on a tap
    page.mouse.wheel(0, 4000)
    page.wait_for_function("typeof window.component$ !== 'undefined'", timeout=10_000)
    assert len(requested) == 1
    # Material's back-to-top button shows when the reader scrolls back up
    page.wait_for_timeout(300)
    page.mouse.wheel(0, -600)
    page.wait_for_function("!document.querySelector('.md-top').hidden", timeout=10_000)
    assert not watch.page_errors and not watch.console_errors


# a card's content is drawn (not skipped by content-visibility: auto)
VISIBLE = "row => row.querySelector('.task-text').checkVisibility({contentVisibilityAuto: true})"


def test_a_phone_draws_only_the_task_cards_near_the_screen(open_page):
    page = open_page(PLAN, PHONE).page
    cards = page.locator("article tr.task")
    n = cards.count()
    assert n > 100
    drawn = cards.evaluate_all(f"rows => rows.filter({VISIBLE}).length")
    assert drawn < 15, f"{drawn} of {n} task cards drawn at load"
    last = cards.nth(n - 1)
    assert not last.evaluate(VISIBLE)
    # the reader scrolls there: it is drawn, in full, with its text
    last.scroll_into_view_if_needed()
    page.wait_for_timeout(200)
    assert last.evaluate(VISIBLE)
    box = last.bounding_box()
    assert box and box["height"] > 60 and last.locator(".task-text").inner_text().strip()


def test_a_link_to_the_last_task_lands_on_it_on_a_phone(open_page):
    first = open_page(PLAN, PHONE).page
    last_id = first.locator("article tr.task").last.get_attribute("id")
    page = open_page(f"{PLAN}#{last_id}", PHONE).page
    page.wait_for_timeout(300)
    top = page.evaluate(f"document.getElementById('{last_id}').getBoundingClientRect().top")
    assert 0 <= top < PHONE["height"], top


# the finder's table as it first reaches the screen: the rows one uninterrupted task appended
FIRST_ROWS = """(() => {
  window.__firstRows = null;
  new MutationObserver(function (_, obs) {
    var n = document.querySelectorAll('table.finder-results tbody tr').length;
    if (n && window.__firstRows === null) { window.__firstRows = n; obs.disconnect(); }
  }).observe(document, {childList: true, subtree: true});
})();"""


def test_the_finder_shows_a_first_page_of_rows_drawn_in_slices_and_the_rest_on_request(browser_context, site_url):
    """Drawing all of a view's rows (617 unfiltered, 9,800 elements) blocked a throttled phone's main thread for
    seconds (Lighthouse's blocking time on tim-nhiem-vu/). The finder shows its first 100 rows, the first few
    in one task and the rest in short slices; "Hiện thêm" adds the next ones after them, and takes a keyboard
    reader to the first row it added; the count and the CSV are of every row."""
    page = browser_context.new_page()
    try:
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.set_viewport_size(PHONE)
        page.add_init_script(FIRST_ROWS)
        page.goto(site_url + "tim-nhiem-vu/")
        page.wait_for_selector("#finder[data-ready='1']", timeout=30000)
        total = int(page.get_attribute(".finder-status", "data-count"))
        assert total > 200
        first = page.evaluate("window.__firstRows")
        assert first is not None and first <= 50, f"{first} of {total} rows appended in one task"
        rows = page.locator(FINDER_ROWS)
        assert rows.count() == 100
        more = page.locator("button.finder-more")
        assert more.is_visible() and f"còn {total - 100} dòng" in more.inner_text()
        first_ids = rows.evaluate_all("rows => rows.map(r => r.dataset.id)")
        more.click()
        # the rows it adds, then the finder ready again (its data-ready may still say 1 for a moment after the click).
        # Polled on a timer, not on animation frames (Playwright's default): once in CI the rows were not seen
        # within 30 s and nothing said why, so a timeout now reports what the page held.
        try:
            page.wait_for_function("n => document.querySelectorAll('table.finder-results tbody tr').length >= n",
                                   arg=200, timeout=30000, polling=100)
        except PlaywrightTimeout:
            state = page.evaluate("""() => ({rows: document.querySelectorAll('table.finder-results tbody tr').length,
              ready: document.getElementById('finder').getAttribute('data-ready'),
              status: document.querySelector('.finder-status').textContent,
              more: document.querySelector('button.finder-more').textContent,
              renders: (window.finderStats || {}).renders, visibility: document.visibilityState})""")
            raise AssertionError(f"“Hiện thêm” did not add its rows within 30 s: {state}; page errors {errors}") from None
        page.wait_for_selector("#finder[data-ready='1']", timeout=30000)
        assert rows.count() == 200
        assert rows.evaluate_all("rows => rows.slice(0, 100).map(r => r.dataset.id)") == first_ids   # kept, not redrawn
        assert page.evaluate("document.activeElement.closest('tr') === document.querySelectorAll('table.finder-results tbody tr')[100]")
        ids = finder_rows(page)
        assert len(ids) == total == len(set(ids))
        assert not more.is_visible()
    finally:
        page.close()
