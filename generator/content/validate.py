"""Stage 2, validate: check the loaded data against the schema and across files.

Every problem names file, line and field, says what was found and what was expected, and suggests a fix
where one exists. All problems are collected; the build stops only after reporting them all.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from . import schema
from .load import LoadedFile, RawContent, load_yaml
from ..model.domain import Agency
from ..files import write_if_changed
from ..problems import Problem, path_text
from ..model.deadline import parse_deadline
from .registry import AgencyDirectory, ProvinceRegistry, Registry, RegistryError

_TYPE_WORDS = {
    "string_type": "text", "int_type": "a whole number", "float_type": "a number", "bool_type": "true or false",
    "list_type": "a list", "dict_type": "a mapping", "date_type": "a date such as 2021-09-10",
    "model_type": "a mapping", "literal_error": None, "string_pattern_mismatch": None,
}


_PATTERN_WORDS = {
    get_args(schema.Id)[1].pattern: "an id of lower-case letters a-z and digits, a single '.' or '-' between them, such as t-1.2 (no spaces, no diacritics, no '--')",
    get_args(schema.Code)[1].pattern: "a PAR INDEX criterion code: a field 1 to 8, then 1 to 3 numbers, such as 1.3 or 2.1.1",
    r"^[a-z0-9][a-z0-9.-]*\.txt$": "a file name in content/sources/ such as quang-binh-1886-kh-ubnd-2021.txt",
    r"^[1-8]$": "a field code 1 to 8",
    r"^S[1-9]$": "a SIPAS component code such as S1",
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class ValidContent:
    raw: RawContent
    plans: list[tuple[LoadedFile, schema.PlanFile]]
    agencies: AgencyDirectory
    criteria: dict[str, schema.CriterionEntry]
    provinces: dict[str, schema.ProvinceEntry]
    fields: schema.FieldsFile
    scores: schema.ScoresFile | None = None
    province_registry: ProvinceRegistry | None = None


def _describe(err: Mapping[str, Any], model: type[BaseModel]) -> str:
    kind = err["type"]
    value: Any = err.get("input")
    if kind == "extra_forbidden":
        key = err["loc"][-1]
        fields = _fields_at(model, err["loc"][:-1])
        hint = difflib.get_close_matches(str(key), fields, n=1, cutoff=0.6)
        msg = f'unknown key "{key}"'
        if hint:
            return msg + f'; did you mean "{hint[0]}"?'
        return msg + (f"; expected one of: {', '.join(fields)}" if fields else "")
    if kind == "missing":
        return "required field is missing"
    if kind == "value_error":       # our own validators (schema.py) word their messages for the maintainer
        return str(err.get("ctx", {}).get("error", err["msg"]))
    if kind == "string_pattern_mismatch":
        described = _PATTERN_WORDS.get(err.get("ctx", {}).get("pattern"))
        if described:
            return f"expected {described}, found {_show(value)}"
    ctx = err.get("ctx", {})
    if kind == "literal_error":
        return f"expected {ctx.get('expected')}, found {_show(value)}"
    if kind == "string_too_short":
        return f"expected some text, found {_show(value)}"
    if kind == "string_too_long":
        return f"the text is {len(value):,} characters long; the limit is {ctx.get('max_length'):,}"
    if kind == "too_short":
        return f"expected at least {ctx.get('min_length')} item(s), found {len(value) if hasattr(value, '__len__') else 0}"
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = "at least" if kind == "greater_than_equal" else "at most"
        return f"expected a number {bound} {ctx.get('ge', ctx.get('le'))}, found {_show(value)}"
    if kind == "string_type" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"expected text, found the number {value!r}; put the value in quotes as written in the source (YAML reads 1.10 as 1.1)"
    if kind == "date_type" and isinstance(value, str) and _ISO_DATE.match(value):
        return f"expected a date, found the text {_show(value)} (in quotes); write the date without quotes: {value}"
    expected = _TYPE_WORDS.get(kind)
    if expected:
        return f"expected {expected}, found {_show(value)}"
    return f"{err['msg']} (found {_show(value)})"


def _show(value) -> str:
    if isinstance(value, str):
        return f'"{value}"' if len(value) < 80 else f'"{value[:77]}..."'
    if value is None:
        return "nothing (null)"
    if isinstance(value, (dict, list)):
        return f"a {'mapping' if isinstance(value, dict) else 'list'}"
    return f"{value!r} ({type(value).__name__})"


def _fields_at(model: type, loc: tuple) -> list[str]:
    """Field names of the model reached by following loc (ignores list indexes)."""
    current = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None and isinstance(getattr(schema, str(part), None), type):   # a union member's tag
            current = getattr(schema, str(part))
            continue
        if info is None:
            return []
        current = _inner_model(info.annotation)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}))


def _inner_model(annotation):
    import typing
    if isinstance(annotation, type) and issubclass(annotation, schema.Strict):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def parse_file(loaded: LoadedFile, model: type[BaseModel], problems: list[Problem]) -> Any:
    try:
        return model.model_validate(loaded.data)
    except ValidationError as exc:
        seen: set[tuple] = set()
        for err in exc.errors():
            if _other_member(loaded.data, err["loc"]):
                continue
            loc = _data_loc(loaded.data, err["loc"])
            if loc in seen or loc in loaded.reported:   # a union reports once per member; loading already said it
                continue
            seen.add(loc)
            problems.append(Problem(loaded.rel, loaded.line_of(loc), path_text(loc), _describe(err, model)))
        return None


def _other_member(data, loc: tuple) -> bool:
    """An error of the union member that does not fit the value's kind (the text member's, for a mapping such as
    {name: ..., unresolved: true}; a mapping member's, for text): the other member's error says what is wrong."""
    current = data
    for part in loc:
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        elif isinstance(part, str) and (part == "str" or part.endswith("-str")):
            return isinstance(current, dict)
        elif isinstance(part, str) and isinstance(getattr(schema, part, None), type):
            return not isinstance(current, dict)
        else:
            return False
    return False


def _data_loc(data, loc: tuple) -> tuple:
    """Keep the parts of a pydantic location that exist in the data (drops union member tags like "str")."""
    out = []
    current = data
    for i, part in enumerate(loc):
        if isinstance(current, dict) and part in current:
            current = current[part]
            out.append(part)
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
            out.append(part)
        elif isinstance(current, dict) and i == len(loc) - 1:
            out.append(part)      # a missing key: name it
        # anything else is a union member's tag ("str", "UnresolvedName"): not part of the data path
    return tuple(out)


def _provinces(raw: RawContent, problems: list[Problem]) -> tuple[dict[str, schema.ProvinceEntry], ProvinceRegistry]:
    """The province entries by id and the registry of units, with every cross-entry problem reported."""
    provinces: dict[str, schema.ProvinceEntry] = {}
    entries: list = []
    sources: list = []
    if raw.provinces is not None:
        loaded = raw.provinces
        parsed = parse_file(loaded, schema.ProvincesFile, problems)
        if parsed is None:      # keep the valid entries, so that one bad unit does not make every plan's province unknown
            entries = _valid_entries(loaded, "provinces", schema.ProvinceEntry)
            sources = [s for s in _valid_entries(loaded, "sources", schema.LegalSource) if s is not None]
        else:
            entries, sources = list(parsed.provinces), list(parsed.sources)
        for i, p in enumerate(entries):
            if p is None:
                continue
            if p.id in provinces:
                problems.append(Problem(loaded.rel, loaded.line_of(("provinces", i, "id")), f"provinces[{i}].id", f'duplicate province id "{p.id}"'))
                continue
            provinces[p.id] = p
        if parsed is not None and not parsed.provinces:
            problems.append(Problem(loaded.rel, loaded.line_of(("provinces",)), "provinces", "expected at least one province, found none"))
        seen_sources: set[str] = set()
        for i, src in enumerate(sources):
            if src.id in seen_sources:
                problems.append(Problem(loaded.rel, loaded.line_of(("sources", i, "id")), f"sources[{i}].id", f'duplicate source id "{src.id}"'))
            seen_sources.add(src.id)
        registry = ProvinceRegistry.from_entries(entries, sources)
        for i, loc, message in registry.check(entries, sources):
            full = ("provinces", i) + loc
            problems.append(Problem(loaded.rel, loaded.line_of(full), path_text(full), message))
        return provinces, registry
    return provinces, ProvinceRegistry.from_entries([], [])


def check_registry(raw: RawContent, problems: list[Problem]) -> Registry:
    """Parse and cross-check the registry files of ``raw`` (provinces, agencies, criteria); problems are appended."""
    provinces, registry = _provinces(raw, problems)
    agencies = _agencies(raw, provinces, problems)
    agencies.set_places(registry)
    codes: set[str] = set()
    for loaded in raw.criteria:
        codes |= {c.code for c in _valid_entries(loaded, "criteria", schema.CriterionEntry) if c is not None}
    return Registry(registry, agencies, codes, problems)


class CheckedPlans:
    """The plans whose own checks (``_check_plan``: ids, province, source lines, agencies, deadlines, criteria, source
    fidelity; ``_check_dates``) found nothing, kept in a file beside the docs folder by the key of all those checks
    read: the plan file's and its source text's identity (LoadCache), every registry file's, the build's date and
    the code of the checks. A republish after editing one plan checks that plan again, not every plan; a plan with
    a problem is never kept, so it is reported on every build."""

    def __init__(self, path: Path | None, raw: RawContent, as_of: dt.date | None):
        import hashlib
        import sys
        self.path, self.sources = path, raw.source_identities
        self.before: set[str] = set()
        self.now: set[str] = set()
        registry = [raw.provinces, raw.fields, raw.scores, *raw.agencies, *raw.criteria]
        identities = [f.identity if f is not None else "-" for f in registry]
        self.base: bytes | None = None
        if path is None or any(i is None for i in identities):
            return
        code = b"".join(Path(m.__file__ or "").read_bytes() for m in (sys.modules[__name__], schema, sys.modules[AgencyDirectory.__module__],
                                                                       sys.modules[parse_deadline.__module__], sys.modules[LoadedFile.__module__]))
        self.base = hashlib.sha256(code + repr((identities, as_of)).encode()).digest()
        try:
            self.before = set(path.read_text(encoding="ascii").split())
        except (OSError, ValueError):
            pass

    def key(self, loaded: LoadedFile, plan: schema.PlanFile) -> str | None:
        """The key of the plan's checks; None when one of what they read has no identity (no cache)."""
        import hashlib
        source = self.sources.get(plan.source.file)
        if self.base is None or loaded.identity is None or source is None:
            return None
        return hashlib.blake2b(self.base + f"{loaded.identity}\0{source}".encode(), digest_size=20).hexdigest()

    def passed(self, key: str | None) -> bool:
        """The checks of this key found nothing the last time."""
        if key is not None and key in self.before:
            self.now.add(key)
            return True
        return False

    def add(self, key: str | None) -> None:
        if key is not None:
            self.now.add(key)

    def save(self) -> None:
        if self.path is None or self.base is None or self.now == self.before:
            return
        with contextlib.suppress(OSError):       # a record that cannot be kept only costs time
            write_if_changed(self.path, "".join(k + "\n" for k in sorted(self.now)))


def validate(raw: RawContent, as_of: dt.date | None = None, kept: Path | None = None) -> tuple[ValidContent | None, list[Problem]]:
    """``as_of``: the build's declared date (PORTAL_AS_OF, SOURCE_DATE_EPOCH or today); nothing dated after it.
    ``kept``: a file where the plans whose own checks found nothing are kept between builds (CheckedPlans)."""
    problems: list[Problem] = []
    # (every text of every file was checked as it was loaded: generator/content/strings.py)
    provinces, province_registry = _provinces(raw, problems)

    fields = parse_file(raw.fields, schema.FieldsFile, problems) if raw.fields is not None else None
    data = raw.fields.data if raw.fields is not None else None
    field_codes = ({f.code for f in fields.fields} if fields else
                   {f["code"] for f in (data.get("fields") or [] if isinstance(data, dict) else [])
                    if isinstance(f, dict) and isinstance(f.get("code"), str)})

    criteria = _criteria(raw, field_codes, problems)
    agencies = _agencies(raw, provinces, problems)
    agencies.set_places(province_registry)

    plans: list[tuple[LoadedFile, schema.PlanFile]] = []
    checked = CheckedPlans(kept, raw, as_of)
    seen_plan_ids: dict[str, str] = {}
    seen_plans: dict[tuple, tuple[str, str]] = {}
    for loaded in raw.plans:
        plan = parse_file(loaded, schema.PlanFile, problems)
        if plan is None:
            # Report the cross-file problems of what is valid too: one run shows everything.
            partial = _valid_part(loaded.data)
            if partial is not None:
                _check_plan(loaded, partial[0], raw, provinces, criteria, agencies, problems, index_maps=partial[1],
                            units=province_registry)
            continue
        before = len(problems)
        key = checked.key(loaded, plan)
        if not checked.passed(key):
            _check_plan(loaded, plan, raw, provinces, criteria, agencies, problems, units=province_registry)
            _check_dates(loaded, plan, as_of, problems)
            if len(problems) == before:
                checked.add(key)
        if plan.id in seen_plan_ids:
            problems.append(Problem(loaded.rel, loaded.line_of(("id",)), "id", f'duplicate plan id "{plan.id}", also used by {seen_plan_ids[plan.id]}'))
        else:
            _check_same_plan(loaded, plan, raw, seen_plans, problems)
        seen_plan_ids.setdefault(plan.id, loaded.rel)
        if len(problems) == before:
            plans.append((loaded, plan))
            # valid: from here on the plan is its schema object; its plain data and the line of every value (twice
            # the schema object's memory) are dropped now, not after resolve, where they made the build's peak
            loaded.data, loaded.lines = None, {}

    scores = _scores(raw, provinces, problems)
    checked.save()

    if problems or fields is None:
        return None, problems
    return ValidContent(raw, plans, agencies, criteria, provinces, fields, scores, province_registry), problems


def _check_dates(loaded: LoadedFile, plan: schema.PlanFile, as_of: dt.date | None, problems: list[Problem]) -> None:
    """Dates that cannot be true (issue 11, item 10): a plan issued, or a status recorded, after the build's date;
    a status recorded before the plan was issued. (A due date before the issue date is checked in _check_plan.)"""
    def add(loc: tuple, message: str) -> None:
        problems.append(Problem(loaded.rel, loaded.line_of(loc), path_text(loc), message))
    later = "after the build's date {as_of} (PORTAL_AS_OF, SOURCE_DATE_EPOCH or today): {what} cannot be in the future; check the date"
    if as_of is not None and plan.issued is not None and plan.issued > as_of:
        add(("issued",), f"{plan.issued.isoformat()} is " + later.format(as_of=as_of.isoformat(), what="an issue date"))
    for i, t in enumerate(plan.tasks):
        if t.status is None:
            continue
        loc = ("tasks", i, "status", "as_of")
        if as_of is not None and t.status.as_of > as_of:
            add(loc, f"{t.status.as_of.isoformat()} is " + later.format(as_of=as_of.isoformat(), what="a status"))
        elif plan.issued is not None and t.status.as_of < plan.issued:
            add(loc, f"{t.status.as_of.isoformat()} is before the plan was issued ({plan.issued.isoformat()}): "
                     "a task's status cannot be recorded before the task existed; check the date")


def _check_same_plan(loaded: LoadedFile, plan: schema.PlanFile, raw: RawContent, seen: dict, problems: list[Problem]) -> None:
    """The same plan under another id (issue 11, item 9) would count its tasks twice: the same number from the same
    issuer, the same source file, or a source text identical to another plan's."""
    import hashlib
    def key_text(value: str) -> str:
        return plain(value).casefold()
    keys: list[tuple[tuple, tuple, str]] = []
    if plan.number:
        issuer = ("issuer", key_text(plan.issuer)) if plan.issuer else ("province", plan.province)
        keys.append((("number",), ("number", key_text(plan.number)) + issuer,
                     f'the number "{plan.number}" and ' + (f'issuer "{plan.issuer}"' if plan.issuer else f'province "{plan.province}"')))
    keys.append((("source", "file"), ("file", plan.source.file), f'the source file "{plan.source.file}"'))
    text = raw.sources.get(plan.source.file)
    if text is not None:
        digest = hashlib.sha256("\n".join(text).strip().encode("utf-8")).hexdigest()
        keys.append((("source", "file"), ("text", digest), f'a source text ("{plan.source.file}") identical to the text'))
    for loc, key, what in keys:
        if key in seen and seen[key][0] != plan.id:
            other_id, other_rel, other_file = seen[key]
            of = f'("{other_file}") ' if key[0] == "text" else ""
            problems.append(Problem(loaded.rel, loaded.line_of(loc), path_text(loc),
                                    f'plan "{plan.id}" has {what} {of}of plan "{other_id}" ({other_rel}): the same plan '
                                    "twice would count its tasks twice; remove the copy"))
            return
        seen.setdefault(key, (plan.id, loaded.rel, plan.source.file))


def _scores(raw: RawContent, provinces: dict, problems: list[Problem]) -> schema.ScoresFile | None:
    """registry/scores.yml: each score of a known province, once per (province, index, year, rank scope)."""
    loaded = getattr(raw, "scores", None)
    if loaded is None:
        return None
    parsed = parse_file(loaded, schema.ScoresFile, problems)
    entries = parsed.scores if parsed else _valid_entries(loaded, "scores", schema.ScoreEntry)   # one run shows everything
    years = parsed.years if parsed else [y for y in (loaded.data.get("years") or []) if isinstance(y, int)] if isinstance(loaded.data, dict) else []
    seen: set[tuple] = set()
    for i, s in enumerate(entries):
        if s is None:
            continue
        if provinces and s.province not in provinces:
            hint = difflib.get_close_matches(s.province, list(provinces), n=1)
            problems.append(Problem(loaded.rel, loaded.line_of(("scores", i, "province")), f"scores[{i}].province",
                                    f'unknown province "{s.province}"' + (f'; did you mean "{hint[0]}"?' if hint else "")))
        key = (s.province, s.index, s.year, s.rank_scope)
        if key in seen:
            problems.append(Problem(loaded.rel, loaded.line_of(("scores", i)), f"scores[{i}]",
                                    f"a second {s.index} {s.year} score for {s.province}: keep one, with its source"))
        seen.add(key)
        if s.year not in years:
            problems.append(Problem(loaded.rel, loaded.line_of(("scores", i, "year")), f"scores[{i}].year",
                                    f"year {s.year} is not in years: {', '.join(map(str, years))}"))
    return parsed


def _valid_part(data) -> tuple[schema.PlanFile, dict[str, list[int]]] | None:
    """The plan without the values that failed the schema (items dropped, optional keys reset), for cross checks."""
    import copy
    if not isinstance(data, dict):
        return None
    data = copy.deepcopy(data)
    maps: dict[str, list[int]] = {k: list(range(len(v))) for k, v in data.items() if isinstance(v, list)}
    for _ in range(4):
        try:
            return schema.PlanFile.model_validate(data), maps
        except ValidationError as exc:
            drop_items: dict[str, set[int]] = {}
            for err in exc.errors():
                loc = _data_loc(data, err["loc"])
                if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(data.get(loc[0]), list):
                    drop_items.setdefault(loc[0], set()).add(loc[1])
                elif len(loc) >= 1 and loc[0] in data:
                    field = schema.PlanFile.model_fields.get(loc[0])
                    if field is None:
                        del data[loc[0]]
                    elif not field.is_required():
                        del data[loc[0]]
                    elif loc[0] in ("issued", "number"):
                        data[loc[0]] = None
                    else:
                        return None
                else:
                    return None
            for key, idx in drop_items.items():
                data[key] = [item for i, item in enumerate(data[key]) if i not in idx]
                maps[key] = [orig for i, orig in enumerate(maps[key]) if i not in idx]
    return None


def _valid_entries(loaded: LoadedFile, key: str, model: type[BaseModel]) -> list[Any]:
    """The entries of a file's list ``key`` that are valid on their own (None in place of the others)."""
    items = loaded.data.get(key) if isinstance(loaded.data, dict) else None
    out: list[Any] = []
    for item in items if isinstance(items, list) else []:
        try:
            out.append(model.model_validate(item))
        except ValidationError:
            out.append(None)
    return out


def _criteria(raw: RawContent, field_codes: set[str], problems: list[Problem]) -> dict[str, schema.CriterionEntry]:
    out: dict[str, schema.CriterionEntry] = {}
    where: dict[str, str] = {}
    pending = []
    for loaded in raw.criteria:
        parsed = parse_file(loaded, schema.CriteriaFile, problems)
        for i, c in enumerate(parsed.criteria if parsed else _valid_entries(loaded, "criteria", schema.CriterionEntry)):
            if c is None:
                continue
            line = loaded.line_of(("criteria", i, "code"))
            if c.code in out:
                problems.append(Problem(loaded.rel, line, f"criteria[{i}].code", f'criterion "{c.code}" is already defined in {where[c.code]}'))
                continue
            if field_codes and c.code.split(".")[0] not in field_codes:   # none: fields.yml's problem is reported
                problems.append(Problem(loaded.rel, line, f"criteria[{i}].code", f'"{c.code}" is in no PAR INDEX field (expected 1 to 8)'))
            out[c.code] = c
            where[c.code] = loaded.rel
            pending.append((loaded, i, c))
    for loaded, i, c in pending:
        if c.parent is not None and c.parent not in out:
            problems.append(Problem(loaded.rel, loaded.line_of(("criteria", i, "parent")), f"criteria[{i}].parent", f'unknown parent criterion "{c.parent}"'))
    return out


def _agencies(raw: RawContent, provinces: dict, problems: list[Problem]) -> AgencyDirectory:
    directory = AgencyDirectory()
    where: dict[str, str] = {}
    parsed_files = []
    for loaded in raw.agencies:
        parsed = parse_file(loaded, schema.AgencyFile, problems)
        if parsed is None:   # keep the valid entries, so that one bad entry does not make every name "unknown"
            aliases = loaded.data.get("aliases") if isinstance(loaded.data, dict) else None
            parsed = schema.AgencyFile.model_construct(
                agencies=[a for a in _valid_entries(loaded, "agencies", schema.AgencyEntry)],
                aliases={k: v for k, v in aliases.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(aliases, dict) else {})
        parsed_files.append((loaded, parsed))
        for i, a in enumerate(parsed.agencies):
            if a is None:
                continue
            if a.id in directory.by_id:
                problems.append(Problem(loaded.rel, loaded.line_of(("agencies", i, "id")), f"agencies[{i}].id", f'agency id "{a.id}" is already defined in {where[a.id]}'))
                continue
            if a.province is not None and a.province not in provinces:
                problems.append(Problem(loaded.rel, loaded.line_of(("agencies", i, "province")), f"agencies[{i}].province", f'unknown province "{a.province}"'))
            directory.add(Agency(a.id, a.name, tuple(a.aliases), tuple(a.abbr), a.group, a.province,
                                 valid_from=a.valid_from, valid_to=a.valid_to, note=a.note))
            where[a.id] = loaded.rel
    for loaded, parsed in parsed_files:
        for i, a in enumerate(parsed.agencies):
            agency = directory.by_id.get(a.id) if a is not None else None
            if agency is None or where[a.id] != loaded.rel:
                continue
            for kind, names in (("name", [a.name]), ("aliases", a.aliases), ("abbr", a.abbr)):
                for j, written in enumerate(names):
                    other = directory.add_name(written, agency)
                    if other is not None:
                        loc: tuple = ("agencies", i, kind) if kind == "name" else ("agencies", i, kind, j)
                        problems.append(Problem(loaded.rel, loaded.line_of(loc), path_text(loc), f'"{written}" already names agency "{other.id}"'))
    for loaded, parsed in parsed_files:
        for written, target in parsed.aliases.items():
            agency = directory.by_id.get(target)
            loc = ("aliases", written)
            if agency is None:
                hint = difflib.get_close_matches(target, list(directory.by_id), n=1)
                problems.append(Problem(loaded.rel, loaded.line_of(loc), f'aliases["{written}"]', f'unknown agency id "{target}"' + (f'; did you mean "{hint[0]}"?' if hint else "")))
                continue
            other = directory.add_name(written, agency)
            if other is not None:
                problems.append(Problem(loaded.rel, loaded.line_of(loc), f'aliases["{written}"]', f'"{written}" already names agency "{other.id}"'))
    for loaded, parsed in parsed_files:
        for gid, members in (getattr(parsed, "members", None) or {}).items():
            group = directory.by_id.get(gid)
            loc = ("members", gid)
            if group is None or not group.group:
                problems.append(Problem(loaded.rel, loaded.line_of(loc), f"members.{gid}",
                                        f'"{gid}" is not a group of the registry (an entry with group: true)'))
                continue
            unknown = [m for m in members if m not in directory.by_id or m == gid]
            if unknown:
                problems.append(Problem(loaded.rel, loaded.line_of(loc), f"members.{gid}", f"unknown member id(s): {', '.join(unknown)}"))
                continue
            group.members = tuple(members)
    for loaded, parsed in parsed_files:
        own = [a if a is not None and where.get(a.id) == loaded.rel else None for a in parsed.agencies]
        for i, j, message in directory.link_successions(own):
            loc = ("agencies", i, "successors", j)
            problems.append(Problem(loaded.rel, loaded.line_of(loc), path_text(loc), message))
    directory.add_city_forms()
    return directory


def load_registry(content_dir: Path | str, strict: bool = True) -> Registry:
    """Read ``<content_dir>/registry`` (generator/content/registry.py's public API); ``strict``: raise RegistryError if it
    has problems."""
    content_dir = Path(content_dir)
    root = content_dir.parent
    problems: list = []
    many = lambda sub: [f for f in (load_yaml(p, root, problems) for p in sorted((content_dir / "registry" / sub).glob("*.yml"))) if f]
    provinces_file = content_dir / "registry" / "provinces.yml"
    raw = RawContent(root, [], many("agencies"), many("criteria"),
                     load_yaml(provinces_file, root, problems) if provinces_file.exists() else None, None, {})
    registry = check_registry(raw, problems)
    if strict and registry.problems:
        raise RegistryError(registry.problems)
    return registry


# The name older callers import (generator/extract.py); new code uses check_registry or load_registry.
agency_directory = _agencies


_PARTNER = re.compile(r"^\s*phối hợp(?: chặt chẽ)? với\s+(.+)$", re.IGNORECASE | re.DOTALL)


def _check_plan(loaded, plan: schema.PlanFile, raw: RawContent, provinces, criteria, agencies: AgencyDirectory, problems,
                index_maps: dict[str, list[int]] | None = None, units: ProvinceRegistry | None = None):
    rel = loaded.rel
    flagged: set[tuple] = set()
    def add(loc: tuple, message: str):
        flagged.add(loc)
        if index_maps and len(loc) >= 2 and loc[0] in index_maps and isinstance(loc[1], int):
            loc = (loc[0], index_maps[loc[0]][loc[1]]) + loc[2:]     # back to the index in the file
        if loc in loaded.reported:      # e.g. a name with an invisible character: one message is enough
            return
        problems.append(Problem(rel, loaded.line_of(loc), path_text(loc), message))

    expected_id = loaded.path.stem
    if plan.id != expected_id:
        add(("id",), f'plan id "{plan.id}" differs from the file name; expected "{expected_id}"')
    if provinces and plan.province not in provinces:   # no provinces at all: the registry problem is reported
        hint = difflib.get_close_matches(plan.province, list(provinces), n=1)
        add(("province",), f'unknown province "{plan.province}"' + (f'; did you mean "{hint[0]}"?' if hint else f"; expected one of: {', '.join(provinces)}"))
    elif units is not None and plan.issued is not None and (unit := units.get(plan.province)) is not None and not unit.in_force(plan.issued):
        match = units.resolve(f"{unit.kind} {unit.name}", plan.issued)
        instead = f'; on that date "{unit.title}" is "{match.unit.id}"' if match and match.unit and match.unit is not unit else ""
        add(("province",), f'province "{plan.province}" ({unit.label}) was not in force on the plan\'s issue date {plan.issued}{instead}')
    source = raw.sources.get(plan.source.file)
    if source is None:
        if plan.source.file not in raw.unreadable:     # a file that could not be read is reported by load
            add(("source", "file"), f'source text "{plan.source.file}" is not in content/sources/')
        n_lines = None
    else:
        n_lines = len(source)

    def check_lines(loc: tuple, lines: list[int]):
        if n_lines is not None and lines[1] > n_lines:
            add(loc, f"line {lines[1]} is past the end of {plan.source.file} ({n_lines} lines)")

    for key, line in plan.source.lines.items():
        if n_lines is not None and not 1 <= line <= n_lines:
            add(("source", "lines", key), f"line {line} is outside {plan.source.file} (1 to {n_lines})")
    for i, r in enumerate(plan.task_sections):
        check_lines(("task_sections", i), r)
    for i, b in enumerate(plan.baselines):
        check_lines(("baselines", i, "lines"), b.lines)
    for i, s in enumerate(plan.skips):
        check_lines(("skips", i, "lines"), s.lines)

    ids: dict[str, str] = {}
    def check_id(kind: str, i: int, item_id: str):
        if item_id in ids:
            add((kind, i, "id"), f'duplicate id "{item_id}" (already used by {ids[item_id]} in this plan)')
        ids.setdefault(item_id, f"{kind}[{i}]")

    group_ids = {g.id for g in plan.groups}
    for i, g in enumerate(plan.groups):
        check_id("groups", i, g.id)
        check_lines(("groups", i, "lines"), g.lines)
        if g.parent is not None and g.parent not in group_ids:
            add(("groups", i, "parent"), f'unknown group "{g.parent}"')
    for i, o in enumerate(plan.objectives):
        check_id("objectives", i, o.id)
        check_lines(("objectives", i, "lines"), o.lines)
    for i, t in enumerate(plan.tasks):
        check_id("tasks", i, t.id)
        check_lines(("tasks", i, "lines"), t.lines)
        if t.group is not None and t.group not in group_ids:
            hint = difflib.get_close_matches(t.group, list(group_ids), n=1)
            add(("tasks", i, "group"), f'unknown group "{t.group}"' + (f'; did you mean "{hint[0]}"?' if hint else ""))
        for role in ("lead", "support"):
            for j, name in enumerate(getattr(t, role)):
                if isinstance(name, schema.UnresolvedName):
                    continue
                agency = agencies.resolve(name)
                if agency is None:
                    suggestion = agencies.suggest(name)
                    add(("tasks", i, role, j), f'unknown agency "{name}"' + (f'; did you mean "{suggestion}"?' if suggestion else "; add it to content/registry/agencies/ or mark it {name: ..., unresolved: true}"))
                elif agency.province is not None and agency.province != plan.province:
                    add(("tasks", i, role, j), f'agency "{agency.name}" belongs to province "{agency.province}", not "{plan.province}"')
        if plan.issued is not None:      # a due date before the plan existed was read from something else (a cited document's date)
            for loc, text in [(("tasks", i, "deadline"), t.deadline)] + [(("tasks", i, "milestones", k, "deadline"), ms.deadline) for k, ms in enumerate(t.milestones)]:
                d = parse_deadline(" ".join(text.split())) if text else None
                if d is not None and d.due is not None and d.due < plan.issued:
                    add(loc, f'the deadline "{text}" gives a due date {d.due.isoformat()} before the plan was issued ({plan.issued.isoformat()}); '
                             "a cited document's date is not a due date: check the text")
        for j, code in enumerate(t.criteria):
            if code not in criteria:
                hint = difflib.get_close_matches(code, list(criteria), n=1)
                add(("tasks", i, "criteria", j), f'unknown criterion "{code}"' + (f'; did you mean "{hint[0]}"?' if hint else "; add it to content/registry/criteria/"))
        if t.field is not None and t.criteria and any(not c.startswith(f"{t.field}.") for c in t.criteria):
            add(("tasks", i, "field"), f"field {t.field} does not match criteria {', '.join(t.criteria)}")
    if source is not None:
        check_fidelity(plan, source, add, flagged)
    for i, t in enumerate(plan.tasks):
        partner = _PARTNER.match(t.text)
        if partner and ("tasks", i, "text") not in flagged:
            # "Phối hợp với X ...": the heading's agency leads, X is recorded in support (content/README.md)
            named = " ".join(partner.group(1).split()).casefold()
            written = [n.name if isinstance(n, schema.UnresolvedName) else n for n in t.support]
            if not any(" ".join(w.split()).casefold() in named for w in written):
                add(("tasks", i, "support"), f'the task starts with "{t.text[:partner.end(0) - len(partner.group(1))].strip()}" '
                                             "but records none of the agencies it names there in support; add them as written")


# Source fidelity (issue 11, item 7): what a task says is what its source lines say. Compared after NFC, with
# spacing collapsed and Markdown emphasis (* ** __) dropped, as the source texts were copied from web pages.
_EMPHASIS = re.compile(r"\*\*|\*|__")


def plain(text: str) -> str:
    return " ".join(_EMPHASIS.sub("", unicodedata.normalize("NFC", text)).split())


def check_fidelity(plan: schema.PlanFile, source: list[str], add, flagged: set[tuple]) -> None:
    """Every task's text, deadline and output as written are in the task's own source lines; every lead and support
    as written is there or in a heading it inherits from: its group's lines (or an enclosing group's), or the lines
    given in ``assigned_by``."""
    n_lines = len(source)
    spans: dict[tuple[int, int], str] = {}

    def span(lines) -> str:
        key = (lines[0], lines[1])
        if key not in spans:
            spans[key] = plain(" ".join(source[key[0] - 1:key[1]]))
        return spans[key]

    groups = {g.id: g for g in plan.groups}
    for i, t in enumerate(plan.tasks):
        if t.lines[1] > n_lines or (t.assigned_by and t.assigned_by[1] > n_lines):
            continue        # reported as out of range
        own = span(t.lines)
        headings = [t.assigned_by] if t.assigned_by else []
        g, seen = groups.get(t.group) if t.group else None, set()
        while g is not None and g.id not in seen and g.lines[1] <= n_lines:
            seen.add(g.id)
            headings.append(g.lines)
            g = groups.get(g.parent) if g.parent else None
        texts: list[tuple[tuple, str | None]] = [(("tasks", i, f), getattr(t, f)) for f in ("text", "deadline", "output")]
        texts += [(("tasks", i, "milestones", k, f), getattr(m, f)) for k, m in enumerate(t.milestones) for f in ("text", "deadline")]
        for loc, value in texts:
            if value is not None and loc not in flagged and plain(value) not in own:
                add(loc, _not_in_source(value, source, [t.lines], f"the task's source lines {t.lines[0]}-{t.lines[1]}"))
        for role in ("lead", "support"):
            for j, name in enumerate(getattr(t, role)):
                written = name.name if isinstance(name, schema.UnresolvedName) else name
                loc = ("tasks", i, role, j)
                if loc in flagged or (*loc, "name") in flagged:
                    continue
                wanted = plain(written)
                if wanted in own or any(wanted in span(h) for h in headings):
                    continue
                where = (f"the task's source lines {t.lines[0]}-{t.lines[1]} nor in a heading it inherits from "
                         "(its groups' lines, or assigned_by)")
                add(loc, _not_in_source(written, source, [t.lines, *headings], where))


def _not_in_source(value: str, source: list[str], ranges: list, where: str) -> str:
    """The message for a value not found: what, where it was looked for, and the nearest line of the source."""
    wanted = plain(value)
    candidates = sorted({n for a, b in ranges for n in range(max(1, a - 2), min(len(source), b + 2) + 1)})
    def score(n: int) -> float:
        matcher = difflib.SequenceMatcher(None, wanted, plain(source[n - 1]), autojunk=False)
        return matcher.find_longest_match(0, len(wanted), 0, len(plain(source[n - 1]))).size + matcher.quick_ratio()
    nearest = max(candidates, key=score) if candidates else None
    shown = plain(source[nearest - 1]) if nearest else ""
    return (f'{_show(value)} is not written in {where}; nearest source line {nearest}: '
            f'{_show(shown)}; copy the value as written (only spacing and Markdown emphasis may differ)')
