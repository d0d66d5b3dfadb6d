"""Stage 3, resolve: turn validated files into the domain model.

Written agency names become Agency mentions, criterion codes become Criterion objects, deadlines are parsed,
and cited documents are found in the source texts and tied to the tasks whose lines hold them.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import pickle
import re
from pathlib import Path
from typing import overload

from . import schema
from .citations import Mention, document_id, find_mentions, number_key
from ..files import write_if_changed
from ..model.deadline import parse_deadline
from ..model.domain import (AgencyMention, Baseline, CitedDocument, Citation, Corpus, Criterion, Field, Group,
                    Milestone, Objective, Plan, Province, Score, ScoreSource, Status, StatusState, Successor, Target, Task)
from .validate import ValidContent


@overload
def _text(value: str) -> str: ...
@overload
def _text(value: None) -> None: ...
@overload
def _text(value: str | None) -> str | None: ...
def _text(value: str | None) -> str | None:
    return " ".join(value.split()) if value is not None else None


def _lines(value: list[int]) -> tuple[int, int]:
    """A source line range (schema.Lines: validated as [first, last])."""
    first, last = value
    return first, last


class KeptMentions:
    """The documents each plan's source text cites (``citations.find_mentions``, a reading of every line of every
    source: a quarter of the resolve stage), kept in a file beside the docs folder by the text's identity (LoadCache:
    its path, size, times and inode) and the code that finds them. A republish after editing one plan reads that
    plan's text again, not every one; a text without an identity (no cache) is always read."""

    def __init__(self, path: Path | None, identities: dict[str, str]):
        from . import citations
        self.path, self.identities = path, identities
        self.version = hashlib.sha256(Path(citations.__file__).read_bytes()).hexdigest()[:16]
        self.before: dict[str, list[Mention]] = {}
        self.now: dict[str, list[Mention]] = {}
        if path is not None:
            with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
                version, texts = pickle.loads(path.read_bytes())
                if version == self.version and isinstance(texts, dict):
                    self.before = texts

    def of(self, plan: Plan) -> list[Mention]:
        identity = self.identities.get(plan.source_file) if self.path is not None else None
        if identity is None:
            return find_mentions(plan.source_text)
        found = self.before.get(identity)
        if found is None:
            found = find_mentions(plan.source_text)
        self.now[identity] = found
        return found

    def save(self) -> None:
        if self.path is None or self.now.keys() == self.before.keys():
            return
        with contextlib.suppress(OSError):       # a record that cannot be kept only costs time
            write_if_changed(self.path, pickle.dumps((self.version, self.now), protocol=pickle.HIGHEST_PROTOCOL))


def resolve(valid: ValidContent, kept: Path | None = None) -> Corpus:
    """The domain model of the valid content. ``kept``: a file where the documents each source text cites are kept
    between builds (KeptMentions)."""
    if valid.province_registry is not None:      # the registry's units, linked to predecessors and successors
        provinces = {u.id: u for u in valid.province_registry.units}
    else:
        provinces = {
            p.id: Province(p.id, p.name, Successor(p.successor.name, p.successor.since, p.successor.basis, p.successor.note) if p.successor else None)
            for p in valid.provinces.values()
        }
    fields = {f.code: Field(f.code, f.name, f.alias) for f in valid.fields.fields}
    criteria: dict[str, Criterion] = {}
    for code in sorted(valid.criteria, key=_code_key):
        c = valid.criteria[code]
        criteria[code] = Criterion(code, _text(c.name) if c.name else None, c.parent, fields[code.split(".")[0]], c.source, _lines(c.lines) if c.lines else None)
        fields[code.split(".")[0]].criteria.append(criteria[code])

    plans = []
    for loaded, pf in sorted(valid.plans, key=lambda x: x[1].id):
        plans.append(_plan(pf, loaded.rel, provinces[pf.province], valid, fields, criteria))
    for plan in plans:
        plan.province.plans.append(plan)
    for province in provinces.values():
        province.plans.sort(key=lambda p: (p.issued or _FAR, p.id))

    mentions = KeptMentions(kept, valid.raw.source_identities)
    documents = _documents(plans, mentions.of)
    mentions.save()
    agencies = dict(sorted(valid.agencies.by_id.items()))
    scores = []
    for s in (valid.scores.scores if valid.scores else []):
        src = s.source
        score = Score(provinces[s.province], s.index, s.year, s.value, s.unit, s.rank, s.of, s.rank_scope,
                      ScoreSource(src.kind, _text(src.title), _text(src.publisher), src.date, src.url, _text(src.where)), _text(s.note))
        scores.append(score)
        score.province.scores.append(score)
    return Corpus(
        provinces=sorted(provinces.values(), key=lambda p: p.id),
        fields=list(fields.values()),
        sipas_components=[(s.code, s.name) for s in valid.fields.sipas_components],
        criteria=criteria,
        agencies=agencies,
        plans=plans,
        documents=documents,
        scores=scores,
        score_years=sorted(valid.scores.years) if valid.scores else [],
    )


_FAR = _dt.date(9999, 1, 1)


def _code_key(code: str) -> tuple:
    return tuple(int(x) for x in code.split("."))


def _mentions(names: list, valid: ValidContent) -> tuple[AgencyMention, ...]:
    out = []
    for name in names:
        if isinstance(name, schema.UnresolvedName):
            out.append(AgencyMention(_text(name.name), None, name.note))
        else:
            out.append(AgencyMention(_text(name), valid.agencies.resolve(name)))
    return tuple(out)


def _plan(pf: schema.PlanFile, rel: str, province: Province, valid: ValidContent, fields, criteria) -> Plan:
    plan = Plan(
        id=pf.id, file=rel, province=province, number=pf.number, type=pf.type, title=_text(pf.title), issued=pf.issued,
        issuer=pf.issuer, signer=pf.signer, period=pf.period, source_file=pf.source.file,
        source_text=valid.raw.sources[pf.source.file], source_note=pf.source.note, source_fact_lines=dict(pf.source.lines),
    )
    plan.baselines = [Baseline(b.index, b.year, b.score, b.unit, b.rank, b.of, b.change, b.note, _lines(b.lines), b.component, b.max, b.rank_scope)
                      for b in pf.baselines]
    plan.objectives = [Objective(plan, o.id, _text(o.text), tuple(Target(t.value, t.unit, t.year, t.metric) for t in o.targets), _lines(o.lines)) for o in pf.objectives]
    groups: dict[str, Group] = {}
    for g in pf.groups:
        groups[g.id] = Group(g.id, g.ref, _text(g.title), None, _lines(g.lines))
    for g in pf.groups:
        if g.parent:
            groups[g.id].parent = groups[g.parent]
    plan.groups = list(groups.values())
    for t in pf.tasks:
        field = fields.get(str(t.field)) if t.field is not None else None
        crit = tuple(criteria[c] for c in t.criteria)
        if field is None and crit:
            field = crit[0].field
        plan.tasks.append(Task(
            plan=plan, id=t.id, ref=t.ref, group=groups.get(t.group) if t.group else None, text=_text(t.text),
            lead=_mentions(t.lead, valid), support=_mentions(t.support, valid), deadline=parse_deadline(_text(t.deadline), pf.issued),
            output=_text(t.output), field=field, criteria=crit, note=_text(t.note), lines=_lines(t.lines),
            status=Status(StatusState(t.status.state), t.status.evidence, t.status.as_of, t.status.url) if t.status else None,
            milestones=tuple(Milestone(_text(ms.text), parse_deadline(_text(ms.deadline), pf.issued)) for ms in t.milestones),
        ))
    return plan


def _documents(plans: list[Plan], mentions_of=lambda plan: find_mentions(plan.source_text)) -> list[CitedDocument]:
    """Cited documents across all plans, keyed by (number, year); ``mentions_of(plan)``: what its source text cites."""
    documents: dict[tuple[str, int | None], CitedDocument] = {}

    def doc_for(m: Mention, year: int | None) -> CitedDocument:
        key = (number_key(m.number), year)
        doc = documents.get(key)
        if doc is None:
            doc = documents[key] = CitedDocument(document_id(m.number, year), m.number, m.kind, None, year)
        if doc.date is None and m.date is not None:
            doc.date = m.date
        if doc.kind is None and m.kind:
            doc.kind = m.kind
        if re.match(r"^\d+/\d{4}/", m.number) and not re.match(r"^\d+/\d{4}/", doc.number):
            doc.number = m.number          # the full form names the document better ("19/2014/QĐ-TTg" over "19/QĐ-TTg")
        return doc

    for plan in plans:
        mentions = mentions_of(plan)
        # Skip the plan's own number: it is the plan, not a citation.
        own = number_key(plan.number) if plan.number else None
        years_by_number: dict[str, set[int]] = {}
        for m in mentions:
            if m.year is not None:
                years_by_number.setdefault(number_key(m.number), set()).add(m.year)
        task_at = _task_lines(plan)
        for m in mentions:
            if own and number_key(m.number) == own:
                continue
            ambiguous = merged = False
            year = m.year
            if year is None:
                # an undated mention belongs to the one document of that number the same plan dates (a number is
                # unique only within an issuer and year: another province's 01-NQ/TU is another document)
                known = years_by_number.get(number_key(m.number), set())
                if len(known) == 1:
                    year = next(iter(known))
                    merged = True
                elif len(known) > 1:
                    ambiguous = True
            doc = doc_for(m, year)
            citation = Citation(doc, plan, m.line, m.written, task_at.get(m.line), ambiguous, merged)
            doc.citations.append(citation)
            plan.citations.append(citation)
            if citation.task is not None:
                citation.task.citations.append(citation)
    return sorted(documents.values(), key=lambda d: (number_key(d.number), d.year or 0))


def _task_lines(plan: Plan) -> dict[int, Task]:
    """Line -> the narrowest task whose range holds it."""
    at: dict[int, Task] = {}
    for task in sorted(plan.tasks, key=lambda t: t.lines[1] - t.lines[0], reverse=True):
        for n in range(task.lines[0], task.lines[1] + 1):
            at[n] = task
    return at
