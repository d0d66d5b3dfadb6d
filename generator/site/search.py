"""Search: the assignment finder's data (written with the rendered pages) and the site search folding
(applied to the built site before it is published).

Assignment finder (page tim-nhiem-vu/, site_config/assets/js/finder.js)
    The tasks are split into shards, one per province (a province with more than ``SHARD_TASKS`` tasks is
    split into parts). Each shard has two files under ``data/finder/``:

    - ``<shard>.<hash>.rows.json.gz``: the compact rows the finder shows, filters and downloads;
    - ``<shard>.<hash>.idx.json.gz``: a lunr index (lunr.py, read by lunr.js 2.3.9) over the task's text, output
      and agency names, folded by the pipeline function ``foldVi`` (generator/folding.py, fold.js).

    ``manifest.json`` names the shards, the labels of every facet value and, per shard, the count of tasks
    per facet value, so the finder loads only the shards a query can match: one province's shard for a
    province, the shards where an agency appears for an agency, and all shards, one after another and
    shown as they arrive, for a national query. The rows alone answer a query without text; the index is
    loaded only when there is text. The hash in the file names changes with the content, so a browser never
    mixes an old shard with a new manifest, and an unchanged shard's index is not rebuilt.

Site search (the box in Material's header)
    The box is the portal's own (site_config/overrides/partials/search.html, site_config/assets/js/search.js):
    Material's search worker and its 800 KB index are not loaded. ``postprocess_site`` writes
    ``search/tim-kiem.json``: one entry per page (title, the start of its text) and one per task; search.js
    loads it, with fold.js, when a reader first focuses or opens the box, folds it (search_terms) and ranks.
"""
from __future__ import annotations

import gzip
import hashlib
import html
import json
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import permalinks as P
from ..config import PARALLEL_FROM, SHARD_TASKS, SITE_SEARCH_TASK_LIMIT, VIEW_BUDGET
from ..files import gzipped, write_if_changed
from ..folding import PIPELINE_NAME, fold_js, fold_token, index_terms
from .presentation import plan_label
from ..problems import ContentError, Problem
from .projection import MentionProjection, TaskProjection, project

FINDER_DIR = "data/finder"
FORMAT_VERSION = 4            # bump when the rows or index layout changes (changes every shard's hash)
FIELD = "t"                   # the lunr index has one field: everything a reader may type about a task


# ---------------------------------------------------------------- the lunr pipeline function

@lru_cache(maxsize=1 << 17)
def _folded(token: str) -> str:
    return fold_token(token)        # tokens repeat: folding each distinct one once halves the index build


def _fold_vi(token, i=None, tokens=None):
    """lunr pipeline function "foldVi": the same folding as fold.js's lunrFold."""
    folded = token.update(lambda s, _meta=None: _folded(s))
    return folded if str(folded) else None


def _register_pipeline() -> None:
    from lunr.pipeline import Pipeline
    if PIPELINE_NAME not in Pipeline.registered_functions:
        Pipeline.register_function(_fold_vi, PIPELINE_NAME)


def _builder():
    """A lunr Builder with only foldVi in its pipelines and no ranking vectors: the finder lists matches in
    the plans' order and never ranks, and the vectors were two thirds of the build time and of the bytes."""
    from lunr.builder import Builder
    from lunr.pipeline import Pipeline

    class MatchOnlyBuilder(Builder):
        def _create_field_vectors(self):
            self.field_vectors = {}

    _register_pipeline()
    builder = MatchOnlyBuilder()
    fn = Pipeline.registered_functions[PIPELINE_NAME]
    builder.pipeline.add(fn)
    builder.search_pipeline.add(fn)
    return builder


def build_index(documents: list[dict]) -> dict:
    """The serialised lunr index (lunr.py) of ``[{"r": ref, "t": text}]``, refs being row positions."""
    from lunr import lunr
    return lunr(ref="r", fields=[FIELD], documents=documents, builder=_builder()).serialize()


def compact_index(serialised: dict) -> dict:
    """lunr's serialised index, re-encoded without loss for the browser: the sorted terms, and for each the
    row positions holding it as gaps ([3, 1, 4] = rows 3, 4, 8). finder.js's ``expandIndex`` gives back
    lunr's form for ``lunr.Index.load``; two fifths of the bytes of lunr's JSON once compressed."""
    terms, postings = [], []
    for term, posting in serialised["invertedIndex"]:
        rows = sorted(int(r) for r in posting[FIELD])
        terms.append(term)
        postings.append([rows[0]] + [b - a for a, b in zip(rows, rows[1:], strict=False)] if rows else [])
    return {"version": serialised["version"], "fields": serialised["fields"], "pipeline": serialised["pipeline"],
            "terms": terms, "postings": postings}


def _build_index_job(args: tuple[str, list[dict]]) -> tuple[str, str]:
    name, documents = args
    return name, compact_json(compact_index(build_index(documents)))


# ---------------------------------------------------------------- shards

def compact_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass
class Shard:
    id: str
    province: int                 # position in the manifest's provinces
    rows: dict                    # {"plans": [[id, label, url]], "rows": [...]}
    documents: list[dict]         # lunr documents, ref = row position
    agency_counts: dict           # agency position -> [lead, support]

    def digest(self) -> str:
        h = hashlib.sha1(f"{FORMAT_VERSION}\n".encode())
        h.update(compact_json(self.rows).encode())
        h.update(compact_json(self.documents).encode())
        return h.hexdigest()[:10]


def _mention(m: MentionProjection, agency_pos: dict[str, int]):
    """An agency mention in a row: the agency's position in the manifest, or the name as written."""
    return agency_pos[m.agency_id] if m.agency_id is not None else m.written


def _task_text(x: TaskProjection) -> str:
    """What the finder's index holds of a task: its number, text, output and every agency's names."""
    names = [n for m in (*x.lead, *x.support) for n in dict.fromkeys((m.written, m.name))]   # ordered: same bytes every build
    return " ".join([x.ref or "", x.text, x.output or "", *names])


def finder_row(x: TaskProjection, plan_pos: int, agency_pos: dict[str, int]) -> list:
    """The finder's row of a task (finder.js reads it by position): plan, id, number, text, lead, support, deadline
    as written, due date, field, criteria, output, and the inferred criteria when there are any."""
    return ([plan_pos, x.id, x.ref, x.text, [_mention(m, agency_pos) for m in x.lead], [_mention(m, agency_pos) for m in x.support],
             x.deadline, x.due.isoformat() if x.due else None, int(x.field_code) if x.field_code else None,
             [c.code for c in x.criteria], x.output] + ([[i.code for i in x.inferred]] if x.inferred else []))


def finder_shards(corpus) -> tuple[dict, list[Shard]]:
    """The manifest's labels and the shards, in province and plan order."""
    provinces = [p for p in corpus.provinces if p.plans]
    # every agency a task reaches: those the plans name and the members of the combined groups they name
    reach = {id(t): corpus.reach(t) for t in corpus.tasks}
    agencies = sorted({a.id: a for r in reach.values() for _, a, _ in r}.values(), key=lambda a: (a.group, a.name, a.id))
    agency_pos = {a.id: i for i, a in enumerate(agencies)}
    used = {c.code for t in corpus.tasks for c in t.criteria} | {i.criterion.code for t in corpus.tasks for i in t.inferred}
    for code in list(used):
        parent = corpus.criteria[code].parent if code in corpus.criteria else None
        while parent:
            used.add(parent)
            parent = corpus.criteria[parent].parent if parent in corpus.criteria else None
    criteria = [c for c in corpus.criteria.values() if c.code in used]
    labels = {
        "provinces": [[p.id, p.name, P.province(p)] for p in provinces],
        # a combined group ends with its members' positions: finder.js gives its tasks to each member, "qua nhóm"
        "agencies": [[a.id, a.name, 1 if a.group else 0, P.agency(a)]
                     + ([[agency_pos[x.id] for x in corpus.members_of(a)]] if a.members else []) for a in agencies],
        "fields": [[int(f.code), f.name] for f in corpus.fields],
        "criteria": [[c.code, c.name, c.parent] for c in criteria],
        "years": sorted({str(t.deadline.due.year) for t in corpus.tasks if t.deadline and t.deadline.due})
                 + (["none"] if any(not (t.deadline and t.deadline.due) for t in corpus.tasks) else []),
    }
    shards: list[Shard] = []
    for pi, prov in enumerate(provinces):
        tasks = [t for plan in prov.plans for t in plan.tasks]
        size = -(-len(tasks) // -(-len(tasks) // SHARD_TASKS)) if tasks else 1     # even parts of at most SHARD_TASKS
        parts = [tasks[i:i + size] for i in range(0, len(tasks), size)]
        for k, part in enumerate(parts):
            plans = list(dict.fromkeys(t.plan for t in part))
            plan_pos = {id(p): i for i, p in enumerate(plans)}
            rows: list[list] = []
            documents: list[dict] = []
            counts: dict[str, list[int]] = {}
            for t in part:
                x = project(t)
                rows.append(finder_row(x, plan_pos[id(t.plan)], agency_pos))
                documents.append({"r": str(len(documents)), FIELD: " ".join(index_terms(_task_text(x)))})
                for role, a, _ in reach[id(t)]:          # each (agency, role) once, a group's members too
                    c = counts.setdefault(str(agency_pos[a.id]), [0, 0])
                    c[0 if role == "lead" else 1] += 1
            sid = prov.id if len(parts) == 1 else f"{prov.id}-{k + 1}"
            shards.append(Shard(sid, pi, {"plans": [[p.id, plan_label(p), P.plan(p)] for p in plans], "rows": rows},
                                documents, counts))
    return labels, shards


def _packed(text: str) -> bytes:
    """A shard as written: gzip-compressed (finder.js unpacks it with DecompressionStream), with no name or time in
    its header, so the same shard gives the same bytes. A national site's shards are 59 MB as JSON, about a
    quarter of that compressed (issue 15)."""
    return gzipped(text, 9)


def write_finder_data(corpus, docs: Path) -> set[str]:
    """Write the finder's manifest and shards under docs/data/finder/; returns the paths written (relative to docs)."""
    out = docs / FINDER_DIR
    out.mkdir(parents=True, exist_ok=True)
    labels, shards = finder_shards(corpus)
    produced: set[str] = set()
    pending: list[tuple[str, list[dict]]] = []
    entries: list[dict[str, Any]] = []
    for s in shards:
        digest = s.digest()
        rows_name, idx_name = f"{s.id}.{digest}.rows.json.gz", f"{s.id}.{digest}.idx.json.gz"
        if not (out / rows_name).exists():         # named by the digest of what it holds: compressed once
            write_if_changed(out / rows_name, _packed(compact_json(s.rows)))
        if not (out / idx_name).exists():          # same digest, same index: do not rebuild
            pending.append((idx_name, s.documents))
        produced |= {f"{FINDER_DIR}/{rows_name}", f"{FINDER_DIR}/{idx_name}"}
        entries.append({"id": s.id, "province": s.province, "n": len(s.rows["rows"]), "rows": rows_name, "index": idx_name,
                        "agency": s.agency_counts})
    total = sum(len(d) for _, d in pending)
    if total >= PARALLEL_FROM and len(pending) > 1 and (os.cpu_count() or 1) > 1:
        with ProcessPoolExecutor(max_workers=min(len(pending), os.cpu_count() or 1)) as pool:
            built = list(pool.map(_build_index_job, pending, chunksize=1))
    else:
        built = [_build_index_job(job) for job in pending]
    for name, text in built:
        write_if_changed(out / name, _packed(text))
    for e in entries:       # the compressed sizes: what a view costs, for the finder's budget and the benchmark
        e["gz"] = [(out / e[kind]).stat().st_size for kind in ("rows", "index")]
    manifest = {"version": FORMAT_VERSION, "pipeline": PIPELINE_NAME, "field": FIELD, **labels, "shards": entries, "budget": 0}
    scripts = sum(_gz(ASSETS / Path(s).name) for s in FINDER_SCRIPTS)
    # the shard bytes a view may load before it asks: the view budget less the scripts and the manifest itself
    manifest["budget"] = VIEW_BUDGET - scripts - len(gzip.compress(compact_json(manifest).encode(), 6)) - 64
    write_if_changed(out / "manifest.json", compact_json(manifest))
    produced.add(f"{FINDER_DIR}/manifest.json")
    return produced


# ---------------------------------------------------------------- what a query loads (for the benchmark)

FINDER_SCRIPTS = ("assets/js/lunr.min.js", "assets/js/fold.js", "assets/js/finder.js")
ASSETS = Path(__file__).resolve().parents[2] / "site_config" / "assets" / "js"


def _gz(path: Path) -> int:
    if path.name == "fold.js":          # as shipped, with its table
        return len(gzip.compress(fold_js(path.read_text(encoding="utf-8")).encode(), 6))
    return len(gzip.compress(path.read_bytes(), 6))


def view_shards(manifest: dict, province: str | None = None, agency: str | None = None, role: str | None = None) -> list[dict]:
    """The shards a query may match, in the order finder.js loads them (its candidates())."""
    pos = {a[0]: str(i) for i, a in enumerate(manifest["agencies"])}
    out = []
    for s in manifest["shards"]:
        if province is not None and manifest["provinces"][s["province"]][0] != province:
            continue
        if agency is not None:
            c = s["agency"].get(pos.get(agency, ""))
            if not c or (role == "lead" and not c[0]) or (role == "support" and not c[1]):
                continue
        out.append(s)
    return out


def query_payload(site: Path, province: str | None = None, agency: str | None = None, text: bool = False) -> dict:
    """Bytes (gzip level 6, as a web server sends them) the finder loads for a query, by finder.js's rule: the
    page's scripts and the manifest, then the query's shards in order while they fit the manifest's budget
    (at least one), the rest only when the reader asks ("Tải tiếp").

    Returns {"first": bytes when the first shard is in (first results), "view": bytes loaded without asking,
    "total": bytes with every shard of the query, "shards": shards of the query, "shards_in_view": loaded
    without asking}.
    """
    site = Path(site)
    base = site / FINDER_DIR
    manifest = json.loads((base / "manifest.json").read_text(encoding="utf-8"))
    fixed = _gz(base / "manifest.json") + sum(_gz(site / s) for s in FINDER_SCRIPTS)
    sizes = [s["gz"][0] + (s["gz"][1] if text else 0) for s in view_shards(manifest, province, agency)]
    spent, in_view = 0, 0
    for size in sizes:
        if in_view and spent + size > manifest["budget"]:
            break
        spent += size
        in_view += 1
    return {"first": fixed + (sizes[0] if sizes else 0), "view": fixed + spent, "total": fixed + sum(sizes),
            "shards": len(sizes), "shards_in_view": in_view}


def payload_report(site: Path) -> dict:
    """The worst case per query type over every province and agency of the site (bytes, gzip)."""
    site = Path(site)
    manifest = json.loads((site / FINDER_DIR / "manifest.json").read_text(encoding="utf-8"))
    report = {}
    for text in (False, True):
        suffix = " + text" if text else ""
        per_province = [query_payload(site, province=p[0], text=text) for p in manifest["provinces"]]
        per_agency = [query_payload(site, agency=a[0], text=text) for a in manifest["agencies"]]
        report["one province" + suffix] = max(per_province, key=lambda r: (r["view"], r["total"]))
        report["one agency kind" + suffix] = max(per_agency, key=lambda r: (r["view"], r["total"]))
        report["national" + suffix] = query_payload(site, text=text)
    return report


# ---------------------------------------------------------------- site search (the box in the header)

# What the search box loads on first use (site_config/assets/js/search.js), both at once: the pages (small: the
# first results, which name provinces, plans, agencies and criteria, come from it) and the tasks.
SITE_INDEX = "search/tim-kiem.json"
SITE_TASK_INDEX = "search/tim-kiem-nhiem-vu.json"
SITE_INDEX_VERSION = 1
PAGE_TEXT_CHARS = 240                    # a page's entry: its title, the start of its text and a few headings
HEADING_SECTIONS = ("ke-hoach/", "gioi-thieu/", "du-lieu/")   # pages (and the home page) whose headings are searched

# Kinds of entries (the first item of each): the search ranks a thing's own page above pages that list it.
KIND_TASK, KIND_NAMED, KIND_DOCUMENT, KIND_SECTION, KIND_LISTING = 0, 1, 2, 3, 4
NAMED_SECTIONS = ("tinh", "ke-hoach", "co-quan", "tieu-chi", "linh-vuc")   # <section>/<id>/ is a named thing's page


def page_kind(location: str) -> int:
    parts = [p for p in location.split("#")[0].split("/") if p]
    if len(parts) <= 1:
        return KIND_SECTION
    if len(parts) == 2 and parts[0] in NAMED_SECTIONS:
        return KIND_NAMED
    if len(parts) == 2 and parts[0] == "van-ban":
        return KIND_DOCUMENT
    return KIND_LISTING


def _plain(markup: str) -> str:
    """Material's entry text (HTML) as plain text, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", markup or "")).split())


def _cut(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[:chars].rsplit(" ", 1)[0] + " …"


def postprocess_site(site: Path, corpus) -> None:
    """Write the site search's own index from Material's search_index.json and the corpus: one entry per page
    (title, the start of its text) in search/tim-kiem.json, one per task in search/tim-kiem-nhiem-vu.json."""
    site = Path(site)
    index = site / "search" / "search_index.json"
    if not index.exists():
        raise ContentError([Problem("mkdocs.yml", None, "plugins.search", "the search plugin wrote no search/search_index.json")])
    for script in ("fold.js", "search.js"):
        if not (site / "assets" / "js" / script).exists():
            raise ContentError([Problem(f"site_config/assets/js/{script}", None, "assets", "missing: the site search needs it")])
    hubs_only = corpus is not None and len(corpus.tasks) > SITE_SEARCH_TASK_LIMIT
    docs = site_search_entries(json.loads(index.read_text(encoding="utf-8"))["docs"], corpus, hubs_only)
    pages, tasks = [d for d in docs if d[0] != KIND_TASK], [d for d in docs if d[0] == KIND_TASK]
    (site / SITE_INDEX).write_text(compact_json({"version": SITE_INDEX_VERSION, "docs": pages}), encoding="utf-8")
    (site / SITE_TASK_INDEX).write_text(compact_json({"version": SITE_INDEX_VERSION, "docs": tasks}), encoding="utf-8")
    if hubs_only:
        keep_hub_pages(index)


def site_search_entries(material_docs: list[dict], corpus, hubs_only: bool = False) -> list[list]:
    """The entries of the site search, plain text (search.js shows them as text, never as HTML):

    - a page: ``[kind, url, title, text]``, text = the start of the page's text (tables of listings are kept
      out of Material's index by data-search-exclude, so it is the page's own prose) and, for a few sections,
      its headings;
    - a task: ``[0, url, text as written, "<number> · <plan>", lead, support, deadline]`` (agencies joined by
      "; "), searched without the labels search.js shows them with ("Chủ trì: …").
    """
    headings: dict[str, list[str]] = {}
    for d in material_docs:
        location = d.get("location", "")
        if "#" in location and "#t-" not in location:
            page = location.split("#")[0]
            if page == "" or (page.startswith(HEADING_SECTIONS) and page.count("/") <= 2):
                headings.setdefault(page, []).append(_plain(d.get("title", "")))
    out: list[list] = []
    for d in material_docs:
        location = d.get("location", "")
        if "#" in location:
            continue
        if hubs_only and (location.rstrip("/").count("/") > 1 or (location.startswith(NOT_HUBS) and location.count("/") > 1)):
            continue
        kind = page_kind(location)
        # a listing's text is counts and links: its title says what it is
        text = "" if kind == KIND_LISTING else _cut(_plain(d.get("text", "")), PAGE_TEXT_CHARS)
        heads = [h for h in headings.get(location, []) if h]
        if heads:
            text = (text + " · " if text else "") + " · ".join(dict.fromkeys(heads))
        out.append([kind, location, _plain(d.get("title", "")), text])
    if corpus is not None and not hubs_only:
        out += [site_search_entry(project(t)) for t in corpus.tasks]
    return out


def site_search_entry(x: TaskProjection) -> list:
    """A task's entry in the site search: ``[0, url, text as written, "<number> · <plan>", lead, support, deadline]``."""
    return [KIND_TASK, x.url, x.text, f"{x.ref or x.id} · {x.plan_label}", "; ".join(dict.fromkeys(m.name for m in x.lead)),
            "; ".join(dict.fromkeys(m.name for m in x.support)), x.deadline or ""]


# Material's search_index.json is still written by its search plugin (the header's search box needs the plugin)
# but no page loads it: the box loads search/tim-kiem.json when a reader starts to use it.

# Above SITE_SEARCH_TASK_LIMIT, the site search keeps one entry for each page a reader looks for by name
# (home, sections, provinces, plans, agencies across provinces, criteria, fields, cited documents: paths of at
# most two parts), with the start of its text. The listings split per province (co-quan/<a>/<p>/ and the like)
# are reached from those pages and through the finder. Measured on the national corpus: Material's index of
# every page was 34 MB, loaded by every page of the site.
HUB_TEXT_CHARS = 240
NOT_HUBS = ("chat-luong/",)      # a plan's data-quality page is reached from the plan and the quality overview


def keep_hub_pages(index: Path) -> None:
    data = json.loads(index.read_text(encoding="utf-8"))
    docs = []
    for d in data["docs"]:
        location = d.get("location", "")
        if "#" in location or location.rstrip("/").count("/") > 1 or (location.startswith(NOT_HUBS) and location.count("/") > 1):
            continue
        # plain text (Material shows it as HTML: escaped), cut at a word
        text = " ".join(html.unescape(re.sub(r"<[^>]*>", " ", d.get("text", ""))).split())
        if len(text) > HUB_TEXT_CHARS:
            text = text[:HUB_TEXT_CHARS].rsplit(" ", 1)[0] + " …"
        docs.append({**d, "text": html.escape(text, quote=False)})
    data["docs"] = docs
    index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
