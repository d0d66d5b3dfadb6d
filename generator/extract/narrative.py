"""Narrative task sections: headings that name an agency, the bullets and paragraphs under them its tasks."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..content.registry import name_key
from .draft import Draft, DraftGroup, DraftObjective, DraftTask
from .metadata import targets_of
from .names import opens_name, places, GROUP_HEADS, VERB_TO_CHUC, AGENCY_STARTS, ASSIGN_MARKERS, HEADING_CUT, SUPPORT_AFTER, AgencyNames
from .tables import END_MARKERS
from .text import furniture, BULLET, LETTER_HEAD, NUM_HEAD, PLUS, ROMAN_HEAD, clean, collapse, slug, strip_bullet

TASK_SECTION_TITLE = re.compile(r"NHIỆM VỤ|GIẢI PHÁP|TỔ CHỨC THỰC HIỆN|NỘI DUNG|PHÂN CÔNG|TRÁCH NHIỆM", re.I)
# Sections whose items are tasks only where they name who acts (money, reporting).
NAMED_SECTION_TITLE = re.compile(r"^(?:KINH PHÍ|CHẾ ĐỘ BÁO CÁO|BÁO CÁO|THÔNG TIN BÁO CÁO)", re.I)
# Sections that never hold tasks, also in a text without a task section (a Chỉ thị).
NOT_TASK_TITLE = re.compile(r"MỤC ĐÍCH|YÊU CẦU|MỤC TIÊU|QUAN ĐIỂM|CĂN CỨ|SỰ CẦN THIẾT|TÌNH HÌNH|KẾT QUẢ|ĐÁNH GIÁ|"
                            r"THỰC TRẠNG|PHẠM VI|ĐỐI TƯỢNG|HIỆU LỰC|CHỦ ĐỀ|THÔNG ĐIỆP", re.I)
OBJECTIVE_TITLE = re.compile(r"^MỤC TIÊU", re.I)
DEADLINE_IN_TEXT = re.compile(r"((?:trước|chậm nhất(?:\s+là)?|muộn nhất(?:\s+là)?)\s+ngày\s[^,;.()*:]+?|"
                              r"từ\s+ngày\s+\d[^,;.()*:]*?\s+đến\s+ngày\s+\d[^,;.()*:]*?)"
                              r"\s*(?=[,;.()*:]|\s(?:để|lên|về|gửi|cho|nhằm|tại|trên|theo|và báo cáo)\b|$)", re.I)
# A closing parenthesis that states when the task is done: "(thành lập trong Quý III/2021 và đưa vào hoạt động
# trong Quý IV/2021)", "(hoàn thành trong tháng 6/2026)".
DEADLINE_IN_PARENS = re.compile(r"\(([^()]*\btrong\s+(?:[Qq]uý\s+[IV1-4]+|tháng\s+\d{1,2})\b[^()]*)\)\s*[.;]?\s*$")


def deadline_in_text(text: str) -> str | None:
    """The deadline a task's own sentence states ("trước ngày 15/12/2026", "(hoàn thành trong Quý II/2026)"), else None."""
    m = DEADLINE_IN_TEXT.search(text) or DEADLINE_IN_PARENS.search(text)
    return m.group(1).strip() if m else None


# Kinds of bodies a heading names after "Các": "Các doanh nghiệp công nghệ số", "Các cơ sở đào tạo đại học".
BODY_WORDS = (r"(?:sở|Sở|ban|Ban|ngành|cơ quan|đơn vị|doanh nghiệp|cơ sở|trường|tổ chức|hội|Hội|hiệp hội|Hiệp hội|"
              r"địa phương|huyện|xã|phường|ngân hàng|Ngân hàng|viện|Viện|trung tâm|Trung tâm|đoàn thể|Tổng công ty|"
              r"công ty|hợp tác xã|bệnh viện|cơ quan báo chí|thành viên)\b")


# Proper names listed after a colon: "Gia Thuận, Tân Điền, Gò Công Đông và Tân Phú Đông".
_PROPER = r"[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ]\w*(?:\s+[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ\d]\w*){0,3}"
PLACE_NAMES = rf"{_PROPER}(?:(?:,\s*|\s+và\s+){_PROPER})+"


# An adverbial clause that opens a sentence before its subject ("Trên cơ sở …, các cơ quan, đơn vị …").
OPENING_CLAUSE = re.compile(r"^(?:Bên cạnh|Căn cứ|Trên cơ sở|Ngoài|Sau khi|Để|Nhằm|Theo|Qua|Từ|Đối với|Hằng năm|Hàng năm|"
                            r"Định kỳ|Trong)\b(?:[^.;:]|(?<=\d)\.(?=\d))*?,\s", re.I)
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
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None


LABELS = [
    ("text", re.compile(r"^(?:Nhiệm vụ(?: cụ thể)?|Nội dung(?: thực hiện| công việc| nhiệm vụ| hoạt động)?|Công việc|"
                        r"Hoạt động|Giải pháp)\s*:\s*(.*)$", re.I)),
    ("lead", re.compile(r"^(?:(?:Đơn vị|Cơ quan)(?:,\s*(?:đơn vị|địa phương))*\s+(?:chủ trì|thực hiện|chịu trách nhiệm)"
                        r"(?:\s+thực hiện)?|Chủ trì(?: thực hiện)?|Trách nhiệm(?: thực hiện)?|Phân công(?: thực hiện)?)"
                        r"\s*:\s*(.*)$", re.I)),
    ("support", re.compile(r"^(?:(?:Đơn vị|Cơ quan)(?:,\s*(?:đơn vị|địa phương))*\s+phối hợp(?:\s+thực hiện)?|"
                           r"Phối hợp(?: thực hiện)?)\s*:\s*(.*)$", re.I)),
    ("deadline", re.compile(r"^(?:Thời gian(?: thực hiện| hoàn thành)?|Thời hạn(?: thực hiện| hoàn thành)?|"
                            r"Tiến độ(?: thực hiện| hoàn thành)?)\s*:\s*(.*)$", re.I)),
    ("output", re.compile(r"^(?:Sản phẩm(?: đầu ra)?|Kết quả(?: đầu ra)?)\s*:\s*(.*)$", re.I)),
]
RESPONSIBLE = re.compile(r"\s(?:có trách nhiệm|chịu trách nhiệm)\b")
LEAD_VERB = re.compile(r"\s(?:chủ trì|là cơ quan (?:chủ trì|thường trực|đầu mối))\b")
SUBJECT_VERB = re.compile(r"(?<!các)(?<!Các)\s(?:chủ động|đăng tải|căn cứ|theo dõi|thực hiện|" + VERB_TO_CHUC + r"|chỉ đạo|giám sát|triển khai|tham mưu|xây dựng|rà soát|"
                          r"hướng dẫn|bố trí|lập|đôn đốc|báo cáo|tổng hợp|kiểm tra|phối hợp|tiếp tục|quán triệt|"
                          r"nghiên cứu|ban hành|cân đối|đẩy mạnh|tăng cường|bảo đảm|đảm bảo|chú trọng|nâng cao|phấn đấu|quan tâm|"
                          r"thường xuyên|nghiêm túc|khẩn trương|tích cực|ưu tiên|hoàn thành|duy trì|cập nhật|thúc đẩy|phát huy|gửi|tiên phong|là)\b")
# Closing formulas of a text: never a task, never the continuation of one.
CLOSING = re.compile(r"^(?:Trong quá trình (?:tổ chức )?(?:triển khai|thực hiện)|Quá trình (?:tổ chức )?(?:triển khai|thực hiện)"
                     r"|Trên đây là|Yêu cầu (?:Thủ trưởng|các)[^.]{0,80}nghiêm túc thực hiện[^.]{0,40}\.?/?\.?$)", re.I)


def label_of(text: str) -> tuple[str, str] | None:
    """(field, value) of a labelled line ("Đơn vị chủ trì: Sở Nội vụ." → ("lead", "Sở Nội vụ.")), else None."""
    text = strip_bullet(text)
    for name, pattern in LABELS:
        m = pattern.match(text)
        if m:
            return name, m.group(1).strip()
    return None


HEAD_OF = re.compile(r"^(?:Thủ trưởng|Người đứng đầu|Chủ tịch|Giám đốc|Lãnh đạo)\s+", re.I)


def same_bodies(named: list[str], heading: list[str]) -> bool:
    """Whether the names a sentence opens with are the heading's own bodies or their heads."""
    keys = [name_key(h) for h in heading]
    if not all(HEAD_OF.match(n) for n in named):
        return False
    return all(any(name_key(HEAD_OF.sub("", n)) in k or k in name_key(HEAD_OF.sub("", n)) for k in keys) for n in named)


def deep_last(node: Node) -> int:
    return max([node.last, *(deep_last(c) for c in node.children)])


class NarrativeReader:
    """Sections whose headings name the agency; the bullets and paragraphs under a heading are its tasks."""

    def __init__(self, lines: list[str], names: AgencyNames, draft: Draft, criteria: set[str]):
        self.lines = lines
        self.names = names
        self.draft = draft
        self.criteria = criteria
        self.counts: dict[str, int] = {}
        self.named_only: set[int] = set()      # first lines of sections whose tasks must name who acts
        self.require_lead = False
        self._agency_headings: dict[int, bool] = {}

    def sections(self, tables: list[tuple[int, int]]) -> tuple[list[tuple[int, int, str]], list[tuple[int, int]]]:
        """(first, last, roman) of the task sections and (first, last) of the objective sections."""
        heads = []
        for n, raw in enumerate(self.lines, 1):
            text = collapse(raw).lstrip("→ ")
            m = ROMAN_HEAD.match(text)
            if m and len(text) < 200:
                heads.append((n, m.group(1), m.group(2)))
        in_table = lambda n: any(a <= n <= b for a, b in tables)
        tasks, objectives, others = [], [], []
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
            if OBJECTIVE_TITLE.search(title):
                objectives.append((n, end))
            elif NAMED_SECTION_TITLE.search(title):
                tasks.append((n, end, roman))
                self.named_only.add(n)
            elif TASK_SECTION_TITLE.search(title):
                tasks.append((n, end, roman))
            elif not NOT_TASK_TITLE.search(title):
                others.append((n, end, roman))
        # Sections titled by their subject ("PHÁT TRIỂN KINH TẾ SỐ …", a Chỉ thị's "Trách nhiệm phối hợp …") rather
        # than "NHIỆM VỤ": the body of the text, read as task sections (purpose, objectives, background excluded).
        tasks = sorted(tasks + others)
        return tasks, objectives

    def outline(self, first: int, last: int, roman: str) -> Node:
        """The section as a tree: numbered headings, lettered items, intro lines ending with ":", bullets, "+" bullets."""
        root = Node("roman", roman, collapse(self.lines[first - 1]).lstrip("→ "), first, first, 0)
        m = ROMAN_HEAD.match(root.text)
        root.text = m.group(2) if m else root.text
        stack = [root]
        for n in range(first + 1, last + 1):
            raw = clean(self.lines[n - 1]).lstrip("→ ")
            if not raw or furniture(raw):
                continue
            if CLOSING.match(raw):
                stack = stack[:1]
                continue
            kind, label, text = "para", None, raw
            top = stack[-1]
            if (self.continues(raw, top)):
                top.text = f"{top.text} {raw}"
                top.last = n
                continue
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
            level = 10 + 10 * label.count(".") if kind == "num" and label is not None else 0
            while len(stack) > 1 and self._closes(kind, level, stack[-1]):
                stack.pop()
            node = Node(kind, label, text, n, n, level, parent=stack[-1])
            stack[-1].children.append(node)
            stack.append(node)
        return root

    @staticmethod
    def continues(raw: str, top: Node) -> bool:
        """An unnumbered paragraph right after a lettered item that ended its sentence ("Trường hợp …", "Khi …",
        "Đối với …") goes on with that item, in a text whose items are paragraphs."""
        return (top.kind == "letter" and not top.children and top.text.rstrip().endswith(".")
                and re.match(r"^(?:Trường hợp|Khi |Đối với|Trong trường hợp|Riêng |Ngoài ra|Đồng thời)", raw) is not None)

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
            if cut and cut.group(0) == ":" and re.fullmatch(PLACE_NAMES, title[cut.end():].strip(" .;")):
                phrase, cut = title, None    # "Ủy ban nhân dân các xã: Gia Thuận, Tân Điền": the units it lists, one name
            if phrase.casefold() in ("cơ quan", "đơn vị", "các cơ quan", "các đơn vị") and len(title) < 120:
                phrase, cut = title, None    # a role as heading: "Cơ quan chủ trì giải quyết thủ tục đầu tư dự án"
            if len(phrase) < 250 and (cut or len(title) < 150 or re.search(r"\([^()]+\)$", title)):
                lead = self.names.split_cell([phrase])
                listed = re.match(r"^([^()]+?)\s*\(([^()]+)\)\s*$", phrase)
                if listed and len(lead) == 1:
                    inner = self.names.split_cell([listed.group(2)])
                    if len(inner) >= 2 and all(opens_name(x) for x in inner):
                        lead = inner     # "Các cơ quan đăng ký đầu tư (Sở Tài chính, Ban quản lý …)": the bodies named
        if not lead and re.search(r"(?:thực hiện|triển khai)\s+(?:các|những)\s+\S+(?:\s+\S+)?\s+(?:sau|như sau)$", title):
            lead = self.intro_subject(title)
        if not lead:
            return [], []
        return lead, self.support_after(title)

    def task_agencies(self, text: str) -> tuple[list[str], list[str]]:
        """Lead named at the start of a task's own text ("Văn phòng UBND tỉnh chủ trì ..."), and its support."""
        names, end = self.names.prefix(text)
        rest = text[end:]
        listed = re.match(r"^(?:\s*[,;]\s*|\s+và\s+)(.*)", rest)
        qualified = re.match(r"^\s+[^\s,;:.()]+", rest) and (re.match(r"^(?:các|Các)\s", names[-1] if names else "")
                                                               or re.match(r"^\s+[A-ZĐ][^\s,;:.()]*", rest))
        if names and ((listed and (opens_name(listed.group(1)) or listed.group(1).startswith(GROUP_HEADS)))
                      or (qualified and not SUBJECT_VERB.match(rest) and not LEAD_VERB.match(rest)
                          and not RESPONSIBLE.match(rest))):
            # the registry knows the first names, not all the subject: the rest of the list ("Thủ trưởng các sở, ban,
            # ngành và Ủy ban nhân dân phường, xã, đặc khu chịu trách nhiệm …") or a group's qualifier ("Các doanh
            # nghiệp nhà nước …", "Các sở, ban, ngành, đoàn thể Thành phố …"): the subject, up to its verb
            whole = self.subject(text, longest=400)
            longer = whole[len(names) - 1][len(names[-1]):] if len(whole) >= len(names) else ""
            if whole[:len(names) - 1] == names[:-1] and len(whole) >= len(names) and whole != names and \
                    name_key(whole[len(names) - 1]).startswith(name_key(names[-1])) and \
                    (listed or (len(longer.split()) <= 6 and "," not in longer)):
                names = whole
        m = re.match(r"^([^:]{3,60}):\s", text)
        if not names and m and m.group(1).startswith(AGENCY_STARTS):
            names = [m.group(1).strip()]
        m = re.match(r"^Đối với\s+([^:]{3,120}):\s", text)
        if not names and m:       # "Đối với thành phố Quy Nhơn, thị xã An Nhơn: phối hợp …": those units act
            names = places(m.group(1))
        return names, self.support_after(text)

    def support_after(self, text: str) -> list[str]:
        """The agencies a text names after "phối hợp (chặt chẽ) (với)", as written; [] when it names none."""
        m = SUPPORT_AFTER.search(text)
        return self.names.support_names(m.group(1)) if m else []

    def intro_subject(self, text: str) -> list[str]:
        """The bodies named after a purpose clause: "Để nâng cao …, các Sở, ngành, UBND cấp xã … triển khai thực
        hiện những nội dung sau" → the names, as written."""
        for m in re.finditer(r",\s+", text):
            rest = text[m.end():]
            if not (rest.startswith(("các ", "Các ")) or opens_name(rest)):
                continue
            names = self.subject(rest[:1].upper() + rest[1:])
            if names:
                if rest[:1].islower():
                    names[0] = names[0][:1].lower() + names[0][1:]
                return names
        return []

    def clause_subject(self, text: str) -> list[str]:
        """The bodies named after an opening clause of a task's own sentence: "Bên cạnh việc thực hiện các giải pháp
        tại mục 1.1, các cơ quan, đơn vị thực hiện …", "Căn cứ Kết luận …, các cơ quan, đơn vị, UBND huyện chủ động
        …" (also after a lead-in label: "Tiêu chí …: Căn cứ …, …"), as written; [] for any other sentence."""
        label = re.match(r"^[^:.;]{3,160}:\s+", text)
        body = text[label.end():] if label else text
        if not OPENING_CLAUSE.match(body):
            return []
        return self.intro_subject(body)

    def subject(self, text: str, longest: int = 200) -> list[str]:
        """The agencies a sentence opens with, before its verb: "Sở Tài chính chủ trì, …", "Giao Công an tỉnh chủ
        trì …", "Các Sở, ban, ngành, UBND xã, phường … căn cứ Kế hoạch này, …", "Thủ trưởng … chịu trách nhiệm …"."""
        body = re.sub(r"^(?:Giao|Đề nghị|Yêu cầu|Khuyến khích)\s+", "", text)
        if not opens_name(body) and not body.startswith(("Giám đốc", "Chánh", "Trưởng")):
            return []
        window = body[:longest + 60]
        verbs = [v for v in SUBJECT_VERB.finditer(window)      # "các Ban xây dựng Đảng": a name, not a verb
                 if not re.search(r"\b(?:Ban|Sở|Phòng|Hội|Trung tâm|Cục|Chi cục|Viện)$", window[:v.start()])]
        m = RESPONSIBLE.search(window) or LEAD_VERB.search(window) or (verbs[0] if verbs else None)
        if not m or m.start() < 3:
            return []
        phrase = body[:m.start()].strip(" ,;")
        if len(phrase) > longest or re.search(r"[.:;]", phrase.replace("TP.", "TP")):
            return []
        return self.names.split_cell([phrase])

    def read_section(self, first: int, last: int, roman: str) -> None:
        self.require_lead = first in self.named_only
        root = self.outline(first, last, roman)
        gid = self.draft.unique(slug(roman))
        group = DraftGroup(gid, roman, root.text, None, first, first)
        self.draft.groups.append(group)
        self.draft.sections.append([first, last])
        self.walk(root, group, roman)

    def walk(self, node: Node, group: DraftGroup, ref: str) -> None:
        counters = {"b": 0, "p": 0}
        itemised = any(c.kind in ("letter", "bullet", "plus", "num") for c in node.children)
        for child in node.children:
            fields = self.labelled(child)
            if fields is not None:
                self.labelled_item(child, fields, group, ref, counters)
                continue
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
            if child.kind in ("num", "letter") and child.label is not None:     # headings always have a label
                label = child.label
                cref = f"{ref}.{label}" if ref else label
                if child.children:
                    if OBJECTIVE_TITLE.search(child.text):
                        self.objectives(child, cref)
                        continue
                    lead, support = self.heading_agencies(child.text.rstrip(":"))
                    if not lead and self.agency_headings(node) and self.named_body(child.text):
                        lead = self.names.split_cell([child.text.rstrip(" :")])
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
            if child.kind == "para" and (child.text.rstrip().endswith(":") or (
                    itemised and not self.subject(child.text) and not self.task_agencies(child.text)[0])):
                continue     # an introduction ("Trọng tâm:", the aim stated before the items): not a task
            key = "b" if child.kind in ("bullet", "plus") else "p"
            counters[key] += 1
            cref = f"{group.ref}-{key}{counters[key]}"
            self.task(child, group, cref, f"{group.id}-{key}{counters[key]}", "narrative bullet" if key == "b" else "narrative paragraph")

    def agency_headings(self, node: Node) -> bool:
        """Whether ``node``'s headings name agencies, one heading each ("1. Sở Nội vụ", "2. Sở Tư pháp", …): at least
        two of them and half of its headings over items do, by the strict reading of heading_agencies."""
        if id(node) not in self._agency_headings:
            heads = [c for c in node.children if c.kind in ("num", "letter") and c.children]
            named = sum(1 for c in heads if self.heading_agencies(c.text.rstrip(":"))[0])
            self._agency_headings[id(node)] = named >= 2 and 2 * named >= len(heads)
        return self._agency_headings[id(node)]

    @staticmethod
    def named_body(text: str) -> bool:
        """Whether a heading is only the name of bodies the registry may not know ("Chi cục Hải quan khu vực V",
        "Liên đoàn Lao động, Hội Nông dân", "Các doanh nghiệp công nghệ số", "Thuế tỉnh Đắk Lắk"): a name's head,
        no verb, no sentence."""
        text = text.strip().rstrip(":")
        if not text or len(text) > 120 or text.endswith((".", ";")) or ":" in text:
            return False
        if not (opens_name(text) or text.startswith(("Thuế ", "Doanh nghiệp"))):
            return False
        if re.match(r"^Các\s", text) and not re.match(r"^Các\s+" + BODY_WORDS, text):
            return False     # "Các nhiệm vụ khác", "Các giải pháp chung": not bodies
        return not (SUBJECT_VERB.search(text) or LEAD_VERB.search(text) or RESPONSIBLE.search(text)
                    or SUBJECT_VERB.match(" " + text))

    # Items whose fields are given by labelled lines under them ("- Đơn vị chủ trì: …", "c) Thời gian thực hiện: …")

    @staticmethod
    def labelled(node: Node) -> dict | None:
        """The labelled lines of an item: {"lead": (value, node), ..., "labels": [nodes], "bodies": [nodes]}, or None
        when the item has no lead, support, deadline or output label."""
        if not node.children or label_of(node.text):
            return None
        fields: dict = {"labels": [], "bodies": []}
        for child in node.children:
            found = label_of(child.text)
            if found and found[0] != "text":
                fields["labels"].append(child)
                if found[1] or not child.children:
                    fields.setdefault(found[0], found[1])
                for sub in child.children:     # "b) Cơ quan thực hiện:" over "- Đơn vị chủ trì: …" lines
                    inner = label_of(sub.text)
                    if inner and inner[0] != "text":
                        fields.setdefault(inner[0], inner[1])
                    elif found[0] == "lead" and not found[1]:
                        # "- Cơ quan thực hiện:" over "+ Sở X chủ trì, phối hợp với …" (the item's roles) and
                        # "+ Sở Y đăng tải …" (an action of its own: a task of Sở Y)
                        if re.search(r"\schủ trì\b", sub.text) and "lead" not in fields:
                            fields["lead"] = sub.text
                        else:
                            fields.setdefault("own", []).append(sub)
            else:
                fields["bodies"].append(child)
        if not any(k in fields for k in ("lead", "support", "deadline", "output")):
            return None
        return fields

    def labelled_item(self, node: Node, fields: dict, group: DraftGroup, ref: str, counters: dict) -> None:
        label = node.label
        if node.kind in ("num", "letter") and label is not None:       # headings always have a label
            cref = f"{ref}.{label}" if ref else label
            base = f"{group.id}-{slug(label, True)}" if node.kind == "letter" else f"{slug(ref.split('.')[0])}-{slug(label)}"
        else:
            counters["b"] += 1
            cref = f"{group.ref}-b{counters['b']}"
            base = f"{group.id}-b{counters['b']}"
        lead, support = self.names.roles(fields.get("lead") or "")
        if fields.get("support"):
            support = self.names.split_cell([fields["support"]])
        heading_lead, heading_support = self.heading_agencies(node.text.rstrip(":"))
        if not lead:
            lead = group.lead
        deadline = (fields.get("deadline") or "").strip(" .;") or None
        output = (fields.get("output") or "").strip(" .;") or None
        last_label = max([deep_last(x) for x in fields["labels"]], default=node.last)
        items: list[tuple[Node, str]] = []
        for body in fields["bodies"]:
            found = label_of(body.text)
            if found and found[1]:
                items.append((body, found[1]))
            elif found:
                items += [(sub, sub.text) for sub in body.children]
            elif not (body.kind == "para" and body.text.startswith("(")):
                items.append((body, body.text))
        checks = [] if fields.get("lead") else ["chủ trì không ghi ở dòng nhãn: lấy từ tiêu đề mục"] if lead else []
        own = fields.get("own", [])
        gid = group.id
        if len(items) > 1:
            gid = self.draft.unique(base)
            # the group's lines hold the shared labelled lines, so that each task's lead and support are read there
            self.draft.groups.append(DraftGroup(gid, cref, node.text.rstrip(":"), group.id, node.first, deep_last(node)))
        if not items:
            self.add_task(node.first, deep_last(node), node.text.rstrip(":"), lead, support, deadline, output, group.id,
                          cref, base, "labelled item", checks)
            return
        own_last = min([x.first for x in own], default=None)
        for k, (body, text) in enumerate(items, 1):
            one = len(items) == 1
            last = max(deep_last(body), last_label) if one else deep_last(body)
            if not one and (deadline or output):
                # a shared deadline or output must lie in the task's own lines: they run to its labelled line
                last = max([last] + [deep_last(x) for x in fields["labels"]
                                     if (label_of(x.text) or ("", ""))[0] in ("deadline", "output")])
            if one and own_last:
                last = max(deep_last(body), max([x.last for x in fields["labels"] if x.first < own_last], default=body.last))
            own_lead, own_support = self.task_agencies(strip_bullet(text))
            found_deadline = deadline_in_text(text)
            if support and own_support and re.match(r"^(?:Phối hợp|phối hợp)\b", strip_bullet(text)):
                own_support = support + [n for n in own_support if n not in support]   # "Phối hợp với Y …": Y too
            else:
                own_support = support or own_support
            self.add_task(body.first, last, strip_bullet(text), lead or own_lead, own_support,
                          deadline or found_deadline, output, gid,
                          cref if one else f"{cref}-{k}", base if one else f"{base}-{k}", "labelled item", checks)
        for k, sub in enumerate(own, len(items) + 1):
            text = strip_bullet(sub.text)
            self.add_task(sub.first, deep_last(sub), text, self.subject(text), [], deadline, output, gid,
                          f"{cref}-{k}", f"{base}-{k}", "labelled item", [])

    def add_task(self, first: int, last: int, text: str, lead: list[str], support: list[str], deadline: str | None,
                 output: str | None, group: str | None, ref: str, wanted_id: str, shape: str, checks: list[str]) -> None:
        if self.require_lead and not lead:
            return
        self.draft.tasks.append(DraftTask(self.draft.unique(wanted_id), ref, group, text, list(lead), list(support),
                                          deadline, output, None, first, last, shape, [], list(checks)))
        self.counts[shape] = self.counts.get(shape, 0) + 1

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
        if not own_lead and not group.lead:
            own_lead = self.subject(text) or self.clause_subject(text)
        elif not own_lead and (kind := re.match(r"^Các\s+(" + BODY_WORDS + ")", group.lead[0])):
            # under "Các doanh nghiệp công nghệ số", "a) Doanh nghiệp viễn thông, bưu chính ưu tiên …": the item names
            # which of the heading's bodies act
            named = self.subject(text)
            if named and named[0][:1].isupper() and named[0].casefold().startswith(kind.group(1).casefold() + " "):
                own_lead = named
        if own_lead and group.lead and same_bodies(own_lead, group.lead):
            own_lead = []      # "Thủ trưởng các sở, ban, ngành …" under the heading "Các sở, ban, ngành …": the heading's
        lead = own_lead or group.lead
        support = group.support if group.support else own_support
        if own_lead and not group.support:
            support = own_support
        if group.support and own_support and re.match(r"^(?:Phối hợp|phối hợp)\b", text):
            # "Phối hợp với Sở Tài chính …" under a heading that names supporters: those it names support too, first
            # (the heading's supporters it names again keep the heading's order)
            support = [n for n in own_support if n not in group.support] + group.support
        deadline = deadline_in_text(text)
        if self.require_lead and not lead:
            return
        codes = [c for c in re.findall(r"\b[1-8](?:\.\d{1,2}){1,3}\b", text) if c in self.criteria] \
            if re.search(r"tiêu chí", text, re.I) else []
        self.draft.tasks.append(DraftTask(self.draft.unique(wanted_id), ref, group.id, text, list(lead), list(support),
                                          deadline, None, None, node.first, node.last, shape, sorted(set(codes))))
        self.counts[shape] = self.counts.get(shape, 0) + 1


ASSIGN_INTRO = re.compile(r"(?:thực hiện|triển khai|tổ chức)\s+(?:các|những)\s+(?:hoạt động|nhiệm vụ|nội dung|công việc)"
                          r"(?:\s+chính)?\s+(?:sau|như sau)\s*:$", re.I)


def read_objective_section(lines: list[str], first: int, last: int, draft: Draft,
                           narrative: NarrativeReader | None = None) -> None:
    """Objectives; but bullets under "<bodies> thực hiện các hoạt động sau:" are those bodies' tasks."""
    assigned: list[str] | None = None
    group: DraftGroup | None = None
    for n in range(first + 1, last + 1):
        text = clean(lines[n - 1])
        if narrative is not None and ASSIGN_INTRO.search(text):
            intro = re.sub(r"^(?:Căn cứ|Trên cơ sở|Theo)\b[^,]*,\s*", "", text)
            assigned = narrative.subject(intro[:1].upper() + intro[1:]) or None
            if assigned and intro[:1].islower():      # names as written
                assigned[0] = assigned[0][:1].lower() + assigned[0][1:]
            if assigned:
                group = DraftGroup(draft.unique(f"hd-{n}"), None, text.rstrip(":"), None, n, n, assigned, [])
                draft.groups.append(group)
                continue
        if assigned and group is not None and narrative is not None:     # assigned is only set with a narrative
            if BULLET.match(text):
                narrative.add_task(n, n, strip_bullet(text), assigned, [], None, None, group.id, f"{group.id}-{n}",
                                   f"{group.id}-{n}", "narrative bullet", ["chủ trì lấy từ câu dẫn phía trên"])
                continue
            if text:
                assigned, group = None, None
        if not text or NUM_HEAD.match(text) and len(text) < 80:
            continue
        if BULLET.match(text) or (len(text) > 80 and not NUM_HEAD.match(text)):
            draft.objectives.append(DraftObjective(draft.unique(f"muc-tieu-{n}"), strip_bullet(text), targets_of(text), n, n))


