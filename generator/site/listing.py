"""A listing page declared once (issue 15): its address, the province(s) its tasks come from, and its tasks in
the tables it shows, each table with the role the tasks have there. From this one declaration come the page's
compact rows, its CSV (the same rows, each task once, with its role), the count on its download button and the
rows its feed carries, so that none of them can disagree with another.

A listing's CSV is not a file of its own: the page carries the declaration of its rows (a compact JSON
block), and site_config/assets/js/listing-csv.js builds the file in the browser from the CSV of each
province the rows come from (``data/csv/tinh/<province>.csv``, one file per province, written by index.py),
taking each task's line as the generator wrote it and adding the listing's `role` and `via_group` columns. Without
JavaScript the button downloads the province's file (a superset of the listing's rows).
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from . import permalinks as P
from ..config import WHOLE_FILES_MAX_TASKS
from ..model.domain import Corpus, Task

ALL_TASKS_CSV = "data/tasks.csv"     # written by index.py: what a national page's button gives without JavaScript
BY_PROVINCE = "csv-theo-tinh"        # the open-data page's list of the provinces' CSVs (templates/data.md.j2)
# the `role` cell of a CSV row, by the roles a task has on the listing (index.py: ROLE_ORDER)
ROLE_CELLS = ("", "lead", "support", "lead; support")


@dataclass
class Downloads:
    """The task files of data/, declared once (issue 15): index.py writes them, the open-data page lists them, the
    data package describes them, and a national listing's button and the finder point at them without JavaScript.

    Up to WHOLE_FILES_MAX_TASKS tasks, the whole corpus is also one file of each kind: tasks.json, tasks.csv and
    assignments.csv, and each province's CSV is plain text. Above, tasks.csv is not written (the provinces' CSVs
    hold the same rows, one file each, and every listing's download is made from them), and every task file is
    written gzip-compressed (tasks.json.gz, assignments.csv.gz, csv/tinh/<province>.csv.gz: the same records in
    about a fifth of the bytes), and so are the large JSON files that are only downloaded (plans.json.gz,
    documents.json.gz: 10.7 MB of a national site as JSON, 0.4 MB compressed); a listing's download, made in the
    browser, is still a plain CSV."""
    whole: bool
    tasks_json: str
    tasks_csv: str | None
    assignments: str
    provinces: list[tuple[str, str, int]]       # (province name, its CSV, tasks), in the corpus' order
    plans_json: str = "data/plans.json"
    documents_json: str = "data/documents.json"

    @classmethod
    def of(cls, corpus: Corpus) -> Downloads:
        whole = len(corpus.tasks) <= WHOLE_FILES_MAX_TASKS
        gz = "" if whole else ".gz"
        return cls(whole, f"data/tasks.json{gz}", ALL_TASKS_CSV if whole else None, f"data/assignments.csv{gz}",
                   [(p.name, P.csv("tinh", p.id) + gz, sum(len(plan.tasks) for plan in p.plans)) for p in corpus.provinces if p.plans],
                   f"data/plans.json{gz}", f"data/documents.json{gz}")

    def province_csv(self, province_id: str) -> str:
        """The province's CSV as published (data/csv/tinh/<id>.csv, or .csv.gz above the limit)."""
        return P.csv("tinh", province_id) + ("" if self.whole else ".gz")

    @property
    def everything(self) -> str:
        """What a national page's button and the finder give without JavaScript: all tasks as one CSV, or, above
        the limit, the open-data page's list of the provinces' CSVs."""
        return self.tasks_csv or f"{P.SECTIONS['data']}#{BY_PROVINCE}"


@dataclass
class Listing:
    """One listing: ``tables`` are (role, tasks) in the page's order; role is "lead" or "support" on an agency's
    page and "" elsewhere. A task listed in two tables (an agency both leads and supports it) is one CSV row."""
    url: str
    tables: list[tuple[str, list[Task]]] = field(default_factory=list)
    # a national page (an agency kind, a field, a criterion) is its provinces' listings, in order: its download
    # is theirs put together (the browser reads each one's declaration from its page), its count their sum
    parts: list[Listing] = field(default_factory=list)
    # on an agency's listing: id(task) -> the combined groups it reaches the agency through (CSV `via_group`)
    via: dict[int, str] = field(default_factory=dict)
    # the task files as published (Downloads): the file the button gives without JavaScript
    files: Downloads | None = None

    def rows(self) -> list[tuple[Task, str]]:
        """Each task once, in the order of the page's tables, with its roles there ("lead; support")."""
        if self.parts:
            return [row for part in self.parts for row in part.rows()]
        roles: dict[int, int] = {}
        order: list[Task] = []
        for role, tasks in self.tables:
            bit = {"": 0, "lead": 1, "support": 2}[role]
            for t in tasks:
                if id(t) not in roles:
                    roles[id(t)] = 0
                    order.append(t)
                roles[id(t)] |= bit
        return [(t, ROLE_CELLS[roles[id(t)]]) for t in order]

    def feed_items(self) -> list[tuple[Task, tuple[str, ...]]]:
        """The rows as a feed carries them: each task once with its roles ("lead", "support"; none outside an
        agency's listing), ordered by due date, undated last (feeds.Feed keeps the nearest FEED_LIMIT)."""
        far = dt.date(9999, 12, 31)
        items = [(t, tuple(role.split("; ")) if role else ()) for t, role in self.rows()]
        return sorted(items, key=lambda it: ((it[0].deadline.due if it[0].deadline and it[0].deadline.due else far),
                                            it[0].plan.id, it[0].lines[0]))

    @property
    def count(self) -> int:
        if self.parts:
            return sum(part.count for part in self.parts)
        return len({id(t) for _, tasks in self.tables for t in tasks})

    def csv(self) -> dict:
        """What the page's download button needs: the count, the province file a browser without JavaScript
        downloads (its province's file; all tasks for a national page), and the declaration of the rows (JSON:
        provinces, plans, roles, via groups, then [plan, task id, role, via] per row, the last two left out when empty; for a national page, the addresses of its parts)."""
        if self.parts:
            declaration = json.dumps({"parts": [part.url for part in self.parts]}, ensure_ascii=False, separators=(",", ":"))
            everything = self.files.everything if self.files else ALL_TASKS_CSV
            return {"count": self.count, "href": everything, "declaration": declaration.replace("<", "\\u003c"),
                    "name": self.file_name(), "download": everything.endswith(".csv")}
        provinces: dict[str, int] = {}
        plans: dict[str, int] = {}
        plan_rows: list[list] = []
        vias: dict[str, int] = {}
        rows: list[list] = []
        for t, role in self.rows():
            pid = t.plan.province.id
            if pid not in provinces:
                provinces[pid] = len(provinces)
            if t.plan.id not in plans:
                plans[t.plan.id] = len(plans)
                plan_rows.append([provinces[pid], t.plan.id])
            row: list = [plans[t.plan.id], t.id]
            via = self.via.get(id(t), "")
            if role or via:
                row.append(ROLE_CELLS.index(role))
            if via:
                row.append(vias.setdefault(via, len(vias)))
            rows.append(row)
        declaration = json.dumps({"provinces": list(provinces), "plans": plan_rows, "roles": list(ROLE_CELLS), "via": list(vias),
                                  "rows": rows}, ensure_ascii=False, separators=(",", ":"))
        first = next(iter(provinces), None)
        href = (self.files.province_csv(first) if self.files else P.csv("tinh", first)) if first else None
        return {"count": len(rows), "href": href,
                "declaration": declaration.replace("<", "\\u003c"), "name": self.file_name(), "download": True}

    def file_name(self) -> str:
        """The downloaded file's name: the page's address, "co-quan/so-noi-vu/quang-binh/" -> co-quan--so-noi-vu--quang-binh.csv."""
        return (self.url.strip("/").replace("/", "--") or "nhiem-vu") + ".csv"
