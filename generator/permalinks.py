"""Permanent addresses of everything the portal shows. Ids, never names, make the URLs: a renamed agency or
a retitled plan keeps its links."""
from __future__ import annotations

import os
import re

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


# A plan's page holds at most PLAN_PAGE_TASKS tasks (a row is 2-3 KB of HTML: no page near 2 MB); a longer
# plan continues on ke-hoach/<plan>/trang-2/, trang-3/, ..., tasks in source order, and each task's address
# names the page that holds it (the first page sends an old #t-... address on to the right one).
PLAN_PAGE_TASKS = 500
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


# The site's public address: one setting, read by mkdocs.yml (site_url: !ENV PORTAL_SITE_URL) and here.
SITE_URL_SETTING = "PORTAL_SITE_URL"


def public_address() -> str | None:
    """PORTAL_SITE_URL as a directory address ("https://example.org/cchc/"), or None when it is not set. A value
    that is not an http(s) address raises ValueError (the build reports it before anything is built)."""
    value = (os.environ.get(SITE_URL_SETTING) or "").strip()
    if not value:
        return None
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value):
        raise ValueError(f'{SITE_URL_SETTING}: expected the public address of the site, such as https://example.org/, found "{value}"')
    return value if value.endswith("/") else value + "/"
