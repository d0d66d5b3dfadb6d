"""Task tables: a header row (STT / Nội dung / Chủ trì / Phối hợp ...), one cell per line or cells ended by "|"."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..content.registry import name_key
from .draft import Draft, DraftGroup, DraftTask
from .names import NAME_HEADS, AgencyNames
from .text import BULLET, CODE, NBSP_ONLY, clean, collapse, slug, strip_bullet

END_MARKERS = re.compile(r"^(?:Nơi nhận|TM\.|KT\.|CHỦ TỊCH|PHÓ CHỦ TỊCH|HIỆU LỰC VĂN BẢN|ỦY BAN NHÂN DÂN|CỘNG HÒA XÃ HỘI)", re.I)
DEADLINE_HEADS = re.compile(r"^(?:năm|trong|trước|quý|thường xuyên|hằng|hàng|định kỳ|theo|sau khi|đến|từ|tháng|giai đoạn|"
                            r"kế hoạch trong|ngay|liên tục|\d{1,2}/|\d{4}\b)", re.I)
DEADLINE_STRONG = re.compile(r"quý\s+[IVX]+|trước ngày|\b\d{1,2}/\d{4}\b|hằng năm|hàng năm|thường xuyên", re.I)
# A verb after the name in a lead cell: the cell says what its agency does ("… thúc đẩy, theo dõi, báo cáo chỉ tiêu").
ACTION_IN_CELL = re.compile(r"^\s+(?:thực hiện|thúc đẩy|theo dõi|hướng dẫn|tổng hợp|triển khai|tham mưu|xây dựng|"
                            r"báo cáo|kiểm tra|đôn đốc)\b")
# ----------------------------------------------------------------------------------------------------------
# Tables

ROLE_WORDS = [("lead", re.compile(r"chủ trì|^(?:đơn vị|cơ quan)(?:,\s*đơn vị)?\s+(?:thực hiện|chịu trách nhiệm)$", re.I)), ("support", re.compile(r"phối hợp", re.I)),
              ("stt", re.compile(r"^(?:stt|tt|số tt)$", re.I)),
              ("deadline", re.compile(r"thời gian|thời hạn|tiến độ", re.I)),
              ("output", re.compile(r"sản phẩm|kết quả", re.I)), ("note", re.compile(r"ghi chú", re.I)),
              ("span", re.compile(r"trách nhiệm|phân công", re.I)),
              ("content", re.compile(r"nội dung|nhiệm vụ|chỉ tiêu|công việc", re.I))]


def header_role(text: str) -> str | None:
    for role, pat in ROLE_WORDS:
        if pat.search(text):
            return role
    return None


@dataclass
class Cell:
    lines: list[int]          # source line numbers (1-based) of the cell, empty-cell markers included
    texts: list[str]          # the text of each non-empty line

    @property
    def empty(self) -> bool:
        return not any(t.strip() for t in self.texts)


class TableReader:
    """Tables with a header row ("STT ... Chủ trì ... Phối hợp"): one cell per line, or cells ending with "|"."""

    def __init__(self, lines: list[str], names: AgencyNames, draft: Draft):
        self.lines = lines
        self.names = names
        self.draft = draft
        self.counts: dict[str, int] = {}

    def find(self) -> list[tuple[int, int]]:
        """(header line, end line) of every table."""
        out = []
        n = 1
        while n <= len(self.lines):
            text = collapse(self.lines[n - 1]).strip(" |")
            if re.fullmatch(r"(?i)stt|tt|số tt", text):
                roles = []
                for k in range(n, min(n + 40, len(self.lines))):
                    cells = [c.strip() for c in collapse(self.lines[k]).split("|")]
                    roles += [header_role(c) for c in cells if c]
                if "content" in roles and "lead" in roles:
                    end = n
                    for k in range(n, len(self.lines)):
                        t = collapse(self.lines[k]).strip(" |")
                        if t and END_MARKERS.match(t.lstrip("→ ")):
                            break
                        end = k + 1
                    out.append((n, end))
                    n = end + 1
                    continue
            n += 1
        return out

    def read(self, header: int, end: int, number: int) -> None:
        piped = sum("|" in self.lines[k - 1] for k in range(header, end + 1)) > (end - header + 1) / 3
        cells = self.piped_cells(header, end) if piped else self.line_cells(header, end)
        separated = piped and self.cell_lines(header, end)
        roles, start = self.header(cells, separated)
        for c in cells[:start]:
            self.draft.placed.update(c.lines)
        if separated:
            rows = self.separated_rows(cells[start:], roles)
        elif piped:
            rows = self.piped_rows(cells[start:], roles)
        else:
            rows = self.line_rows(cells[start:], roles)
        self.build(rows, roles, "pipe table" if piped else "cell-per-line table", number)
        self.draft.sections.append([header, end])

    def piped_cells(self, header: int, end: int) -> list[Cell]:
        cells: list[Cell] = []
        open_cell: Cell | None = None
        for n in range(header, end + 1):
            raw = self.lines[n - 1]
            if "|" not in raw:
                if raw.strip():
                    if open_cell is None:
                        open_cell = Cell([], [])
                    open_cell.lines.append(n)
                    open_cell.texts.append(collapse(raw))
                continue
            parts = raw.split("|")
            for i, part in enumerate(parts[:-1]):
                if i == 0 and open_cell is not None:
                    open_cell.lines.append(n)
                    if part.strip():
                        open_cell.texts.append(collapse(part))
                    cells.append(open_cell)
                    open_cell = None
                else:
                    cells.append(Cell([n], [collapse(part)] if part.strip() else []))
            tail = parts[-1]
            if tail.strip():
                open_cell = Cell([n], [collapse(tail)])
        if open_cell is not None:
            cells.append(open_cell)
        return cells

    def line_cells(self, header: int, end: int) -> list[Cell]:
        cells = []
        for n in range(header, end + 1):
            raw = self.lines[n - 1]
            if raw == "":
                continue
            cells.append(Cell([n], [] if NBSP_ONLY.match(raw) else [collapse(raw)]))
        return cells

    def header(self, cells: list[Cell], row_ends_empty: bool = False) -> tuple[list[str], int]:
        raw_roles: list[str] = []
        i = 0
        while i < len(cells):
            c = cells[i]
            text = " ".join(c.texts)
            if i > 0 and CODE.match(text):
                break
            if row_ends_empty and raw_roles and c.empty:
                break        # the header row ends with an empty cell, like every row of such a table
            if text:
                raw_roles.append(header_role(text) or "other")
            i += 1
        roles: list[str] = []
        later = [r for r in raw_roles if r in ("lead", "support")]
        for r in raw_roles:
            if r == "span":
                roles += [x for x in later if x not in roles]
            elif r in ("lead", "support") and r in roles:
                continue
            else:
                roles.append(r)
        return roles, i

    def piped_rows(self, cells: list[Cell], roles: list[str]) -> list[dict]:
        body = roles[1:] if roles and roles[0] == "stt" else roles
        rows, i = [], 0
        while i < len(cells):
            c = cells[i]
            if c.empty:
                i += 1
                continue
            row: dict = {"stt": None, "cells": {}, "lines": list(c.lines)}
            text = " ".join(c.texts)
            if CODE.match(text):
                row["stt"] = text.rstrip(".")
                i += 1
                if i < len(cells) and re.fullmatch(r"\d{1,3}\.?", " ".join(cells[i].texts)):
                    row["lines"] += cells[i].lines
                    i += 1
            for role in body:
                if i >= len(cells):
                    break
                nxt = " ".join(cells[i].texts)
                if role != "content" and CODE.match(nxt) and not cells[i].empty:
                    break
                row["cells"][role] = cells[i]
                row["lines"] += cells[i].lines
                i += 1
            rows.append(row)
        return rows

    def cell_lines(self, header: int, end: int) -> bool:
        """Whether the table is copied one "|" per line, each row ended by an empty cell ("|" on two lines)."""
        bars = sum(self.lines[k - 1].strip() == "|" for k in range(header, end + 1))
        return bars > (end - header + 1) / 4

    def separated_rows(self, cells: list[Cell], roles: list[str]) -> list[dict]:
        """Rows of a table whose rows end with an empty cell. A row with fewer cells than columns (a cell merged
        with the row above) is read by what each cell holds (a deadline, names, else text), never by shifting the
        columns; a missing lead is taken from the row above and marked for review."""
        body = roles[1:] if roles and roles[0] == "stt" else roles
        runs: list[list[Cell]] = [[]]
        for c in cells:
            if c.empty:
                if runs[-1]:
                    runs.append([])
            else:
                runs[-1].append(c)
        rows = []
        for run in (r for r in runs if r):
            row: dict = {"stt": None, "cells": {}, "lines": [n for c in run for n in c.lines], "merged": []}
            text = " ".join(run[0].texts)
            if CODE.match(text) or re.fullmatch(r"[A-Z]\.?", text):
                row["stt"] = text.rstrip(".")
                run = run[1:]
            if len(run) >= len(body) or len(run) <= 1:
                row["cells"] = dict(zip(body, run, strict=False))
            else:
                row["cells"]["content"] = run[0]
                free = [r for r in body if r != "content"]
                for c in run[1:]:
                    t = " ".join(c.texts)
                    role: str | None
                    if "deadline" in free and self.deadline_start(t) and not self.agency_like(t):
                        role = "deadline"
                    elif self.agency_like(t) and any(r in free for r in ("lead", "support")):
                        role = next(r for r in free if r in ("lead", "support"))
                    else:
                        role = next((r for r in free if r not in ("lead", "support", "deadline")), None)
                    if role is None:
                        continue
                    row["cells"][role] = c
                    free.remove(role)
                row["merged"] = [r for r in ("lead",) if r in free and r in body]
            rows.append(row)
        return rows

    def agency_like(self, text: str) -> bool:
        t = strip_bullet(text)
        return bool(t) and len(t) < 250 and (t.startswith(NAME_HEADS) or bool(self.names.prefix(t)[0]))

    @staticmethod
    def deadline_start(text: str) -> bool:
        """A line that opens a deadline cell (stricter than deadline_like: content lines mention years too)."""
        t = strip_bullet(text)
        if len(t) > 130:
            return False
        if DEADLINE_HEADS.match(t) or re.search(r"quý\s+[IVX]+|trước ngày|\b\d{1,2}/\d{4}\b", t, re.I):
            return True
        return t == text.strip() and len(t) <= 100 and bool(DEADLINE_STRONG.search(t))

    def line_rows(self, cells: list[Cell], roles: list[str]) -> list[dict]:
        """Rows of a one-cell-per-line table: cell boundaries from empty-cell markers and the kind of each line."""
        body = roles[1:] if roles and roles[0] == "stt" else roles
        rows, i = [], 0
        stop = lambda c: bool(c.texts) and (CODE.match(c.texts[0]) is not None)
        while i < len(cells):
            c = cells[i]
            if c.empty:
                i += 1
                continue
            row: dict = {"stt": None, "cells": {}, "lines": []}
            if CODE.match(c.texts[0]):
                row["stt"] = c.texts[0].rstrip(".")
                row["lines"] += c.lines
                i += 1
            for k, role in enumerate(body):
                if i >= len(cells) or stop(cells[i]):
                    break
                nxt_role = body[k + 1] if k + 1 < len(body) else None
                first = cells[i]
                if first.empty:
                    row["cells"][role] = first
                    row["lines"] += first.lines
                    i += 1
                    continue
                text = first.texts[0]
                if role in ("lead", "support") and not self.agency_like(text):
                    break
                got = Cell(list(first.lines), list(first.texts))
                i += 1
                while i < len(cells) and not cells[i].empty and not stop(cells[i]):
                    line = cells[i].texts[0]
                    if role == "content":
                        if nxt_role == "deadline" and self.deadline_start(line):
                            break
                        if nxt_role in ("lead", "support") and self.agency_like(line):
                            break
                        if nxt_role not in ("deadline", "lead", "support"):
                            break
                    elif role in ("lead", "support"):
                        prev = got.texts[-1]
                        bullets = BULLET.match(prev) and BULLET.match(line)
                        if not self.agency_like(line) or (prev.endswith(".") and not bullets):
                            break
                        if not (prev.endswith((";", ",")) or bullets):
                            break
                        seen = {name_key(x) for x in self.names.split_cell(got.texts)}
                        seen_ids = {id(self.names.directory.resolve(x)) for x in self.names.split_cell(got.texts)
                                    if self.names.directory.resolve(x)}
                        head = self.names.split_cell([line])[:1]
                        if head and (name_key(head[0]) in seen or (self.names.directory.resolve(head[0]) is not None
                                                                    and id(self.names.directory.resolve(head[0])) in seen_ids)):
                            break
                    else:
                        break
                    got.lines += cells[i].lines
                    got.texts += cells[i].texts
                    i += 1
                row["cells"][role] = got
                row["lines"] += got.lines
            if not row["lines"]:
                row["lines"] = list(c.lines)
                i = max(i, cells.index(c) + 1)
            rows.append(row)
        return rows

    def build(self, rows: list[dict], roles: list[str], shape: str, number: int) -> None:
        prefix = "pl" if number == 1 else f"pl{number}"
        romans = [r["stt"] for r in rows if r["stt"] and re.fullmatch(r"[IVXL]+", r["stt"])]
        under: dict[str, set] = {}
        current_roman = None
        for r in rows:
            if r["stt"] and re.fullmatch(r"[IVXL]+", r["stt"]):
                current_roman = r["stt"]
            elif r["stt"]:
                under.setdefault(r["stt"], set()).add(current_roman)
        restart = bool(romans) and any(len(v) > 1 for v in under.values())
        groups: dict[str, DraftGroup] = {}
        current_roman, bullets = None, 0
        parent_row: tuple[str, str | None] | None = None    # (ref, group id) of the row that bullet rows hang under
        above: list[str] = []
        for r in rows:
            cells = r["cells"]
            def text_of(role, join=" ", cells=cells):
                c = cells.get(role)
                return clean(join.join(c.texts)) if c and not c.empty else None
            content = text_of("content")
            first, last = min(r["lines"]), max(r["lines"])
            assigned = any(text_of(x) for x in ("lead", "support", "deadline", "output"))
            stt = r["stt"]
            if stt and re.fullmatch(r"[IVXL]+", stt):
                current_roman = stt
            ref = stt
            if stt and restart and current_roman and stt != current_roman:
                ref = f"{current_roman}.{stt}"
            if not content:
                continue
            if ref and not assigned:
                gid = self.draft.unique(f"{prefix}-{slug(ref)}")
                parent = self.parent_group(ref, groups, current_roman)
                new_group = DraftGroup(gid, ref, strip_bullet(content), parent, first, last)
                groups[ref] = new_group
                self.draft.groups.append(new_group)
                parent_row, bullets = (ref, gid), 0
                continue
            if not ref and not assigned:
                continue
            if ref:
                group = self.parent_group(ref, groups, current_roman)
                tid = self.draft.unique(f"{prefix}-{slug(ref)}")
                parent_row, bullets = (ref, group), 0
            else:
                bullets += 1
                pref, group = parent_row if parent_row is not None else (None, None)
                ref = f"{pref}-b{bullets}" if pref else None
                tid = self.draft.unique(f"{prefix}-{slug(ref) if ref else 'row-' + str(first)}")
            lead_cell, support_cell = cells.get("lead"), cells.get("support")
            lead = self.names.split_cell(lead_cell.texts) if lead_cell else []
            support = self.names.split_cell(support_cell.texts) if support_cell else []
            said = collapse(" ".join(lead_cell.texts)).strip(" .;") if lead_cell else ""
            clauses = [c for c in said.split(";") if c.strip()]
            chairs = [c for c in clauses if re.search(r"\schủ trì\b", c)]
            if len(clauses) > 1 and len(chairs) == 1:
                # "Sở KH&CN chủ trì hướng dẫn, tổng hợp; Các sở, ngành, UBND cấp xã thực hiện …": who leads and who
                # carries out, as a labelled line's ("chủ trì" in every clause: the cell's leads, as written)
                lead, more = self.names.roles(said)
                support += [n for n in more if n not in support]
            elif len(clauses) == 1 and not chairs:
                named, end = self.names.prefix(said)
                if named and ACTION_IN_CELL.match(said[end:]):
                    lead = named     # "Sở Khoa học và Công nghệ thúc đẩy, theo dõi, báo cáo chỉ tiêu": the name
            checks = []
            if not lead and "lead" in r.get("merged", ()) and above:
                lead = list(above)
                checks.append("ô chủ trì gộp với hàng trên: chủ trì lấy từ hàng trên")
            above = lead
            task = DraftTask(
                id=tid, ref=ref, group=group, text=strip_bullet(content), lead=lead, checks=checks,
                support=support,
                deadline=strip_bullet(text_of("deadline")) if text_of("deadline") else None,
                output=text_of("output"), note=text_of("note"), first=first, last=last, shape=shape)
            self.draft.tasks.append(task)
            self.counts[shape] = self.counts.get(shape, 0) + 1

    @staticmethod
    def parent_group(ref: str, groups: dict[str, DraftGroup], roman: str | None) -> str | None:
        parts = ref.split(".")
        for k in range(len(parts) - 1, 0, -1):
            cand = ".".join(parts[:k])
            if cand in groups:
                return groups[cand].id
        if roman and roman in groups and roman != ref:
            return groups[roman].id
        return None


