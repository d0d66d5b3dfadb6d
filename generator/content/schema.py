"""The shape of every content file, as pydantic models that forbid unknown keys.

These models describe the files (what a maintainer writes); ``model.py`` holds the domain objects the
site is built from.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

# '.' and '-' only between letters or digits: "--" joins two ids in a file name (data/csv/co-quan/<agency>--<province>.csv)
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$", max_length=120)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
# Every text field has a length limit (issue 11, item 15): a long value is a mistake (a paste of the whole
# source) or an attack on the pages' size. Limits are far above the longest value of the five plans.
Title = Annotated[str, StringConstraints(min_length=1, max_length=2_000)]      # titles, headings, criterion names
Name = Annotated[str, StringConstraints(min_length=1, max_length=300)]         # agencies, people, provinces
Long = Annotated[str, StringConstraints(max_length=5_000)]                     # notes, remarks, evidence
Phrase = Annotated[str, StringConstraints(max_length=2_000)]                   # deadline, output, change as written
Short = Annotated[str, StringConstraints(max_length=300)]                      # number, type, period, units
Ref = Annotated[str, StringConstraints(max_length=60)]                         # numbering in the source ("1.2-b2")
Code = Annotated[str, StringConstraints(pattern=r"^[1-8](\.[0-9]+){1,3}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _check_range(value: list[int]) -> list[int]:
    first, last = value
    if first < 1 or last < first:
        raise ValueError(f"expected 1 <= first <= last, found [{first}, {last}]")
    return value


Lines = Annotated[list[int], Field(min_length=2, max_length=2), AfterValidator(_check_range)]


def _check_url(value: str) -> str:
    """Only an absolute http(s) address: no javascript:, data:, vbscript:, no spaces or control characters that a
    browser would strip (``java\tscript:``), no relative address (it would lead somewhere on the portal itself)."""
    from urllib.parse import urlsplit
    ok = value.lower().startswith(("http://", "https://")) and value.isprintable() and not any(c.isspace() for c in value)
    if ok:
        try:
            ok = bool(urlsplit(value).hostname)
        except ValueError:
            ok = False
    if not ok:
        shown = value if len(value) < 80 else value[:77] + "..."
        raise ValueError(f'expected an absolute http:// or https:// address such as https://tinh.gov.vn/van-ban/1, found "{shown}"')
    return value


Url = Annotated[str, StringConstraints(max_length=2_000), AfterValidator(_check_url)]


class UnresolvedName(Strict):
    name: Name
    unresolved: Literal[True]
    note: Long | None = None


AgencyName = Name | UnresolvedName


class Target(Strict):
    value: float
    unit: Short | None = None
    year: int | None = Field(default=None, ge=1990, le=2100)
    metric: Short | None = None


class Objective(Strict):
    id: Id
    text: Text
    targets: list[Target] = []
    lines: Lines



class Baseline(Strict):
    index: Literal["PAR INDEX", "SIPAS", "PAPI", "PCI"]
    year: int = Field(ge=1990, le=2100)
    score: float | None = None
    unit: Literal["điểm", "%"] | None = None
    rank: int | None = Field(default=None, ge=1)
    of: int | None = Field(default=None, ge=1)
    change: Phrase | None = None
    note: Long | None = None
    lines: Lines
    # what the figure measures: "total" (the index itself) or the named component ("điểm SIPAS trong PAR INDEX")
    component: Text = "total"
    max: float | None = None            # the most the component can score, where the text says so
    rank_scope: Short | None = None     # where the rank is counted: "cả nước", "nhóm B"


    @model_validator(mode="after")
    def _rank_within(self):
        if self.rank is not None and self.of is not None and self.rank > self.of:
            raise ValueError(f"rank {self.rank} is greater than of {self.of}")
        return self


class Group(Strict):
    id: Id
    ref: Ref | None = None
    title: Title
    parent: Id | None = None
    lines: Lines



class Status(Strict):
    state: Literal["done", "in-progress", "not-done", "unknown"]
    evidence: Annotated[str, StringConstraints(min_length=1, max_length=5_000)]
    as_of: dt.date
    url: Url | None = None


class Milestone(Strict):
    """One of several dated steps a task states ("thành lập trong Quý III/2021 và đưa vào hoạt động trong Quý IV/2021")."""
    text: Text
    deadline: Text


class Task(Strict):
    id: Id
    ref: Ref | None = None
    group: Id | None = None
    text: Text
    lead: list[AgencyName] = []
    support: list[AgencyName] = []
    deadline: Phrase | None = None
    output: Phrase | None = None
    field: int | None = Field(default=None, ge=1, le=8)
    criteria: list[Code] = []
    note: Long | None = None
    lines: Lines
    status: Status | None = None
    milestones: list[Milestone] = []
    assigned_by: Lines | None = None     # the heading lines a lead/support is inherited from, when no group holds them



class Skip(Strict):
    lines: Lines
    reason: Annotated[str, StringConstraints(min_length=1, max_length=5_000)]



class SourceRef(Strict):
    file: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9.-]*\.txt$")]
    lines: dict[Annotated[str, StringConstraints(max_length=60)], int] = {}
    note: Long | None = None


class PlanFile(Strict):
    id: Id
    province: Id
    number: Short | None
    type: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    title: Title
    issued: dt.date | None
    issuer: Name | None = None
    signer: Name | None = None
    period: Short | None = None
    source: SourceRef
    task_sections: list[Lines] = []
    baselines: list[Baseline] = []
    objectives: list[Objective] = []
    groups: list[Group] = []
    tasks: list[Task] = Field(min_length=1)
    skips: list[Skip] = []



class AgencySuccession(Strict):
    """The agency kind that took over this kind's functions, from a date, on a stated legal basis."""
    id: Id
    since: dt.date
    basis: Title
    note: Long | None = None


class AgencyEntry(Strict):
    id: Id
    name: Name
    aliases: list[Name] = []
    abbr: list[Name] = []
    group: bool = False
    province: Id | None = None
    valid_from: dt.date | None = None      # None: before the period the registry covers
    valid_to: dt.date | None = None        # None: still in force
    successors: list[AgencySuccession] = []
    note: Long | None = None

    @model_validator(mode="after")
    def _period(self):
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is before valid_from {self.valid_from}")
        return self


class AgencyFile(Strict):
    agencies: list[AgencyEntry] = []
    aliases: dict[Name, Id] = {}
    members: dict[Id, list[Id]] = {}      # a combined group -> the agencies or groups it names ("UBND cấp huyện, cấp xã")


class CriterionEntry(Strict):
    code: Code
    name: Title | None            # null: a source cites the code without naming the criterion
    parent: Code | None = None
    source: Id | None = None
    lines: Lines | None = None
    note: Long | None = None


class CriteriaFile(Strict):
    criteria: list[CriterionEntry]


class Successor(Strict):
    name: Name
    since: dt.date
    basis: Title
    note: Long | None = None


class FormerName(Strict):
    """A name the unit bore until a date (Thừa Thiên Huế, a tỉnh until 31/12/2024)."""
    name: Name
    kind: Literal["tỉnh", "thành phố"]
    until: dt.date
    source: Id


class ProvinceEntry(Strict):
    id: Id
    name: Name
    kind: Literal["tỉnh", "thành phố"] = "tỉnh"
    valid_from: dt.date | None = None      # None: before the period the registry covers
    valid_to: dt.date | None = None        # None: in force today
    predecessors: list[Id] = []
    successors: list[Id] = []
    names: list[FormerName] = []
    aliases: list[Name] = []
    basis: Id | None = None                # the source (ProvincesFile.sources) of the unit's period and links
    note: Long | None = None
    successor: Successor | None = None     # older form (one successor by name); kept for existing files

    @model_validator(mode="after")
    def _period(self):
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is before valid_from {self.valid_from}")
        return self


class LegalSource(Strict):
    id: Id
    document: Name                         # "Nghị quyết số 202/2025/QH15"
    issuer: Name
    date: dt.date
    title: Title
    note: Long | None = None


class ProvincesFile(Strict):
    sources: list[LegalSource] = []
    provinces: list[ProvinceEntry]


class FieldEntry(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[1-8]$")]
    name: Title
    alias: Short | None = None


class SipasEntry(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^S[1-9]$")]
    name: Title


class FieldsFile(Strict):
    fields: list[FieldEntry]
    sipas_components: list[SipasEntry] = []


class ScoreSource(Strict):
    """Where a published score is read: the Ministry's decision, an official report, or a secondary report."""
    kind: Literal["decision", "report", "secondary"]
    title: Text
    publisher: Text
    date: dt.date | None = None
    url: Url | None = None
    where: Text                  # the page, table or paragraph the figure is read from


class ScoreEntry(Strict):
    province: Id
    index: Literal["PAR INDEX", "SIPAS"]
    year: int = Field(ge=2012, le=2100)
    value: float | None = None   # None: the source gives the rank only
    unit: Literal["điểm", "%"] | None = None
    rank: int | None = Field(default=None, ge=1)
    of: int | None = Field(default=None, ge=1)
    rank_scope: Short | None = None
    source: ScoreSource
    note: Long | None = None

    @model_validator(mode="after")
    def _complete(self):
        if self.value is None and self.rank is None:
            raise ValueError("a score needs a value or a rank")
        if self.value is not None and self.unit is None:
            raise ValueError("a value needs its unit (điểm or %)")
        if self.rank is not None and self.of is not None and self.rank > self.of:
            raise ValueError(f"rank {self.rank} is greater than of {self.of}")
        return self


class ScoresFile(Strict):
    years: list[int]             # the years looked for: a year without a sourced score says so on the page
    scores: list[ScoreEntry] = []
