"""Vietnamese folding for search: the same function runs at index time (Python) and query time (JavaScript,
site_config/assets/js/fold.js).

"Sở Nội vụ", "so noi vu" and "SO NOI VU" fold to the same text; đ/Đ, which have no Unicode decomposition,
fold to d by hand. Abbreviations used in the plans are expanded both ways for the site search.
"""
from __future__ import annotations

import re
import unicodedata

_COMBINING = re.compile(r"[\u0300-\u036f]")

# Abbreviations readers type, and what they stand for (compared after folding).
ABBREVIATIONS: dict[str, str] = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "tthc": "thu tuc hanh chinh",
    "cchc": "cai cach hanh chinh",
    "vp": "van phong",
    "cbccvc": "can bo cong chuc vien chuc",
    "qppl": "quy pham phap luat",
    "dvc": "dich vu cong",
    "hcc": "hanh chinh cong",
    "ptth": "phat thanh truyen hinh",
    "snv": "so noi vu",
    "tttt": "thong tin va truyen thong",
    "khdt": "ke hoach va dau tu",
}


def fold(text: str) -> str:
    """Lower-case, drop diacritics, map đ to d. Idempotent."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = _COMBINING.sub("", decomposed).replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", stripped).lower()


_WORD = re.compile(r"[0-9a-z]+")


def expand_abbreviations(folded: str) -> str:
    """Folded text plus the long forms of the abbreviations it holds and the abbreviations of the long forms."""
    extra = []
    words = set(_WORD.findall(folded))
    for short, long in ABBREVIATIONS.items():
        if short in words:
            extra.append(long)
        if long in folded:
            extra.append(short)
    return folded if not extra else folded + " " + " ".join(extra)
