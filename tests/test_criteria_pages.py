"""What the criterion pages, the matrix and the finder say about criteria is true: a parent criterion counts its
sub-criteria's tasks, and a plan that writes no criterion codes is said to write none, never to assign nothing."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest

from test_pages import download_csv


def _tasks(site_dir):
    return json.loads((site_dir / "data" / "tasks.json").read_text(encoding="utf-8"))


def _with_parents(codes, criteria):
    out = set()
    for c in codes:
        while c:
            out.add(c)
            c = criteria.get(c)
    return out


def _criteria(site_dir):
    data = json.loads((site_dir / "data" / "criteria.json").read_text(encoding="utf-8"))
    return {c["code"]: c["parent"] for c in data["criteria"]}


@pytest.mark.parametrize("code", ["7.2", "3.2"])
def test_a_parent_criterion_counts_its_sub_criteria_tasks_on_its_page_matrix_csv_and_finder(open_page, site_dir, code):
    parents = _criteria(site_dir)
    expected = [t for t in _tasks(site_dir) if code in _with_parents(t["criteria"], parents)]
    assert expected, code
    page = open_page(f"tieu-chi/{code}/").page
    counts = page.locator("article .counts").inner_text()
    assert re.search(rf"\b{len(expected)}\b\s+nhiệm vụ", counts), counts
    assert "tiêu chí thành phần" in page.locator("p.includes-children").inner_text()
    a = page.locator("p.downloads a[download]").first
    rows = list(csv.DictReader(io.StringIO(download_csv(page, a))))
    assert len(rows) == len(expected) == int(a.get_attribute("data-rows"))
    # the matrix: the Quảng Bình cell of the parent row holds the same number
    m = open_page("ma-tran/").page
    header = m.locator("table.matrix thead th").all_inner_texts()[1:]
    row = m.locator("table.matrix tr", has=m.locator("th a", has_text=re.compile(rf"^{re.escape(code)}$")))
    qb = header.index("Quảng Bình")
    assert row.locator("td").nth(qb).inner_text().strip() == str(len([t for t in expected if t["province"] == "quang-binh"]))
    # the finder, filtered by the parent, lists as many
    f = open_page(f"tim-nhiem-vu/?tieu-chi={code}").page
    f.wait_for_selector("#finder[data-ready='1']")
    assert int(f.locator(".finder-status").get_attribute("data-count")) == len(expected)
    assert "tiêu chí thành phần" in f.locator("label[for='finder-tieu-chi']").inner_text()


def test_a_plan_without_criterion_codes_is_never_said_to_assign_nothing(open_page, site_dir):
    tasks = _tasks(site_dir)
    plans = json.loads((site_dir / "data" / "plans.json").read_text(encoding="utf-8"))
    names = {p["province"]: p["province_name"] for p in plans}
    coded = {t["province"] for t in tasks if t["criteria"]}
    uncoded = sorted(names[p] for p in names if p not in coded)
    assert uncoded, "every plan writes codes: nothing to check"
    page = open_page("tieu-chi/7.2.1/").page
    text = page.locator("article").inner_text()
    assert "không giao nhiệm vụ nào" not in text
    no_codes = page.locator("p.no-codes").inner_text()
    assert "không ghi mã tiêu chí" in no_codes
    for name in uncoded:
        assert name in no_codes
        row = page.locator("table.stack tr", has=page.locator("td a", has_text=name))
        assert "kế hoạch không ghi mã tiêu chí" in row.inner_text()
    m = open_page("ma-tran/").page
    legend = m.locator("article").inner_text()
    assert "không giao nhiệm vụ nào" not in legend and "không ghi mã tiêu chí" in legend
    header = m.locator("table.matrix thead th").all_inner_texts()[1:]
    row = m.locator("table.matrix tr", has=m.locator("th a", has_text=re.compile(r"^7\.2\.1$")))
    for name in uncoded:
        cell = row.locator("td").nth(header.index(name))
        assert "no-codes" in cell.get_attribute("class") and "không ghi mã" in cell.inner_text()
