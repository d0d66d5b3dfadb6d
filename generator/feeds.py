"""Feeds of deadlines: an Atom feed (feedgen) and an iCalendar file (icalendar) beside the page of each
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
from .model import Task
from .presentation import ROLE_LABELS, rel_url, vi_date

PORTAL = "Cổng theo dõi kế hoạch CCHC cấp tỉnh"
ID_PREFIX = "urn:cchc-portal"


@dataclass
class Feed:
    """The deadlines of one page's tasks. ``page`` is the page URL (a directory, ending with '/')."""
    page: str
    title: str
    subtitle: str
    items: list[tuple[Task, tuple[str, ...]]] = field(default_factory=list)   # task, roles ("lead", "support")

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
        return {"atom": self.atom_path, "ics": self.ics_path, "entries": len(self.items), "events": len(self.dated)}


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=dt.timezone.utc)


def _shorten(text: str, n: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip(" ,;") + "…"


def _names(mentions) -> str:
    return "; ".join(m.name for m in mentions) or "không ghi"


def describe(t: Task, roles: tuple[str, ...]) -> str:
    """The plain-text body of an entry or event: who, by when (as written), what output, which plan."""
    d = t.deadline
    lines = [" ".join(t.text.split()), ""]
    if roles:
        lines.append("Vai trò: " + ", ".join(ROLE_LABELS[r].lower() for r in roles))
    lines.append(f"Chủ trì: {_names(t.lead)}")
    lines.append(f"Phối hợp: {_names(t.support)}")
    if d:
        lines.append(f"Thời hạn (nguyên văn): {d.text}" + (f" — ngày hạn: {vi_date(d.due)}" if d.due else ""))
    else:
        lines.append("Thời hạn: không ghi")
    lines.append(f"Sản phẩm: {t.output or 'không ghi'}")
    plan = t.plan
    lines.append(f"Kế hoạch: {plan.type} {plan.number or '(không rõ số hiệu)'} — {plan.province.name}"
                 + (f", ban hành {vi_date(plan.issued)}" if plan.issued else ""))
    lines.append(f"Mục {t.ref or '—'}, văn bản gốc dòng {t.lines[0]}" + (f"–{t.lines[1]}" if t.lines[1] != t.lines[0] else ""))
    lines.append("Các kế hoạch không nói về việc hoàn thành; ngày hạn đã qua không có nghĩa là chưa làm.")
    return "\n".join(lines)


def entry_title(t: Task) -> str:
    d = t.deadline
    when = vi_date(d.due) if d and d.due else (d.text if d else "không ghi thời hạn")
    return f"[{_shorten(when, 40)}] {_shorten(t.text)}"


class FeedWriter:
    """Writes the feeds. A task appears in several feeds (its province, each agency kind, each agency in the
    province), so its Atom entry and its serialised calendar event are made once per (task, roles) and reused:
    iCalendar serialisation (line folding) is the slow part."""

    def __init__(self, as_of: dt.date):
        self.as_of = as_of
        self.stamp = _midnight(as_of)
        self._entries: dict[tuple, object] = {}
        self._events: dict[tuple, bytes] = {}

    def entry(self, t: Task, roles: tuple[str, ...], feed_path: str):
        from feedgen.entry import FeedEntry
        key = (id(t), roles, feed_path.count("/"))     # links are relative: same depth, same link text
        fe = self._entries.get(key)
        if fe is None:
            fe = FeedEntry()
            fe.id(f"{ID_PREFIX}:task:{t.uid}")
            fe.title(entry_title(t))
            fe.link(href=rel_url(feed_path, P.task(t)), rel="alternate", type="text/html")
            fe.updated(_midnight(t.plan.issued or self.as_of))
            fe.published(_midnight(t.plan.issued or self.as_of))
            fe.content(describe(t, roles), type="text")
            self._entries[key] = fe
        return fe

    def atom(self, feed: Feed) -> bytes:
        from feedgen.feed import FeedGenerator
        fg = FeedGenerator()
        fg.id(f"{ID_PREFIX}:feed:{feed.page}")
        fg.title(feed.title)
        fg.subtitle(feed.subtitle)
        fg.author({"name": PORTAL})
        fg.generator(PORTAL)
        fg.language("vi")
        fg.link(href=rel_url(feed.atom_path, feed.atom_path), rel="self", type="application/atom+xml")
        fg.link(href=rel_url(feed.atom_path, feed.page), rel="alternate", type="text/html")
        fg.updated(self.stamp)
        for t, roles in feed.items:
            fg.add_entry(self.entry(t, roles, feed.atom_path), order="append")
        return fg.atom_str(pretty=True)

    def event(self, t: Task, roles: tuple[str, ...]) -> bytes:
        from icalendar import Event
        key = (id(t), roles)
        if key not in self._events:
            ev = Event()
            ev.add("uid", f"{t.uid}@cchc-portal")
            ev.add("dtstamp", self.stamp)
            ev.add("dtstart", t.deadline.due)
            ev.add("dtend", t.deadline.due + dt.timedelta(days=1))
            ev.add("summary", f"Hạn: {_shorten(t.text, 90)}")
            ev.add("description", describe(t, roles) + f"\nTrang: {P.task(t)}")
            ev.add("transp", "TRANSPARENT")
            self._events[key] = ev.to_ical()
        return self._events[key]

    def calendar(self, feed: Feed) -> bytes:
        """One all-day event per task with a derived due date, on that date."""
        from icalendar import Calendar
        cal = Calendar()
        cal.add("prodid", f"-//{PORTAL}//vi")
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("x-wr-calname", feed.title)
        cal.add("x-wr-caldesc", feed.subtitle)
        head = cal.to_ical()
        end = b"END:VCALENDAR\r\n"
        assert head.endswith(end)
        # the calendar's own lines, then the (cached) serialised events, then its END line
        return head[: -len(end)] + b"".join(self.event(t, r) for t, r in feed.dated) + end


def atom(feed: Feed, as_of: dt.date) -> bytes:
    return FeedWriter(as_of).atom(feed)


def calendar(feed: Feed, as_of: dt.date) -> bytes:
    return FeedWriter(as_of).calendar(feed)


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


def write_feeds(docs: Path, feeds: list[Feed], as_of: dt.date) -> set[str]:
    from .render import write_if_changed
    produced = set()
    writer = FeedWriter(as_of)
    for f in feeds:
        write_if_changed(docs / f.atom_path, writer.atom(f))
        write_if_changed(docs / f.ics_path, writer.calendar(f))
        produced |= {f.atom_path, f.ics_path}
    return produced
