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
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .problems import Problem

_LINK_ATTRS = {"href", "src"}
_LINE_RANGE = re.compile(r"^(L\d+)-(L\d+)$")
# Anchors the theme (Material) handles in script, not as element ids.
_SCRIPT_ANCHORS = {"", "top", "__search", "__consent", "__drawer", "__tabs"}


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str, str, str]] = []   # (line, tag, attribute, value)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in _LINK_ATTRS and tag != "base":
                self.links.append((self.getpos()[0], tag, name, value))

    handle_startendtag = handle_starttag


def _is_internal(value: str) -> bool:
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc and not value.startswith("//")


class SiteLinks:
    """The pages of a built site: their ids, and their links."""

    def __init__(self, site: Path):
        self.site = site
        self.pages: dict[str, _PageParser] = {}
        for path in sorted(site.rglob("*.html")):
            parser = _PageParser()
            parser.feed(path.read_text(encoding="utf-8", errors="replace"))
            parser.close()
            self.pages[path.relative_to(site).as_posix()] = parser

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
