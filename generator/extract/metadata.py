"""The document's metadata (number, type, title, date, issuer, signer, province), baselines and objectives' targets."""
from __future__ import annotations

import datetime as dt
import re

from .names import Registry
from .text import SourceText, clean, collapse, sentence_case

DOC_TYPES = ["CHƯƠNG TRÌNH HÀNH ĐỘNG", "KẾ HOẠCH", "QUYẾT ĐỊNH", "CHƯƠNG TRÌNH", "CHỈ THỊ", "ĐỀ ÁN", "NGHỊ QUYẾT", "CÔNG VĂN"]
PLACE_DATE = re.compile(r"([A-ZĐÀ-Ỹ][^\s,|]*(?:\s+[A-ZĐÀ-Ỹ][^\s,|]*)*)\s*,\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
NUMBER_LINE = re.compile(r"^Số\s*:\s*(\S(?:.*\S)?)\s*\|?$")

# ----------------------------------------------------------------------------------------------------------
# Metadata, baselines, objectives

SIGN_TITLE = re.compile(r"^(?:(?:KT|TM|TL|Q)\.\s*)?(?:PHÓ\s+)?(?:CHỦ TỊCH|GIÁM ĐỐC|TRƯỞNG BAN|CHÁNH VĂN PHÒNG)\s*\|?$")
UNIT_HEAD = re.compile(r"^(TỈNH|THÀNH PHỐ)\s+(\S.*)$")
UNIT_PREFIX = re.compile(r"^(?:ủy ban nhân dân|uỷ ban nhân dân|ubnd)?\s*(?:tỉnh|thành phố|tp\.?)?\s*", re.I)


def unit_key(name: str) -> str:
    """A province's name for comparison: case-folded, without "tỉnh", "thành phố", "TP.", "UBND"."""
    return UNIT_PREFIX.sub("", collapse(name).casefold().replace("uỷ", "ủy")).strip(" .,")


def _title_words(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in text.split())


class MetadataReader:
    """Reads the metadata from the letterhead, the title block and the signature, or from a scraped metadata
    table. ``where`` records the line of each value read; ``inferred`` the values that were not read as such."""

    def __init__(self, src: SourceText, registry: Registry):
        self.src = src
        self.lines = src.lines
        self.raw = [collapse(x) for x in src.raw]
        self.registry = registry
        self.where: dict[str, int] = {}
        self.inferred: dict[str, str] = {}
        self.considered: list[str] = []
        self.province_note: str | None = None

    def table_value(self, label: str) -> tuple[str | None, int | None]:
        pat = re.compile(rf"^\s*(?:•\s*)?{label}\s*(?:\||:)\s*(.+?)\s*\|?\s*$", re.I)
        for n, line in enumerate(self.lines, 1):
            m = pat.match(line)
            if m and m.group(1).strip(" |"):
                return collapse(m.group(1).strip(" |")), n
        return None, None

    def next_text(self, n: int, limit: int = 3) -> tuple[str, int]:
        """The first non-empty line after line n (a value wrapped onto the next line), and its number."""
        for k in range(n, min(n + limit, len(self.raw))):
            text = self.raw[k].strip(" |")
            if text:
                return text, k + 1
        return "", n

    def read_number(self) -> str | None:
        for n, line in enumerate(self.lines, 1):
            text = collapse(line).strip(" |")
            m = NUMBER_LINE.match(text)
            value = m.group(1) if m else None
            if value is None and re.fullmatch(r"Số\s*:", text):
                value, _ = self.next_text(n)
            if value and re.search(r"\d", value) and ("/" in value or "-" in value):
                self.where["number"] = n
                return re.sub(r"\s*/\s*", "/", value.strip(" |"))
        value, at = self.table_value("Số hiệu")
        if value and at is not None:
            self.where["number"] = at
        return value

    def read_date(self) -> tuple[dt.date | None, str | None]:
        for n in range(1, len(self.raw) + 1):
            window = " ".join(x for x in self.raw[n - 1:n + 2] if x)
            m = PLACE_DATE.search(window)
            if m and m.start() < len(self.raw[n - 1]):
                try:
                    issued = dt.date(int(m.group(4)), int(m.group(3)), int(m.group(2)))
                except ValueError:
                    continue
                self.where["issued"] = n
                return issued, m.group(1)
        value, at = self.table_value("Ngày ban hành")
        m = re.match(r"(\d{1,2})/(\d{1,2})/(\d{4})", value or "")
        if m and at is not None:
            try:
                issued = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
                self.where["issued"] = at
                return issued, None
            except ValueError:
                pass
        return None, None

    def read_type_title(self) -> tuple[str | None, str | None]:
        doc_type, title = None, None
        proper = self.registry.province_names
        for n, line in enumerate(self.lines[:120], 1):
            text = collapse(line).strip(" |:")
            if text in DOC_TYPES:
                doc_type = text[:1] + text[1:].lower()
                self.where["type"] = n
                title_lines: list[str] = []
                for k in range(n, min(n + 12, len(self.lines))):
                    cand = collapse(self.lines[k]).strip(" |")
                    if not cand:
                        if title_lines or self.src.end(k) > k:
                            if title_lines:
                                break
                        continue
                    if re.match(r"^(Điều|Căn cứ|Thực hiện|Số\s*:)", cand) or len(cand) > 600:
                        break
                    title_lines.append(cand)
                    self.where.setdefault("title", k + 1)
                    if cand != cand.upper():
                        break
                if title_lines:
                    title = sentence_case(" ".join(title_lines), proper)
                break
        if doc_type is None:
            value, at = self.table_value("Loại văn bản")
            if value and at is not None:
                doc_type = value
                self.where["type"] = at
        first = collapse(self.lines[0]) if self.lines else ""
        if title is None and " về " in first:
            title = first.split(" về ", 1)[1]
            self.where["title"] = 1
            self.inferred["title"] = "lấy từ dòng đầu (tên trang web), không từ khối tiêu đề"
        return doc_type, title

    def read_signer(self) -> str | None:
        for n, line in enumerate(self.raw, 1):
            if SIGN_TITLE.match(line.lstrip("→ ").strip()):
                for k in range(n, min(n + 6, len(self.raw))):
                    cand = self.raw[k].strip(" |")
                    words = cand.split()
                    if 2 <= len(words) <= 5 and all(w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower())
                                                    for w in words):
                        self.where["signer"] = k + 1
                        return cand
        signer, at = self.table_value("Người ký")
        if signer and at is not None:
            self.where["signer"] = at
        return signer

    def letterhead_unit(self) -> tuple[str | None, str | None, int | None]:
        """("TỈNH"/"THÀNH PHỐ", name as written, line) from the letterhead "ỦY BAN NHÂN DÂN / TỈNH X"."""
        for n, line in enumerate([collapse(x) for x in self.lines[:40]], 1):
            text = line.strip(" |").upper()
            if not text.startswith(("ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN", "UBND")):
                continue
            rest = re.sub(r"^(?:ỦY|UỶ) BAN NHÂN DÂN|^UBND", "", line.strip(" |"), flags=re.I).strip()
            if not rest:
                rest, _ = self.next_text(n)
            m = UNIT_HEAD.match(rest.upper())
            if m:
                return m.group(1), rest[len(m.group(1)):].strip(), n
            return None, None, None
        return None, None, None

    def issuer_as_written(self, name: str, kind: str, line: int) -> tuple[str, int]:
        """The committee as the text names itself in full ("UBND thành phố Hà Nội ban hành …"), else the letterhead
        in normal case ("Ủy ban nhân dân tỉnh Đắk Lắk")."""
        word = "tỉnh" if kind == "TỈNH" else "thành phố"
        pattern = re.compile(rf"\b((?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(?:{word})\s+{re.escape(name)})", re.I)
        for n, text in enumerate(self.lines[:200], 1):
            for m in pattern.finditer(text):
                if m.group(1) != m.group(1).upper():      # not the letterhead itself
                    return m.group(1), n
        return f"Ủy ban nhân dân {word} {name}", line

    def read(self, province_override: str | None) -> dict:
        meta: dict = {}
        meta["number"] = self.read_number()
        meta["issued"], place = self.read_date()
        meta["type"], meta["title"] = self.read_type_title()
        meta["signer"] = self.read_signer()
        kind, unit, unit_line = self.letterhead_unit()
        when = meta["issued"]
        year = re.search(r"\bnăm\s+(\d{4})\b", meta["title"] or "") if when is None else None
        if year:    # no issue date: a plan for year Y is issued around the turn of Y (registry units change by date)
            when = dt.date(int(year.group(1)) - 1, 7, 1)
        meta["province"] = province_override or self.province(place, unit, kind, when)
        if year and meta["province"] and not province_override:
            self.inferred["province"] = f"văn bản không ghi ngày ban hành: chọn đơn vị hành chính theo năm {year.group(1)} của kế hoạch"
        issuer, at = self.table_value("Cơ quan ban hành")
        if issuer is None and unit and kind is not None and unit_line is not None:   # the letterhead gives all three
            known = self.registry.provinces.get(meta["province"]) if meta["province"] else None
            name = known.name if known and unit_key(unit) == unit_key(known.name) else _title_words(unit)
            issuer, at = self.issuer_as_written(name, kind, unit_line)
        if issuer is None:      # a website box's "Nơi ban hành" is a place: used only when nothing else names the body
            issuer, at = self.table_value("Nơi ban hành")
            if issuer:
                self.inferred["issuer"] = f'lấy từ ô "Nơi ban hành" của trang web ("{issuer}"): ghi tên cơ quan ban hành'

        meta["issuer"] = issuer
        if issuer and at:
            self.where["issuer"] = at
        meta["period"] = self.period(meta["title"])
        return meta

    def province(self, place: str | None, unit: str | None, kind: str | None, issued: dt.date | None) -> str | None:
        """The unit whose name (or a form of it) the text gives, in force on the issue date."""
        provinces = self.registry.provinces
        written = [f"{kind.lower()} {unit}" if kind and unit else unit, place]
        for name in (w for w in written if w):
            self.considered.append(name)
            match = provinces.resolve(name, on=issued)
            if match is None:
                continue
            if match.unit is not None:
                return match.unit.id
            self.province_note = ("tên này chỉ nhiều đơn vị (" + ", ".join(u.id for u in match.candidates) + ")"
                                  + ("; văn bản không ghi ngày ban hành" if issued is None else ""))
            return None
        head = "\n".join(self.raw[:40])
        for mention in provinces.candidates(head):
            if mention.written not in self.considered:
                self.considered.append(mention.written)
            match = provinces.resolve(mention.written, on=issued) if mention.units else None
            if match is not None and match.unit is not None:
                self.inferred["province"] = f'suy ra từ "{mention.written}" ở đầu văn bản'
                return match.unit.id
        return None

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
    out: list[dict] = []
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


