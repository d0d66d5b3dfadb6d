"""Registries: how written names find their agency and their province, at the right date.

This module is the public API the pipeline (validate, resolve) and the extractor use to read
``content/registry/``. Nothing here is private to validate.py.

Loading
    ``validate.load_registry(content_dir)`` reads ``<content_dir>/registry/`` (provinces.yml, agencies/*.yml,
    criteria/*.yml) and returns a ``Registry`` with ``.provinces`` (ProvinceRegistry), ``.agencies``
    (AgencyDirectory), ``.criteria`` (set of codes) and ``.problems``. With ``strict=True`` (the default) a registry
    with problems raises ``RegistryError``, whose message lists every problem as "file:line: field: message".
    (It lives in validate.py, which words the problems: this module imports nothing above it.)

Provinces (``ProvinceRegistry``)
    A unit is identified by name AND period: "tỉnh Bắc Ninh" is ``bac-ninh`` until 30/6/2025 and ``bac-ninh-2025``
    (which includes the former Bắc Giang) from 1/7/2025.

    - ``registry.get(id)`` -> ``model.Province`` or None; ``registry.units`` lists all units (both periods);
      ``registry.in_force(date)`` the units in force on a date.
    - ``registry.resolve(written, on=None)`` -> ``ProvinceMatch`` or None (name unknown). ``written`` may be a bare
      name ("Bắc Ninh"), a form with its kind ("tỉnh Bà Rịa - Vũng Tàu", "TP. Hồ Chí Minh", "Thành phố Hà Nội",
      "TỈNH ĐỒNG NAI") or the people's committee ("UBND tỉnh Quảng Bình", "Ủy ban nhân dân thành phố Huế").
      With a date, the match is the unit in force on that date under that name (a plan resolves to the unit in
      force on its issue date). Without a date, or when the name and the date do not decide, ``match.unit`` is None
      and ``match.candidates`` lists the units the name may mean, so the caller can say it cannot tell. A name whose
      only unit had ended by the date still gives that unit, with ``match.in_force`` False.
    - ``registry.candidates(text)`` -> list of ``ProvinceMention``: every "tỉnh X" / "thành phố X" / "TP. X" in a
      text, known (``.units`` not empty) or not (``.units`` empty: a name the registry does not know), in text order.
      Use it to say which names were considered.
    - ``registry.forms(unit)`` the written forms the registry derives for a unit.

Agencies (``AgencyDirectory``)
    Every agency kind and group, reachable by canonical name, alias or abbreviation (compared after NFC, case
    folding and spacing). A name ending in "tỉnh" is also known in its city form ("Công an tỉnh" is
    "Công an Thành phố", "Công an TP."). A name followed by the province ("Sở Y tế tỉnh Đồng Nai",
    "UBND tỉnh Quảng Bình") resolves to the kind.

    - ``directory.resolve(written)`` -> ``model.Agency`` or None.
    - ``directory.match(written)`` -> ``AgencyMatch`` or None: the agency, the place written after it (if any), and
      ``.successors`` / ``.predecessors`` (the 2025 restructuring links, each with date and legal basis).
    - ``directory.suggest(written)`` -> the closest registry name, for "did you mean".
    - ``directory.names()`` every registered written form (for segmenting lists of names).
    - ``Agency.successors`` / ``Agency.predecessors``: tuples of ``model.AgencySuccession`` (agency, since, basis).
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..model.domain import Agency, AgencySuccession, LegalBasis, Province, Successor

_SPACE = re.compile(r"\s+")
_TRIM = " \t-–•*+;,.:"
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})
# Old-style tone placement ("hoà", "thuỷ") and new style ("hòa", "thủy") name the same thing.
_TONE = re.compile(r"([oOuU])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])")
_BASE = {}
for _marked in "àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ":
    _d = unicodedata.normalize("NFD", _marked)
    _BASE[_marked] = (_d[0], _d[1:])


def _tone(text: str) -> str:
    """Move a tone mark from the second to the first vowel of oa/oe/uy (length preserving)."""
    def move(m: re.Match) -> str:
        base, mark = _BASE[m.group(2)]
        return unicodedata.normalize("NFC", m.group(1) + mark) + base
    return _TONE.sub(move, text)


@lru_cache(maxsize=1 << 16)       # a corpus writes the same few hundred names on every task
def name_key(name: str) -> str:
    """The comparison key of a written agency name: NFC, case-folded, single-spaced, bullets and end punctuation off."""
    text = unicodedata.normalize("NFC", name)
    text = _SPACE.sub(" ", text).strip(_TRIM)
    return text.casefold()


def loose_key(name: str) -> str:
    """A looser key: ``name_key`` with one tone placement ("hoà" = "hòa") and one dash ("–" = "-"). Spacing is
    not forgiven: a dropped space or comma is a typo the maintainer must see, not a name."""
    return _tone(name_key(name).translate(_DASHES))


class RegistryError(ValueError):
    """The registry has problems; ``.problems`` lists them (file, line, field, message)."""

    def __init__(self, problems: list):
        self.problems = problems
        super().__init__("the registry has problems:\n" + "\n".join(f"  {p}" for p in problems))


# ----------------------------------------------------------------------------------------------------------
# Provinces

_COMMITTEE = re.compile(r"^(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân|hđnd|hội đồng nhân dân)\s+", re.IGNORECASE)
_KIND = re.compile(r"^(tỉnh|thành phố|tp\s*\.|tp)\s*", re.IGNORECASE)


def place_key(name: str) -> str:
    """The comparison key of a place name: NFC, case-folded, one tone placement, "A - B" as "a-b"."""
    text = _tone(unicodedata.normalize("NFC", name).casefold().translate(_DASHES))
    text = re.sub(r"\s*-\s*", "-", _SPACE.sub(" ", text)).strip(" .,;:*")
    return text


def _kind_of(word: str | None) -> str | None:
    if word is None:
        return None
    return "tỉnh" if word.casefold().startswith("tỉnh") else "thành phố"


def split_place(written: str) -> tuple[str | None, str]:
    """("tỉnh" | "thành phố" | None, the proper name) of "UBND tỉnh Quảng Bình", "TP. Hồ Chí Minh", "Huế"."""
    text = _SPACE.sub(" ", unicodedata.normalize("NFC", written)).strip(" .,;:*")
    text = _COMMITTEE.sub("", text)
    m = _KIND.match(text)
    if m and len(text) > m.end():
        return _kind_of(m.group(1)), text[m.end():].strip(" .,;:*")
    return None, text


@dataclass(frozen=True)
class NameUse:
    """One name of a unit over part of its period."""
    unit: Province
    name: str
    kind: str
    since: dt.date | None
    until: dt.date | None

    def covers(self, on: dt.date) -> bool:
        return (self.since is None or self.since <= on) and (self.until is None or on <= self.until)


@dataclass(frozen=True)
class ProvinceMatch:
    """What a written province name means. ``unit`` is set when the name (and date) decide; otherwise
    ``candidates`` lists every unit the name may mean and the caller must say it cannot tell."""
    written: str
    on: dt.date | None
    unit: Province | None
    candidates: tuple[Province, ...]

    @property
    def id(self) -> str | None:
        return self.unit.id if self.unit is not None else None

    @property
    def ambiguous(self) -> bool:
        return self.unit is None

    @property
    def in_force(self) -> bool | None:
        """Whether the unit was in force on the date asked (None: no date, or no single unit). False: the text names a
        unit that had ended (or not begun) by then, e.g. "tỉnh Quảng Bình" in a plan of November 2025."""
        if self.unit is None or self.on is None:
            return None
        return self.unit.in_force(self.on)


@dataclass(frozen=True)
class ProvinceMention:
    """A "tỉnh X" / "thành phố X" / "TP. X" found in a text. ``units`` empty: the registry does not know X."""
    written: str
    name: str
    kind: str | None
    start: int
    end: int
    units: tuple[Province, ...]


class ProvinceRegistry:
    """Every provincial-level unit of both periods, with its names over time and its predecessors/successors."""

    def __init__(self, units: list[Province], uses: list[NameUse], sources: dict[str, LegalBasis]):
        self.units = units
        self.by_id = {u.id: u for u in units}
        self.sources = sources
        self.uses = uses
        self._by_key: dict[str, list[NameUse]] = {}
        for use in uses:
            self._by_key.setdefault(place_key(use.name), []).append(use)
        names = sorted(self._by_key, key=len, reverse=True)
        # a name as a pattern on place_key-like text: spaces are any run of spaces (hard wraps), dashes free
        alts = "|".join(re.sub(r"\\-", r"\\s*-\\s*", re.escape(n)).replace(r"\ ", r"\s+") for n in names)
        self._known = re.compile(r"(?<![\w])(ủy ban nhân dân\s+|ubnd\s+)?(tỉnh|thành\s+phố|tp\s*\.|tp)\s*(" + alts + r")(?![\w])") if names else None
        self._any = re.compile(r"(?<![\w])((?i:tỉnh|thành\s+phố|tp\s*\.))[ \t]*([^\W\d_]\w*(?:(?:[ \t]*-[ \t]*|[ \t]+|\n)[^\W\d_]\w*){0,3})")

    # -- building -------------------------------------------------------------------------------------
    @classmethod
    def from_entries(cls, entries: list, sources: Sequence = ()) -> ProvinceRegistry:
        """Build from schema.ProvinceEntry / schema.LegalSource objects (unknown link ids are skipped here:
        ``check`` reports them)."""
        basis = {s.id: LegalBasis(s.id, s.document, s.issuer, s.date, s.title, s.note) for s in sources}
        units: list[Province] = []
        seen: set[str] = set()
        for e in entries:
            if e is None or e.id in seen:
                continue
            seen.add(e.id)
            legacy = Successor(e.successor.name, e.successor.since, e.successor.basis, e.successor.note) if e.successor else None
            units.append(Province(e.id, e.name, legacy, kind=e.kind, valid_from=e.valid_from, valid_to=e.valid_to,
                                  basis=basis.get(e.basis) if e.basis else None, note=e.note,
                                  former_names=tuple((n.name, n.kind, n.until, basis.get(n.source)) for n in sorted(e.names, key=lambda n: n.until))))
        by_id = {u.id: u for u in units}
        entry_of = {e.id: e for e in entries if e is not None}
        for u in units:
            e = entry_of[u.id]
            u.predecessors = [by_id[i] for i in e.predecessors if i in by_id]
            u.successors = [by_id[i] for i in e.successors if i in by_id]
        for u in units:       # the legacy form: a successor by name, for files written before the 2025 registry
            if u.successor is None and u.successors and u.valid_to is not None and u.basis is not None:
                first = u.successors[0]
                note = first.note.rstrip(".") if first.note else None
                note = note[:1].lower() + note[1:] if note else None
                u.successor = Successor(first.name, u.valid_to + dt.timedelta(days=1), u.basis.document, note)
        uses: list[NameUse] = []
        for u, e in ((u, entry_of[u.id]) for u in units):
            since = u.valid_from
            for n in sorted(e.names, key=lambda n: n.until):
                uses.append(NameUse(u, n.name, n.kind, since, n.until))
                since = n.until + dt.timedelta(days=1)
            uses.append(NameUse(u, u.name, u.kind, since, u.valid_to))
            for alias in e.aliases:
                uses.append(NameUse(u, alias, u.kind, since, u.valid_to))
        return cls(units, uses, basis)

    def check(self, entries: list, sources: Sequence = ()) -> list[tuple[int, tuple, str]]:
        """Cross-entry problems as (entry index, location within the entry, message)."""
        out: list[tuple[int, tuple, str]] = []
        ids = {e.id: e for e in entries if e is not None}
        source_ids = {s.id for s in sources}
        for i, e in enumerate(entries):
            if e is None:
                continue
            for role, back in (("successors", "predecessors"), ("predecessors", "successors")):
                for j, other_id in enumerate(getattr(e, role)):
                    other = ids.get(other_id)
                    if other is None:
                        hint = difflib.get_close_matches(other_id, list(ids), n=1)
                        out.append((i, (role, j), f'unknown province id "{other_id}"' + (f'; did you mean "{hint[0]}"?' if hint else "")))
                        continue
                    if e.id not in getattr(other, back):
                        out.append((i, (role, j), f'"{other_id}" does not list "{e.id}" among its {back}; write the link on both units'))
                    end, start = (e.valid_to, other.valid_from) if role == "successors" else (other.valid_to, e.valid_from)
                    if end is None or start is None:
                        missing = "valid_to" if end is None else "valid_from"
                        who = (e.id if role == "successors" else other_id) if end is None else (other_id if role == "successors" else e.id)
                        out.append((i, (role, j), f'"{who}" needs {missing}: a unit with a successor ends, a unit with a predecessor begins'))
                    elif start != end + dt.timedelta(days=1):
                        out.append((i, (role, j), f"periods do not meet: the predecessor ends {end}, the successor begins {start} (expected {end + dt.timedelta(days=1)})"))
            if e.basis is not None and e.basis not in source_ids:
                out.append((i, ("basis",), f'unknown source "{e.basis}"; expected one of the ids under sources: {", ".join(sorted(source_ids)) or "(none)"}'))
            if (e.valid_to or e.valid_from or e.successors or e.predecessors) and e.basis is None:
                out.append((i, ("basis",), "a unit with a period or links must name its source (basis: an id under sources)"))
            for k, n in enumerate(sorted(e.names, key=lambda n: n.until)):
                if n.source not in source_ids:
                    out.append((i, ("names", k, "source"), f'unknown source "{n.source}"'))
                if (e.valid_from and n.until < e.valid_from) or (e.valid_to and n.until >= e.valid_to):
                    out.append((i, ("names", k, "until"), f"{n.until} is outside the unit's period"))
        return out

    # -- reading --------------------------------------------------------------------------------------
    def get(self, unit_id: str) -> Province | None:
        return self.by_id.get(unit_id)

    def __contains__(self, unit_id: str) -> bool:
        return unit_id in self.by_id

    def in_force(self, on: dt.date) -> list[Province]:
        return [u for u in self.units if u.in_force(on)]

    def forms(self, unit: Province) -> list[str]:
        """Written forms of the unit's names: "Bắc Ninh", "tỉnh Bắc Ninh", "UBND tỉnh Bắc Ninh", "TP. Hồ Chí Minh"..."""
        out: list[str] = []
        for use in (u for u in self.uses if u.unit is unit):
            kinds = ["tỉnh"] if use.kind == "tỉnh" else ["thành phố", "Thành phố", "TP.", "TP"]
            out.append(use.name)
            for k in kinds:
                out += [f"{k} {use.name}", f"UBND {k} {use.name}", f"Ủy ban nhân dân {k} {use.name}"]
        return list(dict.fromkeys(out))

    def resolve(self, written: str, on: dt.date | None = None) -> ProvinceMatch | None:
        kind, name = split_place(written)
        uses = self._by_key.get(place_key(name), [])
        if not uses:
            return None
        if kind is not None and any(u.kind == kind for u in uses):
            uses = [u for u in uses if u.kind == kind]
        if on is not None:
            dated = [u for u in uses if u.covers(on)]
            if dated:
                uses = dated
        units = tuple(dict.fromkeys(u.unit for u in uses))
        decided = len(units) == 1 and (on is not None or len({x.unit for x in self._by_key[place_key(name)]}) == 1)
        return ProvinceMatch(written, on, units[0] if decided else None, units)

    def candidates(self, text: str) -> list[ProvinceMention]:
        """Every "tỉnh X" / "thành phố X" / "TP. X" (and "UBND tỉnh X") in ``text``, in order; see the module doc."""
        norm = _tone(unicodedata.normalize("NFC", text).lower().translate(_DASHES))
        if len(norm) != len(text):      # a character whose lower case is longer: fall back to per-char lowering
            norm = _tone("".join(c.lower() if len(c.lower()) == 1 else c for c in unicodedata.normalize("NFC", text)).translate(_DASHES))
            text = unicodedata.normalize("NFC", text)
        out: list[ProvinceMention] = []
        taken: list[tuple[int, int]] = []
        for m in self._known.finditer(norm) if self._known else ():
            name = text[m.start(3):m.end(3)]
            kind = _kind_of(m.group(2))
            match = self.resolve(f"{kind} {name}")
            out.append(ProvinceMention(text[m.start():m.end()], _SPACE.sub(" ", name), kind, m.start(), m.end(),
                                       match.candidates if match else ()))
            taken.append((m.start(), m.end()))
        for m in self._any.finditer(text):
            if any(s <= m.start() < e or s < m.end() <= e for s, e in taken):
                continue
            words = re.split(r"(\s*-\s*|\s+)", m.group(2))
            keep = 0
            for k in range(0, len(words), 2):        # the run of capitalised words: a proper name
                if not words[k][:1].isupper():
                    break
                keep = k + 1
            if keep == 0:
                continue
            name = _SPACE.sub(" ", "".join(words[:keep]))
            end = m.start(2) + len("".join(words[:keep]))
            out.append(ProvinceMention(text[m.start():end], name, _kind_of(m.group(1)), m.start(), end, ()))
        return sorted(out, key=lambda x: x.start)


# ----------------------------------------------------------------------------------------------------------
# Agencies

_PLACE_TAIL = re.compile(r"\s+(tỉnh|thành phố|tp\s*\.|tp)(?:\s+(.+))?$", re.IGNORECASE)
_CITY_FORMS = ("thành phố", "TP.", "TP")


@dataclass(frozen=True)
class AgencyMatch:
    """A written agency name, the agency kind it names, and the place written after it (if any)."""
    written: str
    agency: Agency
    place: str | None = None

    @property
    def successors(self):
        return self.agency.successors

    @property
    def predecessors(self):
        return self.agency.predecessors


class AgencyDirectory:
    """Every agency kind and group, reachable by canonical name, alias or abbreviation."""

    def __init__(self) -> None:
        self.by_id: dict[str, Agency] = {}
        self.by_key: dict[str, Agency] = {}
        self.display: dict[str, str] = {}   # key -> name as written in the registry (for suggestions)
        self._loose: dict[str, Agency] = {}
        self._places: ProvinceRegistry | None = None
        # written form -> what it resolves to: a corpus writes the same few hundred names on every task (each
        # change to the directory below forgets them)
        self._resolved: dict[str, Agency | None] = {}

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
        self._loose.setdefault(loose_key(written), agency)
        self._resolved.clear()
        return None

    def add_city_forms(self) -> None:
        """Every name ending in "tỉnh" is also known in its city form ("Công an Thành phố", "Công an TP.").
        Explicit names win: a city form that already names another agency is left to it."""
        for key, agency in list(self.by_key.items()):
            written = self.display[key]
            m = re.search(r"\s(tỉnh)$", written, re.IGNORECASE)
            if not m:
                continue
            for city in _CITY_FORMS:
                form = written[:m.start(1)] + city
                k = name_key(form)
                if k not in self.by_key:
                    self.by_key[k] = agency
                    self.display[k] = form
                    self._loose.setdefault(loose_key(form), agency)
        self._resolved.clear()

    def set_places(self, provinces: ProvinceRegistry) -> None:
        """Let names followed by a province ("Sở Y tế tỉnh Đồng Nai") resolve to their kind."""
        self._places = provinces
        self._resolved.clear()

    def link_successions(self, entries: list) -> list[tuple[int, int, str]]:
        """Link each agency to its successors (and back) from schema.AgencyEntry objects; returns problems as
        (entry index, successor index, message)."""
        problems = []
        for i, e in enumerate(entries):
            agency = self.by_id.get(e.id) if e is not None else None
            if agency is None:
                continue
            links = []
            for j, s in enumerate(e.successors):
                target = self.by_id.get(s.id)
                if target is None:
                    hint = difflib.get_close_matches(s.id, list(self.by_id), n=1)
                    problems.append((i, j, f'unknown agency id "{s.id}"' + (f'; did you mean "{hint[0]}"?' if hint else "")))
                    continue
                if target is agency:
                    problems.append((i, j, "an agency cannot succeed itself"))
                    continue
                if e.valid_to is not None and s.since != e.valid_to + dt.timedelta(days=1):
                    problems.append((i, j, f"since {s.since} does not follow valid_to {e.valid_to} (expected {e.valid_to + dt.timedelta(days=1)})"))
                if target.valid_from is not None and s.since < target.valid_from:
                    problems.append((i, j, f'since {s.since} is before "{s.id}" exists (valid_from {target.valid_from})'))
                links.append(AgencySuccession(target, s.since, s.basis, s.note))
                target.predecessors = target.predecessors + (AgencySuccession(agency, s.since, s.basis, s.note),)
            agency.successors = tuple(links)
        return problems

    def names(self) -> list[str]:
        """Every registered written form (canonical names, aliases, abbreviations, city forms)."""
        return list(self.display.values())

    def resolve(self, written: str) -> Agency | None:
        if written in self._resolved:
            return self._resolved[written]
        found = self.match(written)
        agency = self._resolved[written] = found.agency if found is not None else None
        return agency

    def match(self, written: str) -> AgencyMatch | None:
        agency = self.by_key.get(name_key(written)) or self._loose.get(loose_key(written))
        if agency is not None:
            return AgencyMatch(written, agency)
        # "Sở Y tế tỉnh Đồng Nai", "Công an tỉnh Bắc Ninh", "UBND tỉnh Quảng Bình": the kind, then the province
        text = _SPACE.sub(" ", unicodedata.normalize("NFC", written)).strip(_TRIM)
        m = _PLACE_TAIL.search(text)
        if m and m.group(2) and self._places is not None and self._places.resolve(f"{m.group(1)} {m.group(2)}"):
            head = text[:m.start()]
            for form in (f"{head} {m.group(1)}", head):
                agency = self.by_key.get(name_key(form)) or self._loose.get(loose_key(form))
                if agency is not None:
                    return AgencyMatch(written, agency, text[m.start():].strip())
        return None

    def suggest(self, written: str) -> str | None:
        key = name_key(written)
        match = difflib.get_close_matches(key, list(self.by_key), n=1, cutoff=0.75)
        return self.display[match[0]] if match else None


# ----------------------------------------------------------------------------------------------------------
# The registry as a whole

@dataclass
class Registry:
    provinces: ProvinceRegistry
    agencies: AgencyDirectory
    criteria: set[str] = field(default_factory=set)
    problems: list = field(default_factory=list)
