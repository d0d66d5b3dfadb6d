"""Feeds of deadlines: an Atom feed and an iCalendar file (RFC 4287, RFC 5545) beside the page of each
province, each agency kind (across provinces) and each agency in a province, so a reader can follow one
department in a feed reader or a calendar.

Nothing here reads the clock: the one timestamp is the build's declared date (``BuildInfo.as_of``), entry
dates are the plans' issue dates, and ids come from the tasks' permanent ids. The same content and the same
``as_of`` give the same bytes.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from . import permalinks as P
from ..config import FEED_LIMIT
from ..files import MadeFrom, write_if_changed
from ..model.domain import Task
from .presentation import ROLE_LABELS, rel_url, vi_date
from .projection import TaskProjection, project

PORTAL = "Cổng theo dõi kế hoạch CCHC cấp tỉnh"
ID_PREFIX = "urn:cchc-portal"
# said once per feed and calendar (its subtitle, its description), not in each of its up to 500 entries (issue 15)
NO_COMPLETION = "Các kế hoạch không nói về việc hoàn thành; ngày hạn đã qua không có nghĩa là chưa làm."


@dataclass
class Feed:
    """The deadlines of one page's tasks. ``page`` is the page URL (a directory, ending with '/')."""
    page: str
    title: str
    subtitle: str
    items: list[tuple[Task, tuple[str, ...]]] = field(default_factory=list)   # task, roles ("lead", "support")
    as_of: dt.date | None = None      # given: keep the FEED_LIMIT tasks due nearest this date
    total: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.total = len(self.items)
        if self.as_of and len(self.items) > FEED_LIMIT:
            self.items = nearest(self.items, self.as_of, FEED_LIMIT)
            self.subtitle += (f" — {FEED_LIMIT} trong {self.total} nhiệm vụ, hạn gần ngày {vi_date(self.as_of)} nhất; "
                              "danh sách đầy đủ ở tệp CSV của trang")

    @property
    def atom_path(self) -> str:
        return P.feed(self.page, "atom")

    @property
    def ics_path(self) -> str:
        return P.feed(self.page, "ics")

    @property
    def dated(self) -> list[tuple[Task, tuple[str, ...]]]:
        return [(t, r) for t, r in self.items if t.deadline and t.deadline.due]

    def view(self) -> dict:
        return {"atom": self.atom_path, "ics": self.ics_path, "entries": len(self.items), "events": len(self.dated),
                "total": self.total, "limit": FEED_LIMIT}


def nearest(items: list, as_of: dt.date, limit: int) -> list:
    """The ``limit`` items due nearest ``as_of``: those due on or after it (soonest first), then those already
    past (latest first), then undated ones; returned in their original order."""
    def rank(i_item):
        i, (t, _roles) = i_item
        due = t.deadline.due if t.deadline and t.deadline.due else None
        if due is None:
            return (2, 0, i)
        return (0, due.toordinal(), i) if due >= as_of else (1, -due.toordinal(), i)
    chosen = sorted(enumerate(items), key=rank)[:limit]
    return [item for _i, item in sorted(chosen, key=lambda x: x[0])]


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=dt.UTC)


def _shorten(text: str, n: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip(" ,;") + "…"


def _names(mentions) -> str:
    return "; ".join(m.name for m in mentions) or "không ghi"


def describe(x: TaskProjection, roles: tuple[str, ...]) -> str:
    """The plain-text body of an entry or event, from the task's projection: who, by when (as written), what
    output, which plan."""
    lines = [" ".join(x.text.split()), ""]
    if roles:
        lines.append("Vai trò: " + ", ".join(ROLE_LABELS[r].lower() for r in roles))
    lines.append(f"Chủ trì: {_names(x.lead)}")
    lines.append(f"Phối hợp: {_names(x.support)}")
    if x.deadline is not None:
        lines.append(f"Thời hạn (nguyên văn): {x.deadline}" + (f" — ngày hạn: {vi_date(x.due)}" if x.due else ""))
    else:
        lines.append("Thời hạn: không ghi")
    lines.append(f"Sản phẩm: {x.output or 'không ghi'}")
    lines.append(f"Kế hoạch: {x.plan_type} {x.plan_number or '(không rõ số hiệu)'} — {x.province_name}"
                 + (f", ban hành {vi_date(x.plan_issued)}" if x.plan_issued else ""))
    lines.append(f"Mục {x.ref or '—'}, văn bản gốc dòng {x.lines[0]}" + (f"–{x.lines[1]}" if x.lines[1] != x.lines[0] else ""))
    return "\n".join(lines)


def entry_title(x: TaskProjection) -> str:
    when = vi_date(x.due) if x.due else (x.deadline if x.deadline is not None else "không ghi thời hạn")
    return f"[{_shorten(when, 40)}] {_shorten(x.text)}"


def _xml(text: str) -> str:
    """Text for an XML element or a double-quoted attribute."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _ics_text(text: str) -> str:
    """An iCalendar TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _ics_line(name: str, value: str) -> bytes:
    """One content line, folded (RFC 5545 3.1) into lines of at most 75 octets, never inside a UTF-8
    character nor between a backslash and the character it escapes."""
    raw = f"{name}:{value}".encode()
    if len(raw) <= 75:
        return raw + b"\r\n"
    parts, start, limit = [], 0, 75          # the first line holds 75 octets; a folded one 74 after its space
    while len(raw) - start > limit:
        cut = start + limit
        while raw[cut] & 0xC0 == 0x80:       # a UTF-8 continuation byte: cut before its character
            cut -= 1
        if raw[cut - 1] == 0x5C and (cut - start) > 1:    # keep "\;" "\n" etc. whole
            cut -= 1
        parts.append(raw[start:cut])
        start, limit = cut, 74
    parts.append(raw[start:])
    return b"\r\n ".join(parts) + b"\r\n"


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


class FeedWriter:
    """Writes the feeds. A task appears in several feeds (its province, each agency kind, each agency in the
    province), so its Atom entry and its serialised calendar event are made once per (task, roles, depth)
    and reused. Both formats are written directly (the libraries that did it, feedgen and icalendar, took
    over half of the render stage at 4x the base corpus); tests parse the output with a real XML parser and
    with icalendar."""

    def __init__(self, as_of: dt.date, site_url: str | None = None):
        self.as_of = as_of
        self.site_url = site_url      # the public address: links are absolute (relative without it)
        self.stamp = _midnight(as_of)
        self._entries: dict[tuple, str] = {}
        self._events: dict[tuple, bytes] = {}
        self._digests: dict[int, bytes] = {}      # id(task) -> the digest of its projection (``digest``)

    def digest(self, feed: Feed) -> bytes | None:
        """What the feed's two files are made from: its own values and each task's projection with its roles
        (None when a value has no repr of its own, which cannot be compared)."""
        import hashlib
        h = hashlib.blake2b(repr((feed.page, feed.title, feed.subtitle, feed.total, self.as_of, self.site_url)).encode(),
                            digest_size=20)
        for t, roles in feed.items:
            task = self._digests.get(id(t))
            if task is None:
                x = project(t)
                text = repr((x, x.url, x.source_url))      # (the addresses are read when asked: not in its repr)
                if " at 0x" in text:
                    return None
                task = self._digests[id(t)] = hashlib.blake2b(text.encode(), digest_size=16).digest()
            h.update(task + repr(roles).encode())
        return h.digest()

    def link(self, from_path: str, to: str) -> str:
        return self.site_url + to if self.site_url else rel_url(from_path, to)

    def entry(self, t: Task, roles: tuple[str, ...], feed_path: str) -> str:
        key = (id(t), roles, feed_path.count("/"))     # links are relative: same depth, same link text
        text = self._entries.get(key)
        if text is None:
            x = project(t)
            issued = _stamp(_midnight(x.plan_issued or self.as_of))
            # one line per entry, no indentation; <published> (optional in Atom) would repeat <updated>
            text = (
                f"<entry><id>{_xml(f'{ID_PREFIX}:task:{x.uid}')}</id>"
                f"<title>{_xml(entry_title(x))}</title>"
                f"<updated>{issued}</updated>"
                f'<content type="text">{_xml(describe(x, roles))}</content>'
                f'<link href="{_xml(self.link(feed_path, x.url))}" rel="alternate"/>'
                "</entry>\n")
            self._entries[key] = text
        return text

    def atom(self, feed: Feed) -> bytes:
        head = (
            "<?xml version='1.0' encoding='UTF-8'?>\n"
            '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">\n'
            f"  <id>{_xml(f'{ID_PREFIX}:feed:{feed.page}')}</id>\n"
            f"  <title>{_xml(feed.title)}</title>\n"
            f"  <updated>{_stamp(self.stamp)}</updated>\n"
            f"  <author>\n    <name>{_xml(PORTAL)}</name>\n  </author>\n"
            f'  <link href="{_xml(self.link(feed.atom_path, feed.atom_path))}" rel="self" type="application/atom+xml"/>\n'
            f'  <link href="{_xml(self.link(feed.atom_path, feed.page))}" rel="alternate" type="text/html"/>\n'
            f"  <generator>{_xml(PORTAL)}</generator>\n"
            f"  <subtitle>{_xml(f'{feed.subtitle}. {NO_COMPLETION}')}</subtitle>\n")
        body = "".join(self.entry(t, roles, feed.atom_path) for t, roles in feed.items)
        return (head + body + "</feed>\n").encode("utf-8")

    def event(self, t: Task, roles: tuple[str, ...]) -> bytes:
        key = (id(t), roles)
        ev = self._events.get(key)
        if ev is None:
            x = project(t)
            assert x.due is not None      # a calendar holds dated tasks only
            due = x.due
            ev = b"".join([
                b"BEGIN:VEVENT\r\n",
                _ics_line("UID", _ics_text(f"{x.uid}@cchc-portal")),
                _ics_line("DTSTAMP", self.stamp.strftime("%Y%m%dT%H%M%SZ")),
                _ics_line("DTSTART;VALUE=DATE", due.strftime("%Y%m%d")),
                _ics_line("DTEND;VALUE=DATE", (due + dt.timedelta(days=1)).strftime("%Y%m%d")),
                _ics_line("SUMMARY", _ics_text(f"Hạn: {_shorten(x.text, 90)}")),
                _ics_line("DESCRIPTION", _ics_text(describe(x, roles) + f"\nTrang: {(self.site_url or '') + x.url}")),
                *([_ics_line("URL", self.site_url + x.url)] if self.site_url else []),    # RFC 5545: an absolute URI
                _ics_line("TRANSP", "TRANSPARENT"),
                b"END:VEVENT\r\n"])
            self._events[key] = ev
        return ev

    def calendar(self, feed: Feed) -> bytes:
        """One all-day event per task with a derived due date, on that date."""
        head = b"".join([
            b"BEGIN:VCALENDAR\r\n",
            _ics_line("VERSION", "2.0"),
            _ics_line("PRODID", _ics_text(f"-//{PORTAL}//vi")),
            _ics_line("CALSCALE", "GREGORIAN"),
            _ics_line("X-WR-CALNAME", _ics_text(feed.title)),
            _ics_line("X-WR-CALDESC", _ics_text(f"{feed.subtitle}. {NO_COMPLETION}"))])
        return head + b"".join(self.event(t, r) for t, r in feed.dated) + b"END:VCALENDAR\r\n"


def with_roles(lead: list[Task], support: list[Task]) -> list[tuple[Task, tuple[str, ...]]]:
    """Lead and supported tasks as one list, each task once, ordered by due date (undated last)."""
    roles: dict[int, list[str]] = {}
    tasks: dict[int, Task] = {}
    for role, ts in (("lead", lead), ("support", support)):
        for t in ts:
            tasks[id(t)] = t
            roles.setdefault(id(t), [])
            if role not in roles[id(t)]:
                roles[id(t)].append(role)
    far = dt.date(9999, 12, 31)
    ordered = sorted(tasks.values(), key=lambda t: ((t.deadline.due if t.deadline and t.deadline.due else far), t.plan.id, t.lines[0]))
    return [(t, tuple(roles[id(t)])) for t in ordered]


def write_feeds(docs: Path, feeds: list[Feed], as_of: dt.date, site_url: str | None = None,
                record: Path | None = None, salt: bytes = b"") -> set[str]:
    """Write each feed's Atom and iCalendar files. With ``record`` (beside the docs folder; ``salt``: the digest of
    the code and templates), a feed made from the same tasks, projected alike, as last time, whose files are those
    written then, is not made again: a republish after editing one plan makes only the feeds that show it."""
    produced = set()
    writer = FeedWriter(as_of, site_url)
    made = MadeFrom(record, salt)
    for f in feeds:
        digest = writer.digest(f) if record is not None else None
        for path, make in ((f.atom_path, writer.atom), (f.ics_path, writer.calendar)):
            if not made.unchanged(path, docs / path, digest):
                write_if_changed(docs / path, make(f))
                made.record(path, docs / path, digest)
            produced.add(path)
    made.save()
    return produced
