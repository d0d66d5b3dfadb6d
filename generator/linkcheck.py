"""Stage 6b, link check: every internal link and anchor of the built site must lead somewhere.

``mkdocs build --strict`` checks the Markdown links MkDocs itself resolves, but not the links inside the raw
HTML blocks the generator writes (task tables, source views), and not anchors. This stage reads every HTML
page of the built site and checks each internal ``href``/``src``: the file it names exists, and the
``#anchor`` (if any) is an ``id`` (or ``name``) on the target page. ``#L12-L20`` (a range of source lines,
marked by site_config/assets/js/source-lines.js) resolves when both ends exist. Links to other hosts and
``mailto:``/``tel:``/``data:`` links are not followed. A problem names the page, the line of the link, the
attribute and the target that does not resolve.
"""
from __future__ import annotations

import posixpath
import re
import html
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .problems import Problem

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


class SiteLinks:
    """The pages of a built site: their ids, and their links."""

    def __init__(self, site: Path):
        self.site = site
        self.pages: dict[str, _PageParser] = {}
        self._files: dict[str, str | None] = {}
        for path in sorted(site.rglob("*.html")):
            self.pages[path.relative_to(site).as_posix()] = _PageParser(path.read_text(encoding="utf-8", errors="replace"))

    def target_file(self, page: str, path: str) -> str | None:
        """The site-relative file a link's path names, or None if there is none."""
        if path.startswith("/"):
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
        parser = self.pages.get(target)
        if parser is None:          # not an HTML page (CSV, JSON...): an anchor means nothing there
            return True
        if anchor in parser.ids or anchor in _SCRIPT_ANCHORS:
            return True
        m = _LINE_RANGE.match(anchor)
        return bool(m and m.group(1) in parser.ids and m.group(2) in parser.ids)

    def problems(self) -> list[Problem]:
        found: list[Problem] = []
        for page, parser in self.pages.items():
            for line, tag, attr, value in parser.links:
                value = value.strip()
                if not value or not _is_internal(value):
                    continue
                parts = urlsplit(value)
                path, anchor = unquote(parts.path), unquote(parts.fragment)
                target = self.target_file(page, path) if path else page
                where = f"<{tag} {attr}>"
                if target is None:
                    found.append(Problem(f"site/{page}", line, where, f'link "{value}" leads to no file of the built site'))
                elif parts.fragment and not self.has_anchor(target, anchor):
                    found.append(Problem(f"site/{page}", line, where,
                                         f'link "{value}": no element with id "{anchor}" on site/{target}'))
        return found


def check_site(site: Path) -> list[Problem]:
    """Every internal link of the built site that leads nowhere, as Problems (empty when all resolve)."""
    return SiteLinks(site).problems()
