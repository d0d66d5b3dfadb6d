"""The domain: what the portal is about, independent of files and pages."""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True)
class Successor:
    name: str
    since: dt.date
    basis: str
    note: str | None


@dataclass(frozen=True)
class LegalBasis:
    """The legal document that states a fact of the registry (a resolution, with number and date)."""
    id: str
    document: str
    issuer: str
    date: dt.date
    title: str
    note: str | None = None

    @property
    def label(self) -> str:
        return f"{self.document} ngày {self.date.day}/{self.date.month}/{self.date.year} của {self.issuer}"


@dataclass(eq=False)
class Province:
    """A provincial-level unit (tỉnh or thành phố trực thuộc trung ương) over the period it is in force."""
    id: str
    name: str
    successor: Successor | None
    plans: list[Plan] = field(default_factory=list, repr=False)
    scores: list[Score] = field(default_factory=list, repr=False)
    kind: str = "tỉnh"                       # "tỉnh" | "thành phố"
    valid_from: dt.date | None = None         # None: before the period the registry covers
    valid_to: dt.date | None = None           # None: in force today
    predecessors: list[Province] = field(default_factory=list, repr=False)
    successors: list[Province] = field(default_factory=list, repr=False)
    basis: LegalBasis | None = None
    note: str | None = None
    former_names: tuple[tuple[str, str, dt.date, LegalBasis | None], ...] = ()   # (name, kind, until, source)

    @property
    def title(self) -> str:
        """"Tỉnh Quảng Bình", "Thành phố Hồ Chí Minh"."""
        return f"{self.kind[:1].upper()}{self.kind[1:]} {self.name}"

    @property
    def label(self) -> str:
        """The title with the period when another unit bears the same name ("Tỉnh Bắc Ninh (đến 30/6/2025)")."""
        if self.valid_to is not None:
            return f"{self.title} (đến {self.valid_to.day}/{self.valid_to.month}/{self.valid_to.year})"
        if self.valid_from is not None:
            return f"{self.title} (từ {self.valid_from.day}/{self.valid_from.month}/{self.valid_from.year})"
        return self.title

    def in_force(self, on: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on <= self.valid_to)


@dataclass(eq=False)
class Field:
    """A PAR INDEX field (lĩnh vực), 1 to 8."""
    code: str
    name: str
    alias: str | None = None
    criteria: list[Criterion] = field(default_factory=list)


@dataclass(eq=False)
class Criterion:
    """A PAR INDEX criterion (3.2) or sub-criterion (3.2.5)."""
    code: str
    name: str | None             # None: the sources cite the code but name no criterion
    parent: str | None
    field: Field
    source: str | None = None
    lines: tuple[int, int] | None = None

    @property
    def title(self) -> str:
        return self.name or "(văn bản nguồn không nêu tên tiêu chí)"

    @property
    def level(self) -> str:
        return "tiêu chí" if self.code.count(".") == 1 else "tiêu chí thành phần"


@dataclass(eq=False)
class Agency:
    """An agency kind ("Sở Nội vụ"), or a group of agencies ("Các sở, ban, ngành")."""
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    abbr: tuple[str, ...] = ()
    group: bool = False
    province: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    successors: tuple[AgencySuccession, ...] = field(default=(), repr=False)
    predecessors: tuple[AgencySuccession, ...] = field(default=(), repr=False)
    note: str | None = None
    members: tuple[str, ...] = ()      # a combined group: ids of the agencies or groups it names


@dataclass(frozen=True)
class AgencySuccession:
    """One link of the 2025 restructuring: ``agency`` took over from / was taken over by the kind it hangs on."""
    agency: Agency
    since: dt.date
    basis: str
    note: str | None = None


@dataclass(frozen=True)
class AgencyMention:
    """A name as the source writes it, and the agency it resolves to (None when unresolved)."""
    written: str
    agency: Agency | None
    note: str | None = None

    @property
    def name(self) -> str:
        return self.agency.name if self.agency else self.written


class DeadlineKind(StrEnum):
    """What a deadline's text fixes (generator/model/deadline.py decides; str-valued, so JSON, CSV and pages write the value)."""
    FIXED = "fixed"                  # a date
    PERIOD = "period"                # the end of a quarter, half-year or year
    RECURRING = "recurring"          # "hằng năm", "… và các năm tiếp theo"
    CONTINUOUS = "continuous"        # "thường xuyên", "liên tục"
    CONDITIONAL = "conditional"      # "khi có yêu cầu"
    START = "start"                  # when the work starts, not a deadline
    APPROXIMATE = "approximate"      # "đầu năm", "giữa năm": no day
    SUSPICIOUS = "suspicious"        # a date that cannot be right (to be checked)
    UNPARSED = "unparsed"            # no date read


class StatusState(StrEnum):
    """A task's state as a maintainer records it, with evidence (content: ``status.state``)."""
    DONE = "done"
    IN_PROGRESS = "in-progress"
    NOT_DONE = "not-done"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Deadline:
    """A task's deadline: the text as written, and what can honestly be derived from it."""
    text: str
    due: dt.date | None          # only where the text fixes a date
    kind: DeadlineKind
    recurring: bool = False
    suspicious: bool = False
    continuous: bool = False     # "Thường xuyên", "liên tục" anywhere in the text

    @property
    def ongoing(self) -> bool:
        """Recurring ("Trong năm 2021 và các năm tiếp theo", "Hằng năm") or continuous ("Thường xuyên"): the
        text sets no end, so no date passing makes it past due (a derived date is only its first occurrence)."""
        return self.recurring or self.continuous or self.kind in (DeadlineKind.RECURRING, DeadlineKind.CONTINUOUS)

    def is_past_due(self, as_of: dt.date) -> bool:
        """Only a date the text fixes, once passed, is past due."""
        return self.due is not None and not self.ongoing and self.due < as_of


@dataclass(frozen=True)
class Status:
    state: StatusState
    evidence: str
    as_of: dt.date
    url: str | None


@dataclass(eq=False)
class Baseline:
    index: str
    year: int
    score: float | None
    unit: str | None
    rank: int | None
    of: int | None
    change: str | None
    note: str | None
    lines: tuple[int, int]
    component: str = "total"      # "total": the index itself; else the named component
    max: float | None = None
    rank_scope: str | None = None

    @property
    def is_total(self) -> bool:
        return self.component == "total"


@dataclass(frozen=True)
class ScoreSource:
    kind: str                     # decision | report | secondary
    title: str
    publisher: str
    date: dt.date | None
    url: str | None
    where: str


@dataclass(eq=False)
class Score:
    """A PAR INDEX or SIPAS result published after the plans, with where it is read from."""
    province: Province
    index: str
    year: int
    value: float | None
    unit: str | None
    rank: int | None
    of: int | None
    rank_scope: str | None
    source: ScoreSource
    note: str | None = None


@dataclass(frozen=True)
class Milestone:
    text: str
    deadline: Deadline | None


@dataclass(frozen=True)
class Target:
    value: float
    unit: str | None
    year: int | None
    metric: str | None


@dataclass(eq=False)
class Objective:
    plan: Plan
    id: str
    text: str
    targets: tuple[Target, ...]
    lines: tuple[int, int]


@dataclass(eq=False)
class Group:
    id: str
    ref: str | None
    title: str
    parent: Group | None
    lines: tuple[int, int]

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1


@dataclass(frozen=True)
class InferredCriterion:
    """A criterion a task is about by its words, not by a code the plan writes (generator/content/criteria_inference.py):
    shown apart from the stated codes, with the word pairs that matched."""
    criterion: Criterion
    score: float
    words: tuple[str, ...]


@dataclass(eq=False)
class Task:
    plan: Plan
    id: str
    ref: str | None
    group: Group | None
    text: str
    lead: tuple[AgencyMention, ...]
    support: tuple[AgencyMention, ...]
    deadline: Deadline | None
    output: str | None
    field: Field | None
    criteria: tuple[Criterion, ...]
    note: str | None
    lines: tuple[int, int]
    status: Status | None
    citations: list[Citation] = dataclasses.field(default_factory=list)   # (the attribute `field` shadows the function here)
    milestones: tuple[Milestone, ...] = ()
    inferred: tuple[InferredCriterion, ...] = ()      # criteria inferred from the words (plans without codes)

    @property
    def uid(self) -> str:
        """Stable public id: plan id and task id."""
        return f"{self.plan.id}/{self.id}"

    @property
    def anchor(self) -> str:
        return f"t-{self.id}"

    @property
    def lead_is_group_only(self) -> bool:
        return bool(self.lead) and all(m.agency is not None and m.agency.group for m in self.lead)

    def mentions(self):
        for m in self.lead:
            yield "lead", m
        for m in self.support:
            yield "support", m


@dataclass(eq=False)
class Plan:
    id: str
    file: str
    province: Province
    number: str | None
    type: str
    title: str
    issued: dt.date | None
    issuer: str | None
    signer: str | None
    period: str | None
    source_file: str
    source_text: list[str]
    source_note: str | None
    source_fact_lines: dict[str, int]
    baselines: list[Baseline] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        return self.issued.year if self.issued else None


@dataclass(eq=False)
class CitedDocument:
    """A legal document cited by the plans, identified by number and date (or year), never number alone."""
    id: str
    number: str
    kind: str | None
    date: dt.date | None
    year: int | None
    citations: list[Citation] = field(default_factory=list)


@dataclass(eq=False)
class Citation:
    document: CitedDocument
    plan: Plan
    line: int
    written: str
    task: Task | None = None
    ambiguous: bool = False
    merged: bool = False          # written without date or year; attributed to the one dated document of that number


@dataclass(eq=False)
class Corpus:
    provinces: list[Province]
    fields: list[Field]
    sipas_components: list[tuple[str, str]]
    criteria: dict[str, Criterion]
    agencies: dict[str, Agency]
    plans: list[Plan]
    documents: list[CitedDocument]
    scores: list[Score] = field(default_factory=list)
    score_years: list[int] = field(default_factory=list)

    @property
    def tasks(self) -> list[Task]:
        return [t for p in self.plans for t in p.tasks]

    def members_of(self, group: Agency) -> list[Agency]:
        """The agencies and groups a combined group names, and theirs in turn (each once, in registry order)."""
        out: dict[str, Agency] = {}
        todo = list(group.members)
        while todo:
            aid = todo.pop(0)
            member = self.agencies.get(aid)
            if member is None or aid in out or aid == group.id:
                continue
            out[aid] = member
            todo.extend(member.members)
        return list(out.values())

    def reach(self, t: Task) -> list[tuple[str, Agency, Agency | None]]:
        """(role, agency, via) for every agency a task reaches: each resolved agency it names (via None), then each
        member of a combined group it names that it does not name itself in that role (via = the group), each
        (agency, role) once. Listings, counts, CSVs and the finder of a member hold the task, marked "qua nhóm …"."""
        out: list[tuple[str, Agency, Agency | None]] = []
        seen: set[tuple[str, str]] = set()
        for role, m in t.mentions():
            if m.agency is not None and (m.agency.id, role) not in seen:
                seen.add((m.agency.id, role))
                out.append((role, m.agency, None))
        for role, m in t.mentions():
            if m.agency is None or not m.agency.members:
                continue
            for member in self.members_of(m.agency):
                if (member.id, role) not in seen:
                    seen.add((member.id, role))
                    out.append((role, member, m.agency))
        return out
