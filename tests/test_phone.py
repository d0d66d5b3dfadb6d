"""On a phone (375 px) every listing reads without sideways scrolling, the finder's result cards are labelled like
the other task tables, and the matrix keeps its corner fixed while its body scrolls under it."""
from __future__ import annotations

import pytest

SMALL = {"width": 375, "height": 740}
LISTINGS = ["ke-hoach/", "tinh/", "co-quan/", "van-ban/", "tim-nhiem-vu/?tinh=quang-binh",
            "ke-hoach/quang-binh-1886-kh-ubnd-2021/", "co-quan/so-noi-vu/"]


def _ready(page, path):
    if path.startswith("tim-nhiem-vu/"):
        page.wait_for_selector("#finder[data-ready='1']")


@pytest.mark.parametrize("path", LISTINGS)
def test_listing_reads_at_375px_without_sideways_scrolling(open_page, path):
    page = open_page(path, SMALL).page
    _ready(page, path)
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth"), path
    # nor inside its tables: each table fits its box (a table wider than the phone scrolls sideways in its box)
    wide = page.locator("article .table-wrap").evaluate_all(
        "ws => ws.filter(w => w.scrollWidth > w.clientWidth + 1).map(w => [w.scrollWidth, w.clientWidth, w.querySelector('table').className])")
    assert not wide, (path, wide)


def test_plans_list_at_375px_keeps_the_title_readable(open_page):
    page = open_page("ke-hoach/", SMALL).page
    widths = page.locator("article table td[data-label='Trích yếu']").evaluate_all("tds => tds.map(td => td.getBoundingClientRect().width)")
    assert widths and min(widths) > 0.6 * 375, widths       # not one word per line
    label = page.locator("article table td[data-label='Trích yếu']").first.evaluate("td => getComputedStyle(td, '::before').content")
    assert "Trích yếu" in label


def test_finder_result_cards_on_a_phone_show_their_labels(open_page):
    page = open_page("tim-nhiem-vu/?tinh=quang-binh&tu-khoa=so+noi+vu", SMALL).page
    page.wait_for_selector("#finder[data-ready='1']")
    row = page.locator("table.finder-results tbody tr").first
    assert row.is_visible()
    labels = row.locator("td").evaluate_all("tds => tds.map(td => getComputedStyle(td, '::before').content)")
    shown = " ".join(labels)
    for label in ("Tỉnh", "Chủ trì", "Phối hợp", "Thời hạn"):
        assert f'"{label}: "' in shown or f"{label}:" in shown, labels
    # the row is a card, not a table row wider than the phone
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    assert row.evaluate("r => r.getBoundingClientRect().right <= innerWidth")


@pytest.mark.parametrize("viewport", [SMALL, {"width": 1280, "height": 800}])
def test_matrix_corner_stays_fixed_over_the_frozen_column_and_the_header(open_page, viewport):
    page = open_page("ma-tran/", viewport).page
    hit = page.evaluate("""() => {
        const w = document.querySelector('.matrix-wrap');
        w.scrollLeft = 400; w.scrollTop = 600;
        const c = document.querySelector('table.matrix thead th');
        const r = c.getBoundingClientRect(), wr = w.getBoundingClientRect();
        const e = document.elementFromPoint(r.left + 5, r.top + r.height / 2);
        return {left: r.left - wr.left, top: r.top - wr.top, corner: c.contains(e), scrolled: [w.scrollLeft, w.scrollTop]};
    }""")
    assert hit["scrolled"][1] > 0, hit
    assert abs(hit["left"]) < 1 and abs(hit["top"]) < 1, hit
    assert hit["corner"], hit          # nothing (a header cell, a row heading) is drawn over the corner
