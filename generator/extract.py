"""For maintainers: draft a plan YAML from a plan's text (`python -m generator extract SOURCE`).

The draft follows content/README.md and is meant to be reviewed, not published as is. What it reads:

- metadata: số hiệu ("Số: 1886/KH-UBND"), place and date ("Quảng Bình, ngày 10 tháng 9 năm 2021"), the type
  from the title line ("KẾ HOẠCH"), the title under it, the signer under "CHỦ TỊCH" / "PHÓ CHỦ TỊCH", and a
  scraped metadata table ("Số hiệu | 3809/QĐ-UBND |", "• Người ký: ...") where the page has one;
- the province, matched against registry/provinces.yml (or given with --province);
- baselines: PAR INDEX and SIPAS scores stated in the preamble (score, unit, rank, of, change);
- objectives: the items under "Mục tiêu" headings, with the percentages and years they state;
- tasks, from four shapes recognised by the text's structure (never by file name or plan id):
  * tables with one cell per line (a header row "STT / Nội dung / ... / Chủ trì / Phối hợp", empty cells as
    lines holding a no-break space), code rows ("1.3.1") and bullet rows under a code row, each with its
    own deadline, lead and support;
  * tables whose cells end with "|" (one or several cells per line);
  * narrative sections (II. NHIỆM VỤ, III. TỔ CHỨC THỰC HIỆN, ...) where a heading names the agency and the
    bullets or paragraphs under it are its tasks; a heading naming a group ("Các sở, ngành, địa phương")
    assigns to that group, and a task that opens with an agency's name is assigned to that agency.

Faithfulness: text is NFC-normalised on input and kept as written (whitespace collapsed, bullets and the
trailing ";" "." of names removed); an empty cell stays empty; deadlines keep their text; what the text does
not say is null. Every agency name is resolved against registry/agencies/*.yml; a name that does not resolve
is written as {name: ..., unresolved: true}. Lines of the task sections that no task, group or objective
covers are listed on stderr.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .load import RawContent, load_yaml, nfc, read_text
from .problems import Problem
from .registry import AgencyDirectory, name_key

# ----------------------------------------------------------------------------------------------------------
# Line shapes

NBSP_ONLY = re.compile(r"^[\s\u00a0\u200b]+$")
CODE = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3}){0,4}\.?|[IVXL]{1,6}\.?)$")
ROMAN_HEAD = re.compile(r"^([IVXL]{1,6})\.\s*(\S.*)$")
NUM_HEAD = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3}|\d{1,2}(?=\.))\.?\s*(\S.*)$")
LETTER_HEAD = re.compile(r"^([a-zđ])\)\s*(\S.*)$")
BULLET = re.compile(r"^[-–—•]\s*(?=\S)(.*[^\W\d_].*)$")
PLUS = re.compile(r"^\+\s*(\S.*)$")
BULLET_PREFIX = re.compile(r"^\s*(?:[-–—•+]\s*)+")
SPACE = re.compile(r"\s+")
MARKUP = re.compile(r"\*{1,2}([^*]+?)\*{1,2}")

END_MARKERS = re.compile(r"^(?:Nơi nhận|TM\.|KT\.|CHỦ TỊCH|PHÓ CHỦ TỊCH|HIỆU LỰC VĂN BẢN|ỦY BAN NHÂN DÂN|CỘNG HÒA XÃ HỘI)", re.I)
TASK_SECTION_TITLE = re.compile(r"NHIỆM VỤ|GIẢI PHÁP|TỔ CHỨC THỰC HIỆN|NỘI DUNG", re.I)
OBJECTIVE_TITLE = re.compile(r"^MỤC TIÊU", re.I)
DOC_TYPES = ["CHƯƠNG TRÌNH HÀNH ĐỘNG", "KẾ HOẠCH", "QUYẾT ĐỊNH", "CHƯƠNG TRÌNH", "CHỈ THỊ", "ĐỀ ÁN", "NGHỊ QUYẾT", "CÔNG VĂN"]

# Words that open an agency's name: the broad list splits lists of names, the narrow one decides whether a
# heading names an agency at all.
NAME_HEADS = ("Sở", "sở", "Văn phòng", "UBND", "UNBD", "Ủy ban", "Uỷ ban", "Ban ", "Trung tâm", "Các", "các", "Cơ quan",
              "cơ quan", "Thủ trưởng", "Chủ tịch", "Người đứng đầu", "Bưu điện", "Đài", "Báo ", "Thanh tra", "Công an",
              "Cục", "Chi cục", "Kho bạc", "Liên minh", "Hiệp hội", "Hội ", "Ngân hàng", "Bộ ", "Trường", "Viện",
              "Tổng", "Bộ phận", "Hải quan", "thành phố", "thị xã", "huyện", "Thành viên", "Đơn vị", "đơn vị", "Phòng",
              "Cổng")
AGENCY_STARTS = ("Sở ", "Văn phòng", "UBND", "UNBD", "Ủy ban", "Uỷ ban", "Ban ", "Trung tâm", "Bưu điện", "Đài ",
                 "Báo ", "Thanh tra", "Công an", "Cục ", "Kho bạc", "Liên minh", "Hiệp hội", "Ngân hàng", "Bộ Chỉ huy",
                 "Thủ trưởng", "Chủ tịch", "Thành viên", "Các sở", "Các Sở", "các sở", "Các cơ quan", "các cơ quan",
                 "Các đơn vị", "các đơn vị", "Cơ quan")
ASSIGN_MARKERS = re.compile(r"^\s*(?::|\(|chủ trì|có trách nhiệm|phối hợp|là cơ quan|thực hiện|tham mưu|chỉ đạo|nghiêm túc|$)", re.I)
HEADING_CUT = re.compile(r":|\s(?:chủ trì|Chủ trì|có trách nhiệm|phối hợp|là cơ quan)\b")
SUPPORT_AFTER = re.compile(r"phối hợp(?:\s+chặt chẽ)?(?:\s+với)?\s+(.+)$", re.I)
SUPPORT_STOP = re.compile(r"\s(?:tham mưu|tổ chức|thực hiện|triển khai|xây dựng|rà soát|xác định|tuyên truyền|hoàn thiện|"
                          r"nâng cao|khảo sát|chỉ đạo|đề xuất|giải quyết|theo dõi|kiểm tra|đôn đốc|hướng dẫn|ban hành|"
                          r"nghiên cứu|cung cấp|đẩy mạnh|tăng cường|trình|hỗ trợ|về việc|trong)\b|[:.()]")
DEADLINE_IN_TEXT = re.compile(r"(trước ngày [^,;.()*:]+?)\s*(?=[,;.()*:]|$)", re.I)
DEADLINE_HEADS = re.compile(r"^(?:năm|trong|trước|quý|thường xuyên|hằng|hàng|định kỳ|theo|sau khi|đến|từ|tháng|giai đoạn|"
                            r"kế hoạch trong|ngay|liên tục|\d{1,2}/|\d{4}\b)", re.I)
DEADLINE_STRONG = re.compile(r"quý\s+[IVX]+|trước ngày|\b\d{1,2}/\d{4}\b|hằng năm|hàng năm|thường xuyên", re.I)
PLACE_DATE = re.compile(r"([A-ZĐÀ-Ỹ][^\s,|]*(?:\s+[A-ZĐÀ-Ỹ][^\s,|]*)*)\s*,\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
NUMBER_LINE = re.compile(r"^Số\s*:\s*(\S(?:.*\S)?)\s*\|?$")


def collapse(text: str) -> str:
    return SPACE.sub(" ", text.replace("\u00a0", " ")).strip()


def clean(text: str) -> str:
    """Text as written, with markdown-like emphasis markers and runs of whitespace removed."""
    return collapse(MARKUP.sub(r"\1", text))


def strip_bullet(text: str) -> str:
    return BULLET_PREFIX.sub("", text).strip()


def strip_name(text: str) -> str:
    return collapse(strip_bullet(text)).strip(" ;.,:")


def slug(text: str, letter: bool = False) -> str:
    """An id part: ASCII, lower case; "đ" is "d" (QĐ -> qd), except for an item letter "đ)", which is "dd"."""
    text = text.replace("đ", "dd" if letter else "d").replace("Đ", "DD" if letter else "D")
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9.]+", "-", text).strip("-.")
    return text or "x"


def sentence_case(text: str, proper: list[str] = ()) -> str:
    """An all-capitals title in sentence case; acronyms in parentheses, codes ("05-NQ/TU") and the given proper
    names (provinces) keep their capitals."""
    if text != text.upper():
        return text
    out, depth = [], 0
    for word in text.split(" "):
        keep = depth > 0 or word.startswith("(") or (any(c.isdigit() for c in word) and any(c.isalpha() for c in word))
        depth += word.count("(") - word.count(")")
        out.append(word if keep else word.lower())
    result = " ".join(out)
    for name in proper:
        result = re.sub(re.escape(name.lower()), name, result)
    return result[:1].upper() + result[1:]


# ----------------------------------------------------------------------------------------------------------
# Agency names

class AgencyNames:
    """Resolves written names against the registry and splits lists of names as the registry knows them."""

    def __init__(self, directory: AgencyDirectory, province: str | None):
        self.directory = directory
        self.province = province
        self.keys = sorted(directory.by_key, key=len, reverse=True)

    def resolves(self, name: str) -> bool:
        agency = self.directory.resolve(name)
        return agency is not None and (agency.province is None or agency.province == self.province)

    def entry(self, name: str):
        return name if self.resolves(name) else {"name": name, "unresolved": True}

    def prefix(self, text: str) -> tuple[list[str], int]:
        """Registry names that open ``text`` (separated by ", ", "; " or " và "): the names and where they end."""
        low = text.casefold()
        if len(low) != len(text):
            low = text.lower()
        names: list[str] = []
        pos = 0
        while True:
            match = None
            for key in self.keys:
                if low.startswith(key, pos):
                    end = pos + len(key)
                    if end == len(low) or not (low[end].isalnum()):
                        match = end
                        break
            if match is None or re.match(r"\s+(?:các|cấp|tỉnh|huyện|xã|thị|thành|trực|thuộc|của|liên|trên|đóng)\b",
                                         text[match:]):
                break
            written = text[pos:match]
            if not self.resolves(written):
                break
            names.append(written)
            pos = match
            sep = re.match(r"\s*(?:,|;)\s*|\s+và\s+", text[pos:])
            if not sep:
                break
            nxt = pos + sep.end()
            if not any(low.startswith(k, nxt) for k in self.keys):
                break
            pos = nxt
        return (names, pos) if names else ([], 0)

    def split_piece(self, piece: str) -> list[str]:
        """One ';'-free piece: the registry's segmentation at ", " / " và ", else the name heads, else whole."""
        piece = piece.strip(" ;.,:")
        if not piece:
            return []
        if self.resolves(piece):
            return [piece]
        tokens, seps = _tokens(piece)
        n = len(tokens)
        if n > 1:
            best: list[list[str] | None] = [None] * (n + 1)
            best[0] = []
            for i in range(n):
                if best[i] is None:
                    continue
                for j in range(n, i, -1):
                    written = _join(tokens, seps, i, j)
                    if self.resolves(written):
                        cand = best[i] + [written]
                        if best[j] is None or len(cand) < len(best[j]):
                            best[j] = cand
            if best[n] is not None:
                return best[n]
            if all(t.startswith(NAME_HEADS) for t in tokens) and any(s.strip() == "và" or s.strip() == "," for s in seps):
                return tokens
        return [piece]

    def split_cell(self, lines: list[str]) -> list[str]:
        names: list[str] = []
        for line in lines:
            for piece in _split_outside_parens(strip_bullet(collapse(line)), ";"):
                names += [collapse(n) for n in self.split_piece(piece) if collapse(n)]
        return names


def _split_outside_parens(text: str, sep: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if ch == sep and depth <= 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return [p.strip() for p in out if p.strip(" .,;:")]


def _tokens(piece: str) -> tuple[list[str], list[str]]:
    parts = re.split(r"(,\s*|\s+và\s+)", piece)
    tokens, seps, depth = [], [], 0
    cur = ""
    for i, part in enumerate(parts):
        if i % 2 == 1 and depth <= 0:
            tokens.append(cur)
            seps.append(part)
            cur = ""
            continue
        cur += part
        depth += part.count("(") - part.count(")")
    tokens.append(cur)
    return [t.strip() for t in tokens], seps


def _join(tokens: list[str], seps: list[str], i: int, j: int) -> str:
    out = tokens[i]
    for k in range(i + 1, j):
        out += seps[k - 1] + tokens[k]
    return out


def load_registry(content: Path) -> tuple[AgencyDirectory, dict[str, str], set[str]]:
    """The agency directory, province names by id and criterion codes, read from ``content``/registry."""
    from . import schema
    from .validate import _agencies, parse_file
    problems: list[Problem] = []
    root = content.parent
    agencies = [f for f in (load_yaml(p, root, problems) for p in sorted((content / "registry" / "agencies").glob("*.yml"))) if f]
    criteria = [f for f in (load_yaml(p, root, problems) for p in sorted((content / "registry" / "criteria").glob("*.yml"))) if f]
    provinces_file = content / "registry" / "provinces.yml"
    provinces_loaded = load_yaml(provinces_file, root, problems) if provinces_file.exists() else None
    raw = RawContent(root, [], agencies, criteria, provinces_loaded, None, {})
    provinces: dict[str, str] = {}
    if provinces_loaded is not None:
        parsed = parse_file(provinces_loaded, schema.ProvincesFile, problems)
        provinces = {p.id: p.name for p in (parsed.provinces if parsed else [])}
    directory = _agencies(raw, {k: None for k in provinces}, problems)
    codes: set[str] = set()
    for loaded in criteria:
        parsed = parse_file(loaded, schema.CriteriaFile, problems)
        codes |= {c.code for c in (parsed.criteria if parsed else [])}
    return directory, provinces, codes


# ----------------------------------------------------------------------------------------------------------
# The draft

@dataclass
class DraftTask:
    id: str
    ref: str | None
    group: str | None
    text: str
    lead: list[str]
    support: list[str]
    deadline: str | None
    output: str | None
    note: str | None
    first: int
    last: int
    shape: str
    criteria: list[str] = field(default_factory=list)


@dataclass
class DraftGroup:
    id: str
    ref: str | None
    title: str
    parent: str | None
    first: int
    last: int
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)


@dataclass
class DraftObjective:
    id: str
    text: str
    targets: list[dict]
    first: int
    last: int


class Draft:
    def __init__(self):
        self.tasks: list[DraftTask] = []
        self.groups: list[DraftGroup] = []
        self.objectives: list[DraftObjective] = []
        self.sections: list[list[int]] = []
        self.ids: set[str] = set()
        self.unplaced_extra: set[int] = set()
        self.placed: set[int] = set()         # table header rows: read, not tasks

    def unique(self, wanted: str) -> str:
        wanted = re.sub(r"[^a-z0-9.-]+", "-", wanted.lower()).strip("-.") or "x"
        if not re.match(r"^[a-z0-9]", wanted):
            wanted = "x" + wanted
        out, n = wanted, 2
        while out in self.ids:
            out = f"{wanted}-{n}"
            n += 1
        self.ids.add(out)
        return out


# ----------------------------------------------------------------------------------------------------------
# Metadata, baselines, objectives

class MetadataReader:
    def __init__(self, lines: list[str], provinces: dict[str, str]):
        self.lines = lines
        self.provinces = provinces
        self.where: dict[str, int] = {}

    def table_value(self, label: str) -> tuple[str | None, int | None]:
        pat = re.compile(rf"^\s*(?:•\s*)?{label}\s*(?:\||:)\s*(.+?)\s*\|?\s*$", re.I)
        for n, line in enumerate(self.lines, 1):
            m = pat.match(line)
            if m and m.group(1).strip(" |"):
                return collapse(m.group(1).strip(" |")), n
        return None, None

    def read(self, province_override: str | None) -> dict:
        meta: dict = {}
        number, at = None, None
        for n, line in enumerate(self.lines, 1):
            m = NUMBER_LINE.match(line.strip())
            if m:
                number, at = re.sub(r"\s*/\s*", "/", m.group(1).strip(" |")), n
                break
        if number is None:
            number, at = self.table_value("Số hiệu")
        meta["number"] = number
        if at:
            self.where["number"] = at

        issued, place = None, None
        for n, line in enumerate(self.lines, 1):
            m = PLACE_DATE.search(line)
            if m:
                try:
                    issued = dt.date(int(m.group(4)), int(m.group(3)), int(m.group(2)))
                except ValueError:
                    continue
                place = m.group(1)
                self.where["issued"] = n
                break
        if issued is None:
            value, at = self.table_value("Ngày ban hành")
            m = re.match(r"(\d{1,2})/(\d{1,2})/(\d{4})", value or "")
            if m:
                try:
                    issued = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
                    self.where["issued"] = at
                except ValueError:
                    pass
        meta["issued"] = issued

        doc_type, title = None, None
        for n, line in enumerate(self.lines[:80], 1):
            text = collapse(line).strip(" |:")
            if text in DOC_TYPES:
                doc_type = text[:1] + text[1:].lower()
                self.where["type"] = n
                title_lines = []
                for k in range(n, min(n + 12, len(self.lines))):
                    cand = collapse(self.lines[k]).strip(" |")
                    if not cand:
                        if title_lines:
                            break
                        continue
                    if re.match(r"^(Điều|Căn cứ)\b", cand) or len(cand) > 400:
                        break
                    title_lines.append(cand)
                    self.where.setdefault("title", k + 1)
                    if cand != cand.upper():
                        break
                if title_lines:
                    title = sentence_case(" ".join(title_lines), list(self.provinces.values()))
                break
        if doc_type is None:
            value, at = self.table_value("Loại văn bản")
            if value:
                doc_type = value
                self.where["type"] = at
        first = collapse(self.lines[0]) if self.lines else ""
        if title is None and " về " in first:
            title = first.split(" về ", 1)[1]
            self.where["title"] = 1
        meta["type"] = doc_type
        meta["title"] = title

        signer = None
        for n, line in enumerate(self.lines, 1):
            if re.match(r"^(?:PHÓ\s+)?CHỦ TỊCH\s*\|?$", collapse(line).lstrip("→ ").strip()):
                for k in range(n, min(n + 12, len(self.lines))):
                    cand = collapse(self.lines[k]).strip(" |")
                    words = cand.split()
                    if 2 <= len(words) <= 5 and all(w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower())
                                                    for w in words):
                        signer = cand
                        self.where["signer"] = k + 1
                        break
                if signer:
                    break
        if signer is None:
            signer, at = self.table_value("Người ký")
            if signer:
                self.where["signer"] = at
        meta["signer"] = signer

        province = province_override or self.province(place)
        meta["province"] = province
        issuer, at = self.table_value("Cơ quan ban hành")
        if issuer is None:
            issuer, at = self.table_value("Nơi ban hành")
        if issuer is None and province:
            for n, line in enumerate(self.lines[:20], 1):
                if collapse(line).strip(" |").upper() == "ỦY BAN NHÂN DÂN":
                    nxt = next((collapse(x).strip(" |") for x in self.lines[n:n + 3] if collapse(x).strip(" |")), "")
                    if nxt.upper().startswith("TỈNH") and nxt.upper().endswith(self.provinces[province].upper()):
                        issuer, at = f"Ủy ban nhân dân tỉnh {self.provinces[province]}", n
                    break
        meta["issuer"] = issuer
        if issuer and at:
            self.where["issuer"] = at
        meta["period"] = self.period(title)
        return meta

    def province(self, place: str | None) -> str | None:
        names = {pid: name for pid, name in self.provinces.items()}
        if place:
            for pid, name in names.items():
                if place.casefold() == name.casefold():
                    return pid
        head = "\n".join(self.lines[:40]).casefold()
        for pid, name in names.items():
            if f"tỉnh {name}".casefold() in head:
                return pid
        text = "\n".join(self.lines).casefold()
        counts = {pid: text.count(f"tỉnh {name}".casefold()) for pid, name in names.items()}
        best = max(counts, key=counts.get, default=None)
        return best if best and counts[best] else None

    @staticmethod
    def period(title: str | None) -> str | None:
        if not title:
            return None
        m = re.search(r"(giai đoạn\s+\d{4}\s*[-–]\s*\d{4}.*|năm\s+\d{4}.*)$", title, re.I)
        return m.group(1).strip() if m else None


INDEX_WORDS = [("SIPAS", re.compile(r"SIPAS|Chỉ số hài lòng", re.I)),
               ("PAR INDEX", re.compile(r"PAR\s*INDEX|Chỉ số cải cách hành chính|Chỉ số CCHC", re.I))]
SCORE = re.compile(r"đạt\s+(\d{1,3}(?:,\d+)?)\s*(điểm|%)")


def read_baselines(lines: list[str], last_line: int) -> list[dict]:
    """Scores ("đạt 82,33 điểm") stated in the preamble, each with the index named before it in its sentence."""
    out = []
    for n in range(1, min(last_line, len(lines)) + 1):
        line = clean(lines[n - 1])
        if not SCORE.search(line):
            continue
        last_year = None
        for sentence in re.split(r"(?<=[.;])\s+(?=[A-ZĐÀ-Ỹ(])", line):
            prev_end, index = 0, None
            matches = list(SCORE.finditer(sentence))
            for i, m in enumerate(matches):
                before = sentence[prev_end:m.start()]
                found = None
                for name, pat in INDEX_WORDS:
                    hits = [h.start() for h in pat.finditer(before)]
                    if hits and (found is None or max(hits) > found[1]):
                        found = (name, max(hits))
                index = found[0] if found else index
                after = sentence[m.end(): matches[i + 1].start() if i + 1 < len(matches) else len(sentence)]
                prev_end = m.end()
                years = re.findall(r"năm\s+(\d{4})", sentence[:m.start()], re.I)
                year = int(years[-1]) if years else last_year
                if index is None or year is None or re.search(r"không\s*$", sentence[:m.start()]):
                    continue
                last_year = year
                rank = re.search(r"xếp thứ\s+(\d+)\s*/\s*(\d+)", after)
                changes = [collapse(c.group(0)) for c in re.finditer(
                    r"(?:tăng|giảm)\s+[\d,]+\s*(?:điểm|%|bậc)(?:\s+so với năm\s+\d{4})?", after)]
                out.append({"index": index, "year": year, "score": float(m.group(1).replace(",", ".")),
                            "unit": m.group(2), "rank": int(rank.group(1)) if rank else None,
                            "of": int(rank.group(2)) if rank else None,
                            "change": "; ".join(changes) if changes else None, "lines": [n, n]})
    return [b for b in out if b["rank"] is None or b["of"] is None or b["rank"] <= b["of"]]


def targets_of(text: str) -> list[dict]:
    years = re.findall(r"năm\s+(\d{4})", text)
    out = []
    for m in re.finditer(r"(\d{1,3}(?:,\d+)?)\s*%", text):
        target = {"value": float(m.group(1).replace(",", ".")), "unit": "%"}
        if len(set(years)) == 1:
            target["year"] = int(years[0])
        out.append(target)
    return out


# ----------------------------------------------------------------------------------------------------------
# Tables

ROLE_WORDS = [("lead", re.compile(r"chủ trì", re.I)), ("support", re.compile(r"phối hợp", re.I)),
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
        roles, start = self.header(cells)
        for c in cells[:start]:
            self.draft.placed.update(c.lines)
        if piped:
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

    def header(self, cells: list[Cell]) -> tuple[list[str], int]:
        raw_roles: list[str] = []
        i = 0
        while i < len(cells):
            c = cells[i]
            text = " ".join(c.texts)
            if i > 0 and CODE.match(text):
                break
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
            row = {"stt": None, "cells": {}, "lines": list(c.lines)}
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
            row = {"stt": None, "cells": {}, "lines": []}
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
        current_roman, parent_row, bullets = None, None, 0
        for r in rows:
            cells = r["cells"]
            def text_of(role, join=" "):
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
                self.draft.unplaced_extra.update(range(first, last + 1))
                continue
            if ref and not assigned:
                gid = self.draft.unique(f"{prefix}-{slug(ref)}")
                parent = self.parent_group(ref, groups, current_roman)
                group = DraftGroup(gid, ref, strip_bullet(content), parent, first, last)
                groups[ref] = group
                self.draft.groups.append(group)
                parent_row, bullets = ("group", group), 0
                continue
            if not ref and not assigned:
                self.draft.unplaced_extra.update(range(first, last + 1))
                continue
            if ref:
                group = self.parent_group(ref, groups, current_roman)
                tid = self.draft.unique(f"{prefix}-{slug(ref)}")
                parent_row, bullets = ("task", (ref, group)), 0
            else:
                bullets += 1
                if parent_row is None:
                    pref, group = None, None
                elif parent_row[0] == "group":
                    pref, group = parent_row[1].ref, parent_row[1].id
                else:
                    pref, group = parent_row[1]
                ref = f"{pref}-b{bullets}" if pref else None
                tid = self.draft.unique(f"{prefix}-{slug(ref) if ref else 'row-' + str(first)}")
            lead_cell, support_cell = cells.get("lead"), cells.get("support")
            task = DraftTask(
                id=tid, ref=ref, group=group, text=strip_bullet(content),
                lead=self.names.split_cell(lead_cell.texts) if lead_cell else [],
                support=self.names.split_cell(support_cell.texts) if support_cell else [],
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


# ----------------------------------------------------------------------------------------------------------
# Narrative sections

@dataclass
class Node:
    kind: str                 # roman | num | letter | bullet | plus | para
    label: str | None
    text: str
    first: int
    last: int
    level: int
    children: list["Node"] = field(default_factory=list)
    parent: "Node | None" = None


class NarrativeReader:
    """Sections whose headings name the agency; the bullets and paragraphs under a heading are its tasks."""

    def __init__(self, lines: list[str], names: AgencyNames, draft: Draft, criteria: set[str]):
        self.lines = lines
        self.names = names
        self.draft = draft
        self.criteria = criteria
        self.counts: dict[str, int] = {}

    def sections(self, tables: list[tuple[int, int]]) -> tuple[list[tuple[int, int, str]], list[tuple[int, int]]]:
        """(first, last, roman) of the task sections and (first, last) of the objective sections."""
        heads = []
        for n, raw in enumerate(self.lines, 1):
            text = collapse(raw).lstrip("→ ")
            m = ROMAN_HEAD.match(text)
            if m and len(text) < 200:
                heads.append((n, m.group(1), m.group(2)))
        in_table = lambda n: any(a <= n <= b for a, b in tables)
        tasks, objectives = [], []
        for i, (n, roman, title) in enumerate(heads):
            if in_table(n):
                continue
            end = heads[i + 1][0] - 1 if i + 1 < len(heads) else len(self.lines)
            for k in range(n + 1, end + 1):
                t = collapse(self.lines[k - 1]).lstrip("→ ").strip(" |")
                if in_table(k) or re.fullmatch(r"(?i)stt|tt|PHỤ LỤC.*|DANH MỤC.*", t) or (
                        t and END_MARKERS.match(t) and len(t) < 60):
                    end = k - 1
                    break
            while end > n and not collapse(self.lines[end - 1]):
                end -= 1
            if TASK_SECTION_TITLE.search(title):
                tasks.append((n, end, roman))
            elif OBJECTIVE_TITLE.search(title):
                objectives.append((n, end))
        return tasks, objectives

    def outline(self, first: int, last: int, roman: str) -> Node:
        """The section as a tree: numbered headings, lettered items, intro lines ending with ":", bullets, "+" bullets."""
        root = Node("roman", roman, collapse(self.lines[first - 1]).lstrip("→ "), first, first, 0)
        m = ROMAN_HEAD.match(root.text)
        root.text = m.group(2) if m else root.text
        stack = [root]
        for n in range(first + 1, last + 1):
            raw = clean(self.lines[n - 1]).lstrip("→ ")
            if not raw:
                continue
            kind, label, text = "para", None, raw
            if (m := NUM_HEAD.match(raw)) and not re.match(r"^\d{1,2}/", raw):
                kind, label, text = "num", m.group(1), m.group(2)
            elif m := LETTER_HEAD.match(raw):
                kind, label, text = "letter", m.group(1), m.group(2)
            elif m := BULLET.match(raw):
                kind, text = "bullet", m.group(1)
            elif m := PLUS.match(raw):
                kind, text = "plus", m.group(1)
            elif raw[0].islower() or raw[0].isdigit() or self._open(stack[-1]):
                stack[-1].text = f"{stack[-1].text} {raw}"
                stack[-1].last = n
                continue
            level = 10 + 10 * label.count(".") if kind == "num" else 0
            while len(stack) > 1 and self._closes(kind, level, stack[-1]):
                stack.pop()
            node = Node(kind, label, text, n, n, level, parent=stack[-1])
            stack[-1].children.append(node)
            stack.append(node)
        return root

    @staticmethod
    def _open(node: Node) -> bool:
        """An item whose line stops on a conjunction or a comma goes on on the next line."""
        return node.kind in ("bullet", "plus", "para") and bool(
            re.search(r"(?:,|\s(?:và|của|với|các|cho|theo|tại|để|trong|về|hoặc))$", node.text.rstrip()))

    @staticmethod
    def _closes(kind: str, level: int, top: Node) -> bool:
        """Whether a new line of ``kind`` ends the item on top of the stack."""
        intro = top.kind == "para" and top.text.rstrip().endswith(":")
        if kind == "num":
            return not (top.kind == "num" and top.level < level)
        if kind == "letter":
            return top.kind not in ("num",)
        if kind == "para":
            return top.kind in ("bullet", "plus") or (top.kind == "para" and not intro)
        if kind == "bullet":
            return top.kind in ("bullet", "plus") or (top.kind == "para" and not intro)
        return top.kind == "plus" or (top.kind == "para" and not intro)

    def heading_agencies(self, text: str) -> tuple[list[str], list[str]]:
        """Lead and support named by a heading (or an intro line), else ([], [])."""
        title = re.sub(r"^(?:Trách nhiệm của|Đề nghị|Giao)\s+", "", text.strip())
        names, end = self.names.prefix(title)
        lead: list[str] = []
        if names and ASSIGN_MARKERS.match(title[end:]):
            lead = names
        elif title.startswith(AGENCY_STARTS):
            cut = HEADING_CUT.search(title)
            phrase = title[:cut.start()] if cut else title
            if len(phrase) < 250 and (cut or len(title) < 150):
                lead = self.names.split_cell([phrase])
        if not lead:
            return [], []
        support = []
        m = SUPPORT_AFTER.search(title)
        if m:
            support = self.support_names(m.group(1))
        return lead, support

    def support_names(self, rest: str) -> list[str]:
        stop = SUPPORT_STOP.search(rest)
        phrase = (rest[:stop.start()] if stop else rest).strip(" ,;")
        names, end = self.names.prefix(rest)
        if names and end >= len(phrase):
            return names
        if phrase and len(phrase) <= 200 and phrase.startswith(NAME_HEADS):
            return self.names.split_cell([phrase])
        return names

    def task_agencies(self, text: str) -> tuple[list[str], list[str]]:
        """Lead named at the start of a task's own text ("Văn phòng UBND tỉnh chủ trì ..."), and its support."""
        names, end = self.names.prefix(text)
        m = re.match(r"^([^:]{3,60}):\s", text)
        if not names and m and m.group(1).startswith(AGENCY_STARTS):
            names = [m.group(1).strip()]
        support = []
        s = SUPPORT_AFTER.search(text)
        if s:
            support = self.support_names(s.group(1))
        return names, support

    def read_section(self, first: int, last: int, roman: str) -> None:
        root = self.outline(first, last, roman)
        gid = self.draft.unique(slug(roman))
        group = DraftGroup(gid, roman, root.text, None, first, first)
        self.draft.groups.append(group)
        self.draft.sections.append([first, last])
        self.walk(root, group, roman)

    def walk(self, node: Node, group: DraftGroup, ref: str) -> None:
        counters = {"b": 0, "p": 0}
        for child in node.children:
            if child.kind == "para" and child.children and not child.text.rstrip().endswith(":"):
                counters["p"] += 1
                self.task(child, group, f"{group.ref}-p{counters['p']}", f"{group.id}-p{counters['p']}", "narrative paragraph")
                self.walk(child, group, ref)
                continue
            if child.kind == "para" and child.text.rstrip().endswith(":") and child.children:
                lead, support = self.heading_agencies(child.text.rstrip(":"))
                sub = DraftGroup(group.id, group.ref, group.title, group.parent, child.first, child.last,
                                 lead or group.lead, support if lead else group.support)
                group.last = max(group.last, child.last)
                self.walk(child, sub, ref)
                continue
            if child.kind in ("num", "letter"):
                label = child.label
                cref = f"{ref}.{label}" if ref else label
                if child.children:
                    if OBJECTIVE_TITLE.search(child.text):
                        self.objectives(child, cref)
                        continue
                    lead, support = self.heading_agencies(child.text.rstrip(":"))
                    gid = self.draft.unique(f"{group.id}-{slug(label, True)}" if child.kind == "letter"
                                            else f"{slug(ref.split('.')[0])}-{slug(label)}")
                    sub = DraftGroup(gid, cref, child.text, group.id, child.first, child.last,
                                     lead or group.lead, support if lead else group.support)
                    self.draft.groups.append(sub)
                    self.walk(child, sub, cref)
                    continue
                tid = f"{group.id}-{slug(label, True)}" if child.kind == "letter" else f"{slug(ref.split('.')[0])}-{slug(label)}"
                self.task(child, group, cref, tid, "narrative heading")
                continue
            if child.kind in ("bullet", "plus") and child.children:
                counters["b"] += 1
                cref = f"{group.ref}-b{counters['b']}"
                lead, support = self.heading_agencies(child.text.rstrip(":"))
                sub = DraftGroup(self.draft.unique(f"{group.id}-b{counters['b']}"), cref, child.text, group.id,
                                 child.first, child.last, lead or group.lead, support if lead else group.support)
                self.draft.groups.append(sub)
                self.walk(child, sub, cref)
                continue
            if child.kind == "para" and child.text.startswith("("):
                continue
            key = "b" if child.kind in ("bullet", "plus") else "p"
            counters[key] += 1
            cref = f"{group.ref}-{key}{counters[key]}"
            self.task(child, group, cref, f"{group.id}-{key}{counters[key]}", "narrative bullet" if key == "b" else "narrative paragraph")

    def objectives(self, node: Node, ref: str) -> None:
        self.draft.groups.append(DraftGroup(self.draft.unique(f"mt-{slug(ref)}"), ref, node.text, None, node.first, node.first))
        items, todo = [], list(node.children)
        while todo:
            item = todo.pop(0)
            items.append(item)
            todo[:0] = item.children
        items = items or [node]
        for i, item in enumerate(items, 1):
            self.draft.objectives.append(DraftObjective(self.draft.unique(f"muc-tieu-{slug(ref)}-{i}"), strip_bullet(item.text),
                                                        targets_of(item.text), item.first, item.last))

    def task(self, node: Node, group: DraftGroup, ref: str, wanted_id: str, shape: str) -> None:
        text = strip_bullet(node.text)
        own_lead, own_support = self.task_agencies(text)
        lead = own_lead or group.lead
        support = group.support if group.support else own_support
        if own_lead and not group.support:
            support = own_support
        deadline = None
        m = DEADLINE_IN_TEXT.search(text)
        if m:
            deadline = m.group(1).strip()
        codes = [c for c in re.findall(r"\b[1-8](?:\.\d{1,2}){1,3}\b", text) if c in self.criteria] \
            if re.search(r"tiêu chí", text, re.I) else []
        self.draft.tasks.append(DraftTask(self.draft.unique(wanted_id), ref, group.id, text, list(lead), list(support),
                                          deadline, None, None, node.first, node.last, shape, sorted(set(codes))))
        self.counts[shape] = self.counts.get(shape, 0) + 1


def read_objective_section(lines: list[str], first: int, last: int, draft: Draft) -> None:
    for n in range(first + 1, last + 1):
        text = clean(lines[n - 1])
        if not text or NUM_HEAD.match(text) and len(text) < 80:
            continue
        if BULLET.match(text) or (len(text) > 80 and not NUM_HEAD.match(text)):
            draft.objectives.append(DraftObjective(draft.unique(f"muc-tieu-{n}"), strip_bullet(text), targets_of(text), n, n))


# ----------------------------------------------------------------------------------------------------------
# YAML output

class _Flow(list):
    pass


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    pass


_Dumper.add_representer(_Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def _names(names: AgencyNames, written: list[str]) -> list:
    return [names.entry(n) for n in written]


def to_document(meta: dict, source_name: str, baselines: list[dict], draft: Draft, names: AgencyNames, where: dict) -> dict:
    doc = {
        "id": meta["id"], "province": meta["province"], "number": meta["number"], "type": meta["type"] or "Văn bản",
        "title": meta["title"] or Path(source_name).stem, "issued": meta["issued"], "issuer": meta["issuer"],
        "signer": meta["signer"], "period": meta["period"],
        "source": {"file": source_name, "lines": dict(sorted(where.items(), key=lambda kv: kv[1])),
                   "note": "Draft made by `python -m generator extract`; review every field against the source."},
        "task_sections": [_Flow(s) for s in sorted(draft.sections)],
        "baselines": [dict(b, lines=_Flow(b["lines"])) for b in baselines],
        "objectives": [{"id": o.id, "text": o.text, "targets": o.targets, "lines": _Flow([o.first, o.last])}
                       for o in draft.objectives],
        "groups": [{"id": g.id, "ref": g.ref, "title": g.title, **({"parent": g.parent} if g.parent else {}),
                    "lines": _Flow([g.first, g.last])} for g in draft.groups],
        "tasks": [{"id": t.id, "ref": t.ref, "group": t.group, "text": t.text, "lead": _names(names, t.lead),
                   "support": _names(names, t.support), "deadline": t.deadline, "output": t.output,
                   "field": _field(t.criteria), "criteria": t.criteria, "note": t.note,
                   "lines": _Flow([t.first, t.last])} for t in draft.tasks],
    }
    return doc


def _field(codes: list[str]) -> int | None:
    fields = {c.split(".")[0] for c in codes}
    return int(fields.pop()) if len(fields) == 1 else None


def derive_id(meta: dict) -> str:
    year = meta["issued"].year if meta["issued"] else None
    if year is None:
        years = re.findall(r"\b(20\d{2})\b", meta.get("title") or "")
        year = int(years[0]) if years else None
    middle = slug(meta["number"]).replace(".", "-") if meta["number"] else slug(meta["type"] or "van-ban")
    parts = [meta["province"] or "tinh", middle] + ([str(year)] if year else [])
    return "-".join(parts)


# ----------------------------------------------------------------------------------------------------------
# The command

@dataclass
class Extraction:
    document: dict
    draft: Draft
    counts: dict[str, int]
    unplaced: list[tuple[int, str]]
    yaml_text: str


def extract(source: Path, content: Path, province: str | None = None) -> Extraction:
    problems: list[Problem] = []
    text = read_text(source, source.name, problems)
    if text is None:
        raise ValueError("; ".join(str(p) for p in problems))
    lines = nfc(text).split("\n")
    directory, provinces, criteria = load_registry(content)
    if province is not None and province not in provinces:
        hint = difflib.get_close_matches(province, list(provinces), n=1)
        raise ValueError(f'unknown province "{province}"' + (f'; did you mean "{hint[0]}"?' if hint else
                                                              f"; expected one of: {', '.join(provinces)}"))
    reader = MetadataReader(lines, provinces)
    meta = reader.read(province)
    names = AgencyNames(directory, meta["province"])
    draft = Draft()
    tables = TableReader(lines, names, draft)
    found = tables.find()
    for k, (header, end) in enumerate(found, 1):
        tables.read(header, end, k)
    narrative = NarrativeReader(lines, names, draft, criteria)
    task_sections, objective_sections = narrative.sections(found)
    for first, last, roman in task_sections:
        narrative.read_section(first, last, roman)
    for first, last in objective_sections:
        read_objective_section(lines, first, last, draft)
    first_task_line = min([s[0] for s in draft.sections], default=len(lines))
    baselines = read_baselines(lines, first_task_line)
    meta["id"] = derive_id(meta)
    draft.ids.add(meta["id"])

    covered: set[int] = set(draft.placed)
    for item in [*draft.tasks, *draft.groups, *draft.objectives]:
        covered.update(range(item.first, item.last + 1))
    unplaced = []
    for a, b in sorted(draft.sections):
        for n in range(a, b + 1):
            raw = lines[n - 1]
            if raw.strip(" \t\u00a0|") and n not in covered:
                unplaced.append((n, collapse(raw)))
    counts = {**tables.counts, **narrative.counts}
    document = to_document(meta, source.name, baselines, draft, names, reader.where)
    header = [f"# Draft extract of {source.name}, made by `python -m generator extract`.",
              "# Check every value against the source before publishing; names that did not resolve are marked unresolved.",
              f"# {len(draft.tasks)} tasks; {len(unplaced)} line(s) of the task sections were not placed (listed on stderr)."]
    body = yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)
    return Extraction(document, draft, counts, unplaced, "\n".join(header) + "\n" + body)


def main(args) -> int:
    source: Path = args.source
    content: Path = args.content
    if not source.is_file():
        print(f"extract: {source}: no such file; expected the text of a plan (UTF-8)", file=sys.stderr)
        return 1
    try:
        result = extract(source, content, args.province)
    except ValueError as exc:
        print(f"extract: {source}: {exc}", file=sys.stderr)
        return 1
    doc = result.document
    if doc["province"] is None:
        print(f"extract: {source}: could not tell the province from the text; give it with --province "
              f"(an id of content/registry/provinces.yml)", file=sys.stderr)
        return 1
    if not result.draft.tasks:
        print(f"extract: {source}: no task found (no table with STT / chủ trì columns and no section "
              f"II. NHIỆM VỤ / TỔ CHỨC THỰC HIỆN); nothing written", file=sys.stderr)
        return 1
    out = args.output
    if out is None:
        out = content / "plans" / f"{doc['id']}.yml"
    if str(out) != "-":
        if out.exists() and not args.force:
            print(f"extract: {out} already exists; not overwritten (use --force to replace it, or -o to write elsewhere)",
                  file=sys.stderr)
            return 2
        out.parent.mkdir(parents=True, exist_ok=True)
    for n, text in result.unplaced:
        print(f"{source.name}:{n}: not placed: {text[:160]}", file=sys.stderr)
    shapes = ", ".join(f"{k} {v}" for k, v in sorted(result.counts.items())) or "none"
    print(f"extract: {len(result.draft.tasks)} tasks ({shapes}); {len(result.draft.groups)} groups, "
          f"{len(result.draft.objectives)} objectives, {len(doc['baselines'])} baselines; "
          f"{len(result.unplaced)} unplaced line(s) in the task sections", file=sys.stderr)
    if not (content / "sources" / source.name).exists():
        print(f"extract: note: copy {source} to {content / 'sources' / source.name} before validating the draft",
              file=sys.stderr)
    if str(out) == "-":
        sys.stdout.write(result.yaml_text)
    else:
        out.write_text(result.yaml_text, encoding="utf-8")
        print(f"extract: wrote {out}", file=sys.stderr)
    return 0
