"""Problems found in the content: what a maintainer reads when a build refuses to publish."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field, message = visible(self.field), visible(self.message)
        return f"{where}: {field}: {message}" if field else f"{where}: {message}"


_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}


def visible(text: str) -> str:
    """Control, format and other invisible characters written as <U+200B>, so that a message shows them and
    no escape sequence of a content file reaches the maintainer's terminal."""
    if text.isprintable():
        return text
    return "".join(f"<U+{ord(ch):04X}>" if unicodedata.category(ch) in _INVISIBLE else ch for ch in text)


class ContentError(Exception):
    """Raised with every Problem found, so that one run reports them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.field, p.message))
        super().__init__(f"{len(self.problems)} problem(s) in content")

    def report(self) -> str:
        lines = [str(p) for p in self.problems]
        lines.append(f"{len(self.problems)} problem(s) found; nothing was published.")
        return "\n".join(lines)


def path_text(loc: tuple) -> str:
    """('tasks', 37, 'lead', 0) -> 'tasks[37].lead[0]'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
