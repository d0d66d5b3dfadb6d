"""How values are written on the pages: Vietnamese dates and numbers, labels, links and escaping.

Decisions about what to show live in ``render.py``; this module only formats.
"""
from __future__ import annotations

import datetime as dt
import functools

from babel.numbers import format_decimal

from ..model.domain import Plan, StatusState

ROLE_LABELS = {"lead": "Chủ trì", "support": "Phối hợp"}
STATE_LABELS = {StatusState.DONE: "Đã hoàn thành", StatusState.IN_PROGRESS: "Đang thực hiện", StatusState.NOT_DONE: "Chưa hoàn thành",
                StatusState.UNKNOWN: "Chưa rõ"}


def vi_date(value: dt.date | None, unknown: str = "không rõ") -> str:
    """Day/month/year without leading zeros, as Vietnamese documents write dates (babel's "d/M/yyyy" for the
    vi locale, written out: it is called once per task and feed entry, and babel's formatter was 7 % of the
    render stage on a national slice)."""
    return f"{value.day}/{value.month}/{value.year}" if value else unknown


def vi_number(value: float | int | None, unknown: str = "—") -> str:
    if value is None:
        return unknown
    return _vi_decimal(value)


@functools.lru_cache(maxsize=4096, typed=True)
def _vi_decimal(value: float | int) -> str:
    """babel's decimal in the vi locale (a comma, dots between thousands): half a millisecond a call, and the
    same scores, counts and years come back on every province's and plan's page."""
    return format_decimal(value, locale="vi")


_HTML_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_MD_SPECIAL = set("\\`*_{}[]#!|~^=")


def md_inline(text: str | None) -> str:
    """Text made safe for a Markdown line (a heading, a title): HTML-escaped, Markdown syntax neutralised.
    One pass, so that an entity made for one character is never escaped again."""
    if text is None:
        return ""
    out = []
    for ch in " ".join(str(text).split()):
        if ch in _HTML_SPECIAL:
            out.append(_HTML_SPECIAL[ch])
        elif ch in _MD_SPECIAL:
            out.append(f"&#{ord(ch)};")
        else:
            out.append(ch)
    return "".join(out)


def rel_url(from_url: str, to_url: str) -> str:
    """Link from one page to another, both given as site-root URLs ('' is the home page, directories end
    with '/'). The link climbs to the root and descends ("../../tinh/quang-binh/"): it depends only on the
    depth of the page it is written on, so a rendered fragment can be reused on every page of that depth."""
    from_dir = from_url if from_url.endswith("/") or from_url == "" else from_url.rsplit("/", 1)[0] + "/" if "/" in from_url else ""
    depth = from_dir.count("/")
    prefix = "../" * depth
    if not to_url:
        return prefix or "./"
    if to_url.startswith("#"):
        return to_url
    return prefix + to_url


def plan_label(p: Plan) -> str:
    """A plan as the pages, feeds, finder and site search name it: "Kế hoạch 116/KH-UBND — Tuyên Quang"."""
    number = f" {p.number}" if p.number else " (không rõ số hiệu)"
    return f"{p.type}{number} — {p.province.name}"
