"""Every CSV a reader downloads holds exactly the rows its page lists or counts, with the role, under one header
set documented in the README's data dictionary: the listings' files and the finder's file made in the browser."""
from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import ROOT
from test_pages import download_csv


def _rows(text: str) -> tuple[list[str], list[dict]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader)
    return header, [dict(zip(header, r, strict=True)) for r in reader]


def _tasks(site_dir):
    return json.loads((site_dir / "data" / "tasks.json").read_text(encoding="utf-8"))


def test_all_listing_csvs_share_one_header_documented_in_the_readme(site_dir):
    header, _ = _rows((site_dir / "data" / "tasks.csv").read_text(encoding="utf-8"))
    assert header[-2:] == ["role", "via_group"]
    # one file per province (every listing's download is made in the browser from them: issue 15)
    files = sorted((site_dir / "data" / "csv").rglob("*.csv"))
    provinces = {t["province"] for t in _tasks(site_dir)}
    assert sorted(f.stem for f in files) == sorted(provinces)
    for f in files:
        assert _rows(f.read_text(encoding="utf-8"))[0] == header, f
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    dictionary = readme[readme.index("## Data dictionary"):]
    dictionary = dictionary[:dictionary.index("\n## ", 5)]
    for column in header:
        assert f"`{column}`" in dictionary, f"column {column} is not in the README's data dictionary"


def test_agency_download_holds_the_tasks_it_supports_too(open_page, site_dir):
    mine = [t for t in _tasks(site_dir) if "so-noi-vu" in (t["lead_ids"] + t["support_ids"])]
    supported_only = [t for t in mine if "so-noi-vu" not in t["lead_ids"]]
    assert supported_only, "Sở Nội vụ supports nothing it does not lead: nothing to check"
    page = open_page("co-quan/so-noi-vu/").page
    a = page.locator("p.downloads a[download]").first
    header, rows = _rows(download_csv(page, a))
    assert len(rows) == len(mine) == int(a.get_attribute("data-rows"))
    assert f"{len(mine)} dòng" in a.inner_text()
    by_id = {r["id"]: r for r in rows}
    assert len(by_id) == len(rows), "a task is listed twice"
    for t in mine:
        role = by_id[t["id"]]["role"].split("; ")
        assert ("lead" in role) == ("so-noi-vu" in t["lead_ids"]) and ("support" in role) == ("so-noi-vu" in t["support_ids"]), t["id"]
    # the page's own counts add up to the same tasks (a task led in one place and supported in another: both)
    shown = page.locator("article table.compare tbody tr").evaluate_all(
        "rs => rs.map(r => [r.querySelector('td[data-label=\"Chủ trì\"] .bar-value').innerText, r.querySelector('td[data-label=\"Phối hợp\"] .bar-value').innerText])")
    assert sum(int(n) for n, _ in shown) == sum(1 for r in rows if "lead" in r["role"])
    assert sum(int(s) for _, s in shown) == sum(1 for r in rows if "support" in r["role"])


def test_agency_in_province_csv_rows_carry_the_role_of_the_table_they_are_in(open_page):
    page = open_page("co-quan/so-noi-vu/quang-binh/").page
    tables = page.locator("article table.tasks")
    headings = page.locator("article h2").all_inner_texts()
    lead = tables.nth(0).locator("td:first-child a").evaluate_all("as => as.map(a => decodeURIComponent(a.href.split('/ke-hoach/')[1]).replace('/#t-', '/'))")
    support = tables.nth(1).locator("td:first-child a").evaluate_all("as => as.map(a => decodeURIComponent(a.href.split('/ke-hoach/')[1]).replace('/#t-', '/'))")
    assert any(h.startswith("Chủ trì") for h in headings) and any(h.startswith("Phối hợp") for h in headings)
    a = page.locator("p.downloads a[download]").first
    _, rows = _rows(download_csv(page, a))
    role = {r["id"]: r["role"] for r in rows}
    assert set(role) == set(lead) | set(support)
    for tid in lead:
        assert "lead" in role[tid].split("; ")
    for tid in support:
        assert "support" in role[tid].split("; ")


@pytest.mark.parametrize("query", ["co-quan=so-noi-vu", "tinh=quang-ninh&vai-tro=support"])
def test_finder_csv_has_the_listings_header_and_cells_and_the_role(open_page, site_dir, tmp_path, query):
    page = open_page(f"tim-nhiem-vu/?{query}").page
    page.wait_for_selector("#finder[data-ready='1']")
    if page.locator(".finder-load-all").is_visible():
        page.locator(".finder-load-all").click()
        page.wait_for_selector(".finder-status[data-complete='1']")
    count = int(page.locator(".finder-status").get_attribute("data-count"))
    with page.expect_download() as info:
        page.locator(".finder-download").click()
    path = tmp_path / "nhiem-vu.csv"
    info.value.save_as(path)
    header, rows = _rows(path.read_text(encoding="utf-8"))
    assert header == _rows((site_dir / "data" / "tasks.csv").read_text(encoding="utf-8"))[0]
    assert len(rows) == count
    listed = {r["id"]: r for r in _rows((site_dir / "data" / "tasks.csv").read_text(encoding="utf-8"))[1]}
    for r in rows:
        assert {k: v for k, v in r.items() if k != "role"} == {k: v for k, v in listed[r["id"]].items() if k != "role"}
        if query.startswith("co-quan"):
            ids = listed[r["id"]]["lead_ids"].split("; ") if r["role"].startswith("lead") else listed[r["id"]]["support_ids"].split("; ")
            assert "so-noi-vu" in ids and r["role"] in ("lead", "support", "lead; support")
        else:
            assert r["role"] == "support"
