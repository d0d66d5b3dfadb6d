"""Heading anchors in Vietnamese: the slug function MkDocs' table of contents uses (mkdocs.yml, `toc: slugify`).

Python-Markdown's own slug drops every letter without an ASCII decomposition, and "đ"/"Đ" have none:
"Điểm số và xếp hạng" became ``#iem-so-va-xep-hang``. Here đ/Đ become d/D first, so it is
``#diem-so-va-xep-hang``; ``legacy_slugify`` is the old function, so the MkDocs hook
(site_config/hooks/raw_html.py) can keep every old anchor resolving.
"""
from __future__ import annotations

from markdown.extensions.toc import slugify as legacy_slugify

_D = str.maketrans({"đ": "d", "Đ": "D"})


def slugify(value: str, separator: str) -> str:
    return legacy_slugify(value.translate(_D), separator)


__all__ = ["slugify", "legacy_slugify"]
