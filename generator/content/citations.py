"""Cited legal documents: found in the plans' texts, identified by number and date (or year).

"Nghị quyết số 76/NQ-CP ngày 15/7/2021", "Nghị định số 61/2018/NĐ-CP", "Chương trình hành động số
09-CTr/TU ngày 14 tháng 5 năm 2021". Two documents that share a number (99/NQ-CP of 2017 and of 2020) are
different documents. A mention without date or year is linked to the one document of that number the same
plan dates elsewhere; if the plan dates none, or several, the mention stays undated (or is flagged
ambiguous) rather than guessed.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from slugify import slugify

KINDS = ("Nghị quyết", "Nghị định", "Quyết định", "Thông tư", "Chỉ thị", "Kế hoạch", "Chương trình hành động",
         "Chương trình", "Công văn", "Thông báo kết luận", "Thông báo", "Kết luận", "Hướng dẫn", "Đề án", "Luật",
         "Tờ trình", "Báo cáo", "Quy định")
_KIND = "|".join(sorted((re.escape(k) for k in KINDS), key=len, reverse=True))
_NUMBER = r"\d{1,5}(?:\s?/\s?\d{4})?\s?[/-]\s?[A-ZĐ][A-ZĐa-z]*(?:[-/][A-ZĐ0-9][A-ZĐa-z0-9]*)*"
_DATE = r"(?:,?\s*ngày\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})|,?\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4}))?"
_MENTION = re.compile(rf"(?:({_KIND})\s+(?:số\s*:?\s*)?)?(?<![\w/])({_NUMBER})(?![\w]){_DATE}", re.IGNORECASE)
_STANDALONE_ONLY = re.compile(r"^\d+/\d{4}$")
# What every number _MENTION finds holds: a digit, then "/" or "-", then a letter ("76/NQ", "2018/NĐ", "09-CTr").
# A line without it is passed over: most lines of a plan cite nothing, and _MENTION, which may begin with any
# of the kinds' names, is slow to say so (a fifth of the resolve stage on a national corpus).
_MAY_CITE = re.compile(r"\d\s?[/-]\s?[A-ZĐ]", re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    line: int
    kind: str | None
    number: str
    date: dt.date | None
    year: int | None
    written: str


def normalise_number(number: str) -> str:
    """The number as written, without spaces ("116 /KH-UBND" -> "116/KH-UBND"); compare with number_key."""
    return re.sub(r"\s+", "", number)


def number_key(number: str) -> str:
    """What identifies a number, with its year (from the date) beside it: the year written inside the number and
    the separators are not part of it, so "19/2014/QĐ-TTg" and "19/QĐ-TTg" of 2014 are one document, and
    "01-NQ-TU" and "01-NQ/TU" one number."""
    key = normalise_number(number).upper()
    key = re.sub(r"^(\d+)/\d{4}/", r"\1/", key)
    return re.sub(r"[/-]", "-", key)


_DATE_BEFORE = re.compile(r"(?:^|[\s(])ngày\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*,\s*([^,;.\d]{0,80})$", re.IGNORECASE)
_DATE_AT_START = re.compile(r"^\s*(?:(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})|(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4}))", re.IGNORECASE)
_DANGLING_NGAY = re.compile(r"^\s*,?\s*ngày\s*$", re.IGNORECASE)


def _date(d, mo, y) -> dt.date | None:
    try:
        return dt.date(int(y), int(mo), int(d))
    except ValueError:
        return None


def _date_elsewhere(lines: list[str], n: int, line: str, start: int, end: int) -> dt.date | None:
    """A date the text gives before the number ("Ngày 30/12/2020, Bộ Nội vụ ban hành Quyết định số 1149/QĐ-BNV")
    or on the next line after a dangling "ngày" ("... số 30-QĐ/TU ngày" / "20/5/2020 của ...")."""
    before = _DATE_BEFORE.search(line[:start])
    if before:
        return _date(*before.groups()[:3])
    if _DANGLING_NGAY.match(line[end:]):
        for nxt in lines[n:n + 3]:          # the next non-empty line (a copied text leaves blank lines between)
            if not nxt.strip():
                continue
            m = _DATE_AT_START.match(nxt)
            if m:
                g = m.groups()
                return _date(*(g[:3] if g[0] else g[3:]))
            break
    return None


_KIND_BY_KEY = {k.casefold(): k for k in KINDS}


def find_mentions(lines: list[str]) -> list[Mention]:
    out = []
    for n, line in enumerate(lines, start=1):
        if not _MAY_CITE.search(line):
            continue
        for m in _MENTION.finditer(line):
            kind, number = m.group(1), normalise_number(m.group(2))
            if not kind and "/" not in number:
                continue
            if not re.search(r"[A-ZĐ]{2,}", number):
                continue
            date = None
            groups = m.groups()[2:]
            d, mo, y = (groups[0], groups[1], groups[2]) if groups[0] else (groups[3], groups[4], groups[5])
            if d:
                date = _date(d, mo, y)
            else:
                date = _date_elsewhere(lines, n, line, m.start(), m.end())
            year_in_number = re.search(r"/(\d{4})/", number)
            year = date.year if date else (int(year_in_number.group(1)) if year_in_number else None)
            out.append(Mention(n, _KIND_BY_KEY.get(kind.casefold()) if kind else None, number, date, year, m.group(0).strip()))
    return out


def document_id(number: str, year: int | None) -> str:
    return slugify(f"{number}-{year}" if year else f"{number}-khong-ro-nam", lowercase=True)
