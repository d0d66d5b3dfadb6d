"""Deadlines: keep the text, derive a due date only where the text fixes one.

    "trước ngày 15/8/2021"               -> due 2021-08-15, fixed
    "Năm 2022", "Trong năm 2022"          -> due 2022-12-31, fixed
    "Quý III/2021"                        -> due 2021-09-30, fixed
    "Tháng 12/2021"                       -> due 2021-12-31, fixed
    "Quý III/2021 và các năm tiếp theo"   -> due 2021-09-30, recurring (first occurrence)
    "2021-2025", "Giai đoạn 2021 - 2025"  -> due 2025-12-31, period
    "Trước ngày 25/12 hàng năm"           -> no due date, recurring
    "Thường xuyên"                        -> no due date, continuous
    "Sau khi có hướng dẫn của Trung ương" -> no due date, conditional
    "Trong năm 202"                       -> no due date, suspicious (flagged, never repaired)
    "6 tháng đầu năm 2022"                -> due 2022-06-30, fixed ("6 tháng cuối năm 2022" -> 2022-12-31)
    "Trước năm 2025"                      -> due 2024-12-31, fixed ("trước Quý III/2022" -> 2022-06-30)
    "Đầu năm 2023", "Giữa năm 2023"       -> no due date, approximate (the text names no day)
    "Từ năm 2022"                         -> no due date, start (when the work begins, not a deadline)
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache

from ..folding import fold
from .domain import Deadline, DeadlineKind

MIN_YEAR, MAX_YEAR = 1990, 2100
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)")
_DATE_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})(?!\d)")
_QUARTER = re.compile(r"quy\s+(iv|iii|ii|i|[1-4])\s*(?:/|nam)\s*(\d{4})(?!\d)")
_MONTH = re.compile(r"thang\s+(\d{1,2})\s*(?:/|nam)\s*(\d{4})(?!\d)")
_PERIOD = re.compile(r"(?<!\d)(\d{4})\s*[-–—]\s*(\d{4})(?!\d)")
_YEAR = re.compile(r"(?<![\d/])(\d{4})(?![\d/])")
_SHORT_YEAR = re.compile(r"nam\s+(\d{1,3})(?![\d/])\b")
_DAY_MONTH_ONLY = re.compile(r"(?<![\d/])(\d{1,2})\s*/\s*(\d{1,2})(?![\d/])")

# "Kế hoạch số 1107/KH-UBND ngày 25/6/2021": the date of a cited document, never a due date
_CITED_DATE = re.compile(r"\bso\s+[0-9][^\s,;]*\s*,?\s*ngay\s+(?:\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4})")

# Phrases read before the dates, quarters and years of the rest of the text (their span is then blanked out):
_HALF = re.compile(r"(?:6|sau)\s+thang\s+(dau|cuoi)\s+nam\s+(\d{4})(?!\d)|nua\s+(dau|cuoi)\s+nam\s+(\d{4})(?!\d)")
_BEFORE_YEAR = re.compile(r"truoc\s+nam\s+(\d{4})(?!\d)")
_BEFORE_QUARTER = re.compile(r"truoc\s+quy\s+(iv|iii|ii|i|[1-4])\s*(?:/|nam)\s*(\d{4})(?!\d)")
_BEFORE_MONTH = re.compile(r"truoc\s+thang\s+(\d{1,2})\s*(?:/|nam)\s*(\d{4})(?!\d)")
_APPROXIMATE = re.compile(r"(?:dau|giua)\s+nam\s+(\d{4})(?!\d)")
_FROM_TO = re.compile(r"\btu\s+(?:nam\s+)?(\d{4})\s*(?:,\s*)?(?:den|toi)\s+(?:het\s+)?(?:nam\s+)?(\d{4})(?!\d)")
_FROM = re.compile(r"\btu\s+(?:nam\s+|quy\s+(?:iv|iii|ii|i|[1-4])\s*(?:/|nam)\s*|thang\s+\d{1,2}\s*(?:/|nam)\s*)(\d{4})(?!\d)")

_RECURRING = ("hang nam", "hang quy", "hang thang", "cac nam tiep theo", "nhung nam tiep theo", "dinh ky",
              "hang tuan", "moi nam", "cac nam sau", "cua nam", "cua thang", "thang cuoi quy", "nam truoc lien ke")
_CONTINUOUS = ("thuong xuyen", "lien tuc")
_CONDITIONAL = ("sau khi", "khi co", "theo yeu cau", "ke tu ngay", "theo chi dao", "theo huong dan",
                "theo tien do", "theo quy dinh", "khi duoc")


def _end_of_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _valid_year(y: int) -> bool:
    return MIN_YEAR <= y <= MAX_YEAR


# A due date this many years after the plan's issue date is flagged suspicious (a typo such as "Năm 2099" on a
# 2021 plan); one before the issue date is an error (validate).
SUSPICIOUS_AFTER_YEARS = 30


def parse_deadline(text: str | None, issued: dt.date | None = None) -> Deadline | None:
    """The deadline a text states (None for no text); validate and resolve read every task's, and a corpus writes
    the same few hundred deadlines again and again: each (text, issue date) is parsed once (Deadline is frozen)."""
    return _parse_deadline(text, issued)


@lru_cache(maxsize=1 << 16)
def _parse_deadline(text: str | None, issued: dt.date | None) -> Deadline | None:
    if text is None or not text.strip():
        return None
    f = _CITED_DATE.sub("so", fold(" ".join(text.split())))
    recurring = any(m in f for m in _RECURRING)
    continuous = any(m in f for m in _CONTINUOUS)
    conditional = any(m in f for m in _CONDITIONAL)

    due: dt.date | None = None
    period = False
    suspicious = bool(_SHORT_YEAR.search(f))

    candidates: list[dt.date] = []

    def take(rx: re.Pattern, found) -> None:
        nonlocal f
        for m in list(rx.finditer(f)):
            found(m)
        f = rx.sub(" ", f)

    marks: list[str] = []

    def dated(year: str, make) -> None:
        if _valid_year(int(year)):
            candidates.append(make(int(year)))
        else:
            marks.append("suspicious")

    def half(m):
        which, year = (m.group(1), m.group(2)) if m.group(2) else (m.group(3), m.group(4))
        dated(year, lambda y: dt.date(y, 6, 30) if which == "dau" else dt.date(y, 12, 31))

    def before_quarter(m):
        q = _ROMAN[m.group(1)]
        dated(m.group(2), lambda y: _end_of_month(y, (q - 1) * 3) if q > 1 else dt.date(y - 1, 12, 31))

    def before_month(m):
        month = int(m.group(1))
        if 1 <= month <= 12:
            dated(m.group(2), lambda y: _end_of_month(y, month - 1) if month > 1 else dt.date(y - 1, 12, 31))
        else:
            marks.append("suspicious")

    spans: list[tuple[int, int]] = []
    take(_HALF, half)
    take(_BEFORE_YEAR, lambda m: dated(m.group(1), lambda y: dt.date(y - 1, 12, 31)))
    take(_BEFORE_QUARTER, before_quarter)
    take(_BEFORE_MONTH, before_month)
    take(_FROM_TO, lambda m: spans.append((int(m.group(1)), int(m.group(2)))))
    take(_FROM, lambda m: marks.append("start"))
    take(_APPROXIMATE, lambda m: marks.append("approximate"))
    start, approximate = "start" in marks, "approximate" in marks
    suspicious = suspicious or "suspicious" in marks
    for a, b in spans:      # "Từ năm 2021 đến năm 2025": a period
        if _valid_year(a) and _valid_year(b) and a <= b:
            candidates.append(dt.date(b, 12, 31))
            period = True
        else:
            suspicious = True
    read_first = list(candidates)
    candidates = []
    for rx in (_DATE, _DATE_WORDS):
        for d, m, y in rx.findall(f):
            try:
                candidates.append(dt.date(int(y), int(m), int(d)))
            except ValueError:
                suspicious = True
    if not candidates:
        for q, y in _QUARTER.findall(f):
            candidates.append(_end_of_month(int(y), _ROMAN[q] * 3))
        for m, y in _MONTH.findall(f):
            if 1 <= int(m) <= 12:
                candidates.append(_end_of_month(int(y), int(m)))
            else:
                suspicious = True
    if not candidates:
        periods = _PERIOD.findall(f)
        if periods:
            a, b = (int(x) for x in periods[-1])
            if _valid_year(a) and _valid_year(b) and a <= b:
                candidates.append(dt.date(b, 12, 31))
                period = True
            else:
                suspicious = True
        else:
            years = [int(y) for y in _YEAR.findall(f)]
            for y in years:
                if _valid_year(y):
                    candidates.append(dt.date(y, 12, 31))
                else:
                    suspicious = True
    candidates = [c for c in read_first + candidates if _valid_year(c.year)]
    if candidates and not suspicious:
        # A text with a first occurrence and "các năm tiếp theo" is due first at the earliest date it gives;
        # a one-off text with several dates (e.g. "Quý III và Quý IV/2021") is due at the latest.
        due = min(candidates) if recurring else max(candidates)

    if due is not None and issued is not None and due.year > issued.year + SUSPICIOUS_AFTER_YEARS:
        suspicious = True
    if suspicious:
        kind = DeadlineKind.SUSPICIOUS
        due = None
    elif due is not None:
        kind = DeadlineKind.PERIOD if period else (DeadlineKind.RECURRING if recurring else DeadlineKind.FIXED)
    elif recurring:
        kind = DeadlineKind.RECURRING
    elif start:
        kind = DeadlineKind.START
    elif approximate:
        kind = DeadlineKind.APPROXIMATE
    elif continuous:
        kind = DeadlineKind.CONTINUOUS
    elif conditional:
        kind = DeadlineKind.CONDITIONAL
    else:
        kind = DeadlineKind.UNPARSED
    return Deadline(text=text, due=due, kind=kind, recurring=recurring, suspicious=suspicious, continuous=continuous)


KIND_LABELS: dict[str, str] = {      # DeadlineKind -> label (a DeadlineKind is its str value)
    DeadlineKind.FIXED: "có hạn cụ thể",
    DeadlineKind.PERIOD: "theo giai đoạn",
    DeadlineKind.RECURRING: "định kỳ, lặp lại",
    DeadlineKind.CONTINUOUS: "thường xuyên",
    DeadlineKind.CONDITIONAL: "có điều kiện",
    DeadlineKind.START: "thời điểm bắt đầu, không phải hạn",
    DeadlineKind.APPROXIMATE: "ước chừng, không có ngày cụ thể",
    DeadlineKind.SUSPICIOUS: "nghi sai (cần kiểm tra)",
    DeadlineKind.UNPARSED: "không xác định được ngày",
}
