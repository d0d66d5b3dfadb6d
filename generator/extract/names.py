"""Agency names: resolving a written name through the registry, splitting a list of names into agencies."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..content.registry import AgencyDirectory, ProvinceRegistry
from ..content.validate import load_registry as read_registry
from .text import collapse, strip_bullet

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
# ----------------------------------------------------------------------------------------------------------
# Agency names
ASSIGN_MARKERS = re.compile(r"^\s*(?::|\(|chủ trì|có trách nhiệm|phối hợp|là cơ quan|thực hiện|tham mưu|chỉ đạo|nghiêm túc|$)", re.I)
HEADING_CUT = re.compile(r":|\s(?:chủ trì|Chủ trì|có trách nhiệm|phối hợp|là cơ quan)\b")
SUPPORT_AFTER = re.compile(r"phối hợp(?:\s+chặt chẽ)?(?:\s+với)?\s+(.+)$", re.I)
SUPPORT_STOP = re.compile(r"\s(?:tham mưu|tổ chức|thực hiện|triển khai|xây dựng|rà soát|xác định|tuyên truyền|hoàn thiện|"
                          r"nâng cao|khảo sát|chỉ đạo|đề xuất|giải quyết|theo dõi|kiểm tra|đôn đốc|hướng dẫn|ban hành|"
                          r"nghiên cứu|cung cấp|đẩy mạnh|tăng cường|trình|hỗ trợ|về việc|trong|bố trí|lập kế hoạch|lập dự toán|cân đối|đăng tải|"
                          r"báo cáo|tổng hợp|đánh giá|chuẩn bị|bảo đảm|đảm bảo|để|phát động|kiểm soát|tiếp tục|tham gia|kịp thời)\b|[:.()]")

# "tổ chức" is a verb ("tổ chức lập dự toán") unless it names bodies in a list ("các cơ quan, tổ chức khác có liên quan").
VERB_TO_CHUC = r"tổ chức(?!\s+(?:khác|có liên quan|liên quan|chính trị|xã hội|kinh tế|đoàn thể|tín dụng)\b|\s*,|\s+và\b)"
SUBJECT_END = re.compile(r"\s(?:chủ động|có trách nhiệm|chịu trách nhiệm|thực hiện|" + VERB_TO_CHUC + r"|triển khai|tham mưu|"
                         r"xây dựng|rà soát|theo dõi|căn cứ)\b")


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
        if len(names) > 1 and one_group(*_tokens(text[:pos])):
            names = [text[:pos]]      # "các sở, ngành, cơ quan liên quan": one group, though the registry knows parts
        return (names, pos) if names else ([], 0)

    def support_names(self, rest: str) -> list[str]:
        """The supporters named after "phối hợp (với)": the registry's names up to the verb that follows them, else
        the phrase up to that verb split into names."""
        stop = SUPPORT_STOP.search(rest)
        phrase = (rest[:stop.start()] if stop else rest).strip(" ,;")
        names, end = self.prefix(rest)
        verb = SUPPORT_STOP.match(" " + rest[end:].lstrip())
        if names and (end >= len(phrase) or (verb and verb.group(0).strip() not in ":.()")
                                                 and not re.search(r"(?:,|;|\svà)\s*$", rest[:end])):
            return names      # the registry's names, up to the verb that follows them
        if phrase and len(phrase) <= 200 and phrase.startswith(NAME_HEADS):
            return self.split_cell([phrase])
        return names

    def roles(self, value: str) -> tuple[list[str], list[str]]:
        """Lead and support from a "Cơ quan thực hiện" value or a table's lead cell: a plain list leads; in "Sở X chủ trì …; Sở Y … chủ động
        …" the one that "chủ trì" leads and the others support."""
        value = value.strip(" .;")
        if not value:
            return [], []
        clauses = _split_outside_parens(value, ";")
        lead: list[str] = []
        support: list[str] = []
        others: list[str] = []
        for clause in clauses:
            m = re.search(r"\s(?:chủ trì|là cơ quan chủ trì)\b", clause)
            if m and not lead:
                lead = self.split_cell([clause[:m.start()]])
                rest = SUPPORT_AFTER.search(clause[m.end():])
                if rest:
                    support += self.support_names(rest.group(1))
                continue
            cut = SUBJECT_END.search(clause)
            others += self.split_cell([clause[:cut.start()] if cut else clause])
        if lead:
            return lead, support + others
        return others, support

    def split_piece(self, piece: str) -> list[str]:
        """One ';'-free piece: the registry's segmentation at ", " / " và ", else the name heads, else whole."""
        piece = piece.strip(" ;.,:")
        if not piece:
            return []
        if self.resolves(piece):
            return [piece]
        tokens, seps = _tokens(piece)
        if one_group(tokens, seps):
            return [QUALIFIER.sub("", piece).strip(" ,;.:") or piece]
        n = len(tokens)
        if n > 1:
            best: list[list[str] | None] = [None] * (n + 1)
            best[0] = []
            for i in range(n):
                start = best[i]
                if start is None:
                    continue
                for j in range(n, i, -1):
                    written = _join(tokens, seps, i, j)
                    if self.resolves(written):
                        cand = start + [written]
                        known = best[j]
                        if known is None or len(cand) < len(known):
                            best[j] = cand
            whole = best[n]
            if whole is not None:
                return whole
            return split_by_heads(tokens, seps)
        return [piece]

    def split_cell(self, lines: list[str]) -> list[str]:
        names: list[str] = []
        for line in lines:
            for piece in _split_outside_parens(strip_bullet(collapse(line)), ";"):
                names += [collapse(n) for n in self.split_piece(piece) if collapse(n)]
        return names


# Words that open the name of an agency or a group, written with a capital ("Sở Nội vụ", "Ủy ban nhân dân xã")
# or, for a group, in lower case ("các sở, ban, ngành", "cơ quan thông tấn báo chí").
CAP_HEADS = ("Sở ", "Sở, ", "Giám đốc ", "Hội, ", "Thường trực", "Văn phòng", "UBND", "UNBD", "HĐND", "Hội đồng", "Ủy ban", "Uỷ ban", "Ban ", "Trung tâm", "Bưu điện",
             "Đài ", "Báo ", "Thanh tra", "Công an", "Cục ", "Chi cục", "Chi nhánh", "Kho bạc", "Liên minh", "Liên đoàn",
             "Hiệp hội", "Hội ", "Ngân hàng", "Bộ ", "Bảo hiểm", "Thủ trưởng", "Chủ tịch", "Người đứng đầu", "Thành viên",
             "Các ", "Cơ quan", "Đơn vị", "Tòa án", "Toà án", "Viện ", "Trường ", "Tỉnh ủy", "Tỉnh uỷ", "Thành ủy",
             "Thành uỷ", "Đảng ủy", "Đảng uỷ", "Mặt trận", "Đoàn ", "Tổng công ty", "Tổng Công ty", "Công ty", "Bộ Chỉ huy",
             "Bộ đội", "Cảng vụ", "Hải quan", "Phòng ", "Quỹ ", "Tổ công tác", "Tổ giúp việc", "Hợp tác xã",
             "Doanh nghiệp", "Tập đoàn")
NOT_NAMES = ("Trường hợp", "Ban hành", "Báo cáo", "Hội nghị", "Hội thảo", "Đơn vị tính", "Cơ quan chủ trì:", "Cơ quan phối hợp:")
LOW_HEADS = ("các ", "cơ quan", "đơn vị", "doanh nghiệp", "tổ chức", "báo, đài", "người đứng đầu", "thủ trưởng")
QUALIFIER = re.compile(r"\s+(?:bằng (?:nhiều |các )?(?:hình thức|phương pháp|biện pháp)|(?:tới|đến) (?:việc|công tác)\b|trong phạm vi|theo (?:chức năng|phạm vi|lĩnh vực|thẩm quyền|nhiệm vụ)|căn cứ|"
                       r"trên cơ sở|thuộc phạm vi|(?:chủ động|có trách nhiệm|chịu trách nhiệm)\b).*$")


def opens_name(text: str) -> bool:
    """Whether ``text`` opens with the name of an agency or group (not with "Ban hành", "Báo cáo", ...)."""
    return text.startswith(CAP_HEADS) and not text.startswith(NOT_NAMES)


def _plural(name: str) -> bool:
    """A group name that goes on over commas: "các sở, ban, ngành", "Sở, ban, ngành thuộc ..."."""
    return bool(re.match(r"^(?:các|Các|Thủ trưởng các|thủ trưởng các|Người đứng đầu các|Sở, |sở, )", name))


# A local unit named by its kind and its proper name: "thành phố Quy Nhơn", "thị xã An Nhơn" (not the kinds of a
# group, "UBND các huyện, thị xã, thành phố").
PLACE = re.compile(r"^(?:thành phố|thị xã|huyện|quận|thị trấn|xã|phường|đặc khu)\s+(?:\d+\s+)?[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ]")
# Party committees named without a level, which the next name gives: "cấp ủy, HĐND cấp huyện" is one body list.
LEVELLESS = re.compile(r"^(?:các\s+)?cấp (?:ủy|uỷ)(?:,\s*chính quyền)?$", re.I)


def places(text: str) -> list[str]:
    """ "thành phố Quy Nhơn, thị xã An Nhơn và thị xã Hoài Nhơn" → the three units, as written; [] unless every
    piece names a local unit."""
    pieces = [p.strip(" .;") for p in re.split(r",\s*|\s+và\s+", text)]
    return pieces if pieces and all(PLACE.match(p) for p in pieces) else []


def split_by_heads(tokens: list[str], seps: list[str]) -> list[str]:
    """A list of names cut where a new name opens (a capitalised agency word, or "các …"/"cơ quan …" after " và "
    or after a single agency, a local unit by its name, "cấp ủy"), never inside a group's own commas ("các sở, ban,
    ngành", "UBND xã, phường") nor after a "cấp ủy" whose level the next name gives ("cấp ủy, HĐND cấp huyện")."""
    names = [tokens[0]]
    for sep, token in zip(seps, tokens[1:], strict=False):
        cur = names[-1]
        new = opens_name(token) or token in ("báo", "báo chí") or token.startswith("các ") or (token.startswith(LOW_HEADS) and (sep.strip() == "và" or not _plural(cur)))
        if sep.strip() == "và" and not _plural(cur) and token.startswith(GROUP_KINDS):
            new = True     # "Bộ Chỉ huy Quân sự tỉnh và sở, ngành có liên quan": a body, then a group
        kind = re.match(r"^(?:các|Các)\s+(doanh nghiệp|cơ quan|đơn vị|tổ chức|trường|hội|hiệp hội|cơ sở)\s+\S", cur)
        if kind and token.startswith(kind.group(1) + " "):
            new = True     # "Các doanh nghiệp viễn thông, doanh nghiệp bưu chính": the kind named again opens a name
        new = (new or bool(PLACE.match(token)) or bool(LEVELLESS.match(token))) and not (
            LEVELLESS.match(cur) and re.search(r"\scấp (?:tỉnh|huyện|xã)$", token))
        if new:
            names.append(token)
        else:
            names[-1] = cur + sep + token
    out = []
    for name in names:
        name = QUALIFIER.sub("", name).strip(" ,;.:")
        if name:
            out.append(name)
    return out


# Kinds of body a group names after "các", comma after comma: "các sở, ngành, cơ quan liên quan".
GROUP_KINDS = ("sở", "ban", "ngành", "địa phương", "cơ quan", "đơn vị", "tổ chức", "đoàn thể", "doanh nghiệp", "hội",
               "hiệp hội", "trường", "viện", "tổ chức chính trị", "cá nhân")


# What opens a group's name in lower case, after a comma of a list: "…, đoàn thể Thành phố", "…, cơ quan liên quan".
GROUP_HEADS = LOW_HEADS + GROUP_KINDS


def one_group(tokens: list[str], seps: list[str]) -> bool:
    """Whether comma-separated tokens are one group: "các" + kinds of body, in lower case, and nothing else
    ("các sở, ngành, cơ quan liên quan"; not "các sở, ngành, UBND cấp xã", nor "các sở và cơ quan …")."""
    if len(tokens) < 2 or not re.match(r"^(?:các|Các)\s+(?:sở|ban|ngành|cơ quan|đơn vị|tổ chức|địa phương)\b", tokens[0]):
        return False
    return all(sep.strip() == "," for sep in seps) and all(
        re.match(rf"^(?:{'|'.join(GROUP_KINDS)})\b", t) for t in tokens[1:])


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


@dataclass
class Registry:
    """What the extractor needs of content/registry, through the registry's public API (generator/content/registry.py)."""
    agencies: AgencyDirectory
    provinces: ProvinceRegistry
    criteria: set[str]

    @property
    def province_names(self) -> list[str]:
        return sorted({u.name for u in self.provinces.units}, key=len, reverse=True)

    def known(self, province_id: str) -> bool:
        return self.provinces.get(province_id) is not None

    @property
    def province_ids(self) -> list[str]:
        return [u.id for u in self.provinces.units]


def load_registry(content: Path) -> Registry:
    """The registry of ``content``, read leniently (``strict=False``): the extractor drafts for a maintainer and
    `make validate` is where the registry itself is checked."""
    loaded = read_registry(content, strict=False)
    return Registry(loaded.agencies, loaded.provinces, set(loaded.criteria))
