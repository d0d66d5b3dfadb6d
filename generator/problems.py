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


class BuildError(Exception):
    """The build machine failed, not the content (a full disk, a read-only folder, another build running, a
    tool that crashed): one message saying what happened, where, and what to do; then, when a tool crashed,
    its own last lines exactly as it wrote them, in order."""

    def __init__(self, message: str, output: list[str] | None = None):
        self.message = message
        self.output = list(output or [])
        super().__init__(message)

    def report(self) -> str:
        lines = [visible(self.message)]
        if self.output:
            lines.append("its last lines, as written:")
            lines += ["    " + visible(line) for line in self.output]
        lines.append("nothing was published; site/ is as it was.")
        return "\n".join(lines)


_OS_ADVICE = {
    "ENOSPC": "the disk is full: free space on it (df -h shows how much is left) and build again",
    "EDQUOT": "the disk quota is used up: free space in it and build again",
    "EROFS": "the file system is read-only: make it writable, or build elsewhere (--docs and --site)",
    "EACCES": "permission denied: give the user who builds write access to it, or build elsewhere (--docs and --site)",
    "EPERM": "operation not permitted: give the user who builds write access to it, or build elsewhere (--docs and --site)",
    "EMFILE": "too many open files: raise the limit (ulimit -n) and build again",
    "ENOMEM": "out of memory: close other programs or build on a machine with more memory",
}


def machine_error(exc: OSError, where: str | None = None) -> BuildError:
    """An OSError as one message: the path, what the system said, and what to do."""
    import errno
    name = errno.errorcode.get(exc.errno or 0, "")
    path = exc.filename or where or "?"
    what = exc.strerror or str(exc) or type(exc).__name__
    advice = _OS_ADVICE.get(name, "check the path and the machine, then build again")
    return BuildError(f"{path}: {what}{f' ({name})' if name else ''}; {advice}.")
