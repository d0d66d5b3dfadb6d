"""The build's configuration, in one place: the declared date and public address (``BuildInfo``, read from the
environment) and every limit that decides how the output scales. The bottom layer: it imports nothing of the
generator, and every stage reads these values from here (each module imports the names it uses).
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass

# ---------------------------------------------------------------- the build's settings (environment)

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


@dataclass
class BuildInfo:
    """The one declared timestamp of a build: what "past due" is measured against; and the site's public
    address, when given (PORTAL_SITE_URL, the same setting mkdocs.yml reads as site_url): feeds and calendars
    then carry absolute links, and MkDocs' sitemap lists every page."""
    as_of: dt.date
    site_url: str | None = None

    @classmethod
    def from_env(cls) -> BuildInfo:
        site_url = public_address()
        value = os.environ.get("PORTAL_AS_OF")
        if value:
            return cls(dt.date.fromisoformat(value), site_url)
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch:
            return cls(dt.datetime.fromtimestamp(int(epoch), dt.UTC).date(), site_url)
        return cls(dt.date.today(), site_url)


# ---------------------------------------------------------------- scale limits

# Pages (generator/site/render.py, permalinks.py)
# A province page lists all its tasks while they are this few; beyond, it links to the province's deadline
# page (the same list), the CSV and the finder, instead of repeating thousands of rows (a national corpus has
# about 2,400 tasks a province).
PROVINCE_INLINE_TASKS = 300
# A cited document's page lists its citations while they are this many; beyond, it counts them per province
# and links to a page per province (a decree cited by every plan of a national corpus has thousands).
DOCUMENT_INLINE_MENTIONS = 300
# Every listing of rows of unbounded count (a plan's tasks, a source's lines, a province's deadlines, an agency's
# tasks in a province, ...) is cut into pages by one rule (generator/site/paging.py): at most PAGE_ROWS rows (source
# lines: PAGE_SOURCE_LINES) and PAGE_ROW_BYTES bytes of rendered rows a page; the first page keeps the listing's
# address, the next are trang-2/, trang-3/, ... A task row is 2-3 KB in the five plans; the page's own text besides
# its rows (MkDocs' chrome, title, counts) is about 25 KB, well inside what MAX_PAGE_BYTES leaves.
PAGE_ROWS = 500
PAGE_SOURCE_LINES = 5_000
PAGE_ROW_BYTES = 1_500_000
# A published HTML page above 2 MB stalls a reader's browser: never published (generator/publish/linkcheck.py).
MAX_PAGE_BYTES = 2 * 1024 * 1024

# Feeds (generator/site/feeds.py)
# A feed holds at most this many tasks: those whose due date is nearest the build's date, upcoming first. A
# feed of an agency kind across a national corpus would otherwise hold tens of thousands of entries; the
# page's CSV has them all. The five real plans' largest feed holds 223.
FEED_LIMIT = 500

# The load (generator/content/load.py): a build whose YAML not yet kept beside the docs (LoadCache) weighs this much
# is loaded by two processes (a first build: 9.5 MB for 19,000 tasks); below it a second process costs more than it saves
SHARE_LOAD_BYTES = 2_000_000

# The assignment finder and the site search (generator/site/search.py)
SHARD_TASKS = 1000            # tasks per finder shard at most: a shard's rows ~75 KB and its index ~90 KB gzip
PARALLEL_FROM = 4000          # build shard indexes in worker processes from this many tasks on
VIEW_BUDGET = 290_000         # gzip bytes a finder view loads (scripts, manifest, shards) before the reader asks for
                              # more: 300 KB (decimal, as the benchmark counts) less 10 KB for the page's other scripts
# Above this many tasks the site search keeps one short entry per page a reader looks for by name (search.py).
SITE_SEARCH_TASK_LIMIT = 20_000

# The open-data files (generator/site/index.py, listing.Downloads)
# Up to this many tasks the whole corpus is also one file of each kind (data/tasks.json, tasks.csv,
# assignments.csv; about 1 KB a task in JSON). Above it (a national corpus has 150,000 tasks: 140 MB of JSON, and
# tasks.csv would repeat the provinces' CSVs row for row), tasks.csv is not written and tasks.json and
# assignments.csv are written gzip-compressed. The largest plan the validation accepts has about 8,300 tasks.
WHOLE_FILES_MAX_TASKS = 10_000
