"""Past due means a fixed date the text gives has passed; a recurring or continuous deadline ("Trong năm 2021 và
các năm tiếp theo", "Thường xuyên", "Hằng năm") has no last date and is never marked "đã qua hạn"."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from test_pages import as_of_of

ONGOING = re.compile(r"thường xuyên|liên tục|các năm tiếp theo|h[ằà]ng năm", re.I)


def _deadline_rows(page) -> list[list]:
    """Each task row of a page as [deadline text, due date (ISO) or None, has the past-due badge]. A compact row
    (a listing) writes the deadline as the first text of its fifth cell, a full row (a plan) in .deadline-text."""
    return page.locator("table.tasks tbody tr.task").evaluate_all(
        """rs => rs.map(r => [r.querySelector('.deadline-text') ? r.querySelector('.deadline-text').innerText
                                : r.cells[4].firstChild ? r.cells[4].firstChild.textContent : '',
                              r.querySelector('td > time') ? r.querySelector('td > time').getAttribute('datetime') : null,
                              !!r.querySelector('.badge.past-due')])""")


@pytest.mark.parametrize("path", ["linh-vuc/7/quang-binh/", "han/quang-binh/", "ke-hoach/quang-binh-1886-kh-ubnd-2021/"])
def test_recurring_and_continuous_deadlines_are_never_past_due(open_page, site_dir, path):
    as_of = as_of_of(site_dir)
    page = open_page(path).page
    rows = _deadline_rows(page)
    ongoing_dated = [r for r in rows if ONGOING.search(r[0]) and r[1] and dt.date.fromisoformat(r[1]) < as_of]
    assert ongoing_dated, f"{path}: no recurring deadline with a passed first date to check"
    for text, _due, badge in ongoing_dated:
        assert not badge, f"{path}: '{text}' is marked past due"
    fixed_passed = [r for r in rows if not ONGOING.search(r[0]) and r[1] and dt.date.fromisoformat(r[1]) < as_of]
    for text, _due, badge in fixed_passed:
        assert badge, f"{path}: fixed date '{text}' passed but not marked"


@pytest.mark.parametrize("path", ["han/binh-dinh/", "ke-hoach/binh-dinh-3809-qd-ubnd-2021/"])
def test_a_fixed_date_that_has_passed_is_marked_past_due(open_page, site_dir, path):
    """Bình Định's appendix gives fixed dates ("Quý IV/2021", "Năm 2022"): each passed one carries the badge."""
    as_of = as_of_of(site_dir)
    page = open_page(path).page
    rows = _deadline_rows(page)
    fixed_passed = [r for r in rows if not ONGOING.search(r[0]) and r[1] and dt.date.fromisoformat(r[1]) < as_of]
    assert fixed_passed, f"{path}: no fixed date that has passed"
    for text, _due, badge in fixed_passed:
        assert badge, f"{path}: fixed date '{text}' passed but not marked"
