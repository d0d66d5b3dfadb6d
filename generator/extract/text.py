"""Source text as the extractor reads it: NFC, Markdown emphasis and headings removed, hard-wrapped lines rejoined
(keeping the source line numbers), and the shapes of lines (codes, headings, bullets)."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

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


def sentence_case(text: str, proper: Sequence[str] = ()) -> str:
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
# The source as read: one entry per source line, so that line numbers stay those of the file

EMPHASIS = re.compile(r"\*+")
MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
SEPARATOR = re.compile(r"^\s*(?:\||[-_=]{3,}|\* \*|)\s*$")
STRUCTURE = re.compile(r"^(?:[-–—•+]\s|[-–—•]\S|\d{1,2}(?:\.\d{1,2}){0,3}\.\s|\d{1,2}(?:\.\d{1,2}){1,3}\s|[a-zđ]\)\s|"
                       r"[IVXL]{1,6}\.\s|Điều\s+\d|Chương\s+[IVXL\d]|PHỤ LỤC|Phụ lục\s|Nơi nhận|TM\.|KT\.|"
                       r"(?:PHÓ\s+)?CHỦ TỊCH\b|Số\s*:|Căn cứ\b|\()")


# Website furniture copied with a text: never a task, never a heading.
FURNITURE = re.compile(r"^(?:\s*[|•]\s*)*(?:Đang tải nội dung|Đang tải văn bản|Tải văn bản|Tải về|In văn bản|Địa chỉ\s*:|"
                       r"Điện thoại\s*:|Email\s*:|Fax\s*:|Website\s*:|Bản quyền|Copyright|©|Lược đồ|Văn bản liên quan|"
                       r"Văn bản gốc|Văn bản tiếng Anh|Hiệu lực\s*:|Tình trạng\s*:|Tình trạng hiệu lực|Ngày hiệu lực|"
                       r"Ngày công báo|Số công báo|Lĩnh vực\s*:|Loại văn bản\s*[:|]|Số hiệu\s*[:|]|Cơ quan ban hành\s*[:|]|"
                       r"Người ký\s*[:|]|Ngày ban hành\s*[:|]|Nơi ban hành\s*[:|]|Đăng nhập|Đăng ký|Quên mật khẩu|"
                       r"Trang chủ|Chia sẻ|Theo dõi|Xem thêm|Tin liên quan|Bình luận)", re.I)


def furniture(line: str) -> bool:
    """A line of the website around the text (boxes, addresses, "Đang tải nội dung…"), or a table rule."""
    return bool(FURNITURE.match(line) or SEPARATOR.match(line))


def unmark(line: str) -> str:
    """A line without Markdown emphasis (`**…**`, `*…*`, the markers of a wrapped span alike) and heading marks."""
    return MD_HEADING.sub("", EMPHASIS.sub("", line))


def hard_wrapped(lines: list[str]) -> bool:
    """Whether the text was wrapped at a fixed width: many long lines go on, in lower case, on the next line."""
    long = [i for i, line in enumerate(lines[:-1]) if len(line.strip()) >= 60]
    going_on = [i for i in long if lines[i + 1].strip()[:1].islower()]
    return len(going_on) >= 5 and len(going_on) >= 0.3 * len(long)


class SourceText:
    """The text of a source as the readers see it.

    ``lines[n - 1]`` is source line n, NFC, without emphasis. In a hard-wrapped text each paragraph (a run of
    non-empty lines up to a blank or separator line, or a line that opens an item) is rejoined on its first
    line, its other lines left empty; ``end(n)`` gives the last source line of what line n holds.
    ``raw[n - 1]`` is the line without emphasis, not rejoined (letterheads and signatures are read there)."""

    def __init__(self, text: str):
        self.original = unicodedata.normalize("NFC", text).split("\n")
        self.raw = [unmark(line) for line in self.original]
        self.wrapped = hard_wrapped(self.raw)
        self.lines = list(self.raw)
        self.ends: dict[int, int] = {}
        if self.wrapped:
            self._rejoin()
            self._rejoin_bold()

    def _rejoin(self) -> None:
        head = None
        for i, line in enumerate(self.raw):
            text = line.strip()
            if SEPARATOR.match(line) or NBSP_ONLY.match(line) or not text:
                head = None
                continue
            if head is not None and (not STRUCTURE.match(text) or (
                    text.startswith("(") and not self.raw[i - 1].rstrip().endswith((".", ":", ";", ")")))):
                # a parenthesis the wrap put at a line's start goes on with the sentence it belongs to
                self.lines[head] = f"{self.lines[head].rstrip()} {text}"
                self.lines[i] = ""
                self.ends[head + 1] = i + 1
                continue
            head = i

    def _rejoin_bold(self) -> None:
        """A bold heading the copy broke into two bold paragraphs ("**3. Đề nghị Ủy ban …, Hội Liên hiệp**" then
        "**Phụ nữ Thành phố …**") is one heading."""
        heads = [i for i, line in enumerate(self.lines) if line.strip() and not SEPARATOR.match(line)]
        for a, b in zip(heads, heads[1:], strict=False):
            if not self.lines[a].strip() or not self.lines[b].strip():
                continue
            end_a = self.ends.get(a + 1, a + 1) - 1
            if not (0 < b - end_a <= 2 and all(not self.raw[k].strip() for k in range(end_a + 1, b))):
                continue
            bold = lambda i, j: self.original[i].lstrip().startswith("**") and self.original[j].rstrip().endswith("**")
            end_b = self.ends.get(b + 1, b + 1) - 1
            first, second = self.lines[a].strip(), self.lines[b].strip()
            if bold(a, end_a) and bold(b, end_b) and not STRUCTURE.match(second) and not first.endswith((".", ":", ";")) \
                    and re.match(r"^(?:\d{1,2}(?:\.\d{1,2})*\.|[a-zđ]\)|[IVXL]{1,6}\.)\s", first) and len(first) < 200:
                self.lines[a] = f"{self.lines[a].rstrip()} {second}"
                self.lines[b] = ""
                self.ends[a + 1] = end_b + 1
                self.ends.pop(b + 1, None)

    def end(self, n: int) -> int:
        return self.ends.get(n, n)
