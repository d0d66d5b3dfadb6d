"""How values are written on the pages: Vietnamese dates and numbers, labels, links and escaping.

Decisions about what to show live in ``render.py``; this module only formats.
"""
from __future__ import annotations

import datetime as dt
import html
import posixpath
import re

from babel.dates import format_date
from babel.numbers import format_decimal

ROLE_LABELS = {"lead": "Chủ trì", "support": "Phối hợp"}
INDEX_UNITS = {"điểm": "điểm", "%": "%"}
STATE_LABELS = {"done": "Đã hoàn thành", "in-progress": "Đang thực hiện", "not-done": "Chưa hoàn thành", "unknown": "Chưa rõ"}


def vi_date(value: dt.date | None, unknown: str = "không rõ") -> str:
    return format_date(value, "d/M/yyyy", locale="vi") if value else unknown


def vi_number(value: float | int | None, unknown: str = "—") -> str:
    if value is None:
        return unknown
    return format_decimal(value, locale="vi")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#!|~^=])")


def md_inline(text: str | None) -> str:
    """Text made safe for a Markdown line (a heading, a title): HTML-escaped, Markdown syntax neutralised."""
    if text is None:
        return ""
    escaped = html.escape(" ".join(str(text).split()), quote=True)
    return _MD_SPECIAL.sub(lambda m: f"&#{ord(m.group(1))};", escaped)


def rel_url(from_url: str, to_url: str) -> str:
    """Relative link between two site-root URLs ('' is the home page, directories end with '/')."""
    anchor = ""
    if "#" in to_url:
        to_url, anchor = to_url.split("#", 1)
        anchor = "#" + anchor
    from_dir = from_url if from_url.endswith("/") or from_url == "" else posixpath.dirname(from_url) + "/"
    target = posixpath.relpath("/" + to_url, "/" + from_dir) if to_url else posixpath.relpath("/", "/" + from_dir)
    if to_url.endswith("/") or to_url == "":
        target = target.rstrip("/") + "/"
        if target == "./":
            target = "./"
    return target + anchor
