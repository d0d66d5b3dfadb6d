"""Stage 1, load: what no text of a content file may hold, checked as each file is read (``load_yaml``).

A file whose texts pass is kept by the load cache (``LoadCache``) and not looked at again until it changes:
a republish after editing one plan checks that plan's texts, not every plan's.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, Protocol

from ..problems import Problem, path_text


class LoadedText(Protocol):
    """What the check reads of a loaded file (load.LoadedFile, which imports this module)."""
    rel: str
    data: object
    reported: set[tuple]

    def line_of(self, loc: tuple) -> int | None: ...


# Characters no text field may hold (issue 11, items 3 and 8): C0 controls but tab and line feed, DEL, lone
# surrogates and the non-characters U+FFFE/U+FFFF (they make feeds ill-formed XML and reach .ics files);
# bidirectional embeddings, overrides and isolates (they reorder what a reader sees).
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
# In names, aliases and ids also the zero-width characters and the left-to-right and right-to-left marks.
_INVISIBLE_IN_NAMES = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")


def _is_name(loc: tuple) -> bool:
    """Where a content file holds a name (of an agency, a person, a province), an alias or an id."""
    keys = [p for p in loc if isinstance(p, str)]
    if not keys:
        return False
    if keys[-1] in ("id", "province", "group", "parent", "issuer", "signer", "abbr"):
        return True
    if keys[0] == "tasks" and len(keys) >= 2 and keys[1] in ("lead", "support") and keys[-1] in ("lead", "support", "name"):
        return True
    if keys[0] in ("agencies", "provinces") and keys[-1] in ("name", "aliases"):
        return True
    return keys[0] == "aliases" and len(loc) == 2       # an alias table: its keys are names, its values ids


def _script(ch: str) -> str:
    return unicodedata.name(ch, "UNKNOWN").split(" ")[0]


def _text_problem(value: str, loc: tuple) -> str | None:
    bad = _FORBIDDEN.search(value)
    if bad:
        cp = ord(bad.group())
        what = "bidirectional control character" if cp > 0x2000 else "control character"
        return f"{what} U+{cp:04X} is not allowed in text (character {bad.start() + 1} of the value); remove it"
    if not _is_name(loc):
        return None
    return _name_problem(value)


@lru_cache(maxsize=1 << 16)
def _name_problem(value: str) -> str | None:
    """What is wrong with a name, alias or id (names repeat on every task of a corpus: each is looked at once)."""
    bad = _INVISIBLE_IN_NAMES.search(value)
    if bad:
        cp = ord(bad.group())
        return (f'"{value}" holds the invisible character U+{cp:04X} ({unicodedata.name(bad.group(), "")}); '
                "names, aliases and ids may not: remove it")
    foreign = [ch for ch in value if ch.isalpha() and _script(ch) not in ("LATIN", "MODIFIER")]
    if foreign:
        ch = foreign[0]
        among = "among Latin letters" if any(c.isalpha() and _script(c) == "LATIN" for c in value) else "not a Latin letter"
        return (f'"{value}" mixes scripts: "{ch}" (U+{ord(ch):04X} {unicodedata.name(ch, "")}) {among}; '
                "a look-alike of a Latin letter? write names in Latin (Vietnamese) letters")
    return None


def check_strings(loaded: LoadedText, problems: list[Problem]) -> None:
    """Every text of the file, keys included: no control character; no invisible or foreign-script letter in names."""
    def walk_text(text: str, loc: tuple):
        if text.isprintable() and text.isascii():     # the common case: nothing to look at
            return
        message = _text_problem(text, loc)
        if message and loc not in loaded.reported:
            loaded.reported.add(loc)
            problems.append(Problem(loaded.rel, loaded.line_of(loc), path_text(loc), message))

    # depth first, in the file's order, with a stack of the containers being walked (not a function calling
    # itself through its closure: that cycle would hold the loaded file past the build's gc.freeze(), never freed)
    # (a plan holds hundreds of thousands of values: text that is printable ASCII, the most common case, is
    # passed over here, without a call or a location made for it)
    data = loaded.data
    if not isinstance(data, (dict, list)):
        if isinstance(data, str) and not (data.isprintable() and data.isascii()):
            walk_text(data, ())
        return
    stack: list[tuple[Iterator[tuple[Any, Any]], tuple]] = [(iter(data.items() if isinstance(data, dict) else enumerate(data)), ())]
    while stack:
        pairs, loc = stack[-1]
        for key, item in pairs:
            if isinstance(key, str) and not (key.isprintable() and key.isascii()):
                walk_text(key, loc + (key,))
            if isinstance(item, (dict, list)):
                stack.append((iter(item.items() if isinstance(item, dict) else enumerate(item)), loc + (key,)))
                break
            if isinstance(item, str) and not (item.isprintable() and item.isascii()):
                walk_text(item, loc + (key,))
        else:
            stack.pop()
