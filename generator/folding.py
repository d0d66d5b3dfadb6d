"""Vietnamese folding for search: the same function runs at index time (Python) and query time (JavaScript,
site_config/assets/js/fold.js).

"Sở Nội vụ", "so noi vu" and "SO NOI VU" fold to the same text; đ/Đ, which have no Unicode decomposition,
fold to d by hand. Abbreviations used in the plans are expanded both ways for the site search.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache

from .problems import ContentError, Problem


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
    """Lower-case, drop diacritics (every nonspacing mark after NFD), map đ to d. Idempotent.

    Folded word by word (between spaces: no normalisation or casing rule reaches across a space), each distinct
    word once: the texts of a national corpus are a few thousand words repeated millions of times."""
    return " ".join(map(_fold_word, text.split(" ")))


@lru_cache(maxsize=1 << 18)
def _fold_word(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn").replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", stripped).lower()


_TERM = re.compile(r"[0-9a-z]+")
_EDGES = re.compile(r"^[^0-9a-z]+|[^0-9a-z]+$")

# The long forms as term sequences, longest first (a query contracts the longest match at each position).
_LONG_FORMS: list[tuple[tuple[str, ...], str]] = sorted(
    ((tuple(long.split()), short) for short, long in ABBREVIATIONS.items()), key=lambda ls: (-len(ls[0]), ls[1]))

# The name under which the lunr pipeline function is registered, in Python and in fold.js.
PIPELINE_NAME = "foldVi"


def terms(text: str) -> list[str]:
    """The searchable terms of a text: folded, split at anything but a-z and 0-9."""
    return _TERM.findall(fold(text))


def fold_token(token: str) -> str:
    """One token folded, with punctuation trimmed from both ends ("Sở," -> "so")."""
    return _EDGES.sub("", fold(token))


def index_terms(text: str) -> list[str]:
    """The terms of a text plus, for every abbreviation, its long form, and for every long form, its
    abbreviation: a document with "UBND" is found by "uy ban nhan dan" and the other way round."""
    words = terms(text)
    extra: list[str] = []
    present = set(words)
    for short, long in ABBREVIATIONS.items():
        if short in present:
            extra += long.split()
    spaced = " " + " ".join(words) + " "
    for long_form, short in _LONG_FORMS:
        if " " + " ".join(long_form) + " " in spaced:       # the long form as whole words
            extra.append(short)
    return words + extra


def query_terms(text: str) -> list[str]:
    """The terms of a query, every long form contracted to its abbreviation (longest match first), so that
    "ủy ban nhân dân" and "UBND" become the same query."""
    words = terms(text)
    out: list[str] = []
    i = 0
    while i < len(words):
        for long, short in _LONG_FORMS:
            if tuple(words[i:i + len(long)]) == long:
                out.append(short)
                i += len(long)
                break
        else:
            out.append(words[i])
            i += 1
    return out


def search_terms(text: str) -> list[str]:
    """The terms of a text with every abbreviation written out in place ("VP UBND tỉnh" -> van phong uy ban nhan
    dan tinh): the site search compares the same sequences at index and query time, so a phrase matches whether
    it was written short or long."""
    out: list[str] = []
    for word in terms(text):
        long = ABBREVIATIONS.get(word)
        out += long.split() if long else [word]
    return out


# fold.js as shipped: site_config/assets/js/fold.js holds this placeholder where its table goes.
FOLD_JS = "site_config/assets/js/fold.js"
FOLD_JS_TABLE = "/* ABBREVIATIONS */ {}"


def fold_js(source: str) -> str:
    """fold.js with ABBREVIATIONS written in (the generator does it when it copies the file into the site), so the
    JavaScript folding uses this module's table, never a copy of it."""
    if source.count(FOLD_JS_TABLE) != 1:
        raise ContentError([Problem(FOLD_JS, None, "ABBREVIATIONS", f"expected the placeholder {FOLD_JS_TABLE!r} once, "
                                    "where the generator writes the abbreviation table of generator/folding.py")])
    table = json.dumps(ABBREVIATIONS, ensure_ascii=False, indent=2).replace("\n", "\n  ")
    return source.replace(FOLD_JS_TABLE, table)
