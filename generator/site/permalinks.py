"""Permanent addresses of everything the portal shows. Ids, never names, make the URLs: a renamed agency or
a retitled plan keeps its links."""
from __future__ import annotations

from bisect import bisect_right

from ..model.domain import Agency, CitedDocument, Criterion, Field, Plan, Province, Task
from .paging import part_url


def province(p: Province) -> str:
    return f"tinh/{p.id}/"


def plan(p: Plan) -> str:
    return f"ke-hoach/{p.id}/"


def plan_source(p: Plan, lines: tuple[int, int] | None = None) -> str:
    base = f"ke-hoach/{p.id}/van-ban-goc/"
    if lines is None:
        return base
    first, last = lines
    return part_url(base, source_part_of(p, first)) + (f"#L{first}" if first == last else f"#L{first}-L{last}")


# A long plan continues on ke-hoach/<plan>/trang-2/, trang-3/, ..., tasks in source order, and each task's
# address names the page that holds it (the first page sends an old #t-... address on to the right one); its
# source text likewise on van-ban-goc/trang-2/, ... Where each page ends is decided by the one rule of
# generator/site/paging.py (at most so many rows and so many bytes a page), applied by render.SiteBuilder, which
# records it here before any address of a task or a source line is made.
_plan_parts: dict[int, dict[int, int]] = {}       # id(plan) -> id(task) -> its page (when the plan has several)
_source_parts: dict[int, list[int]] = {}           # id(plan) -> the first line of each page of its source text


def plan_tasks_in_order(p: Plan) -> list[Task]:
    return sorted(p.tasks, key=lambda t: (t.lines[0], t.lines[1]))


def plan_part(p: Plan, part: int) -> str:
    return part_url(plan(p), part)


def place_plan_tasks(p: Plan, pages: list[list[Task]]) -> None:
    """Record which page of its plan holds each task (a plan of one page needs no record)."""
    if len(pages) > 1:
        _plan_parts[id(p)] = {id(t): k for k, page in enumerate(pages, start=1) for t in page}
    else:
        _plan_parts.pop(id(p), None)


def plan_part_of(t: Task) -> int:
    parts = _plan_parts.get(id(t.plan))
    return parts.get(id(t), 1) if parts else 1


def placements() -> tuple[dict, dict]:
    """What place_plan_tasks and place_source_lines recorded, for the process that writes the downloads."""
    return dict(_plan_parts), dict(_source_parts)


def restore_placements(plan_parts: dict, source_parts: dict) -> None:
    _plan_parts.clear()
    _plan_parts.update(plan_parts)
    _source_parts.clear()
    _source_parts.update(source_parts)


def place_source_lines(p: Plan, starts: list[int]) -> None:
    """Record the first line of each page of the plan's source text ([1] or [] for one page)."""
    if len(starts) > 1:
        _source_parts[id(p)] = starts
    else:
        _source_parts.pop(id(p), None)


def source_part_of(p: Plan, line: int) -> int:
    starts = _source_parts.get(id(p))
    return bisect_right(starts, line) if starts else 1


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
