"""Property-based tests (hypothesis) for the loader, the deadline parser, the Vietnamese folding and the
agency-name resolver. The number of examples each property tries is set here and listed in the README."""
from __future__ import annotations

import calendar
import datetime as dt
import re
import sys
import unicodedata
from functools import lru_cache

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import ROOT

sys.path.insert(0, str(ROOT))
from generator.model.deadline import parse_deadline  # noqa: E402
from generator.folding import fold  # noqa: E402
from generator.content.load import load_yaml  # noqa: E402
from generator.content.registry import name_key  # noqa: E402

LOADER_EXAMPLES = 150
DEADLINE_EXAMPLES = 500
FOLDING_EXAMPLES = 300
RESOLVER_EXAMPLES = 300

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
vi_words = st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " ", min_size=1, max_size=30)
# text a maintainer could paste: letters, marks, digits, punctuation, symbols and spaces of any script
pasted = st.text(alphabet=st.characters(categories=("L", "M", "N", "P", "S", "Zs")), max_size=60)
keys = st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True)
scalars = st.one_of(pasted, st.integers(-10**9, 10**9), st.booleans(), st.none())
documents = st.dictionaries(keys, st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)), max_leaves=20), min_size=1, max_size=6)


def nfc_all(value):
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [nfc_all(v) for v in value]
    if isinstance(value, dict):
        return {k: nfc_all(v) for k, v in value.items()}
    return value


def leaf_paths(value, loc=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from leaf_paths(v, loc + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from leaf_paths(v, loc + (i,))
    else:
        yield loc


# ---------------------------------------------------------------- loader

@settings(max_examples=LOADER_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=documents, crlf=st.booleans(), bom=st.booleans())
def test_loader_round_trips_data_and_reports_the_line_of_every_key(tmp_path, data, crlf, bom):
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
    raw = text.replace("\n", "\r\n") if crlf else text
    path = tmp_path / "x.yml"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + raw.encode("utf-8"))
    problems: list = []
    loaded = load_yaml(path, tmp_path, problems)
    assert problems == []
    assert loaded.data == nfc_all(data)
    lines = text.split("\n")
    for loc in leaf_paths(data):
        key = next((p for p in reversed(loc) if isinstance(p, str)), None)
        if key is None or loc[-1] != key:
            continue                      # a list item: its line is that of the item
        line = loaded.line_of(loc)
        # the dumper quotes keys YAML would read otherwise ('no', 'on', '1'): accept the key quoted
        assert re.search(rf"""(^|[\s{{,])['"]?{re.escape(key)}['"]?:""", lines[line - 1]), (loc, line, lines[line - 1])


@settings(max_examples=LOADER_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=300))
def test_loader_never_raises_on_arbitrary_bytes(tmp_path, raw):
    path = tmp_path / "x.yml"
    path.write_bytes(raw)
    problems: list = []
    loaded = load_yaml(path, tmp_path, problems)
    assert (loaded is None) == bool(problems) or (loaded is not None and problems)
    for p in problems:
        assert p.file == "x.yml" and p.message


# ---------------------------------------------------------------- deadlines

def years_in(text: str) -> set[int]:
    digits = re.findall(r"\d+", unicodedata.normalize("NFC", text))
    return {int(d[i:i + 4]) for d in digits for i in range(len(d) - 3)}


@settings(max_examples=DEADLINE_EXAMPLES, deadline=None)
@given(text=st.one_of(st.text(max_size=80), pasted, st.builds(lambda a, b, c: f"{a} {b} {c}", vi_words,
       st.sampled_from(["Quý", "quý", "Tháng", "Năm", "trước ngày", "2021-2025", "hằng năm", "/", "-", "III/", "năm 20"]),
       st.integers(0, 99999).map(str))))
def test_deadline_parser_never_raises_and_dates_only_what_the_text_dates(text):
    d = parse_deadline(text)
    if d is None:
        assert not text.strip()
        return
    assert d.text == text
    if d.due is not None:       # "trước năm 2025", "trước Quý I/2025": the year before the one written
        assert d.due.year in years_in(text) or (d.due.year + 1 in years_in(text) and "trước" in text.lower()), (text, d.due)
        assert not d.suspicious


@settings(max_examples=DEADLINE_EXAMPLES, deadline=None)
@given(prefix=st.sampled_from(["Trong năm", "Năm", "năm", "Trong NĂM", "Cuối năm"]), year=st.integers(0, 999),
       words=st.text(alphabet=VIETNAMESE + " ", max_size=20))
def test_a_truncated_year_is_flagged_suspicious_never_repaired(prefix, year, words):
    d = parse_deadline(f"{words} {prefix} {year}")
    assert d.suspicious and d.due is None and d.kind == "suspicious"


@settings(max_examples=DEADLINE_EXAMPLES, deadline=None)
@given(day=st.integers(1, 31), month=st.integers(1, 12), year=st.integers(1990, 2100),
       form=st.sampled_from(["trước ngày {d}/{m}/{y}", "Trước ngày {d}/{m}/{y}", "ngày {d} tháng {m} năm {y}", "{d}.{m}.{y}"]))
def test_a_written_date_is_due_that_day(day, month, year, form):
    assume(day <= calendar.monthrange(year, month)[1])
    d = parse_deadline(form.format(d=day, m=month, y=year))
    assert d.due == dt.date(year, month, day) and d.kind == "fixed"


@settings(max_examples=DEADLINE_EXAMPLES, deadline=None)
@given(q=st.sampled_from([("I", 3), ("II", 6), ("III", 9), ("IV", 12), ("1", 3), ("4", 12)]), year=st.integers(1990, 2100),
       word=st.sampled_from(["Quý", "quý", "QUÝ"]))
def test_a_quarter_is_due_at_its_last_day(q, year, word):
    roman, month = q
    d = parse_deadline(f"{word} {roman}/{year}")
    assert d.due == dt.date(year, month, calendar.monthrange(year, month)[1])


# ---------------------------------------------------------------- folding

@settings(max_examples=FOLDING_EXAMPLES, deadline=None)
@given(text=st.one_of(vi_words, pasted))
def test_folding_is_idempotent_and_leaves_no_mark_and_no_d_stroke(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert "đ" not in folded and "Đ" not in folded
    assert not any(unicodedata.category(c) == "Mn" and "\u0300" <= c <= "\u036f" for c in unicodedata.normalize("NFD", folded))


@settings(max_examples=FOLDING_EXAMPLES, deadline=None)
@given(text=vi_words)
def test_folding_ignores_case_and_normal_form_of_vietnamese(text):
    assert fold(text.upper()) == fold(text.lower()) == fold(unicodedata.normalize("NFD", text)) == fold(text)
    assert fold(text).isascii()


# ---------------------------------------------------------------- agency resolver

@lru_cache(maxsize=1)
def directory():
    from generator.cli import Progress, load_corpus
    valid, _ = load_corpus(ROOT / "content", Progress(quiet=True))
    names = []
    for _loaded, parsed in _registry_files(valid):
        for a in parsed.agencies:
            for written in (a.name, *a.aliases, *a.abbr):
                names.append((written, a.id))
        for written, target in parsed.aliases.items():
            names.append((written, target))
    return valid.agencies, sorted(set(names))


def _registry_files(valid):
    from generator.content.schema import AgencyFile
    for loaded in valid.raw.agencies:
        yield loaded, AgencyFile.model_validate(loaded.data)


@st.composite
def variant(draw, written: str) -> str:
    """The same name as a maintainer might paste it: other case, extra or other spaces, decomposed."""
    chars = [c.upper() if draw(st.booleans()) else c.lower() for c in written]
    text = "".join(chars)
    text = re.sub(" ", lambda _: draw(st.sampled_from([" ", "  ", "\t", " \u00a0", "\n"])), text)
    text = draw(st.sampled_from(["", " ", "\t", "\n "])) + text + draw(st.sampled_from(["", " ", " \n", ";", "."]))
    return unicodedata.normalize(draw(st.sampled_from(["NFC", "NFD"])), text)


@settings(max_examples=RESOLVER_EXAMPLES, deadline=None)
@given(data=st.data())
def test_every_registry_name_resolves_to_its_agency_however_it_is_pasted(data):
    agencies, names = directory()
    written, agency_id = data.draw(st.sampled_from(names))
    pasted_name = data.draw(variant(written))
    assert agencies.resolve(pasted_name) is agencies.by_id[agency_id], (written, pasted_name)


@settings(max_examples=RESOLVER_EXAMPLES, deadline=None)
@given(data=st.data())
def test_names_not_in_the_registry_never_resolve(data):
    agencies, names = directory()
    known = {name_key(w) for w, _ in names}
    written, _ = data.draw(st.sampled_from(names))
    # one letter changed, dropped or added: a typo, not a registry name
    i = data.draw(st.integers(0, len(written) - 1))
    typo = data.draw(st.sampled_from([written[:i] + written[i + 1:], written[:i] + "x" + written[i:],
                                      written[:i] + "q" + written[i + 1:]]))
    other = data.draw(st.one_of(st.just(typo), pasted))
    assume(name_key(other) not in known)
    assert agencies.resolve(other) is None
