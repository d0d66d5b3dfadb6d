"""Stage 6b, link check: every internal link and anchor of the built site must lead somewhere.

``mkdocs build --strict`` checks the Markdown links MkDocs itself resolves, but not the links inside the raw
HTML blocks the generator writes (task tables, source views), and not anchors. This stage reads every HTML
page of the built site and checks each internal ``href``/``src``: the file it names exists, and the
``#anchor`` (if any) is an ``id`` (or ``name``) on the target page. ``#L12-L20`` (a range of source lines,
marked by site_config/assets/js/source-lines.js) resolves when both ends exist. Links to other hosts and
``mailto:``/``tel:``/``data:`` links are not followed. A problem names the page, the line of the link, the
attribute and the target that does not resolve.

A national site is gigabytes of HTML, so pages are scanned in parallel with regular expressions that find the
double-quoted attributes directly (a page that spells them any other way is read tag by tag), a link that
climbs to the site root is resolved once for the whole site, and only a page with a broken link is read again
closely to say where it is.
"""
from __future__ import annotations

import contextlib
import os
import posixpath
import re
import html
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..config import MAX_PAGE_BYTES, public_address
from ..problems import Problem

_LINK_ATTRS = {"href", "src"}
_LINE_RANGE = re.compile(r"^(L\d+)-(L\d+)$")
# Anchors the theme (Material) handles in script, not as element ids.
_SCRIPT_ANCHORS = {"", "top", "__search", "__consent", "__drawer", "__tabs"}


_OPAQUE = re.compile(r"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->", re.S | re.I)
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s/>=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*/?>")
_ATTR = re.compile(r"([^\s/>=]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")


class _PageParser:
    """The ids and links of one page. A regular-expression scan of the start tags (script, style and comments
    blanked first, keeping line numbers): several times faster than html.parser on large generated pages."""

    def __init__(self, text: str) -> None:
        self.ids: set[str] = set()
        self.links: list[tuple[int, str, str, str]] = []   # (line, tag, attribute, value)
        text = _OPAQUE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
        line, last = 1, 0
        for m in _TAG.finditer(text):
            attrs = m.group(2)
            if not attrs or ("id" not in attrs and "href" not in attrs and "src" not in attrs and "name" not in attrs):
                continue
            line += text.count("\n", last, m.start())
            last = m.start()
            tag = m.group(1).lower()
            for a in _ATTR.finditer(attrs):
                name = a.group(1).lower()
                value = a.group(2) if a.group(2) is not None else a.group(3) if a.group(3) is not None else a.group(4)
                if value is None:
                    continue
                value = html.unescape(value)
                if name == "id" or (name == "name" and tag == "a"):
                    self.ids.add(value)
                elif name in _LINK_ATTRS and tag != "base":
                    self.links.append((line, tag, name, value))


def _is_internal(value: str) -> bool:
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc and not value.startswith("//")


# The fast scan: the double-quoted href, src and id attributes, found with regular expressions that start with
# a literal (the regex engine then skips ahead in C). When a page holds any other spelling of them (single
# quotes, no quotes, "href" in its text), the counts differ and the page is read with _PageParser instead. A
# page whose links do not all resolve is read again with _PageParser, which reports each broken link with its
# line, tag and attribute.
_HREF = re.compile(r' href="([^"]*)"')
_SRC = re.compile(r' src="([^"]*)"')
_ID = re.compile(r' id="([^"]*)"')


def _a_has_name(text: str) -> bool:
    """Whether an <a> tag of the page has a name attribute (an anchor the fast scan does not collect)."""
    at = text.find("name=")
    while at >= 0:
        opening = text.rfind("<", 0, at)
        # (an attribute "name" only: "data-name=" on a download button is another attribute)
        if (text[at - 1] in " \t\n\r\f" and text.startswith(("<a ", "<a\n", "<A "), opening)
                and text.find(">", opening) > at):
            return True
        at = text.find("name=", at + 5)
    return False


def _identity(path: Path) -> tuple[int, int, int]:
    st = os.stat(path)
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _scan(args: tuple[str, str]) -> tuple[str, set[str], set[str]]:
    """One page's ids and distinct link values."""
    site, rel = args
    text = Path(site, rel).read_text(encoding="utf-8", errors="replace")
    if "<script" in text or "<style" in text or "<!--" in text:
        text = _OPAQUE.sub("", text)
    hrefs, srcs, ids = _HREF.findall(text), _SRC.findall(text), _ID.findall(text)
    # (the generator, MkDocs and Material write attributes in lower case; page text is escaped, so an upper-case
    # "HREF" there is text, not a link)
    if (text.count("href") != len(hrefs) or text.count("src") != len(srcs) or text.count("id=") != len(ids)
            or _a_has_name(text)):
        parser = _PageParser(text)
        return rel, parser.ids, {v for _line, _tag, _attr, v in parser.links}
    unescape = lambda v: html.unescape(v) if "&" in v else v
    return rel, {unescape(v) for v in ids}, {unescape(v) for v in hrefs} | {unescape(v) for v in srcs}


class SiteLinks:
    """The pages of a built site: their ids, and their links. Pages are scanned in parallel (one process per
    core); a national site is several gigabytes of HTML. ``known`` is what an earlier check read (``scanned``):
    a page that is the very same file (a republish links the unchanged pages of the last build: same inode,
    size and time) is not read again."""

    def __init__(self, site: Path, workers: int | None = None, known: dict | None = None):
        self.site = site
        self.ids: dict[str, set[str]] = {}
        self.links: dict[str, set[str]] = {}
        self._files: dict[str, str | None] = {}
        self.scanned: dict[str, tuple] = {}       # page -> (its file's identity, ids, links), for the next check
        # every file of the site (pages, downloads, assets): a link to one removed since the last check is broken
        self.files: set[str] = {path.relative_to(site).as_posix() for path in site.rglob("*") if not path.is_dir()}
        rels = sorted(r for r in self.files if r.endswith(".html"))
        keys = {r: _identity(site / r) for r in rels}
        known = known or {}
        todo = [r for r in rels if r not in known or known[r][0] != keys[r]]
        self.read = set(todo)                     # the pages read now, not taken from ``known``
        workers = workers or min(os.cpu_count() or 1, 8)
        jobs = [(str(site), r) for r in todo]
        found: dict[str, tuple[set[str], set[str]]] = {}
        # each distinct link or id is kept once, however many pages hold it (a task's row links from about ten
        # pages; a source page's line ids are every source page's): on a national site the copies were hundreds
        # of megabytes, the build's peak of memory
        texts: dict[str, str] = {}
        parallel = workers > 1 and len(jobs) > 200
        import multiprocessing as mp
        with mp.get_context("fork").Pool(workers) if parallel else contextlib.nullcontext() as pool:
            scanned = (pool.imap(_scan, jobs, chunksize=max(1, len(jobs) // (workers * 16))) if pool is not None
                       else map(_scan, jobs))
            for rel, ids, links in scanned:
                found[rel] = ({texts.setdefault(v, v) for v in ids}, {texts.setdefault(v, v) for v in links})
        del texts
        # whether a page read again lost an id an earlier check saw on it
        self.lost_ids = any(rel in known and not known[rel][1] <= ids for rel, (ids, _) in found.items())
        for rel in rels:
            ids, links = found[rel] if rel in found else known[rel][1:]
            self.ids[rel] = ids
            self.links[rel] = links
            self.scanned[rel] = (keys[rel], ids, links)

    def linking_to(self, removed: set[str]) -> set[str]:
        """The pages with a link that may name one of the ``removed`` files: every link whose last path segment
        is a removed file's name, or (for a removed index.html) its folder's; a link that climbs ("../") or stays
        (".") may name a folder's index.html. A superset: it only chooses which pages the check reads again."""
        if not removed:
            return set()
        names: set[str] = set()
        for rel in removed:
            folder, _, name = rel.rpartition("/")
            names.add(name)
            if name == "index.html":
                names.update((folder.rpartition("/")[2], ".", ".."))
        values: set[str] = set()           # every distinct link value of the site (set operations, in C)
        for links in self.links.values():
            values.update(links)
        suspect = set()
        for v in values:
            path = v.partition("#")[0].partition("?")[0]
            last = path.rstrip("/").rpartition("/")[2]
            if path and (unquote(last) if "%" in last else last) in names:
                suspect.add(v)
        return {page for page, links in self.links.items() if not links.isdisjoint(suspect)}

    def target_file(self, page: str, path: str) -> str | None:
        """The site-relative file a link's path names, or None if there is none."""
        if path.startswith("/"):
            # MkDocs writes root-relative links under the public address's path (404.html): "/portal/x/"
            base = urlsplit(public_address() or "/").path
            if base != "/" and path.startswith(base):
                path = "/" + path[len(base):]
            joined = posixpath.normpath(path.lstrip("/"))
        else:
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        if joined == "." or path.endswith("/"):
            joined = posixpath.join("" if joined == "." else joined, "index.html")
        if joined.startswith("../") or joined == "..":
            return None
        if joined not in self._files:
            self._files[joined] = self._existing(joined)
        return self._files[joined]

    def _existing(self, joined: str) -> str | None:
        candidate = self.site / joined
        if candidate.is_dir():
            candidate = candidate / "index.html"
            joined = posixpath.join(joined, "index.html")
        return joined if candidate.is_file() else None

    def has_anchor(self, target: str, anchor: str) -> bool:
        ids = self.ids.get(target)
        if ids is None:             # not an HTML page (CSV, JSON...): an anchor means nothing there
            return True
        if anchor in ids or anchor in _SCRIPT_ANCHORS:
            return True
        m = _LINE_RANGE.match(anchor)
        return bool(m and m.group(1) in ids and m.group(2) in ids)

    def broken(self, page: str, value: str) -> str | None:
        """Why a link value on a page leads nowhere, or None when it resolves (or is not ours to follow)."""
        value = value.strip()
        if not value:
            return None
        if ":" not in value and not value.startswith("//") and value.isprintable():
            # no scheme, no host, nothing urlsplit would remove: its path and fragment, read directly (a national
            # site has millions of links)
            rest, _, fragment = value.partition("#")
            path = rest.partition("?")[0]
        elif not _is_internal(value):
            return None
        else:
            parts = urlsplit(value)
            path, fragment = parts.path, parts.fragment
        path, anchor = unquote(path), unquote(fragment)
        target = self.target_file(page, path) if path else page
        if target is None:
            return f'link "{value}" leads to no file of the built site'
        if fragment and not self.has_anchor(target, anchor):
            return f'link "{value}": no element with id "{anchor}" on site/{target}'
        return None

    def problems(self, pages: set[str] | None = None) -> list[Problem]:
        """The broken links of ``pages`` (every page when None)."""
        found: list[Problem] = []
        from_root: dict[str, bool] = {}     # "../../x/y/#z" written on a page two levels deep names x/y/ wherever
        for page, links in self.links.items():
            if pages is not None and page not in pages:
                continue
            prefix = "../" * page.count("/")
            bad = False
            for v in links:
                if v.startswith(prefix) and "../" not in v[len(prefix):] and (prefix or not v.startswith(("#", "/"))):
                    ok = from_root.get(v)
                    if ok is None:
                        ok = from_root[v] = self.broken(page, v) is None
                else:
                    ok = self.broken(page, v) is None
                if not ok:
                    bad = True
                    break
            if not bad:
                continue
            # a broken link on this page: read it again, closely, to say where each one is
            parser = _PageParser((self.site / page).read_text(encoding="utf-8", errors="replace"))
            for line, tag, attr, value in parser.links:
                why = self.broken(page, value)
                if why:
                    found.append(Problem(f"site/{page}", line, f"<{tag} {attr}>", why))
        return found




def oversized_pages(site: Path) -> list[Problem]:
    problems = []
    for path in sorted(site.rglob("*.html")):
        size = path.stat().st_size
        if size > MAX_PAGE_BYTES:
            problems.append(Problem(f"site/{path.relative_to(site).as_posix()}", None, "",
                                    f"the page is {size / 1024 / 1024:.1f} MB; no page may exceed 2 MB: the listing it "
                                    "shows must be split into pages (generator/site/paging.py, the rule every listing follows)"))
    return problems


def check_site(site: Path, known: Path | None = None, record: Path | None = None) -> list[Problem]:
    """Every internal link of the built site that leads nowhere, and every page too big to publish, as
    Problems (empty when all is well). ``known``: what the check of the last build read (a file ``record``
    wrote then); pages that are the same files are not read again."""
    import json
    before, files_before, address = None, None, public_address()
    if known is not None:
        try:
            with open(known, encoding="utf-8") as f:
                record_before = json.load(f)
            if record_before["address"] == address:
                before = {rel: (tuple(key), set(ids), set(links)) for rel, (key, ids, links) in record_before["pages"].items()}
                files_before = set(record_before["files"])
            del record_before
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            before = files_before = None
    links = SiteLinks(site, known=before)
    # Every link of the last check resolved (a record is written only then). A page that is the very same file
    # holds the same links: each still resolves unless its target was removed since or a page read again lost an
    # id. Unless an id was lost, the pages checked are those read now and those with a link that may name a
    # removed file (a republish replaces the finder's shards of the plan edited: new names, the old ones gone).
    pages = (links.read | links.linking_to(files_before - links.files)
             if files_before is not None and not links.lost_ids else None)
    del before
    problems = oversized_pages(site) + links.problems(pages)
    if record is not None and not problems:
        tmp = record.with_name(record.name + ".tmp")
        # json.dumps of {"address": …, "files": […], "pages": {page: [key, ids, links], …}}, written page by page
        # (dumps, not dump: only dumps uses the C encoder; the whole text at once was the build's peak of memory)
        dumps = lambda value: json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(f'{{"address":{dumps(address)},"files":{dumps(sorted(links.files))},"pages":{{')
            for i, (rel, (key, ids, found)) in enumerate(links.scanned.items()):
                f.write(("," if i else "") + dumps(rel) + ":" + dumps((key, list(ids), list(found))))
            f.write("}}")
        os.replace(tmp, record)
    return problems
