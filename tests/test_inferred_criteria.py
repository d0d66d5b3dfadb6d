"""Criteria inferred for the tasks of plans that write no codes: measured (k-fold on Quảng Bình's coded tasks,
the threshold is the one the measurement chooses, the README gives the figures with the command), marked as
inferred on every page and in the data, never mixed with the codes a plan states, with the words that matched."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT))


def _fold(text: str) -> str:
    from generator.folding import fold
    return fold(text)


@pytest.fixture(scope="module")
def bench_output() -> str:
    result = subprocess.run([sys.executable, "bench/criteria_inference.py"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_threshold_is_the_one_the_k_fold_measurement_chooses_and_the_readme_reports_it(bench_output):
    from generator.content import criteria_inference as CI
    chosen = re.search(r"chosen threshold .*?: ([\d.]+) -> precision ([\d.]+)%, recall ([\d.]+)%", bench_output)
    assert chosen, bench_output
    assert float(chosen.group(1)) == CI.THRESHOLD, bench_output
    assert float(chosen.group(2)) >= CI.TARGET_PRECISION * 100
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python bench/criteria_inference.py" in readme
    for figure in (chosen.group(2), chosen.group(3)):
        assert figure + "%" in readme or figure + " %" in readme, f"README does not give {figure}%"


def test_inferred_criteria_are_kept_apart_from_the_stated_codes(site_dir):
    tasks = json.loads((site_dir / "data" / "tasks.json").read_text(encoding="utf-8"))
    coded_plans = {t["plan"] for t in tasks if t["criteria"]}
    assert coded_plans
    for t in tasks:
        if t["plan"] in coded_plans:
            assert t["criteria_inferred"] == [], t["id"]
        else:
            assert t["criteria"] == [], t["id"]
    inferred = [t for t in tasks if t["criteria_inferred"]]
    assert len(inferred) > 100
    # the issue's own example: Quảng Ninh II.5 is about online public services (criterion 7.2)
    qn = next(t for t in tasks if t["plan"].startswith("quang-ninh") and t["ref"] == "II.5")
    assert "dịch vụ công trực tuyến" in qn["text"] and qn["criteria_inferred"] == ["7.2"]


def test_a_task_row_shows_its_inferred_criterion_marked_with_the_words_that_matched(open_page):
    page = open_page("ke-hoach/quang-ninh-131-ctr-ubnd-2021/").page
    row = page.locator("tr#t-ii-5") if page.locator("tr#t-ii-5").count() else page.locator("tr.task", has=page.locator("td:first-child a", has_text=re.compile(r"^II\.5$")))
    details = row.locator("td:nth-child(7) details.inferred")
    assert details.count() == 1
    assert details.locator("summary").inner_text().startswith("liên quan, suy luận: 7.2")
    assert not details.locator("small").first.is_visible()           # folded until asked
    details.locator("summary").click()
    shown = details.inner_text()
    assert "từ khớp" in shown and "không phải văn bản ghi" in shown
    words = re.findall(r"“([^”]+)”", shown)
    text = _fold(row.locator(".task-text").inner_text())
    assert words and all(_fold(w) in text for w in words), words
    assert details.locator("[title]").count() == 0                   # no tooltips (Material renders them as HTML)
    # the stated-code column of that row says nothing of 7.2 outside the marked box
    assert "7.2" not in row.locator("td:nth-child(7)").evaluate("td => [...td.childNodes].filter(n => n.nodeName !== 'DETAILS').map(n => n.textContent).join('')")


def test_finder_switch_adds_inferred_tasks_only_when_asked(open_page, site_dir):
    tasks = json.loads((site_dir / "data" / "tasks.json").read_text(encoding="utf-8"))
    stated = [t for t in tasks if any(c == "7.2" or c.startswith("7.2.") for c in t["criteria"])]
    inferred = [t for t in tasks if "7.2" in t["criteria_inferred"]]
    page = open_page("tim-nhiem-vu/?tieu-chi=7.2").page
    page.wait_for_selector("#finder[data-ready='1']")
    assert int(page.locator(".finder-status").get_attribute("data-count")) == len(stated)
    assert page.locator("#finder-suy-luan option").all_inner_texts() == ["chỉ mã do kế hoạch ghi", "gồm cả suy luận"]
    page.select_option("#finder-suy-luan", "1")
    page.wait_for_function(f"document.querySelector('.finder-status').dataset.count != '{len(stated)}'")
    page.wait_for_selector("#finder[data-ready='1']")
    assert int(page.locator(".finder-status").get_attribute("data-count")) == len(stated) + len(inferred)
    assert "suy-luan=1" in page.url
    marks = page.locator("table.finder-results td.criteria .inferred-count").all_inner_texts()
    assert len(marks) == len(inferred) and all(m.startswith("liên quan, suy luận") for m in marks)


def test_matrix_shows_inferred_counts_apart_from_stated_ones(open_page, site_dir):
    tasks = json.loads((site_dir / "data" / "tasks.json").read_text(encoding="utf-8"))
    n = sum(1 for t in tasks if t["province"] == "quang-ninh" and "7.2" in t["criteria_inferred"])
    page = open_page("ma-tran/").page
    header = page.locator("table.matrix thead th").all_inner_texts()[1:]
    row = page.locator("table.matrix tr", has=page.locator("th a", has_text=re.compile(r"^7\.2$")))
    cell = row.locator("td").nth(header.index("Quảng Ninh"))
    assert "no-codes" in cell.get_attribute("class")
    assert cell.locator(".no-codes-cell").inner_text() == "không ghi mã"
    assert cell.locator("a.inferred-count").inner_text() == f"≈{n} suy luận"
    assert "suy-luan=1" in cell.locator("a.inferred-count").get_attribute("href")
