"""Stage 4, render: write the Markdown pages MkDocs builds, from Jinja templates.

Each page is a ``Page`` (where it goes, which template, what it shows). The view models are plain dicts made
here, so the templates only lay them out. Files whose text did not change are not rewritten, so that
``mkdocs serve --dirtyreload`` and the publish step see only real changes.
"""
from __future__ import annotations

import datetime as dt
import gc
import hashlib
import html
import io
import json
import os
import pickle
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from . import charts as C
from . import feeds as F
from . import paging
from . import permalinks as P
from ..model.deadline import KIND_LABELS
from ..folding import fold_js
from .listing import BY_PROVINCE, Downloads, Listing
from ..model.domain import Agency, Corpus, Plan, Province, Task
from ..problems import ContentError, Problem
from .projection import MentionProjection, project, short_text
from .projection import release as release_projections
from ..config import DOCUMENT_INLINE_MENTIONS, PAGE_ROW_BYTES, PAGE_SOURCE_LINES, PROVINCE_INLINE_TASKS, BuildInfo
from ..files import MadeFrom, beside, read_record, write_if_changed, write_record
from ..sharing import Shared
from .presentation import STATE_LABELS, md_inline, plan_label, rel_url, vi_date, vi_number

# BuildInfo and the limits (PROVINCE_INLINE_TASKS, DOCUMENT_INLINE_MENTIONS) live in config.py




@dataclass
class Page:
    url: str
    template: str
    title: str
    context: dict

    @property
    def path(self) -> str:
        return (self.url + "index.md") if self.url else "index.md"


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(jinja2.Environment):
    """Jinja, with ``view.name`` read as ``view["name"]`` first when ``view`` is a dict (every view model here is):
    Jinja tries the attribute first, and a dict has none of that name, so each of the 65 reads of a task's row
    raised and caught an AttributeError (nearly half the time of rendering a row). Names of dict's own methods
    (``items``, ``get``) are still the methods, as in Jinja: the result is the same for every template."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def environment(templates: Path) -> jinja2.Environment:
    env = _Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,        # a build never edits a template: no look at its file at each use (once per row)
    )
    env.bytecode_cache = _compiled_templates(templates.parent / "build" / "jinja", env)
    env.filters["md"] = lambda v: Markup(md_inline(v))   # already escaped: autoescape must not escape it again
    env.filters["vi_date"] = vi_date
    env.filters["vi_number"] = vi_number
    env.filters["json"] = lambda v: Markup(json.dumps(v, ensure_ascii=False))
    # The page title goes into front matter, from where MkDocs and Material print it without escaping:
    # escape it here, once, as HTML, then quote it as a YAML (JSON) string.
    env.filters["front_title"] = lambda v: Markup(json.dumps(html.escape(str(v), quote=False), ensure_ascii=False))
    return env


def _compiled_templates(folder: Path, env: jinja2.Environment) -> jinja2.BytecodeCache | None:
    """The templates as compiled by an earlier build (compiling them is most of a small site's render), kept in
    `folder` (the project's build/): Jinja uses one again only for the same template source and Python version;
    the files' names hold the Jinja version and the settings the compiled code depends on. None (compile each
    time) where the folder cannot be written."""
    settings = (jinja2.__version__, env.autoescape, env.optimized, env.finalize, sorted(env.extensions), env.is_async,
                env.trim_blocks, env.lstrip_blocks, env.keep_trailing_newline, env.newline_sequence,
                env.block_start_string, env.variable_start_string, env.comment_start_string, env.line_statement_prefix)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK):
        return None
    return jinja2.FileSystemBytecodeCache(str(folder), f"%s.{hashlib.sha1(repr(settings).encode()).hexdigest()[:12]}.cache")


# ---------------------------------------------------------------- view models

def mention_view(m: MentionProjection) -> dict:
    return {
        "name": m.name,
        "written": m.written,
        "differs": m.agency_id is not None and m.written != m.name,
        "url": m.url,
        "group": m.group,
        "unresolved": m.agency_id is None,
    }


def _one(shared: Shared | None, key: tuple, make: Callable[..., Any], *args: Any) -> Any:
    """``make(*args)``, a part of a task view made of ``key``'s values: made once and shared by every view that
    shows the same (a plan's, a province's, an agency's: the views of a national corpus held them 150,000 times
    over)."""
    return make(*args) if shared is None else shared.made(key, make, *args)


def _mention_views(mentions: tuple[MentionProjection, ...], shared: Shared | None) -> list[dict]:
    return [_one(shared, ("mention", m), mention_view, m) for m in mentions]


def _criterion_views(criteria: tuple, shared: Shared | None) -> list[dict]:
    return [_one(shared, ("criterion", c.code, c.title, c.url), lambda c=c: {"code": c.code, "name": c.title, "url": c.url})
            for c in criteria]


def task_view(t: Task, as_of: dt.date, shared: Shared | None = None) -> dict:
    """The task's HTML rows (full and compact), from its one projection (generator/site/projection.py);
    ``shared``: where the parts that many views show alike are kept (``_one``)."""
    x = project(t)
    return {
        "uid": x.uid,
        "anchor": x.anchor,
        "ref": x.ref,
        "text": x.text,
        "short": short_text(x.text),
        "url": x.url,
        "plan": _one(shared, ("plan", x.plan_label, x.plan_url, x.plan_short),
                     lambda: {"title": x.plan_label, "url": x.plan_url, "short": x.plan_short}),
        "province": _one(shared, ("province", x.province_name, x.province_url), lambda: {"name": x.province_name, "url": x.province_url}),
        "lead": _one(shared, ("mentions", x.lead), _mention_views, x.lead, shared),
        "support": _one(shared, ("mentions", x.support), _mention_views, x.support, shared),
        "deadline": x.deadline,
        "due": vi_date(x.due) if x.due else None,
        "due_iso": x.due.isoformat() if x.due else None,
        "deadline_kind": KIND_LABELS[x.deadline_kind] if x.deadline_kind else None,
        "past_due": x.is_past_due(as_of),
        "ongoing": x.ongoing,
        "suspicious": x.suspicious,
        "output": x.output,
        "field": _one(shared, ("field", x.field_code, x.field_name, x.field_url),
                      lambda: {"code": x.field_code, "name": x.field_name, "url": x.field_url}) if x.field_code else None,
        "criteria": _one(shared, ("criteria", x.criteria), _criterion_views, x.criteria, shared),
        "inferred": [{"code": i.code, "name": i.title, "url": i.url, "words": list(i.words)} for i in x.inferred],
        "source_url": x.source_url,
        "lines": x.lines_text,
        "note": x.note,
        "status": {"label": STATE_LABELS[x.status.state], "state": x.status.state, "evidence": x.status.evidence,
                   "as_of": vi_date(x.status.as_of), "url": x.status.url} if x.status else None,
        "citations": sorted({(number, url) for _id, number, url in x.citations}),
        "milestones": [{"text": ms.text, "deadline": ms.deadline,
                        "due": vi_date(ms.due) if ms.due else None,
                        "due_iso": ms.due.isoformat() if ms.due else None} for ms in x.milestones],
    }


NATIONAL = "cả nước"
SOURCE_KINDS = {"decision": "quyết định công bố của Bộ Nội vụ", "report": "báo cáo chính thức", "secondary": "nguồn thứ cấp (báo chí, trang tin)"}
NO_SOURCED_SCORE = "chưa có số liệu có nguồn"


def score_results(p: Province, baselines: list, years: list[int]) -> list[dict]:
    """Baseline -> results, one block per index: the plans' own total (national rank) first, then each year looked
    for, with its source, or "chưa có số liệu có nguồn"; the plans' objectives that name the index beside it."""
    if not p.plans or not years:
        return []
    out = []
    for index in ("PAR INDEX", "SIPAS"):
        rows = []
        for b, pl in baselines:
            if b.index == index and b.is_total:
                rows.append({"year": b.year, "value": vi_number(b.score), "unit": b.unit or "", "rank": b.rank, "of": b.of,
                             "rank_scope": b.rank_scope, "what": "mức xuất phát (kế hoạch ghi)",
                             "source": {"label": plan_label(pl), "url": P.plan_source(pl, b.lines), "external": False, "where": None},
                             "secondary": False, "missing": None, "kind": None, "note": None})
        found = {(s.year): s for s in p.scores if s.index == index}
        for year in years:
            s = found.get(year)
            if s is None:
                rows.append({"year": year, "value": None, "missing": NO_SOURCED_SCORE})
                continue
            src = s.source
            rows.append({"year": year, "value": vi_number(s.value) if s.value is not None else None, "unit": s.unit or "",
                         "rank": s.rank, "of": s.of, "rank_scope": s.rank_scope, "what": "kết quả công bố", "note": s.note, "missing": None,
                         "secondary": src.kind == "secondary", "kind": SOURCE_KINDS[src.kind],
                         "source": {"label": f"{src.publisher}: {src.title}" + (f" ({vi_date(src.date)})" if src.date else ""),
                                    "url": src.url, "where": src.where, "external": True}})
        folded = index.casefold()
        targets = [{"text": o.text, "plan": plan_label(o.plan), "url": P.plan(o.plan) + f"#o-{o.id}"}
                   for plan in p.plans for o in plan.objectives if folded in o.text.casefold()]
        out.append({"index": index, "rows": rows, "targets": targets})
    return out


def written_variants_of(p: Plan) -> list[dict]:
    """The agency names this plan writes in a form of its own (a per-plan alias, a typo such as "Bưu điện tinh"),
    with the agency each was read as: listed on the data-quality page so that a reader can check the reading."""
    from ..content.registry import name_key
    out = {}
    for t in p.tasks:
        for _, m in t.mentions():
            a = m.agency
            if a is not None and name_key(m.written) not in {name_key(x) for x in (a.name, *a.aliases, *a.abbr)}:
                out[m.written] = {"written": m.written, "name": a.name, "url": P.agency(a), "group": a.group}
    return [out[k] for k in sorted(out)]


# A listing's compact row shows this many characters of a task's text (the full text is on the plan page).
def plan_view(p: Plan) -> dict:
    return {
        "id": p.id, "url": P.plan(p), "label": plan_label(p), "title": p.title, "number": p.number, "type": p.type,
        "issued": vi_date(p.issued), "issuer": p.issuer, "signer": p.signer, "period": p.period,
        "province": {"name": p.province.name, "url": P.province(p.province)}, "task_count": len(p.tasks),
        "source_url": P.plan_source(p),
    }


# Lines a copied source holds that are not part of the document: the legal-document website's own page text,
# kept verbatim in content/sources but marked "không thuộc văn bản" on the source page. Whole lines only.
FURNITURE_LINES = (
    re.compile(r"Hệ thống pháp luật"),                                  # the website's name
    re.compile(r"Đang tải nội dung, vui lòng chờ giây lát\.*…?"),      # its loading message
    re.compile(r"Tải văn bản"),                                         # its download button
    # its metadata table ("Số hiệu | 3809/QĐ-UBND |")
    re.compile(r"(Số hiệu|Ngày ban hành|Ngày có hiệu lực|Loại văn bản|Cơ quan ban hành|Người ký|Lĩnh vực) \| .* \|"),
)
# A block of the website's page: from its first line to its last (the "HIỆU LỰC VĂN BẢN" panel).
FURNITURE_BLOCKS = ((re.compile(r"HIỆU LỰC VĂN BẢN"), re.compile(r"Tải văn bản")),)


# C0 controls (but tab) and DEL in a source text: the copy is kept byte for byte, so such a character is shown
# escaped, as its code point, never written raw into a page (issue 11, item 3).
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def visible_controls(line: str) -> Markup:
    """A source line, HTML-escaped, each control character replaced by a visible mark of its code point."""
    out, at = [], 0
    for m in _CONTROL.finditer(line):
        out += [escape(line[at:m.start()]), Markup(f'<span class="ctrl">U+{ord(m.group()):04X}</span>')]
        at = m.end()
    return Markup("").join(out + [escape(line[at:])])


def furniture_lines(lines: list[str]) -> set[int]:
    """Numbers (1-based) of the lines that are the website's furniture, not the document's text. The first
    line counts too when the website's metadata table follows it directly (it is then the web page's title)."""
    out: set[int] = set()
    block_end = None
    for n, line in enumerate(lines, start=1):
        text = line.strip()
        if block_end is not None:
            out.add(n)
            if block_end.fullmatch(text):
                block_end = None
            continue
        for start, end in FURNITURE_BLOCKS:
            if start.fullmatch(text):
                out.add(n)
                block_end = end
                break
        if any(rx.fullmatch(text) for rx in FURNITURE_LINES):
            out.add(n)
    if 2 in out and len(lines) > 1 and FURNITURE_LINES[3].fullmatch(lines[1].strip()) and lines[0].strip():
        out.add(1)
    return out


def criterion_codes_with_parents(t: Task, corpus: Corpus) -> list[str]:
    """The codes a task states and every parent of them, each once, in order (7.2.1 -> 7.2.1, 7.2)."""
    out: list[str] = []
    for c in t.criteria:
        code: str | None = c.code
        while code and code not in out:
            out.append(code)
            parent = corpus.criteria.get(code)
            code = parent.parent if parent else None
    return out


def sort_by_deadline(tasks: list[Task]) -> list[Task]:
    far = dt.date(9999, 12, 31)
    return sorted(tasks, key=lambda t: ((t.deadline.due if t.deadline and t.deadline.due else far), t.plan.id, t.lines[0]))


# A long plan's first page: which later page holds each task (#t-... -> page), fetched by plan-parts.js.
TASK_PARTS_FILE = "nhiem-vu-trang.json"
# What a section's heading adds to the first row under it, at most (a quarter's, a role's heading).
SECTION_BYTES = 400


def mention_bytes(m: dict) -> int:
    """What a row of a document's citations weighs on its page (the task's text is cut to 160 characters)."""
    return 1_200 + len(html.escape(m["written"]).encode()) + len(html.escape(m["plan"]).encode())


def group_bytes(g) -> int:
    """The size of the heading line a plan page writes above a section of its tasks (the chain of headings)."""
    out = 0
    while g is not None:
        out += len(html.escape(f"{g.ref or ''}. {g.title}").encode()) + 80
        g = g.parent
    return out + 60


def source_pages(p: Plan) -> list[list[int]]:
    """The line numbers of the plan's source text, cut into pages by paging.split (PAGE_SOURCE_LINES lines a page).
    A line weighs its text as the page writes it plus its markup and its links to the tasks that start there."""
    lines = p.source_text
    starts = Counter(t.lines[0] for t in p.tasks)
    numbers = list(range(1, len(lines) + 1))
    # nearly every source is far below a page: its largest possible size (6 bytes a character) says so cheaply
    if (len(lines) <= PAGE_SOURCE_LINES and not _CONTROL.search("\t".join(lines))
            and 6 * sum(map(len, lines)) + 200 * len(lines) + 300 * len(p.tasks) <= PAGE_ROW_BYTES):
        return [numbers]
    # the lines of one task (or heading, objective, baseline) stay on one page: a link names their range
    joined = bytearray(len(lines) + 2)          # joined[n]: line n and line n+1 go on the same page
    ranges = [t.lines for t in p.tasks] + [g.lines for g in p.groups] + [o.lines for o in p.objectives] + [b.lines for b in p.baselines]
    for first, last in ranges:
        joined[first:last] = b"\x01" * max(0, last - first)
    units: list[list[int]] = []
    for n in numbers:
        if n > 1 and joined[n - 1]:
            units[-1].append(n)
        else:
            units.append([n])
    weight = lambda unit: sum(len(str(visible_controls(lines[n - 1])).encode()) + 200 + 300 * starts.get(n, 0) for n in unit)
    return [[n for unit in page for n in unit] for page in paging.split(units, weight, rows=PAGE_SOURCE_LINES, count=len)]


# ---------------------------------------------------------------- pages

class SiteBuilder:
    def __init__(self, corpus: Corpus, info: BuildInfo, templates: Path | None = None, docs: Path | None = None,
                 downloads: Downloads | None = None):
        self.c = corpus
        self.info = info
        self.pages: list[Page] = []
        self.files: dict[str, str] = {}     # small files beside pages (a long plan's map of which page holds a task)
        self.plan_pages: dict[str, list[list[Task]]] = {}     # plan id -> its tasks, page by page
        self.source_pages: dict[str, list[list[int]]] = {}    # plan id -> the line numbers of its source, page by page
        self._views: dict[int, dict] = {}
        self._shared = Shared()      # parts of task views alike in many (task_view)
        # the task files of data/ (listing.Downloads): render_site's, which the downloads process writes
        self.downloads = downloads or Downloads.of(corpus)
        self.charts: list[C.Chart] = []     # drawn by charts.write_charts after the pages
        self.feeds: list[F.Feed] = []       # written by feeds.write_feeds
        self.province_feeds: dict[str, dict] = {}     # province id -> its feed's view (agency pages link it too)
        # who does what: (agency id, province id) -> role -> tasks
        self.by_agency: dict[str, dict[str, dict[str, list[Task]]]] = defaultdict(lambda: defaultdict(lambda: {"lead": [], "support": []}))
        # a combined group's task is also its members' ("UBND cấp huyện, cấp xã" -> UBND cấp xã), marked "qua nhóm"
        self.via: dict[tuple[str, str, int], str] = {}  # (agency id, role, id(task)) -> the group it reaches the agency through
        # (agency id, id(task)) -> the ids of the combined groups it reaches the agency through (CSV via_group)
        self.via_groups: dict[tuple[str, int], list[str]] = {}
        for t in corpus.tasks:
            for _, a, group in corpus.reach(t):
                if group is not None and group.id not in self.via_groups.setdefault((a.id, id(t)), []):
                    self.via_groups[(a.id, id(t))].append(group.id)
        for t in corpus.tasks:
            # one rule (Corpus.reach) for who a task reaches, as the finder's data and the CSVs use it
            for role, agency, group in corpus.reach(t):
                self.by_agency[agency.id][t.plan.province.id][role].append(t)
                if group is not None:
                    self.via[(agency.id, role, id(t))] = group.name
        # A criterion's tasks include its sub-criteria's: a task coded 7.2.1 is a task of 7.2 (the pages say so).
        self.by_criterion: dict[str, list[Task]] = defaultdict(list)
        self.by_field: dict[str, list[Task]] = defaultdict(list)
        for t in corpus.tasks:
            for code in criterion_codes_with_parents(t, corpus):
                self.by_criterion[code].append(t)
            if t.field:
                self.by_field[t.field.code].append(t)
        # provinces whose plans cite criterion codes at all: elsewhere "no task" would be false, the plan
        # simply does not write codes
        self.cites_codes: set[str] = {t.plan.province.id for t in corpus.tasks if t.criteria}
        # criteria inferred from the words (plans without codes): counted apart, never added to the stated ones
        self.by_criterion_inferred: dict[str, list[Task]] = defaultdict(list)
        for t in corpus.tasks:
            for i in t.inferred:
                self.by_criterion_inferred[i.criterion.code].append(t)
        # each task's row, rendered once: measured here to cut long listings into pages (paging.split), written
        # by write_pages
        templates = templates or Path(__file__).resolve().parents[2] / "templates"
        env = environment(templates)
        self.kept_rows = row_cache(docs, templates, self.common())
        self.rows = TaskRows(env.get_template("_task_row.j2"), self.common(), self.kept_rows)

    def release(self) -> None:
        """The pages are written: drop every task's view and rendered row (a third of this process's memory at
        national scale), so that what is written next (the feeds) reuses their memory."""
        self._views.clear()
        self._shared.clear()
        self.rows.release()
        self.kept_rows.release()

    def tv(self, t: Task) -> dict:
        key = id(t)
        if key not in self._views:
            self._views[key] = task_view(t, self.info.as_of, self._shared)
        return self._views[key]


    def tv_via(self, t: Task, a: Agency, role: str) -> dict:
        """The task's view in a listing of agency ``a``, marked when it reaches ``a`` through a combined group."""
        via = self.via.get((a.id, role, id(t)))
        return dict(self.tv(t), via=via) if via else self.tv(t)

    def add(self, url: str, template: str, title: str, **context) -> None:
        self.pages.append(Page(url, template, title, context))

    # ------------------------------------------------------------ long listings (generator/site/paging.py)

    def row_bytes(self, view: dict) -> int:
        """What a task's row weighs on a page: its rendered size at its largest."""
        return self.rows.size(view)

    def paged(self, rows: list[tuple], size=None) -> list[list[tuple]]:
        """A listing's (section, task view) rows cut into pages by the one rule of paging.split."""
        return paging.split(rows, size or (lambda r: self.row_bytes(r[1]) + SECTION_BYTES))

    def add_pages(self, url: str, template: str, title: str, pages: list, **context) -> None:
        """One page per part of a split listing: the first at the listing's own address (so links made before it
        was split still lead to it), the next at trang-2/, trang-3/, ..., each with the numbered links to all;
        ``context`` may hold functions of the part's number (k) and rows, called for each part."""
        for k, rows in enumerate(pages, start=1):
            values = {key: (v(k, rows) if callable(v) else v) for key, v in context.items()}
            self.add(paging.part_url(url, k), template, title if k == 1 else f"{title} (trang {k})",
                     pages=paging.nav(url, len(pages), k), **values)

    def place_long_plans(self) -> None:
        """Cut each plan's tasks, and its source text's lines, into pages, and record where each task and line is,
        before any address of one is made (every task row links to its task and its source lines)."""
        for p in self.c.plans:
            ordered = P.plan_tasks_in_order(p)
            weights, group = [], object()
            for t in ordered:
                w = self.row_bytes(self.tv(t))
                if t.group is not group:       # the row opens a section under the plan's heading
                    group = t.group
                    w += group_bytes(t.group)
                weights.append(w)
            pages = paging.split(range(len(ordered)), weights.__getitem__)
            self.plan_pages[p.id] = [[ordered[i] for i in page] for page in pages]
            self.source_pages[p.id] = source_pages(p)
            P.place_source_lines(p, [page[0] for page in self.source_pages[p.id] if page])
            P.place_plan_tasks(p, self.plan_pages[p.id])     # (for every plan: no record of an earlier build stays)
            if len(pages) > 1 or len(self.source_pages[p.id]) > 1:
                for t in ordered:              # views made with the first page's addresses: made again
                    self.kept_rows.forget_view(self._views.pop(id(t), None))
                    self.rows.forget(t.uid)

    def common(self) -> dict:
        """The values every page and row is rendered with (and keyed by: a change to one renders everything again;
        what one page shows, such as the home page's counts, is that page's own)."""
        return {"as_of": vi_date(self.info.as_of), "as_of_iso": self.info.as_of.isoformat(), "sections": P.SECTIONS}

    def build(self, placed: Callable[[], None] | None = None) -> list[Page]:
        """Every page, declared. ``placed`` is called as soon as the address of every task and source line is
        known (the downloads need no more to start)."""
        c = self.c
        self.place_long_plans()
        if placed is not None:
            placed()
        self.home()
        self.add(P.SECTIONS["provinces"], "provinces.md.j2", "Tỉnh, thành phố",
                 provinces=[self.province_summary(p) for p in c.provinces if p.plans])
        for p in c.provinces:
            if p.plans:
                self.province(p)
        self.add(P.SECTIONS["plans"], "plans.md.j2", "Kế hoạch", plans=[plan_view(p) for p in c.plans])
        for plan in c.plans:
            self.plan(plan)
            self.plan_source(plan)
        self.fields()
        self.agencies()
        self.deadlines()
        self.documents()
        self.quality()
        self.add(P.SECTIONS["data"], "data.md.j2", "Dữ liệu mở", plans=[plan_view(p) for p in c.plans], downloads=self.downloads,
                 by_province=BY_PROVINCE)
        self.add(P.SECTIONS["finder"], "finder.md.j2", "Tìm nhiệm vụ", everything=self.downloads.everything)
        self.add(P.SECTIONS["about"], "about.md.j2", "Giới thiệu", plans=[plan_view(p) for p in c.plans])
        return self.pages

    def home(self) -> None:
        c = self.c
        years = sorted({t.deadline.due.year for t in c.tasks if t.deadline and t.deadline.due})
        self.add("", "home.md.j2", "Cổng theo dõi kế hoạch cải cách hành chính cấp tỉnh",
                 counts={"provinces": len([p for p in c.provinces if p.plans]), "plans": len(c.plans), "tasks": len(c.tasks),
                         "agencies": len([a for a in c.agencies.values() if a.id in self.by_agency])},
                 provinces=[self.province_summary(p) for p in c.provinces if p.plans],
                 fields=[{"code": f.code, "name": f.name, "url": P.field(f), "count": len(self.by_field[f.code])} for f in c.fields],
                 top_agencies=self.top_agencies(c.tasks, 10),
                 years=[{"year": y, "url": P.SECTIONS["deadlines"] + f"#nam-{y}"} for y in years])

    def province_summary(self, p: Province) -> dict:
        tasks = [t for plan in p.plans for t in plan.tasks]
        return {"id": p.id, "name": p.name, "url": P.province(p), "plans": len(p.plans), "tasks": len(tasks),
                "successor": p.successor}

    def province_heading(self, p: Province) -> str:
        """"Tỉnh Quảng Bình", "Thành phố Hồ Chí Minh"; with the period when another unit bears the same name."""
        shared = sum(1 for x in self.c.provinces if x.name == p.name and x.kind == p.kind) > 1
        return p.label if shared else p.title

    def province_lineage(self, p: Province) -> dict:
        """What the unit became and came from (the 2025 arrangement), and its earlier names, each with its source."""
        def unit(x: Province) -> dict:       # mid-sentence: "tỉnh Quảng Trị (từ 1/7/2025)"
            label = self.province_heading(x)
            return {"label": label[:1].lower() + label[1:], "url": P.province(x) if x.plans else None}
        basis = p.basis.label if p.basis else None
        nxt = lambda day: vi_date(day + dt.timedelta(days=1))
        partners = [x for s in p.successors for x in s.predecessors if x is not p]
        heading = self.province_heading(p)
        return {
            "inline": heading[:1].lower() + heading[1:],
            "successors": [unit(x) for x in p.successors], "partners": [unit(x) for x in dict.fromkeys(partners)],
            "ends": nxt(p.valid_to) if p.valid_to else None,
            "predecessors": [unit(x) for x in p.predecessors], "begins": vi_date(p.valid_from) if p.valid_from else None,
            "basis": basis, "note": p.note if p.predecessors else None,
            "former": [{"title": f"{k} {n}", "until": nxt(until), "basis": src.label if src else None}
                       for n, k, until, src in p.former_names],
        }

    def top_agencies(self, tasks: list[Task], n: int, province: Province | None = None) -> list[dict]:
        count: Counter = Counter()
        agencies: dict[str, Agency] = {}
        for t in tasks:
            for a in {m.agency.id: m.agency for m in t.lead if m.agency is not None}.values():
                count[a.id] += 1
                agencies[a.id] = a
        out = []
        for aid, k in sorted(count.items(), key=lambda kv: (-kv[1], kv[0]))[:n]:
            a = agencies[aid]
            out.append({"name": a.name, "group": a.group, "count": k,
                        "url": P.agency_in_province(a, province) if province else P.agency(a)})
        return out

    def province(self, p: Province) -> None:
        tasks = [t for plan in p.plans for t in plan.tasks]
        per_field = Counter(t.field.code if t.field else None for t in tasks)
        baselines = sorted({(b.index, b.year, b.score, b.unit, b.rank, b.of, b.change, plan.id): (b, plan) for plan in p.plans for b in plan.baselines}.values(),
                           key=lambda bp: (bp[0].index, bp[0].year))
        objectives = [{"text": o.text, "targets": o.targets, "plan": plan_label(o.plan), "url": P.plan(o.plan) + f"#o-{o.id}"}
                      for plan in p.plans for o in plan.objectives if o.targets]
        page = P.province(p)
        results = score_results(p, baselines, self.c.score_years)
        scores = C.province_scores(P.chart(page, "diem-so"), p.name, [
            {"index": b.index, "year": b.year, "score": b.score, "unit": b.unit, "rank": b.rank, "of": b.of, "kind": "baseline"}
            for b, _ in baselines if b.is_total and b.rank_scope in (None, NATIONAL)]
            + [{"index": s.index, "year": s.year, "score": s.value, "unit": s.unit, "rank": s.rank, "of": s.of, "kind": s.source.kind}
               for s in p.scores if s.rank_scope in (None, NATIONAL)])
        field_chart = C.province_fields(P.chart(page, "linh-vuc"), p.name,
                                        [{"code": f.code, "name": f.name, "count": per_field.get(f.code, 0)} for f in self.c.fields]
                                        + [{"code": None, "name": "", "count": per_field.get(None, 0)}])
        self.charts += [x for x in (scores, field_chart) if x]
        listing = Listing(page, [("", sort_by_deadline(tasks))], files=self.downloads)
        feed = F.Feed(page, f"Thời hạn nhiệm vụ — tỉnh {p.name}", f"Các nhiệm vụ trong kế hoạch CCHC của tỉnh {p.name}, theo thời hạn",
                      listing.feed_items(), as_of=self.info.as_of)
        self.feeds.append(feed)
        self.province_feeds[p.id] = feed.view()
        # the same list is the province's deadline page: shown here too only while it is short and fits one page
        inline = [self.tv(t) for t in sort_by_deadline(tasks)] if len(tasks) <= PROVINCE_INLINE_TASKS else []
        self.add(P.province(p), "province.md.j2", self.province_heading(p),
                 province=self.province_summary(p), heading=self.province_heading(p), lineage=self.province_lineage(p),
                 plans=[plan_view(x) for x in p.plans],
                 baselines=[{"index": b.index, "year": b.year, "score": vi_number(b.score), "unit": b.unit or "",
                             "rank": b.rank, "of": b.of, "change": b.change, "plan": plan_label(pl),
                             "component": None if b.is_total else b.component, "max": vi_number(b.max) if b.max is not None else None,
                             "rank_scope": b.rank_scope,
                             "url": P.plan_source(pl, b.lines)} for b, pl in baselines],
                 fields=[{"code": f.code, "name": f.name, "url": P.field(f), "count": per_field.get(f.code, 0)} for f in self.c.fields],
                 no_field=per_field.get(None, 0),
                 top_agencies=self.top_agencies(tasks, 10, p),
                 objectives=objectives,
                 results=results,
                 csv=listing.csv(),
                 charts={"scores": scores.view() if scores else None, "fields": field_chart.view()},
                 feed=feed.view(),
                 task_count=len(tasks),
                 tasks=inline if len(tasks) <= PROVINCE_INLINE_TASKS and len(self.paged([(None, v) for v in inline])) == 1 else None,
                 deadlines_url=P.deadlines_in_province(p),
                 finder_url=f"{P.SECTIONS['finder']}?tinh={p.id}")

    def plan(self, p: Plan) -> None:
        chunks = self.plan_pages[p.id]        # cut by place_long_plans
        parts = [{"n": k, "url": P.plan_part(p, k), "first": chunk[0].ref or chunk[0].id if chunk else "",
                  "last": chunk[-1].ref or chunk[-1].id if chunk else ""} for k, chunk in enumerate(chunks, start=1)]
        # where each task of a later page is: the first page sends an address like ke-hoach/<plan>/#t-... on
        # (a file beside the page, fetched only for such an address: a plan of 50,000 tasks has a map of 1.5 MB)
        later = {t.anchor: k for k, chunk in enumerate(chunks[1:], start=2) for t in chunk}
        if later:
            self.files[P.plan(p) + TASK_PARTS_FILE] = json.dumps(later, ensure_ascii=False, separators=(",", ":"))
        csv = Listing(P.plan(p), [("", [t for chunk in chunks for t in chunk])], files=self.downloads).csv()
        self.plan_part(p, chunks[0], parts, TASK_PARTS_FILE if later else None, csv)
        for k, chunk in enumerate(chunks[1:], start=2):
            self.add(P.plan_part(p, k), "plan.md.j2", f"{plan_label(p)} (trang {k})", plan=plan_view(p), part=k, parts=parts,
                     task_parts=None, task_groups=self.plan_sections(chunk), csv=csv)

    def plan_sections(self, tasks: list[Task]) -> list[dict]:
        # tasks in the plan's own order, grouped under the plan's own headings
        sections = []
        current_group = object()
        for t in tasks:
            if t.group is not current_group:
                current_group = t.group
                chain: list[dict] = []
                g = t.group
                while g is not None:
                    chain.insert(0, {"ref": g.ref, "title": g.title, "id": g.id})
                    g = g.parent
                sections.append({"groups": chain, "tasks": []})
            sections[-1]["tasks"].append(self.tv(t))
        return sections

    def plan_part(self, p: Plan, tasks: list[Task], parts: list[dict], later: str | None, csv: dict) -> None:
        sections = self.plan_sections(tasks)
        facts = [
            ("Số hiệu", p.number), ("Loại văn bản", p.type), ("Ngày ban hành", vi_date(p.issued) if p.issued else None),
            ("Cơ quan ban hành", p.issuer), ("Người ký", p.signer), ("Thời kỳ", p.period),
        ]
        self.add(P.plan(p), "plan.md.j2", plan_label(p),
                 plan=plan_view(p),
                 facts=[{"label": k, "value": v, "line_url": P.plan_source(p, (p.source_fact_lines[key],) * 2) if key in p.source_fact_lines else None}
                        for (k, v), key in zip(facts, ["number", "type", "issued", "issuer", "signer", "period"], strict=True)],
                 source_note=p.source_note,
                 baselines=[{"index": b.index, "year": b.year, "score": vi_number(b.score), "unit": b.unit or "", "rank": b.rank, "of": b.of,
                             "change": b.change, "note": b.note, "url": P.plan_source(p, b.lines)} for b in p.baselines],
                 objectives=[{"id": f"o-{o.id}", "text": o.text, "url": P.plan_source(p, o.lines),
                              "targets": [{"value": vi_number(x.value), "unit": x.unit or "", "year": x.year, "metric": x.metric} for x in o.targets]}
                             for o in p.objectives],
                 task_groups=sections, part=1, parts=parts, task_parts=later,
                 csv=csv,
                 documents=sorted({(c.document.number, c.document.year or 0): {"number": c.document.number, "kind": c.document.kind,
                                   "date": vi_date(c.document.date) if c.document.date else (str(c.document.year) if c.document.year else "không rõ"),
                                   "url": P.document(c.document)} for c in p.citations}.items()),
                 )

    def plan_source(self, p: Plan) -> None:
        marks: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for t in p.tasks:
            marks[t.lines[0]].append((t.anchor, P.task(t)))
        furniture = furniture_lines(p.source_text)
        pages = self.source_pages[p.id]        # cut by place_long_plans
        def line(i: int) -> dict:
            # the plan's own line where it holds no control character (the template escapes it as visible_controls
            # would), and no list of tasks where none starts: every pages' view lives until the pages are written,
            # and copies of every source line were their largest part
            text = p.source_text[i - 1]
            return {"n": i, "text": visible_controls(text) if _CONTROL.search(text) else text, "furniture": i in furniture,
                    "tasks": [{"anchor": a, "url": url} for a, url in marks[i]] if i in marks else ()}
        self.add_pages(P.plan_source(p), "source.md.j2", f"Văn bản gốc: {plan_label(p)}", pages,
                       plan=plan_view(p), file=p.source_file, furniture=len(furniture),
                       lines=lambda k, numbers: [line(i) for i in numbers],
                       starts=[page[0] for page in pages] if len(pages) > 1 else None)

    def fields(self) -> None:
        c = self.c
        provinces = [p for p in c.provinces if p.plans]
        def per_province(tasks: list[Task]) -> Counter:
            return Counter(t.plan.province.id for t in tasks)
        rows = []
        for f in c.fields:
            rows.append({"kind": "field", "code": f.code, "name": f.name, "url": P.field(f),
                         "cells": [{"count": (n := counts[p.id]), "url": P.field_in_province(f, p) if n else P.field(f) + f"#tinh-{p.id}", "no_codes": False}
                                   for counts in [per_province(self.by_field[f.code])] for p in provinces]})
            for cr in f.criteria:
                rows.append({"kind": "criterion", "code": cr.code, "name": cr.title, "url": P.criterion(cr),
                             "cells": [{"count": (n := counts[p.id]), "url": P.criterion_in_province(cr, p) if n else P.criterion(cr) + f"#tinh-{p.id}",
                                        "no_codes": p.id not in self.cites_codes, "inferred": inferred[p.id],
                                        "inferred_url": f"{P.SECTIONS['finder']}?tinh={p.id}&tieu-chi={cr.code}&suy-luan=1"}
                                       for counts in [per_province(self.by_criterion[cr.code])]
                                       for inferred in [per_province(self.by_criterion_inferred[cr.code])] for p in provinces]})
        self.add(P.SECTIONS["matrix"], "matrix.md.j2", "Ma trận: tỉnh × lĩnh vực, tiêu chí",
                 provinces=[{"name": p.name, "url": P.province(p), "no_codes": p.id not in self.cites_codes} for p in provinces], rows=rows)
        self.add(P.SECTIONS["fields"], "fields.md.j2", "Lĩnh vực và tiêu chí PAR INDEX",
                 fields=[{"code": f.code, "name": f.name, "alias": f.alias, "url": P.field(f), "count": len(self.by_field[f.code]),
                          "criteria": [{"code": cr.code, "name": cr.title, "url": P.criterion(cr), "level": cr.level,
                                        "count": len(self.by_criterion[cr.code])} for cr in f.criteria]} for f in c.fields],
                 sipas=c.sipas_components)
        for f in c.fields:
            parts = self.province_listings(self.by_field[f.code], lambda p, f=f: P.field_in_province(f, p),
                                           f"Lĩnh vực {f.code}: {f.name}", f"Lĩnh vực {f.code}, mọi tỉnh", P.field(f))
            self.add(P.field(f), "field.md.j2", f"Lĩnh vực {f.code}: {f.name}",
                     field={"code": f.code, "name": f.name, "alias": f.alias},
                     criteria=[{"code": cr.code, "name": cr.title, "url": P.criterion(cr), "level": cr.level, "count": len(self.by_criterion[cr.code])} for cr in f.criteria],
                     by_province=self.by_province(self.by_field[f.code], provinces, lambda p, f=f: P.field_in_province(f, p)),
                     csv=Listing(P.field(f), parts=parts, files=self.downloads).csv())
        plans_by_id = {p.id: p for p in c.plans}
        for cr in c.criteria.values():
            parent = c.criteria.get(cr.parent) if cr.parent else None
            children = [x for x in c.criteria.values() if x.parent == cr.code]
            parts = self.province_listings(self.by_criterion[cr.code], lambda p, cr=cr: P.criterion_in_province(cr, p),
                                           f"{cr.level.capitalize()} {cr.code}: {cr.title}", f"{cr.level.capitalize()} {cr.code}, mọi tỉnh",
                                           P.criterion(cr))
            self.add(P.criterion(cr), "criterion.md.j2", f"Tiêu chí {cr.code}: {cr.title}",
                     criterion={"code": cr.code, "name": cr.title, "level": cr.level,
                                "source": {"label": plan_label(plans_by_id[cr.source]), "url": P.plan_source(plans_by_id[cr.source], cr.lines)}
                                          if cr.source in plans_by_id and cr.lines else None},
                     field={"code": cr.field.code, "name": cr.field.name, "url": P.field(cr.field)},
                     parent={"code": parent.code, "name": parent.title, "url": P.criterion(parent)} if parent else None,
                     children=[{"code": x.code, "name": x.title, "url": P.criterion(x), "count": len(self.by_criterion[x.code])} for x in children],
                     by_province=self.by_province(self.by_criterion[cr.code], provinces, lambda p, cr=cr: P.criterion_in_province(cr, p), cr.code),
                     csv=Listing(P.criterion(cr), parts=parts, files=self.downloads).csv())

    def province_listings(self, tasks: list[Task], url_of, heading: str, up_label: str, up_url: str) -> list[Listing]:
        """The per-province pages of a national listing (a field's or a criterion's tasks), with their CSV."""
        per_province: dict[str, list[Task]] = defaultdict(list)
        for t in tasks:
            per_province[t.plan.province.id].append(t)
        out = []
        for p in self.c.provinces:
            mine = sort_by_deadline(per_province.get(p.id, []))
            if not mine:
                continue
            listing = Listing(url_of(p), [("", mine)], files=self.downloads)
            self.add_pages(listing.url, "listing.md.j2", f"{heading} — {p.name}", self.paged([(None, self.tv(t)) for t in mine]),
                           heading=heading, province={"name": p.name, "url": P.province(p)}, up={"label": up_label, "url": up_url},
                           tasks=lambda k, rows: [v for _, v in rows], total=len(mine), csv=listing.csv())
            out.append(listing)
        return out

    def by_province(self, tasks: list[Task], provinces: list[Province], listing_url, code: str | None = None) -> list[dict]:
        """One summary row per province: how many tasks, and the page that lists them; for a criterion (``code``),
        how many tasks of a plan without codes are inferred to be about it (shown apart)."""
        count = Counter(t.plan.province.id for t in tasks)
        inferred = Counter(t.plan.province.id for t in self.by_criterion_inferred.get(code, [])) if code else Counter()
        past_due = Counter(t.plan.province.id for t in tasks if t.deadline and t.deadline.is_past_due(self.info.as_of))
        return [{"id": p.id, "name": p.name, "url": P.province(p), "count": count.get(p.id, 0), "past_due": past_due.get(p.id, 0),
                 "list_url": listing_url(p) if count.get(p.id) else None, "no_codes": p.id not in self.cites_codes,
                 "inferred": inferred.get(p.id, 0), "inferred_url": f"{P.SECTIONS['finder']}?tinh={p.id}&tieu-chi={code}&suy-luan=1" if code else None}
                for p in provinces]

    def agency_lineage(self, a: Agency) -> list[dict]:
        """The kinds this one took over from, or was taken over by, in 2025, each with the tasks given to it."""
        out = []
        for relation, links in (("predecessor", a.predecessors), ("successor", a.successors)):
            for link in links:
                other = link.agency
                per = self.by_agency.get(other.id) or {}
                out.append({"relation": relation, "name": other.name, "url": P.agency(other) if per else None,
                            "since": vi_date(link.since), "basis": link.basis, "note": link.note,
                            "rows": [{"name": p.name, "url": P.agency_in_province(other, p), "lead": len(per[p.id]["lead"]),
                                      "support": len(per[p.id]["support"])} for p in self.c.provinces if p.id in per]})
        return out

    def agencies(self) -> None:
        c = self.c
        listed: list[dict[str, Any]] = []
        for a in c.agencies.values():
            per_province = self.by_agency.get(a.id)
            if not per_province:
                continue
            lead = sum(len(v["lead"]) for v in per_province.values())
            support = sum(len(v["support"]) for v in per_province.values())
            listed.append({"name": a.name, "url": P.agency(a), "group": a.group, "lead": lead, "support": support,
                           "provinces": len(per_province)})
            provinces = [p for p in c.provinces if p.id in per_province]
            listings = {p.id: Listing(P.agency_in_province(a, p), [(role, sort_by_deadline(per_province[p.id][role])) for role in ("lead", "support")],
                                      via={id(t): "; ".join(self.via_groups[(a.id, id(t))]) for role in ("lead", "support")
                                           for t in per_province[p.id][role] if self.via_groups.get((a.id, id(t)))},
                                      files=self.downloads)
                        for p in provinces}
            everywhere = Listing(P.agency(a), parts=[listings[p.id] for p in provinces], files=self.downloads)
            # one feed per agency kind (and one per province): a feed per agency and province was 2 files a page
            feed = F.Feed(P.agency(a), f"Thời hạn nhiệm vụ — {a.name} (các tỉnh)", f"Nhiệm vụ {a.name} chủ trì hoặc phối hợp, mọi tỉnh",
                          everywhere.feed_items(), as_of=self.info.as_of)
            self.feeds.append(feed)
            widest = max([max(len(v["lead"]), len(v["support"])) for v in per_province.values()] + [1])
            self.add(P.agency(a), "agency.md.j2", a.name, feed=feed.view(),
                     agency={"id": a.id, "name": a.name, "group": a.group, "aliases": list(a.aliases), "abbr": list(a.abbr)},
                     compare=[{"name": p.name, "url": P.agency_in_province(a, p), "lead": len(per_province[p.id]["lead"]),
                               "support": len(per_province[p.id]["support"]),
                               "lead_pct": round(100 * len(per_province[p.id]["lead"]) / widest),
                               "support_pct": round(100 * len(per_province[p.id]["support"]) / widest),
                               "due_years": dict(sorted(Counter(t.deadline.due.year for t in per_province[p.id]["lead"] if t.deadline and t.deadline.due).items())),
                               "no_due": sum(1 for t in per_province[p.id]["lead"] if not (t.deadline and t.deadline.due))} for p in provinces],
                     csv=everywhere.csv(),
                     lineage=self.agency_lineage(a))
            for p in provinces:
                roles = per_province[p.id]
                listing = listings[p.id]
                url = listing.url
                pages = self.paged([(role, self.tv_via(t, a, role)) for role, ts in listing.tables for t in ts])
                self.add_pages(url, "agency_province.md.j2", f"{a.name} — {p.name}", pages, feed=feed.view(),
                         province_feed=self.province_feeds[p.id],
                         agency={"name": a.name, "group": a.group, "url": P.agency(a)},
                         province={"name": p.name, "url": P.province(p)},
                         lead=lambda k, rows: paging.sections(rows).get("lead", []),
                         support=lambda k, rows: paging.sections(rows).get("support", []),
                         lead_total=len(roles["lead"]), support_total=len(roles["support"]),
                         elsewhere=paging.elsewhere(pages, url),
                         via_count=len({id(t) for role in ("lead", "support") for t in roles[role] if (a.id, role, id(t)) in self.via}),
                         csv=listing.csv())
        listed.sort(key=lambda x: (x["group"], -x["lead"], x["name"]))
        self.add(P.SECTIONS["agencies"], "agencies.md.j2", "Cơ quan", agencies=listed)

    def deadlines(self) -> None:
        """han/: counts by year and quarter, nationally and per province; han/<province>/: the tasks."""
        labels: dict[str, str] = {**KIND_LABELS, "none": "không ghi thời hạn"}
        as_of = self.info.as_of

        def split(tasks: list[Task]):
            years: dict[int, dict[int, list[Task]]] = defaultdict(lambda: defaultdict(list))
            undated: dict[str, list[Task]] = defaultdict(list)
            for t in sort_by_deadline(tasks):
                d = t.deadline
                if d and d.due:
                    years[d.due.year][(d.due.month - 1) // 3 + 1].append(t)
                else:
                    undated[d.kind if d else "none"].append(t)
            return years, undated

        years, undated = split(self.c.tasks)
        all_years = sorted(years)
        provinces = [p for p in self.c.provinces if p.plans]
        per_province = []
        def listing(url: str, title: str, year_views: list[dict], undated_views: list[dict], **context) -> dict:
            """One deadline list (years, quarters, then the undated kinds), split into pages (paging.split); returns
            where each heading is: ("q", year, quarter) / ("u", kind) -> the address of the page of its first row."""
            pages = self.paged([(("q", y["year"], q["q"]), v) for y in year_views for q in y["quarters"] for v in q["tasks"]]
                               + [(("u", u["kind"]), v) for u in undated_views for v in u["tasks"]])

            def years(k, rows):
                here = paging.sections(rows)
                return [{**y, "quarters": [{**q, "tasks": here[("q", y["year"], q["q"])]} for q in y["quarters"] if ("q", y["year"], q["q"]) in here]}
                        for y in year_views if any(("q", y["year"], q["q"]) in here for q in y["quarters"])]

            def undated(k, rows):
                here = paging.sections(rows)
                return [{**u, "tasks": here[("u", u["kind"])]} for u in undated_views if ("u", u["kind"]) in here]
            self.add_pages(url, "deadlines_province.md.j2", title, pages, years=years, undated=undated, split=False, **context)
            return {key: paging.part_url(url, n) for key, n in paging.first_page(pages).items()}

        for p in provinces:
            tasks = [t for plan in p.plans for t in plan.tasks]
            p_years, p_undated = split(tasks)
            url = P.deadlines_in_province(p)
            # a long list (a national corpus has ~2,400 tasks a province) gets a page per year
            by_year = len(tasks) > PROVINCE_INLINE_TASKS
            year_count = {y: sum(len(v) for v in p_years[y].values()) for y in p_years}     # years with tasks only
            year_views = [{"year": y, "anchor": f"nam-{y}", "count": year_count[y], "url": P.deadlines_in_province_year(p, y) if by_year else None,
                           "quarters": [{"q": q, "anchor": f"nam-{y}-quy-{q}", "count": len(qs), "tasks": [self.tv(t) for t in qs]}
                                        for q, qs in sorted(p_years[y].items())]}
                          for y in sorted(p_years)]
            undated_views = [{"kind": k, "label": labels[k], "anchor": f"khong-han-{k}", "count": len(v), "tasks": [self.tv(t) for t in v]}
                             for k, v in sorted(p_undated.items())]
            past_due = sum(1 for t in tasks if t.deadline and t.deadline.is_past_due(as_of))
            # every page of the province's deadline list downloads the whole list (its button counts it all)
            everything = Listing(url, [("", [t for y in sorted(p_years) for _, qs in sorted(p_years[y].items()) for t in qs]
                                        + [t for _, v in sorted(p_undated.items()) for t in v])], files=self.downloads)
            common = {"province": {"name": p.name, "url": P.province(p), "deadlines": url}, "past_due": past_due,
                      "csv": everything.csv(), "total": len(tasks)}
            if not by_year:
                undated_url = url + "#khong-co-ngay-han" if p_undated else None   # no heading when every task has a date
                where = listing(url, f"Thời hạn — {p.name}", year_views, undated_views, part=None, undated_url=undated_url, **common)
                first_of_year = {y["year"]: where[("q", y["year"], y["quarters"][0]["q"])] for y in year_views}
                year_url = lambda y, first_of_year=first_of_year: first_of_year[y] + f"#nam-{y}"
                if p_undated:
                    undated_url = where[("u", undated_views[0]["kind"])] + "#khong-co-ngay-han"
            else:
                undated_url = P.deadlines_in_province_year(p, None) if p_undated else None
                year_url = lambda y, p=p: P.deadlines_in_province_year(p, y)
                cells = {}
                for yv in year_views:
                    where = listing(yv["url"], f"Thời hạn — {p.name}, năm {yv['year']}", [yv], [], part=f"năm {yv['year']}",
                                    undated_url=undated_url, **common)
                    cells[yv["year"]] = [{"count": len(p_years[yv["year"]].get(q, [])), "anchor": f"nam-{yv['year']}-quy-{q}",
                                          "url": where.get(("q", yv["year"], q), yv["url"]) + f"#nam-{yv['year']}-quy-{q}"} for q in range(1, 5)]
                if undated_url:
                    listing(undated_url, f"Thời hạn — {p.name}, không có ngày hạn", [], undated_views, part="không có ngày hạn cụ thể",
                            undated_url=undated_url, **common)
                self.add(url, "deadlines_province.md.j2", f"Thời hạn — {p.name}",
                         years=[{**yv, "quarters": None, "cells": cells[yv["year"]]} for yv in year_views],
                         undated=[{**u, "tasks": None} for u in undated_views], part=None, split=True, pages=None,
                         undated_url=undated_url, **common)
            per_province.append({"name": p.name, "url": url,
                                 "years": [{"year": y, "count": year_count.get(y, 0), "url": year_url(y) if y in year_count else None}
                                           for y in all_years],
                                 "undated": sum(len(v) for v in p_undated.values()), "undated_url": undated_url, "past_due": past_due})
        self.add(P.SECTIONS["deadlines"], "deadlines.md.j2", "Thời hạn",
                 years=[{"year": y, "anchor": f"nam-{y}", "count": sum(len(v) for v in years[y].values()),
                         "quarters": [{"q": q, "anchor": f"nam-{y}-quy-{q}", "count": len(years[y].get(q, []))} for q in range(1, 5)]}
                        for y in all_years],
                 undated=[{"kind": k, "label": labels[k], "count": len(v)} for k, v in sorted(undated.items())],
                 provinces=per_province, all_years=all_years,
                 past_due=sum(1 for t in self.c.tasks if t.deadline and t.deadline.is_past_due(as_of)))

    def documents(self) -> None:
        docs = []
        for d in self.c.documents:
            plans = sorted({c.plan.id: c.plan for c in d.citations}.values(), key=lambda p: p.id)
            tasks = sorted({c.task.uid: c.task for c in d.citations if c.task}.values(), key=lambda t: t.uid)
            view = {"number": d.number, "kind": d.kind, "date": vi_date(d.date) if d.date else None, "year": d.year,
                    "url": P.document(d), "plans": len(plans), "tasks": len(tasks),
                    "ambiguous": any(c.ambiguous for c in d.citations)}
            docs.append(view)
            title = f"{d.kind or 'Văn bản'} {d.number}" + (f" ({d.year})" if d.year else "")
            citations = sorted(d.citations, key=lambda c: (c.plan.id, c.line))
            mention = lambda c: {"plan": plan_label(c.plan), "plan_url": P.plan(c.plan), "line": c.line, "written": c.written,
                                 "url": P.plan_source(c.plan, (c.line, c.line)), "task": self.tv(c.task) if c.task else None,
                                 "ambiguous": c.ambiguous, "merged": c.merged}
            same_number = [{"number": o.number, "year": o.year, "url": P.document(o)} for o in self.c.documents
                           if o.number.upper() == d.number.upper() and o is not d]
            if len(citations) <= DOCUMENT_INLINE_MENTIONS:
                self.document_pages(P.document(d), title, [mention(c) for c in citations], doc=view, same_number=same_number, province=None)
                continue
            # cited across a national corpus: the page counts citations per province, a page per province lists them
            by_province: dict[str, list] = defaultdict(list)
            for c in citations:
                by_province[c.plan.province.id].append(c)
            provinces = [p for p in self.c.provinces if p.id in by_province]
            self.add(P.document(d), "document.md.j2", title, doc=view, mentions=None, same_number=same_number, province=None,
                     provinces=[{"name": p.name, "url": P.document_in_province(d, p), "mentions": len(by_province[p.id]),
                                 "plans": len({c.plan.id for c in by_province[p.id]})} for p in provinces],
                     total=len(citations))
            for p in provinces:
                self.document_pages(P.document_in_province(d, p), f"{title} — {p.name}", [mention(c) for c in by_province[p.id]],
                                    doc=view, same_number=same_number, province={"name": p.name, "url": P.province(p)})
        self.add_pages(P.SECTIONS["documents"], "documents.md.j2", "Văn bản được trích dẫn",
                       paging.split(docs, lambda v: 700 + len(html.escape(f"{v['kind']} {v['number']}").encode())),
                       documents=lambda k, rows: rows, total=len(docs))

    def document_pages(self, url: str, title: str, mentions: list[dict], **context) -> None:
        """A document's citations (in one province, for a document cited across a national corpus), split into pages."""
        self.add_pages(url, "document.md.j2", title, paging.split(mentions, mention_bytes), mentions=lambda k, rows: rows,
                       total=len(mentions), provinces=None, **context)

    def quality(self) -> None:
        """chat-luong/: what the sources leave empty, vague or wrong, counted per plan; chat-luong/<plan>/: the tasks."""
        rows = []
        details = []
        for p in self.c.plans:
            issues = {
                "group_only": [t for t in p.tasks if t.lead_is_group_only],
                "no_lead": [t for t in p.tasks if not t.lead],
                "no_deadline": [t for t in p.tasks if t.deadline is None],
                "recurring": [t for t in p.tasks if t.deadline and t.deadline.kind in ("recurring", "continuous")],
                "conditional": [t for t in p.tasks if t.deadline and t.deadline.kind == "conditional"],
                "suspicious": [t for t in p.tasks if t.deadline and t.deadline.suspicious],
                "unresolved": [t for t in p.tasks if any(m.agency is None for _, m in t.mentions())],
            }
            row = {"plan": plan_view(p), "province": p.province.name, "province_url": P.province(p.province),
                   "url": P.quality_of_plan(p), "counts": {k: len(v) for k, v in issues.items()},
                   "unresolved_names": sorted({m.written for t in p.tasks for _, m in t.mentions() if m.agency is None}),
                   "variants": written_variants_of(p),
                   "unknown_facts": [k for k, v in (("số hiệu", p.number), ("ngày ban hành", p.issued), ("người ký", p.signer)) if v is None]}
            rows.append(row)
            details.append((p, row, issues))
        labels = {"group_only": "Chủ trì chỉ là nhóm cơ quan", "no_lead": "Không có chủ trì",
                  "no_deadline": "Không ghi thời hạn", "recurring": "Hạn định kỳ, thường xuyên",
                  "conditional": "Hạn có điều kiện", "suspicious": "Hạn nghi ghi sai",
                  "unresolved": "Tên cơ quan chưa xác định"}
        for p, row, issues in details:
            url = P.quality_of_plan(p)
            pages = self.paged([(k, self.tv(t)) for k in labels for t in issues[k]])
            # the plan's written names (unresolved ones, variants) head the first page only
            self.add_pages(url, "quality_plan.md.j2", f"Chất lượng dữ liệu — {plan_label(p)}", pages, labels=labels, summary=row,
                           names_here=lambda k, rows: k == 1,
                           issues=lambda k, rows: paging.sections(rows), elsewhere=paging.elsewhere(pages, url))
        by_province: defaultdict[tuple[str, str], Counter] = defaultdict(Counter)
        for p, row, _issues in details:
            by_province[(p.province.name, P.province(p.province))].update(row["counts"])
        self.add(P.SECTIONS["quality"], "quality.md.j2", "Chất lượng dữ liệu", plans=rows, labels=labels,
                 provinces=[{"name": k[0], "url": k[1], "counts": dict(v)} for k, v in sorted(by_province.items())],
                 ambiguous=[{"number": d.number, "url": P.document(d)} for d in self.c.documents if any(c.ambiguous for c in d.citations)])


# ---------------------------------------------------------------- writing

class RowCache:
    """Each task's row as the last build rendered it, by the digest of what it was rendered from (the task's
    view, the template's name, and the templates, the generator's code and the values every row shares), so that a build
    after an edit renders again only the rows of what changed. Kept in one file beside the docs folder (marshal:
    plain strings), rewritten when a row was rendered."""

    def __init__(self, path: Path | None, salt: str):
        self.path = path
        self.salt = salt.encode()
        self.rows: dict[bytes, str | None] = read_record(path, salt)
        self.used: dict[bytes, str | None] = {}
        self.changed = False
        # id(view) -> (the view, the digest of its repr): made once per task view, for its row and for every
        # page that shows it (PageDigests); the view is held so that its id is not another's
        self._views: dict[int, tuple[dict, bytes]] = {}

    def beside(self, suffix: str) -> Path | None:
        """Another record of the render kept beside this one (".pages", ".feeds"), None where none is kept."""
        return self.path.with_name(self.path.name.removesuffix(".rows") + suffix) if self.path else None

    def view_digest(self, view: dict) -> bytes:
        found = self._views.get(id(view))
        if found is None or found[0] is not view:
            import hashlib
            found = self._views[id(view)] = (view, hashlib.blake2b(repr(view).encode(), digest_size=20).digest())
        return found[1]

    def forget_view(self, view: dict | None) -> None:
        if view is not None:
            self._views.pop(id(view), None)

    def release(self) -> None:
        """Saved: every row and view digest is dropped (the views it holds too, so that no id is reused)."""
        self.rows.clear()
        self.used.clear()
        self._views.clear()

    def digest(self, template: str | None, view: dict) -> bytes:
        return hashlib.blake2b(repr(template).encode() + b"\0" + self.view_digest(view), key=self.salt[:64], digest_size=20).digest()

    def keep(self, digest: bytes) -> str | None:
        text = self.used[digest] = self.rows[digest]
        return text

    def add(self, digest: bytes, text: str | None) -> None:
        self.rows[digest] = self.used[digest] = text
        self.changed = True

    def save(self) -> None:
        if self.path is None or not self.changed:
            return
        # rows of pages not rendered again are not asked for: kept, unless the file has grown to twice what
        # this build used (rows of tasks edited since), then only this build's
        keep = self.rows if len(self.rows) <= 2 * len(self.used) + 1000 else self.used
        write_record(self.path, self.salt.decode(), keep)


def row_cache(docs: Path | None, templates: Path, common: dict) -> RowCache:
    """The rows kept beside ``docs`` (none without it), valid for these templates, this code and these values."""
    from importlib import metadata
    versions = [metadata.version(name) for name in ("jinja2", "markupsafe")]
    digest = hashlib.sha256(repr((sorted(common.items(), key=str), versions)).encode())
    here = Path(__file__).resolve().parents[1]   # the generator package
    # every template and every module of the generator: a change to any of them renders everything again
    for f in sorted(templates.glob("*.j2")) + sorted(here.rglob("*.py")):
        digest.update(f.relative_to(templates.parent if f.suffix == ".j2" else here).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    path = beside(docs, ".rows") if docs is not None else None
    return RowCache(path, digest.hexdigest())


class TaskRows:
    """Each task's table row, rendered once and reused on every listing that shows it.

    Links in a row climb to the site root ("../../") and descend (presentation.rel_url), so the row differs
    between pages only by that climb. It is rendered once with a marker where the climb goes, and the marker
    is replaced per page depth; a national corpus shows each task on about ten pages."""

    _ROOT = "\x00"          # where the climb to the root goes ("../" times the page depth)
    _HERE = "\x01"          # a link to the root itself from the root ("./")

    def __init__(self, template: jinja2.Template, common: dict, kept: RowCache | None = None):
        self.template = template
        self.common = common
        self.full: dict[str, str | None] = {}
        self.sizes: dict[str, int] = {}
        self.kept = kept

    def _render(self, t: dict, rel, show_plan: bool, anchors: bool) -> str:
        return self.template.render(t=t, rel=rel, show_plan=show_plan, anchors=anchors, **self.common).strip()

    def _marked(self, t: dict, show_plan: bool, anchors: bool) -> str | None:
        """The row with markers for the climb, or None when the task's own text holds a marker character.

        Rendered once per task, with the plan's name and the row's anchor; the variants without them (a
        plan's own page does not repeat the plan's name; only that page carries the anchors) are cut from it
        each time (cheaper than keeping them: a national corpus has 150,000 rows)."""
        text = self._full(t)
        if text is None:
            return None
        if not anchors:     # (the item number of a row with its anchor links to it on the page: "#t-…")
            text = text.replace(f'<tr id="{escape(t["anchor"])}" ', "<tr ", 1).replace(
                f'<a href="#{escape(t["anchor"])}">', f'<a href="{self._ROOT}{escape(t["url"])}">', 1)
        if not show_plan:
            start = text.find('<small class="task-plan">')
            if start >= 0:
                text = text[:start] + text[text.index("</small>", start) + len("</small>"):]
        return text

    def _full(self, t: dict) -> str | None:
        key = t["uid"] + ("\x02" + t["via"] if t.get("via") else "")   # a row shown "qua nhóm" is another row
        if key not in self.full:
            calls = [0]

            def rel(to: str) -> str:
                if to.startswith("#"):
                    return to
                calls[0] += 1
                return self._ROOT + to if to else self._HERE
            kept = self.kept
            digest = kept.digest(self.template.name, t) if kept is not None else None
            if kept is not None and digest is not None and digest in kept.rows:
                self.full[key] = kept.keep(digest)
            else:
                text = self._render(t, rel, True, True)
                marks = text.count(self._ROOT) + text.count(self._HERE)
                self.full[key] = text if marks == calls[0] else None
                if kept is not None and digest is not None:
                    kept.add(digest, self.full[key])
        return self.full[key]

    def size(self, t: dict) -> int:
        """The row's size in bytes at its largest: with the plan's name and the anchor, five levels down."""
        key = t["uid"] + ("\x02" + t["via"] if t.get("via") else "")
        if key not in self.sizes:
            text = self._full(t)
            if text is None:
                self.sizes[key] = len(self._render(t, lambda to: rel_url("x/" * 5, to), True, True).encode())
            else:
                self.sizes[key] = len(text.encode()) + 15 * (text.count(self._ROOT) + text.count(self._HERE))
        return self.sizes[key]

    def release(self) -> None:
        """The pages are written: every row made is dropped."""
        self.full.clear()
        self.sizes.clear()

    def forget(self, uid: str) -> None:
        """Drop what was made of a task's view (its address changed)."""
        self.full.pop(uid, None)        # (rows shown "qua nhóm" are made later, on agencies' pages)
        self.sizes.pop(uid, None)

    def html(self, t: dict, depth: int, show_plan: bool, anchors: bool) -> Markup:
        marked = self._marked(t, show_plan, anchors)
        if marked is None:
            from_url = "x/" * depth
            return Markup(self._render(t, lambda to: rel_url(from_url, to), show_plan, anchors))
        prefix = "../" * depth       # no cache per depth: the two replacements cost less than the memory
        return Markup(marked.replace(self._ROOT, prefix).replace(self._HERE, prefix or "./"))

    def table(self, ts: list[dict], depth: int, show_plan: bool, anchors: bool) -> Markup:
        """The rows of a table, each on its line."""
        return Markup("".join([self.html(t, depth, show_plan, anchors) + "\n" for t in ts]))


def render_site(corpus: Corpus, docs: Path, root: Path, info: BuildInfo | None = None, progress=None) -> dict:
    """Write every page, download, feed, chart and index of the site into ``docs``.

    The pages and feeds are written here while a second process (forked, so it shares the resolved corpus and
    the tasks' projections without copying them) writes the open data, the charts and the finder's indexes; a
    build machine has at least two cores."""
    info = info or BuildInfo.from_env()
    env = environment(root / "templates")
    # forked first, while this process holds no more than the corpus and each task's projection: the second
    # process then shares those, not the pages' view models and rendered rows made below (at national scale they
    # are half the memory, and a forked process counts what it shares); it waits for what it needs of them
    # (where a long plan's tasks are, the charts) before writing them
    files = Downloads.of(corpus)
    # (a projection reads its addresses, which depend on the pages a long plan's tasks are placed on, when asked;
    # the collector is paused while they are made, as below)
    collecting = gc.isenabled()
    gc.disable()
    try:
        for t in corpus.tasks:
            project(t)
    finally:
        if collecting:
            gc.enable()
    downloads = _Downloads(corpus, docs, files, info)
    # the corpus and the projections live until the build ends: frozen, the cyclic collector of either process
    # never walks them again (nor writes to them, which would make each process copy the memory it shares)
    gc.freeze()
    downloads.start()
    try:
        builder = SiteBuilder(corpus, info, root / "templates", docs, files)
        # the pages' declarations are millions of view objects that live until written and make no cycle: the
        # cyclic collector, walking them again and again as they are made, is paused (a tenth of their CPU)
        collecting = gc.isenabled()
        gc.disable()
        try:
            pages = builder.build(placed=downloads.placed)
        finally:
            if collecting:
                gc.enable()
        downloads.proceed(builder.charts)
        gc.freeze()        # the pages' view models live until written: the collector need not walk them
        written, produced = write_pages(env, builder, pages, docs, progress)
        builder.kept_rows.save()
        builder.release()
        for rel, text in builder.files.items():
            if rel in produced:
                raise ContentError([Problem(rel, None, "", "two outputs of the build claim this path")])
            written += write_if_changed(docs / rel, text)
            produced.add(rel)
        kept = builder.kept_rows
        produced |= F.write_feeds(docs, builder.feeds, info.as_of, info.site_url,
                                  record=kept.beside(".feeds"), salt=kept.salt)
        release_projections()      # (each task's projection is made: nothing more is made alike)
        produced |= copy_assets(root / "site_config" / "assets", docs / "assets")
    finally:
        asked = time.monotonic()
        produced_elsewhere = downloads.join()
    if progress is not None and downloads.finished is not None:
        # which half is the longer one, by how much: the pages (this process) or the downloads (the other)
        later = downloads.finished - asked
        progress.note(f"render: the pages were written {later:.1f}s before the downloads" if later >= 0 else
                      f"render: the downloads were written {-later:.1f}s before the pages", force=True)
    if produced & produced_elsewhere:
        raise ContentError([Problem(path, None, "", "a page and a download of the build claim this path")
                            for path in sorted(produced & produced_elsewhere)])
    remove_stale(docs, produced | produced_elsewhere)
    return {"pages": len(pages), "written": written}


class _ViewPickler(pickle.Pickler):
    """PageDigests' reader of a page's view: a task's view is written as its digest."""

    def __init__(self, out: Any, views: RowCache):
        super().__init__(out, protocol=5)
        self.fast = True          # no memo: the bytes depend on the values only, not on which are the same object
        self.views = views

    def persistent_id(self, obj: Any) -> bytes | None:
        if type(obj) is dict and "uid" in obj:
            return self.views.view_digest(obj)
        return None


class PageDigests(MadeFrom):
    """What each page of the docs folder was rendered from last time: the digest of its address, template, title
    and view (every template, the code and the shared values keyed in, as for the rows), with its file's size and
    time. A page whose digest and file are the same is not rendered again. Kept beside the docs folder."""

    def __init__(self, path: Path | None, salt: bytes, views: RowCache):
        super().__init__(path, salt)
        self.salt = salt
        self.views = views          # the task views' digests, made once for rows and pages alike

    def digest(self, page: Page) -> bytes | None:
        """The digest of the page's address, template, title and view, each task's view in it (a dict with a
        "uid", shown on many pages) standing as the digest of its repr, made once per view (every page's view
        models live until the pages are written, unchanged). The view is read by pickle, without its memo (so
        equal values give equal bytes however they are shared); None when it holds something pickle cannot
        write (a function): the page is then rendered."""
        out = io.BytesIO()
        try:
            _ViewPickler(out, self.views).dump((page.url, page.template, page.title, page.context))
        except (pickle.PicklingError, TypeError, AttributeError):
            return None
        return hashlib.blake2b(out.getbuffer(), key=self.salt[:64], digest_size=20).digest()


def write_pages(env: jinja2.Environment, builder: SiteBuilder, pages: list[Page], docs: Path, progress=None) -> tuple[int, set[str]]:
    common = builder.common()
    written = 0
    produced: set[str] = set()
    rows = builder.rows
    lines = TaskRows(env.get_template("_task_line.j2"), common, builder.kept_rows)
    kept = builder.kept_rows
    digests = PageDigests(kept.beside(".pages"), kept.salt, kept)
    for page in pages:
        if page.path in produced:
            raise ContentError([Problem(page.path, None, "", "two pages of the build claim this path")])
        digest = digests.digest(page)
        if digests.unchanged(page.path, docs / page.path, digest):      # rendered from the same view last time
            produced.add(page.path)
            continue
        template = env.get_template(page.template)
        rel = lambda to, _from=page.url: rel_url(_from, to)
        depth = page.url.count("/")
        # a table's rows joined here, one call per table (a call from the template per row cost more than the row)
        table = lambda ts, show_plan=True, anchors=False, _depth=depth: rows.table(ts, _depth, show_plan, anchors)
        compact = lambda ts, show_plan=True, _depth=depth: lines.table(ts, _depth, show_plan, False)
        text = template.render(page=page, title=page.title, rel=rel, full_rows=table, compact_rows=compact, **common, **page.context)
        page.context = {}          # written: its view models are not needed again (the feeds reuse their memory)
        produced.add(page.path)
        written += write_if_changed(docs / page.path, text)
        digests.record(page.path, docs / page.path, digest)
        if progress is not None:
            progress.note(f"render: {len(produced):,} of {len(pages):,} pages written")
    digests.save()
    return written, produced


def write_downloads(corpus: Corpus, docs: Path, files: Downloads, charts: list[C.Chart] | None, info: BuildInfo) -> set[str]:
    """The open data and listing CSVs and the finder's indexes, then the charts (``charts``; None: the charts are
    not known yet, they are written by ``C.write_charts``)."""
    from .index import write_data
    from .search import write_finder_data
    produced = write_data(corpus, docs, files, info)
    produced |= write_finder_data(corpus, docs)
    if charts is not None:
        produced |= C.write_charts(docs, charts)[0]
    return produced


class _Downloads:
    """write_downloads in a process forked before the pages are built (in this one where fork is not available),
    which writes the finder's data at once, the data files when ``placed`` says where every task is (the first
    step of the pages' build: a task's address names the page of its plan that holds it) and the charts when
    ``proceed`` gives them (its last). Each half starts its work as early as it can, and neither waits for the
    other to give it something: what this process gives is written into the pipe by a thread of its own (the
    other process reads it only when it has finished what it was doing; a national corpus' charts are more than
    a pipe holds, and this process waited 25 s for them to be read before it could write its pages)."""

    def __init__(self, corpus: Corpus, docs: Path, files: Downloads, info: BuildInfo):
        self.corpus, self.docs, self.files, self.info = corpus, docs, files, info
        self.process: BaseProcess | None = None
        self.result: set[str] | None = None
        # what is given to the other process, in order, for the sender (None put: the last; None here: all given)
        self.outbox: Any = None
        self.sender: Any = None       # the thread writing it into the pipe
        self.finished: float | None = None     # when the other process had written everything (time.monotonic)

    def start(self) -> None:
        import multiprocessing as mp
        if "fork" not in mp.get_all_start_methods():
            return          # written by proceed, in this process
        ctx = mp.get_context("fork")
        self.receive, send = ctx.Pipe(duplex=False)
        wait, go = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=self._run, args=(send, wait, go), name="downloads")
        self.process.start()
        send.close()
        wait.close()
        import queue
        import threading
        self.outbox = queue.SimpleQueue()
        self.sender = threading.Thread(target=self._send, args=(go, self.outbox), name="downloads-sender", daemon=True)
        self.sender.start()

    @staticmethod
    def _send(pipe: Any, outbox: Any) -> None:
        """(The sender thread) write each payload into the pipe, waiting as long as the other process does not read;
        close it after the last (the other process then reads the end of what it is given)."""
        try:
            while (payload := outbox.get()) is not None:
                pipe.send_bytes(payload)
        except OSError:          # the other process ended: join() says why
            pass
        finally:
            pipe.close()

    def _give(self, value: Any) -> None:
        from multiprocessing.reduction import ForkingPickler
        self.outbox.put(bytes(ForkingPickler.dumps(value)))     # made here, while the value is as it is now

    def placed(self) -> None:
        """Every task's and source line's address is known (P.place_plan_tasks): the data files can be written."""
        if self.process is not None:
            self._give(P.placements())

    def proceed(self, charts: list[C.Chart]) -> None:
        """The pages are built: the charts are known."""
        if self.process is None:
            self.result = write_downloads(self.corpus, self.docs, self.files, charts, self.info)
            return
        self._give(charts)
        self.outbox.put(None)
        self.outbox = None

    def _run(self, send, wait, go) -> None:
        import traceback
        from .index import write_data
        from .search import write_finder_data
        go.close()                       # (this process's copy: the parent's closing it must end wait.recv)
        try:
            # the finder's rows name no page of a long plan: written while the other process places the tasks
            produced = write_finder_data(self.corpus, self.docs)
            try:
                placements = wait.recv()
            except EOFError:             # the pages failed: the parent reports why
                send.send(("ok", [], None))
                return
            P.restore_placements(*placements)     # (a projection reads its addresses when asked: they are right now)
            produced |= write_data(self.corpus, self.docs, self.files, self.info)
            try:
                charts = wait.recv()
            except EOFError:             # the pages failed after the placements: the parent reports why
                send.send(("ok", [], None))
                return
            produced |= C.write_charts(self.docs, charts)[0]
            send.send(("ok", sorted(produced), time.monotonic()))     # (when: the build says which half was longer)
        except ContentError as exc:      # raised again in the parent, as it came
            send.send(("content", exc.problems, None))
        except OSError as exc:           # a full disk, a read-only folder: the parent reports it
            send.send(("oserror", (exc.errno, exc.strerror, exc.filename), None))
        except BaseException as exc:     # reported by join() in the parent, which fails the build
            send.send(("error", "".join(traceback.format_exception(exc)), None))
        finally:
            send.close()
            wait.close()

    def join(self) -> set[str]:
        if self.process is None:
            return self.result or set()
        if self.outbox is not None:      # the pages failed before proceed: the other process stops unwritten
            self.outbox.put(None)
            self.outbox = None
        self.sender.join()
        try:
            status, value, self.finished = self.receive.recv()
        except EOFError:
            status, value = "error", "the process writing the downloads ended without a word"
        self.process.join()
        if status == "content":
            raise ContentError(value)
        if status == "oserror":
            raise OSError(*value)
        if status != "ok":
            raise RuntimeError(f"writing the downloads failed:\n{value}")
        return set(value)


def copy_assets(src: Path, dst: Path) -> set[str]:
    produced = set()
    for f in sorted(src.rglob("*")):
        if f.is_file():
            target = dst / f.relative_to(src)
            # fold.js gets its abbreviation table from generator/folding.py
            write_if_changed(target, fold_js(f.read_text(encoding="utf-8")) if f.relative_to(src).as_posix() == "js/fold.js" else f.read_bytes())
            produced.add(target.relative_to(dst.parent).as_posix())
    return produced


def remove_stale(docs: Path, produced: set[str]) -> None:
    """Remove every file of ``docs`` the build did not produce, and every folder left empty. (os.walk, bottom up:
    the kind of each entry comes with the folder's listing, where Path.rglob and is_file asked the disk again for
    each of a national docs folder's 15,000 files.)"""
    for folder, _dirs, names in os.walk(docs, topdown=False):
        rel = os.path.relpath(folder, docs).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        for name in names:
            if prefix + name not in produced:
                os.unlink(os.path.join(folder, name))
        if prefix and not os.listdir(folder):
            os.rmdir(folder)
