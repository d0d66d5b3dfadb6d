"""Deadline phrases (issue 11, item 16): a due date only where the text fixes one, and the right day.

Each row is a phrase as plans write it, the kind the parser gives and the due date (None: the text fixes none).
"""
from __future__ import annotations

import datetime as dt
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT))
from generator.model.deadline import KIND_LABELS, parse_deadline  # noqa: E402

D = dt.date
CASES = [
    # halves of a year
    ("6 tháng đầu năm 2022", "fixed", D(2022, 6, 30)),
    ("Trong 6 tháng đầu năm 2022", "fixed", D(2022, 6, 30)),
    ("Sáu tháng đầu năm 2022", "fixed", D(2022, 6, 30)),
    ("Nửa đầu năm 2024", "fixed", D(2024, 6, 30)),
    ("6 tháng cuối năm 2022", "fixed", D(2022, 12, 31)),
    ("6 tháng đầu năm 2022 và 6 tháng cuối năm 2022", "fixed", D(2022, 12, 31)),
    # before a year, a quarter, a month, a day
    ("Trước năm 2025", "fixed", D(2024, 12, 31)),
    ("trước năm 2023", "fixed", D(2022, 12, 31)),
    ("Trước Quý III/2022", "fixed", D(2022, 6, 30)),
    ("trước quý I năm 2023", "fixed", D(2022, 12, 31)),
    ("Trước tháng 6/2022", "fixed", D(2022, 5, 31)),
    ("trước tháng 3 năm 2024", "fixed", D(2024, 2, 29)),
    ("trước 30/6/2022", "fixed", D(2022, 6, 30)),
    ("trước ngày 15/8/2021", "fixed", D(2021, 8, 15)),
    # quarters, months, ends of years
    ("Quý I năm 2023", "fixed", D(2023, 3, 31)),
    ("Quý II/2022", "fixed", D(2022, 6, 30)),
    ("tháng 6/2022", "fixed", D(2022, 6, 30)),
    ("Tháng 2 năm 2024", "fixed", D(2024, 2, 29)),
    ("cuối năm 2022", "fixed", D(2022, 12, 31)),
    ("Đến hết năm 2022", "fixed", D(2022, 12, 31)),
    ("Năm 2022", "fixed", D(2022, 12, 31)),
    # no fixed day: the beginning or the middle of a year
    ("Đầu năm 2023", "approximate", None),
    ("đầu năm 2023", "approximate", None),
    ("Giữa năm 2022", "approximate", None),
    # a start, not a deadline
    ("Từ năm 2022", "start", None),
    ("Bắt đầu từ năm 2022", "start", None),
    ("Từ tháng 6/2022", "start", None),
    ("Từ Quý III/2021", "start", None),
    # a start and an end: a period
    ("Từ năm 2021 đến năm 2025", "period", D(2025, 12, 31)),
    ("từ 2021 đến hết năm 2025", "period", D(2025, 12, 31)),
    ("Giai đoạn 2021 - 2025", "period", D(2025, 12, 31)),
    # a mid-year review and a final one: due at the end the text fixes
    ("Đến giữa năm 2023 tiến hành sơ kết, đến năm 2025 tiến hành tổng kết", "fixed", D(2025, 12, 31)),
    # a cited document's date is not a due date
    ("Theo tiến độ được giao tại Kế hoạch số 1107/KH-UBND ngày 25/6/2021.", "conditional", None),
    # years that cannot be read are flagged, never repaired
    ("Trước năm 0000", "suspicious", None),
    ("trước tháng 13/2022", "suspicious", None),
    ("Trong năm 202", "suspicious", None),
]


@pytest.mark.parametrize("text, kind, due", CASES, ids=[c[0] for c in CASES])
def test_a_deadline_phrase_gets_its_kind_and_due_date(text, kind, due):
    d = parse_deadline(text)
    assert (d.kind, d.due) == (kind, due)
    assert d.text == text                     # the text is kept as written
    assert d.kind in KIND_LABELS              # every kind has a Vietnamese label for the pages


def test_the_five_plans_keep_their_due_dates():
    """The new phrases change no due date of the five plans (the cited date of Quảng Bình pl-3.2.5 was fixed before)."""
    import yaml
    texts = set()
    for path in (ROOT / "content" / "plans").glob("*.yml"):
        for t in yaml.safe_load(path.read_text(encoding="utf-8"))["tasks"]:
            if t.get("deadline"):
                texts.add(" ".join(t["deadline"].split()))
    dues = {t: parse_deadline(t).due for t in texts}
    assert dues["Quý III/2021 và các năm tiếp theo"] == D(2021, 9, 30)
    assert dues["Đến giữa năm 2023 tiến hành sơ kết, đến năm 2025 tiến hành tổng kết"] == D(2025, 12, 31)
    assert dues["thành lập trong Quý III/2021 và đưa vào hoạt động trong Quý IV/2021"] == D(2021, 12, 31)
    assert not any(parse_deadline(t).kind in ("start", "approximate") for t in texts)


def test_a_due_date_decades_after_the_plan_is_flagged_for_the_data_quality_page(tmp_path):
    """Issue 11, item 10: 'Năm 2099' on a 2021 plan is suspicious (flagged, no due date); 'Năm 2025' is not."""
    assert parse_deadline("Năm 2099", issued=D(2021, 9, 10)).kind == "suspicious"
    assert parse_deadline("Năm 2099", issued=D(2021, 9, 10)).due is None
    assert parse_deadline("Năm 2025", issued=D(2021, 9, 10)).due == D(2025, 12, 31)
    # through the pipeline: the task is listed among 'Hạn nghi ghi sai' (deadline.suspicious)
    from test_errors import PLAN, SOURCE, content_for
    from generator.content.load import load_content
    from generator.content.resolve import resolve
    from generator.content.validate import validate
    content = content_for(None, tmp_path)
    for rel in (PLAN, SOURCE):
        path = content / rel
        path.write_text(path.read_text().replace("Năm 2022", "Năm 2099"))
    problems: list = []
    raw = load_content(content, problems)
    valid, problems = validate(raw, as_of=D(2026, 1, 15))
    assert problems == []
    task = next(t for t in resolve(valid).tasks if t.id == "t-1.2")
    assert task.deadline.suspicious and task.deadline.due is None
