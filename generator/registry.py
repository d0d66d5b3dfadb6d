"""Registries: how written names find their agency, codes their criterion, ids their province."""
from __future__ import annotations

import difflib
import re
import unicodedata

from .model import Agency

_SPACE = re.compile(r"\s+")
_TRIM = " \t-–•*+;,.:"


def name_key(name: str) -> str:
    """The comparison key of a written agency name: NFC, case-folded, single-spaced, bullets and end punctuation off."""
    text = unicodedata.normalize("NFC", name)
    text = _SPACE.sub(" ", text).strip(_TRIM)
    return text.casefold()


class AgencyDirectory:
    """Every agency kind and group, reachable by canonical name, alias or abbreviation."""

    def __init__(self) -> None:
        self.by_id: dict[str, Agency] = {}
        self.by_key: dict[str, Agency] = {}
        self.display: dict[str, str] = {}   # key -> name as written in the registry (for suggestions)

    def add(self, agency: Agency) -> None:
        self.by_id[agency.id] = agency

    def add_name(self, written: str, agency: Agency) -> Agency | None:
        """Register a name; returns the other agency if the name already points elsewhere."""
        key = name_key(written)
        other = self.by_key.get(key)
        if other is not None and other is not agency:
            return other
        self.by_key[key] = agency
        self.display.setdefault(key, written)
        return None

    def resolve(self, written: str) -> Agency | None:
        return self.by_key.get(name_key(written))

    def suggest(self, written: str) -> str | None:
        key = name_key(written)
        match = difflib.get_close_matches(key, list(self.by_key), n=1, cutoff=0.75)
        return self.display[match[0]] if match else None
