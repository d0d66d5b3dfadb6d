"""One projection of a Task (issue 15): the values every output that shows a task is made from, worked out once.

A task is shown five ways: its row on its plan page and its compact row in a listing (``render.task_view``), its
JSON record and CSV line (``index.task_record``), the assignment finder's row and search document
(``search.finder_shards``), the site search's entry (``search.site_search_entries``) and a feed's entry and
calendar event (``feeds.FeedWriter``). Each of them reads the task through ``project(t)``, never the Task
itself: the task's addresses (its page and anchor, its source lines, its plan, its province, each agency in the
province), the plan's labels, the agencies' names as the portal writes them and as the plan writes them, the
deadline as written and its derived date, the criteria and fields with their pages. So a label, an address or a
name is decided in one place, and the outputs only lay these values out in their own format (HTML, JSON, CSV,
the finder's compact arrays, plain text, Atom, iCalendar).

This module sits above the model (model, permalinks, presentation) and below the outputs; it imports none of them.
"""
from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass, field

from . import permalinks as P
from ..model.domain import Deadline, DeadlineKind, Plan, Status, Task
from ..sharing import Shared
from .presentation import plan_label

SHORT_TEXT = 120          # characters of a task's text in a compact row


def short_text(text: str, n: int = SHORT_TEXT) -> str:
    """The task's text for a compact row: whitespace folded, cut at a word before ``n`` characters, with "…"."""
    text = " ".join(text.split())
    if len(text) <= n:
        return text
    cut = text.rfind(" ", 0, n)
    return text[:cut if cut > n // 2 else n].rstrip(" ,;:") + "…"


def plan_short_label(p: Plan) -> str:
    """"Kế hoạch 1886/KH-UBND": the plan in a compact row of a listing that is about one province."""
    return f"{p.type} {p.number}" if p.number else f"{p.type} (không rõ số hiệu)"


@dataclass(frozen=True, slots=True)
class MentionProjection:
    """An agency as a task names it: the portal's name, the plan's words, the registry id (None: unresolved), whether
    it is a group of agencies, and its page in the task's province (None: unresolved)."""
    name: str
    written: str
    agency_id: str | None
    group: bool
    url: str | None


@dataclass(frozen=True, slots=True)
class CriterionProjection:
    code: str
    title: str
    url: str
    words: tuple[str, ...] = ()          # an inferred criterion: the words that matched


@dataclass(frozen=True, slots=True)
class MilestoneProjection:
    text: str
    deadline: str | None
    due: dt.date | None


@dataclass(frozen=True, slots=True)
class TaskProjection:
    uid: str                    # "<plan id>/<task id>", the permanent id
    id: str
    anchor: str
    ref: str | None
    text: str                   # as written
    lines: tuple[int, int]
    plan_id: str
    plan_label: str             # "Kế hoạch 1886/KH-UBND ngày ... của tỉnh Quảng Bình"
    plan_short: str             # "Kế hoạch 1886/KH-UBND"
    plan_url: str
    plan_type: str
    plan_number: str | None
    plan_issued: dt.date | None
    province_id: str
    province_name: str
    province_url: str
    lead: tuple[MentionProjection, ...]
    support: tuple[MentionProjection, ...]
    deadline: str | None        # as written
    due: dt.date | None         # only where the text fixes a date
    deadline_kind: DeadlineKind | None
    ongoing: bool
    suspicious: bool
    output: str | None
    field_code: str | None
    field_name: str | None
    field_url: str | None
    criteria: tuple[CriterionProjection, ...]
    inferred: tuple[CriterionProjection, ...]
    group: str | None           # the heading of the plan that holds it
    note: str | None
    status: Status | None
    citations: tuple[tuple[str, str, str], ...]      # (document id, number, page) of each citation, as cited
    milestones: tuple[MilestoneProjection, ...]
    _deadline: Deadline | None
    # (weakly: _projections keeps a projection while its task lives, which a strong reference would make forever)
    _task: weakref.ref[Task] = field(repr=False, compare=False)

    # The two addresses that depend on where render places a long plan's tasks and source lines (its pages) are
    # read when asked, not when the projection is made: projections are made once, before render forks the
    # process that writes the downloads, and serve both processes (permalinks: the placing is recorded there).
    @property
    def url(self) -> str:
        """Its row on its plan page, with the anchor."""
        return P.task(self._of())

    @property
    def source_url(self) -> str:
        """Its lines in the plan's source text."""
        return P.plan_source(self._of().plan, self.lines)

    def _of(self) -> Task:
        task = self._task()
        assert task is not None, "a projection outlived its task"
        return task

    def is_past_due(self, as_of: dt.date) -> bool:
        return bool(self._deadline and self._deadline.is_past_due(as_of))

    @property
    def lines_text(self) -> str:
        """"12–14", or "12" for one line."""
        return f"{self.lines[0]}–{self.lines[1]}" if self.lines[0] != self.lines[1] else str(self.lines[0])

    def mentions(self):
        for m in self.lead:
            yield "lead", m
        for m in self.support:
            yield "support", m


# Values equal for many tasks (a plan's labels and page, an agency's page in a province and its mention, a
# criterion), kept once (generator/sharing.py); released with the projections' users (``release``).
_alike = Shared()
_one = _alike.same


def release() -> None:
    """The outputs are written: the values kept once are let go (the projections made keep what they hold)."""
    _alike.clear()


def _mention(m, plan: Plan) -> MentionProjection:
    a = m.agency
    if a is None:
        return _alike.made(("mention", m.name, m.written), MentionProjection, m.name, m.written, None, False, None)
    return _alike.made(("mention", m.name, m.written, a.id, a.group, plan.province.id), lambda: MentionProjection(
        m.name, m.written, a.id, bool(a.group), P.agency_in_province(a, plan.province)))


def _project(t: Task) -> TaskProjection:
    d, plan = t.deadline, t.plan
    return TaskProjection(
        uid=t.uid, id=t.id, anchor=t.anchor, ref=t.ref, text=t.text, lines=t.lines,
        plan_id=plan.id, plan_label=_one(plan_label(plan)), plan_short=_one(plan_short_label(plan)), plan_url=_one(P.plan(plan)),
        plan_type=plan.type, plan_number=plan.number, plan_issued=plan.issued,
        province_id=plan.province.id, province_name=plan.province.name, province_url=_one(P.province(plan.province)),
        lead=_one(tuple(_mention(m, plan) for m in t.lead)), support=_one(tuple(_mention(m, plan) for m in t.support)),
        deadline=d.text if d else None, due=d.due if d else None, deadline_kind=d.kind if d else None,
        ongoing=bool(d and d.ongoing), suspicious=bool(d and d.suspicious),
        output=t.output,
        field_code=t.field.code if t.field else None, field_name=t.field.name if t.field else None,
        field_url=_one(P.field(t.field)) if t.field else None,
        criteria=_one(tuple(_one(CriterionProjection(c.code, c.title, P.criterion(c))) for c in t.criteria)),
        inferred=tuple(CriterionProjection(i.criterion.code, i.criterion.title, P.criterion(i.criterion), tuple(i.words))
                       for i in t.inferred),
        group=t.group.title if t.group else None, note=t.note, status=t.status,
        citations=tuple((c.document.id, c.document.number, P.document(c.document)) for c in t.citations),
        milestones=tuple(MilestoneProjection(ms.text, ms.deadline.text if ms.deadline else None,
                                             ms.deadline.due if ms.deadline else None) for ms in t.milestones),
        _deadline=d, _task=weakref.ref(t),
    )


_projections: weakref.WeakKeyDictionary[Task, TaskProjection] = weakref.WeakKeyDictionary()


def project(t: Task) -> TaskProjection:
    """The task's projection, made once per task (kept while the task lives)."""
    p = _projections.get(t)
    if p is None:
        p = _projections[t] = _project(t)
    return p
