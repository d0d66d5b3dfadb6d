"""Permanent addresses of everything the portal shows. Ids, never names, make the URLs: a renamed agency or
a retitled plan keeps its links."""
from __future__ import annotations

from .config import PLAN_PAGE_TASKS
from .model import Agency, CitedDocument, Criterion, Field, Plan, Province, Task


def province(p: Province) -> str:
    return f"tinh/{p.id}/"


def plan(p: Plan) -> str:
    return f"ke-hoach/{p.id}/"


def plan_source(p: Plan, lines: tuple[int, int] | None = None) -> str:
    base = f"ke-hoach/{p.id}/van-ban-goc/"
    if lines is None:
        return base
    first, last = lines
    return base + (f"#L{first}" if first == last else f"#L{first}-L{last}")


# A plan's page holds at most PLAN_PAGE_TASKS tasks (config.py); a longer plan continues on trang-2/, trang-3/, ...
_plan_parts: dict[int, dict[int, int]] = {}


def plan_tasks_in_order(p: Plan) -> list[Task]:
    return sorted(p.tasks, key=lambda t: (t.lines[0], t.lines[1]))


def plan_part(p: Plan, part: int) -> str:
    return plan(p) if part == 1 else f"{plan(p)}trang-{part}/"


def plan_part_of(t: Task) -> int:
    p = t.plan
    if len(p.tasks) <= PLAN_PAGE_TASKS:
        return 1
    parts = _plan_parts.get(id(p))
    if parts is None:
        parts = _plan_parts[id(p)] = {id(x): i // PLAN_PAGE_TASKS + 1 for i, x in enumerate(plan_tasks_in_order(p))}
    return parts[id(t)]


def task(t: Task) -> str:
    return plan_part(t.plan, plan_part_of(t)) + "#" + t.anchor


def field(f: Field) -> str:
    return f"linh-vuc/{f.code}/"


def criterion(c: Criterion) -> str:
    return f"tieu-chi/{c.code}/"


def agency(a: Agency) -> str:
    return f"co-quan/{a.id}/"


def agency_in_province(a: Agency, p: Province) -> str:
    return f"co-quan/{a.id}/{p.id}/"


def document(d: CitedDocument) -> str:
    return f"van-ban/{d.id}/"


def csv(kind: str, ident: str) -> str:
    return f"data/csv/{kind}/{ident}.csv"


def feed(page_url: str, kind: str) -> str:
    """The Atom feed ('atom') or calendar ('ics') of deadlines that sits beside a page (a directory URL)."""
    return f"{page_url}han.{kind}"


def chart(page_url: str, name: str) -> str:
    """A chart (SVG) drawn for a page, beside it."""
    return f"{page_url}{name}.svg"


SECTIONS = {
    "provinces": "tinh/",
    "plans": "ke-hoach/",
    "fields": "linh-vuc/",
    "matrix": "ma-tran/",
    "agencies": "co-quan/",
    "deadlines": "han/",
    "documents": "van-ban/",
    "finder": "tim-nhiem-vu/",
    "data": "du-lieu/",
    "quality": "chat-luong/",
    "about": "gioi-thieu/",
}


# National listings are split by province, so that no page grows with the number of provinces.

def field_in_province(f: Field, p: Province) -> str:
    return f"linh-vuc/{f.code}/{p.id}/"


def criterion_in_province(c: Criterion, p: Province) -> str:
    return f"tieu-chi/{c.code}/{p.id}/"


def deadlines_in_province(p: Province) -> str:
    return f"han/{p.id}/"


def deadlines_in_province_year(p: Province, year: int | None) -> str:
    """A long deadline list split by year (None: the tasks without a due date)."""
    return f"han/{p.id}/{year if year is not None else 'khong-han'}/"


def document_in_province(d: CitedDocument, p: Province) -> str:
    return f"van-ban/{d.id}/{p.id}/"


def quality_of_plan(p: Plan) -> str:
    return f"chat-luong/{p.id}/"
