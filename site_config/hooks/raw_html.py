"""MkDocs hook (mkdocs.yml `hooks:`): finished HTML blocks reach the page as written, without Markdown.

The generator writes its large blocks of finished HTML (task tables, the numbered source text) between two
marker lines, ``<!--portal:raw-->`` and ``<!--/portal:raw-->``. Left in the Markdown, every byte of them is
parsed three times by Python's pure-Python html.parser: by MkDocs (it scans raw HTML for anchor ids), by
Python-Markdown (to stash raw HTML), and by Material's search plugin (only to drop them again, since they
carry ``data-search-exclude``). Measured on the 4x benchmark corpus, that was three quarters of MkDocs' time.

So the hook cuts each marked block out of the page's Markdown before Markdown runs, leaving a one-line
placeholder comment, and puts the block back into the finished HTML page. Nothing else changes: the blocks
are excluded from Material's search either way (tasks are indexed one entry each by generator/site/search.py),
and their links and anchors are checked by the portal's own link check (generator/publish/linkcheck.py), which
reads the built pages.
"""
from __future__ import annotations

import re
import sys
import time

BEGIN = "<!--portal:raw-->"
END = "<!--/portal:raw-->"
_PLACEHOLDER = re.compile(r"<!--portal:raw:(\d+)-->")

_blocks: dict[str, list[str]] = {}     # page src_uri -> blocks cut out of it, in order


def _quiet_dirty_warning() -> None:
    """A republish (generator/publish/release.py, PORTAL_REPUBLISH=1) runs ``mkdocs build --dirty`` on a folder it
    prepared so that the result is the full build's; MkDocs' warning that a dirty build may be inaccurate would
    fail --strict. Only that warning is dropped, and only then."""
    import logging
    import os
    if os.environ.get("PORTAL_REPUBLISH") != "1":
        return
    for builder in ("mkdocs", "properdocs"):         # (ProperDocs, MkDocs' fork, logs under its own name)
        logging.getLogger(f"{builder}.commands.build").addFilter(
            lambda record: not str(record.msg).startswith("A 'dirty' build is being performed"))


_quiet_dirty_warning()
_progress = {"pages": 0, "read": 0, "done": 0, "last": 0.0}
PROGRESS_EVERY = 10.0      # seconds; the lines are read by generator/publish/release.py ("portal-progress: ...")


def _note(done_key: str, verb: str) -> None:
    _progress[done_key] += 1
    now = time.monotonic()
    if now - _progress["last"] >= PROGRESS_EVERY:
        _progress["last"] = now
        print(f"portal-progress: mkdocs: {_progress[done_key]:,} of {_progress['pages']:,} pages {verb}", file=sys.stderr, flush=True)


def on_page_markdown(markdown: str, page, **kwargs) -> str:
    _note("read", "converted from Markdown")
    if BEGIN not in markdown:
        return markdown
    blocks: list[str] = []
    out: list[str] = []
    pos = 0
    while True:
        start = markdown.find(BEGIN, pos)
        if start < 0:
            out.append(markdown[pos:])
            break
        end = markdown.find(END, start)
        if end < 0:
            raise ValueError(f"{page.file.src_uri}: {BEGIN} without {END}")
        out.append(markdown[pos:start])
        out.append(f"\n\n<!--portal:raw:{len(blocks)}-->\n\n")
        blocks.append(markdown[start + len(BEGIN):end].strip("\n"))
        pos = end + len(END)
    _blocks[page.file.src_uri] = blocks
    return "".join(out)




def on_files(files, config, **kwargs):
    _progress.update(pages=len(files.documentation_pages()), read=0, done=0, last=time.monotonic())
    return files


_HEADING = re.compile(r'<h([1-6]) id="([^"]+)"([^>]*)>(.*?)</h\1>', re.S)
_TAG = re.compile(r"<[^>]+>")


def on_page_content(html_text: str, page, **kwargs) -> str:
    """Old heading anchors keep resolving: headings are slugged with đ -> d now (generator/anchors.py); where
    Python-Markdown's former slug differs ("#iem-so-va-xep-hang"), an empty element with that id is put just
    before the heading, so links made before still land on it."""
    try:
        from generator.anchors import legacy_slugify, slugify
    except ImportError:          # the hook runs without the generator on the path: nothing to keep
        return html_text
    ids = set(re.findall(r'\sid="([^"]+)"', html_text))

    def keep(m: re.Match) -> str:
        import html as _html
        text = _html.unescape(_TAG.sub("", re.sub(r'<a class="headerlink".*?</a>', "", m.group(4), flags=re.S))).strip()
        old, new = legacy_slugify(text, "-"), slugify(text, "-")
        current = m.group(2)
        if old == new or not old or old in ids or not current.startswith(new):
            return m.group(0)
        old += current[len(new):]          # the same "_1" suffix Python-Markdown gives a repeated heading
        if old in ids:
            return m.group(0)
        ids.add(old)
        return f'<span id="{old}" class="old-anchor" aria-hidden="true"></span>' + m.group(0)
    return _HEADING.sub(keep, html_text)


# Material's templates indent every line of a page's frame (header, tabs, navigation, footer): a quarter of the
# frame's 16 KB, on every page (issue 15: a national site is 15,000 pages). A run of white space holding a line
# break is shown as one space, and so is a single line break: the run becomes "\n", except inside elements that
# keep white space as written (pre, textarea) and scripts and styles, which are left as they are. The generator's
# blocks (task tables, the source text, whose lines keep their spaces) are put back afterwards, untouched.
_KEEP_OR_BLANK = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)|[ \t\r\f]*\n\s*", re.S | re.I)


# A navigation link (the drawer's list, the table of contents) wraps its title in a span, and a tab's title sits
# between two line breaks: the title is put straight into the link, which draws it the same (the span's overflow rule
# cuts nothing: its text wraps). About 40 bytes a link, 24 links on every page (issue 15).
_NAV_TITLE = re.compile(r'(class="md-nav__link(?: md-nav__link--active)?">)\n<span class="md-ellipsis">\n([^<>]*?)\n</span>\n</a>')
_TAB_TITLE = re.compile(r'(class="md-tabs__link">)\n([^<>]*?)\n</a>')


def compact_frame(html_text: str) -> str:
    html_text = _KEEP_OR_BLANK.sub(lambda m: m.group(1) or "\n", html_text)
    return _TAB_TITLE.sub(r"\1\2</a>", _NAV_TITLE.sub(r"\1\2</a>", html_text))


def on_post_page(output: str, page, **kwargs) -> str:
    _note("done", "written")
    output = compact_frame(output)
    blocks = _blocks.pop(page.file.src_uri, None)
    if not blocks:
        return output
    return _PLACEHOLDER.sub(lambda m: blocks[int(m.group(1))], output)


def on_env(env, config, files, **kwargs):
    """Every page has been read and converted by now, and lives until the build ends: freeze them out of the
    cyclic garbage collector's walks (as generator/cli.py does for the corpus). On the national corpus the
    collector otherwise walks the ever-growing set of pages again and again."""
    import gc
    gc.unfreeze()      # `mkdocs serve` builds again and again: let the last build's pages go first
    gc.collect()
    gc.freeze()
    return env


def on_post_template(output_content: str, template_name: str, config, **kwargs) -> str:
    """The pages MkDocs makes from the theme alone (404.html) lose the same indentation."""
    return compact_frame(output_content) if template_name.endswith(".html") else output_content
