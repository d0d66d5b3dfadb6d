"""Long listings split into pages (issue 11, item 15): one rule for every page that lists rows of unbounded
count (a plan's tasks, a source's lines, a province's deadlines, an agency's tasks in a province, a field's or a
criterion's tasks in a province, a plan's data-quality lists, a document's citations).

A listing's rows go, in order, onto pages of at most ``rows`` rows and at most ``budget`` bytes of rendered rows
(config.py: PAGE_ROWS, PAGE_SOURCE_LINES, PAGE_ROW_BYTES);
the first page keeps the listing's address, the next ones are ``<address>trang-2/``, ``trang-3/``, ... A single row
larger than the budget still gets a page of its own (the text-field limits of content/ bound a row's size).
The page's own text besides its rows (title, counts, links, MkDocs' chrome: about 25 KB) fits in what is left
below the 2 MB (config.MAX_PAGE_BYTES) that ``linkcheck`` refuses to publish.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

from ..config import PAGE_ROW_BYTES, PAGE_ROWS

T = TypeVar("T")


def part_url(base: str, k: int) -> str:
    """The address of page ``k`` (from 1) of the listing at ``base`` (a directory address)."""
    return base if k == 1 else f"{base}trang-{k}/"


def split(items: Iterable[T], size: Callable[[T], int], rows: int = PAGE_ROWS,
          budget: int = PAGE_ROW_BYTES, count: Callable[[T], int] = lambda item: 1) -> list[list[T]]:
    """The items in order, cut into pages of at most ``rows`` rows and ``budget`` bytes (``size`` of each item;
    ``count``: how many rows an item is, when rows that must stay together are one item); always at least one
    page (an empty listing is one empty page)."""
    pages: list[list[T]] = [[]]
    used = held = 0
    for item in items:
        n, k = size(item), count(item)
        if pages[-1] and (held + k > rows or used + n > budget):
            pages.append([])
            used = held = 0
        pages[-1].append(item)
        used += n
        held += k
    return pages


def nav(base: str, count: int, k: int) -> list[dict] | None:
    """The numbered links of page ``k`` of ``count`` pages ("Trang 1 · 2 · 3"); None for a one-page listing."""
    if count <= 1:
        return None
    return [{"n": n, "url": part_url(base, n), "current": n == k} for n in range(1, count + 1)]


def first_page(pages: Iterable[list[tuple[Hashable, object]]]) -> dict:
    """For pages of (section key, row) pairs: the page (from 1) on which each section's first row is."""
    out: dict = {}
    for k, page in enumerate(pages, start=1):
        for key, _row in page:
            out.setdefault(key, k)
    return out


def elsewhere(pages: list[list[tuple[Hashable, object]]], base: str) -> Callable[[int, list], dict]:
    """For page k (with its rows) of a split listing: each section that starts on another page, as its key ->
    {"n": that page, "url": its address}; sections on page k too are left out (they are shown there)."""
    first = first_page(pages)

    def of(k: int, rows: list[tuple[Hashable, object]]) -> dict:
        here = {key for key, _row in rows}
        return {key: {"n": n, "url": part_url(base, n)} for key, n in first.items() if key not in here}
    return of


def sections(page: Iterable[tuple[Hashable, T]]) -> dict:
    """A page of (section key, row) pairs as section key -> its rows on this page, in order."""
    out: dict = {}
    for key, row in page:
        out.setdefault(key, []).append(row)
    return out
