"""Stage 1, load: read the YAML files of content/ into plain Python data.

Every value keeps the line it was written on (``LoadedFile.line_of``), so that later stages can name
file, line and field in their messages. Text is decoded as UTF-8 (a BOM is accepted and dropped), line ends
are normalised, and every string is NFC-normalised on the way in; no text may hold a control character, nor a
name an invisible or foreign-script letter (``strings.check_strings``).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import config
from ..files import write_if_changed
from ..problems import Problem
from .strings import check_strings

MAX_FILE_BYTES = 5_000_000
MAX_DEPTH = 50          # lists and mappings inside each other; a plan needs 5 or 6 levels
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class LoadedFile:
    path: Path
    rel: str
    data: object
    lines: dict[tuple, int] = field(default_factory=dict)
    reported: set[tuple] = field(default_factory=set)   # where loading already reported a problem (validate skips these)
    # what LoadCache names the file by (its path, size, times and inode, and the loading code): the same identity,
    # the same bytes and the same data; None where no cache is kept
    identity: str | None = None

    def line_of(self, loc: tuple) -> int | None:
        """The line of the value at ``loc``, or of its nearest enclosing value."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def read_text(path: Path, rel: str, problems: list[Problem], root: Path | None = None) -> str | None:
    """The file's text, NFC, with "\\n" line ends; None (and a problem) for anything but a regular file of at
    most MAX_FILE_BYTES inside ``root``. The size is checked before reading, and no more than the limit is read:
    a device, a FIFO or a link to one never hangs or fills memory, and nothing outside content/ is read."""
    raw = _read_regular_file(path, rel, problems, root)
    if raw is None:
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(rel, line, "", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"))
        return None
    return nfc(text.replace("\r\n", "\n").replace("\r", "\n"))


_NOT_REGULAR = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
                (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _read_regular_file(path: Path, rel: str, problems: list[Problem], root: Path | None) -> bytes | None:
    def refuse(what: str) -> None:
        problems.append(Problem(rel, None, "", f"{what}; content files must be regular files inside content/ (copy the file in)"))
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            refuse(f"is a symbolic link (to {os.readlink(path)})")
            return None
        if root is not None and not path.resolve().is_relative_to(root.resolve()):
            refuse(f"lies outside content/ (at {path.resolve()}) through a linked folder")
            return None
        if stat.S_ISDIR(info.st_mode):
            problems.append(Problem(rel, None, "", "cannot read the file: Is a directory"))
            return None
        if not stat.S_ISREG(info.st_mode):
            refuse("is " + next((w for test, w in _NOT_REGULAR if test(info.st_mode)), "not a regular file"))
            return None
        if info.st_size > MAX_FILE_BYTES:
            _too_big(rel, f"{info.st_size:,} bytes", problems)
            return None
        # O_NOFOLLOW and O_NONBLOCK: a file swapped for a link or a FIFO since lstat neither is followed nor hangs.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                refuse("is not a regular file")
                return None
            chunks, size = [], 0
            while size <= MAX_FILE_BYTES:
                chunk = os.read(fd, MAX_FILE_BYTES + 1 - size)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        finally:
            os.close(fd)
    except OSError as exc:
        problems.append(Problem(rel, None, "", f"cannot read the file: {exc.strerror or exc}"))
        return None
    if size > MAX_FILE_BYTES:
        _too_big(rel, f"more than {MAX_FILE_BYTES:,} bytes", problems)
        return None
    return b"".join(chunks)


def _too_big(rel: str, size: str, problems: list[Problem]) -> None:
    problems.append(Problem(rel, None, "", f"file is {size}; the limit is {MAX_FILE_BYTES:,} bytes (split the plan or check the file)"))
    return None


_STR_TAG = "tag:yaml.org,2002:str"


class _Builder:
    """Builds plain data from a composed YAML node tree, recording lines and collecting problems."""

    def __init__(self, loader, rel: str, problems: list[Problem]):
        self.loader = loader
        self.rel = rel
        self.problems = problems
        self.lines: dict[tuple, int] = {}
        self.reported: set[tuple] = set()
        self.seen: set[int] = set()
        self.aliased: set[int] = set()
        self.too_deep = False

    def build(self, node: yaml.Node, loc: tuple, key_line: int | None = None):
        self.lines[loc] = node.start_mark.line + 1
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            if sum(1 for p in loc if p != "<key>") >= MAX_DEPTH:   # recursion below would exhaust Python's stack
                if not self.too_deep:
                    self.too_deep = True
                    self.problems.append(Problem(self.rel, self.lines[loc], _loc_text(loc[:3]),
                                                 f"lists and mappings are nested more than {MAX_DEPTH} levels deep here; "
                                                 "a content file needs a few levels: check the brackets"))
                self.reported.update(loc[:k] for k in range(2, len(loc) + 1))   # the schema need not say it again
                return None
            if id(node) in self.seen:   # an alias (*name) of a list or mapping: nested ones can grow exponentially
                self.lines[loc] = key_line or self.lines.get(loc[:-1], 1)   # where the alias is used, not the anchor
                if id(node) not in self.aliased:
                    self.aliased.add(id(node))
                    self.problems.append(Problem(self.rel, self.lines[loc], _loc_text(loc),
                                                 "YAML aliases (&name ... *name) of a list or mapping are not supported; write the value out in full"))
                self.reported.add(loc)
                return None
            self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            out: dict = {}
            for key_node, value_node in node.value:
                key = self.build(key_node, loc + ("<key>",))
                if not isinstance(key, (str, int)):
                    shown = "nothing (null)" if key is None else f"{type(key).__name__} {key}"
                    self.problems.append(Problem(self.rel, key_node.start_mark.line + 1, _loc_text(loc),
                                                 f"a key must be text, found {shown}; quote it"))
                    continue
                if key in out:
                    self.problems.append(Problem(self.rel, key_node.start_mark.line + 1, _loc_text(loc + (key,)),
                                                 f'key "{key}" is given twice in the same mapping'))
                out[key] = self.build(value_node, loc + (key,), key_node.start_mark.line + 1)
            self.lines.pop(loc + ("<key>",), None)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, loc + (i,)) for i, item in enumerate(node.value)]
        if node.tag == _STR_TAG:        # most scalars are text: no need for the constructor's dispatch
            return nfc(node.value)
        try:
            value = self.loader.construct_object(node, deep=True)
        except (ValueError, yaml.constructor.ConstructorError) as exc:
            if isinstance(exc, yaml.constructor.ConstructorError):
                message = f"cannot read value {node.value!r}: {exc.problem}"
            else:   # a timestamp that is no date, e.g. 2021-02-30
                message = f"cannot read value {node.value!r}: {exc}; expected a valid date such as 2021-09-10"
            self.problems.append(Problem(self.rel, node.start_mark.line + 1, _loc_text(loc), message))
            self.reported.add(loc)
            return None
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, str):
            value = nfc(value)
        return value


def _loc_text(loc: tuple) -> str:
    from ..problems import path_text
    return path_text(tuple(p for p in loc if p != "<key>"))


def load_yaml(path: Path, root: Path, problems: list[Problem], content_root: Path | None = None) -> LoadedFile | None:
    """Load one YAML file; on any problem, append it to ``problems`` and return None (or partial data)."""
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    text = read_text(path, rel, problems, content_root)
    if text is None:
        return None
    if not text.strip():
        problems.append(Problem(rel, 1, "", "the file is empty; expected a YAML mapping"))
        return None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        problems.append(_syntax_problem(rel, text, exc))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(rel, None, "", f"YAML error: {exc}"))
        return None
    except RecursionError:      # the pure-Python parser (no libyaml) recurses once per level
        problems.append(Problem(rel, None, "", f"lists and mappings are nested too deep (more than {MAX_DEPTH} levels); "
                                               "a content file needs a few levels: check the brackets"))
        return None
    finally:
        loader.dispose()
    if node is None:
        problems.append(Problem(rel, 1, "", "the file holds no data; expected a YAML mapping"))
        return None
    builder = _Builder(loader, rel, problems)
    data = builder.build(node, ())
    if not isinstance(data, dict):
        found = {list: "a list", str: "a line of text", int: "a number", float: "a number", bool: "true/false"}.get(type(data), type(data).__name__)
        problems.append(Problem(rel, 1, "", f"expected a YAML mapping (key: value lines) at the top of the file, found {found}"))
        return None
    loaded = LoadedFile(path, rel, data, builder.lines, builder.reported)
    check_strings(loaded, problems)      # (a file with such a problem is not kept by LoadCache: checked again next time)
    return loaded


def _syntax_problem(rel: str, text: str, exc: yaml.MarkedYAMLError) -> Problem:
    """A YAML syntax error in words a maintainer can act on: where, what, and the usual cause."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    what = str(exc.problem or exc.context or "cannot parse")
    if exc.context and "expected a single document" in exc.context:
        what = "a second YAML document starts here ('---')"
    elif exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != exc.problem_mark.line:
        what += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
    elif exc.context and exc.problem:
        what = f"{exc.context}: {exc.problem}"
    source_line = text.split("\n")[line - 1] if line and line <= text.count("\n") + 1 else ""
    if "\t" in source_line:
        hint = "a tab character is not allowed for indentation in YAML; indent with spaces"
    elif exc.context and "expected a single document" in exc.context:
        hint = "a content file holds one document; remove the second '---'"
    else:
        hint = "check the indentation, the brackets and quotes on this line or the one above; quote text that holds ': ' or ' #'"
    return Problem(rel, line, "", f"YAML syntax error: {what}; {hint}")


@dataclass
class RawContent:
    """Everything under content/, as plain data."""
    root: Path
    plans: list[LoadedFile]
    agencies: list[LoadedFile]
    criteria: list[LoadedFile]
    provinces: LoadedFile | None
    fields: LoadedFile | None
    sources: dict[str, list[str]]   # source file name -> its lines (NFC)
    unreadable: frozenset[str] = frozenset()   # source file names refused or unreadable (already reported)
    scores: LoadedFile | None = None  # registry/scores.yml (optional): published results after the plans
    source_identities: dict[str, str] = field(default_factory=dict)   # source file name -> its identity (LoadCache)


class LoadCache:
    """What loading each YAML file gave the last time, kept in a folder (one file each, named by the file's path
    and identity: size, modification and change times, inode), so that a build after editing one plan parses
    that plan again, not every one. Only a file that loaded without a problem is kept; a file whose identity
    changed in any way is read again; records of files no longer read are removed."""

    def __init__(self, folder: Path | None):
        import hashlib
        self.folder = folder
        self.used: set[str] = set()
        import sys
        # the code, PyYAML and Python (its Unicode tables make the NFC forms) that made the records
        self.version = hashlib.sha256(Path(__file__).read_bytes() + yaml.__version__.encode() + sys.version.encode()).hexdigest()[:16]

    def identity(self, path: Path) -> str | None:
        import hashlib
        try:
            st = os.lstat(path)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        key = f"{self.version}\0{path.absolute()}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}"
        return hashlib.sha256(key.encode()).hexdigest()[:32] + ".pickle"

    def load(self, path: Path, root: Path, problems: list[Problem], content_root: Path) -> LoadedFile | None:
        import pickle
        folder = self.folder
        name = self.identity(path) if folder is not None else None
        if folder is not None and name is not None and path.resolve().is_relative_to(content_root.resolve()):
            try:
                with open(folder / name, "rb") as f:
                    loaded = pickle.load(f)
                self.used.add(name)
                loaded.identity = name
                return loaded
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
                pass
        before = len(problems)
        loaded = load_yaml(path, root, problems, content_root)
        if folder is not None and name is not None and loaded is not None and len(problems) == before:
            loaded.identity = name
            with contextlib.suppress(OSError):      # a cache that cannot be written only costs time
                write_if_changed(folder / name, pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL))
                self.used.add(name)
        return loaded

    def kept_already(self, path: Path) -> bool:
        if self.folder is None:
            return False
        name = self.identity(path)
        return name is not None and (self.folder / name).is_file()

    def share(self, paths: list[Path], root: Path, content_root: Path) -> dict[Path, tuple[LoadedFile | None, list[Problem]]]:
        """Load the files of ``paths`` not kept yet with a second process taking half of their bytes: it keeps
        what it loads (as a build does), so this process then reads its half from the folder, several times
        faster than parsing it. Returns what this process loaded of its own half, each file with its problems.

        Used where the folder is kept and a second process can be forked (a first build, or one after many
        edits): the cores are otherwise one busy, one idle through the load. A file the other process could not
        keep (a problem, a failure of that process) is loaded here later, and says its problems in order."""
        if self.folder is None:
            return {}
        import multiprocessing as mp
        todo = [(_size(p), p) for p in paths if not self.kept_already(p)]
        if "fork" not in mp.get_all_start_methods() or sum(size for size, _ in todo) < config.SHARE_LOAD_BYTES:
            return {}
        mine: list[Path] = []
        theirs: list[Path] = []
        weights = [0, 0]
        for size, p in sorted(todo, key=lambda x: (-x[0], x[1])):      # the larger files first, each to the lighter half
            half = 0 if weights[0] <= weights[1] else 1
            weights[half] += size
            (mine if half == 0 else theirs).append(p)
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
        other = mp.get_context("fork").Process(target=self._keep, args=(theirs, root, content_root), name="load", daemon=True)
        try:
            other.start()
        except OSError:           # no second process (memory, a process limit): this one loads everything
            return {}
        loaded: dict[Path, tuple[LoadedFile | None, list[Problem]]] = {}
        try:
            for p in sorted(mine):
                problems: list[Problem] = []
                loaded[p] = (self.load(p, root, problems, content_root), problems)
        finally:
            other.join()
        return loaded

    def _keep(self, paths: list[Path], root: Path, content_root: Path) -> None:
        """(In the second process of ``share``) load and keep each file; what cannot be kept is left."""
        for p in paths:
            with contextlib.suppress(Exception):
                self.load(p, root, [], content_root)

    def tidy(self) -> None:
        if self.folder is None or not self.folder.is_dir():
            return
        for f in self.folder.iterdir():
            if f.name not in self.used:
                with contextlib.suppress(OSError):
                    f.unlink()


def _size(path: Path) -> int:
    """The file's own size (a link's, not its target's; 0 when it cannot be read): only to share the load."""
    try:
        return path.lstat().st_size
    except OSError:
        return 0


def load_content(content_dir: Path, problems: list[Problem], cache: Path | None = None) -> RawContent:
    """Everything under content/; ``cache``: a folder where what each YAML file gave is kept (LoadCache)."""
    root = content_dir.parent
    kept = LoadCache(cache)
    found = {sub: sorted((content_dir / sub).glob("*.yml")) for sub in ("plans", "registry/agencies", "registry/criteria")}
    shared = kept.share([p for paths in found.values() for p in paths], root, content_dir)
    def many(sub: str) -> list[LoadedFile]:
        out = []
        for p in found[sub]:
            if p in shared:           # loaded by this process while the other kept the rest
                loaded, said = shared.pop(p)
                problems.extend(said)
            else:
                loaded = kept.load(p, root, problems, content_dir)
            if loaded is not None:
                out.append(loaded)
        return out
    def one(name: str) -> LoadedFile | None:
        p = content_dir / "registry" / name
        if not p.exists():
            problems.append(Problem(p.relative_to(root).as_posix(), None, "", "required registry file is missing"))
            return None
        return kept.load(p, root, problems, content_dir)
    sources: dict[str, list[str]] = {}
    unreadable: set[str] = set()
    identities: dict[str, str] = {}
    for p in sorted((content_dir / "sources").glob("*.txt")):
        identity = kept.identity(p) if kept.folder is not None else None     # (before reading: a later change shows)
        text = read_text(p, p.relative_to(root).as_posix(), problems, content_dir)
        if text is not None:
            sources[p.name] = text.split("\n")
            if identity is not None:
                identities[p.name] = identity
        else:
            unreadable.add(p.name)
    raw = RawContent(
        root=root,
        plans=many("plans"),
        agencies=many("registry/agencies"),
        criteria=many("registry/criteria"),
        provinces=one("provinces.yml"),
        fields=one("fields.yml"),
        sources=sources,
        unreadable=frozenset(unreadable),
        scores=kept.load(content_dir / "registry" / "scores.yml", root, problems, content_dir) if (content_dir / "registry" / "scores.yml").exists() else None,
        source_identities=identities,
    )
    kept.tidy()
    return raw
