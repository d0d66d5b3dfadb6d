"""The curated content is complete and faithful: coverage of every task section, spot checks against the
source texts, and the open-data files that reflect it."""
from __future__ import annotations

import csv
import io
import json
import unicodedata

import pytest
import yaml

from conftest import ROOT, run_generator

PLANS = sorted(p.stem for p in (ROOT / "content" / "plans").glob("*.yml"))


def load_plan(plan_id: str) -> dict:
    return yaml.safe_load((ROOT / "content" / "plans" / f"{plan_id}.yml").read_text(encoding="utf-8"))


def source_lines(plan: dict) -> list[str]:
    text = (ROOT / "content" / "sources" / plan["source"]["file"]).read_text(encoding="utf-8")
    return unicodedata.normalize("NFC", text).split("\n")


def test_all_five_plans_are_in_content():
    assert PLANS == ["binh-dinh-3809-qd-ubnd-2021", "quang-binh-1886-kh-ubnd-2021", "quang-ninh-131-ctr-ubnd-2021",
                     "quang-tri-ke-hoach-cchc-2022", "tuyen-quang-116-kh-ubnd-2021"]


def test_coverage_check_accounts_for_every_item_of_every_task_section():
    result = run_generator("coverage")
    assert result.returncode == 0, result.stderr
    for plan_id in PLANS:
        line = next(x for x in result.stdout.splitlines() if x.startswith(plan_id + ":"))
        accounted, total = line.split(": ")[1].split(" ")[0].split("/")
        assert accounted == total and int(total) > 50, line


def test_coverage_check_fails_when_a_task_is_removed(tmp_path):
    from conftest import copy_project
    project = copy_project(tmp_path / "p")
    plan_file = project / "content" / "plans" / "binh-dinh-3809-qd-ubnd-2021.yml"
    plan = yaml.safe_load(plan_file.read_text(encoding="utf-8"))
    removed = next(t for t in plan["tasks"] if t["id"] == "pl-17")
    plan["tasks"] = [t for t in plan["tasks"] if t["id"] != "pl-17"]
    plan_file.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_generator("--content", str(project / "content"), "coverage", cwd=project)
    assert result.returncode == 1
    assert f"binh-dinh-3809-qd-ubnd-2021.txt:{removed['lines'][0]}: item not accounted for" in result.stderr


def test_every_task_lies_within_a_declared_task_section():
    for plan_id in PLANS:
        plan = load_plan(plan_id)
        for t in plan["tasks"]:
            assert any(a <= t["lines"][0] and t["lines"][1] <= b for a, b in plan["task_sections"]), (plan_id, t["id"])


def test_binh_dinh_appendix_has_the_40_tasks_its_total_states():
    plan = load_plan("binh-dinh-3809-qd-ubnd-2021")
    lines = source_lines(plan)
    assert any("TỔNG CỘNG: 40 NHIỆM VỤ" in x for x in lines)
    appendix = [t for t in plan["tasks"] if t["id"].startswith("pl-")]
    assert [t["ref"] for t in appendix] == [str(n) for n in range(1, 41)]


def test_task_text_is_copied_from_its_source_lines():
    """Every task's first words stand in its source lines (NFC, whitespace collapsed, markup asterisks ignored)."""
    for plan_id in PLANS:
        plan = load_plan(plan_id)
        lines = source_lines(plan)
        for t in plan["tasks"]:
            a, b = t["lines"]
            window = " ".join(" ".join(lines[a - 1:b]).replace("*", "").split())
            words = " ".join(t["text"].split()[:4])
            assert words in window, (plan_id, t["id"], words)


def test_every_text_is_nfc():
    for plan_id in PLANS:
        text = (ROOT / "content" / "plans" / f"{plan_id}.yml").read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", text), plan_id


def test_quang_tri_partly_nfd_source_is_read_as_nfc():
    raw = (ROOT / "content" / "sources" / "quang-tri-ke-hoach-cchc-2022.txt").read_text(encoding="utf-8")
    assert not unicodedata.is_normalized("NFC", raw), "the source copy must stay byte-identical to what was received"


@pytest.fixture(scope="module")
def tasks(site_dir) -> dict:
    return {t["id"]: t for t in json.loads((site_dir / "data" / "tasks.json").read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def plans(site_dir) -> dict:
    return {p["id"]: p for p in json.loads((site_dir / "data" / "plans.json").read_text(encoding="utf-8"))}


# Spot checks: each expectation read by hand from the source text at the lines given.
SPOT_CHECKS = [
    # Quảng Bình appendix row 1.3.1 (lines 317-325)
    ("quang-binh-1886-kh-ubnd-2021/pl-1.3.1", {"ref": "1.3.1", "lead": ["Sở Nội vụ"], "deadline": "Quý III/2021 và các năm tiếp theo",
                                              "due": "2021-09-30", "criteria": ["1.3.1"], "field": 1}),
    # Quảng Bình appendix row 1.4: two leads, one a written abbreviation of the radio and TV station
    ("quang-binh-1886-kh-ubnd-2021/pl-1.4", {"lead": ["Sở Nội vụ", "Đài Phát thanh và Truyền hình tỉnh"], "lead_written": ["Sở Nội vụ", "Đài PTTH tỉnh"],
                                            "deadline": "Trước ngày 25/12 hàng năm", "due": None, "deadline_kind": "recurring"}),
    # Quảng Ninh appendix row I.15 (10,000 new firms): the lead cell is empty and stays empty
    ("quang-ninh-131-ctr-ubnd-2021/pl-i.15", {"ref": "I.15", "lead": [], "support": ["Các sở, ban, ngành", "UBND cấp huyện"],
                                             "deadline": "Năm 2025", "due": "2025-12-31"}),
    # Bình Định appendix task 1: output and deadline in their own columns
    ("binh-dinh-3809-qd-ubnd-2021/pl-1", {"lead": ["Sở Thông tin và Truyền thông"], "output": "Quyết định phê duyệt của UBND tỉnh",
                                         "deadline": "Năm 2021", "due": "2021-12-31"}),
    ("binh-dinh-3809-qd-ubnd-2021/pl-38", {"lead": ["Sở Y tế"], "deadline": "Năm 2022"}),
]


@pytest.mark.parametrize("uid,expected", SPOT_CHECKS, ids=[s[0] for s in SPOT_CHECKS])
def test_spot_check_against_the_source(tasks, uid, expected):
    record = tasks[uid]
    for key, value in expected.items():
        assert record[key] == value, (uid, key, record[key])


def test_plans_json_metadata(plans):
    qb = plans["quang-binh-1886-kh-ubnd-2021"]
    assert (qb["number"], qb["issued"], qb["signer"], qb["type"]) == ("1886/KH-UBND", "2021-09-10", "Trần Thắng", "Kế hoạch")
    par = next(b for b in qb["baselines"] if b["index"] == "PAR INDEX" and b["score"] == 82.33)
    assert (par["year"], par["rank"], par["of"], par["unit"]) == (2020, 50, 63, "điểm")
    sipas = next(b for b in qb["baselines"] if b["index"] == "SIPAS" and b["year"] == 2020 and b["unit"] == "%")
    assert (sipas["score"], sipas["rank"], sipas["of"]) == (78.88, 60, 63)
    qt = plans["quang-tri-ke-hoach-cchc-2022"]
    assert qt["number"] is None and qt["issued"] is None, "Quảng Trị's text gives no number or date: unknown, not invented"
    assert {p: plans[p]["task_count"] for p in plans} == {p: len(load_plan(p)["tasks"]) for p in PLANS}


def test_open_data_records_carry_the_documented_fields(tasks, plans, site_dir):
    required = {"id", "plan", "province", "ref", "text", "lead", "support", "deadline", "due", "output", "field",
                "criteria", "source_lines", "url"}
    for record in tasks.values():
        assert required <= set(record)
        page, anchor = record["url"].split("#")
        assert (site_dir / page / "index.html").exists()
        assert f'id="{anchor}"' in (site_dir / page / "index.html").read_text(encoding="utf-8")
    for record in plans.values():
        assert {"id", "province", "number", "type", "title", "issued", "signer", "baselines", "task_count", "url"} <= set(record)
    rows = list(csv.DictReader(io.StringIO((site_dir / "data" / "tasks.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(tasks)
    by_id = {r["id"]: r for r in rows}
    t = tasks["quang-binh-1886-kh-ubnd-2021/pl-1.4"]
    assert by_id[t["id"]]["lead"] == "; ".join(t["lead"])
