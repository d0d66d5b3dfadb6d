"""Writing the build's files: the bottom layer every stage that writes (render, charts, feeds, index, search) uses."""
from __future__ import annotations

import os
from pathlib import Path


def write_if_changed(path: Path, text: str | bytes) -> bool:
    """Write ``text`` to ``path`` unless it already holds exactly these bytes (unchanged files keep their time, so
    MkDocs and a re-publish skip them); atomic: a reader or a full disk never sees half a file."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")     # one per process: two writers never share it
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)          # a full disk leaves no half-written file behind
        if isinstance(exc, OSError) and not exc.filename:      # a failed write() names no file: name it
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        raise
    return True


def beside(docs: Path, suffix: str) -> Path:
    """A file or folder the build keeps beside the docs folder (``.docs.rows``, ``.docs.load-cache``...): what the
    last build made, held by the docs folder's lock, never published."""
    return docs.absolute().parent / f".{docs.absolute().name}{suffix}"


def gzipped(text: str, level: int = 6) -> bytes:
    """``text`` gzip-compressed as the build writes a .gz file: no name and no time in its header, so the same text
    always gives the same bytes (a republish leaves the file as it was)."""
    import gzip
    return gzip.compress(text.encode("utf-8"), level, mtime=0)


def file_stamp(path: Path) -> tuple[int, int] | None:
    """The file's size and time of change (None: there is no file): with a record's digest, it says that the file
    is the one written from that digest."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


RECORD_PART = 1000      # entries of a record marshalled at a time (write_record)


def read_record(path: Path | None, version: str | bytes) -> dict:
    """A build's record kept beside its output (marshal: plain values), as written by ``write_record`` with this
    ``version``; an empty one if there is none, it was written by another version, or it cannot be read (a
    record only saves time)."""
    import marshal
    if path is None:
        return {}
    record: dict = {}
    try:
        with open(path, "rb") as f:
            if marshal.load(f) != version:
                return {}
            while (part := marshal.load(f)) is not None:      # read part by part, as written
                record.update(part)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return record


def write_record(path: Path, version: str | bytes, record: dict) -> None:
    """Keep ``record`` for the next build, atomically; a record that cannot be written only costs time.

    Written in parts of RECORD_PART entries, then None: marshal makes the bytes of what it writes in memory first,
    and the rendered rows of a national corpus weigh a few hundred megabytes (the build's peak of memory was there)."""
    import marshal
    from itertools import islice
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            marshal.dump(version, f)
            items = iter(record.items())
            while part := dict(islice(items, RECORD_PART)):
                marshal.dump(part, f)
            marshal.dump(None, f)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


class MadeFrom:
    """What each file of an output was made from last time (a digest of its inputs), with the file's size and time
    (``file_stamp``), kept in a record beside the docs folder (``read_record``, ``write_record``, ``version``: the
    code's digest): a file whose digest is the same and whose file is the one written then need not be made again.
    The render's pages and feeds keep one each; ``path`` None keeps none."""

    def __init__(self, path: Path | None, version: str | bytes):
        self.path, self.version = path, version
        self.before: dict[str, tuple] = read_record(path, version)
        self.now: dict[str, tuple] = {}

    def unchanged(self, key: str, file: Path, digest: bytes | None) -> bool:
        before = self.before.get(key)
        if digest is None or before is None or before[0] != digest or before[1:] != file_stamp(file):
            return False
        self.now[key] = before
        return True

    def record(self, key: str, file: Path, digest: bytes | None) -> None:
        found = file_stamp(file)
        if digest is not None and found is not None:
            self.now[key] = (digest, *found)

    def save(self) -> None:
        if self.path is not None and self.now != self.before:
            write_record(self.path, self.version, self.now)


class GzipWriter:
    """Writes .gz files (``gzipped``), compressing a text again only when it changed: the digest of each file's text
    is kept (MadeFrom, in ``record``) with the file's size and time. A republish after editing one plan compresses
    again the national files its tasks are in, not every province's."""

    def __init__(self, record: Path | None, level: int = 6):
        import hashlib
        self.level = level
        self.made = MadeFrom(record, hashlib.sha256(f"{level}\0{Path(__file__).read_bytes()!r}".encode()).hexdigest())

    def write(self, key: str, path: Path, text: str) -> bool:
        """``text`` compressed into ``path`` (``key``: its name in the record); False when the file was left as it was."""
        import hashlib
        data = text.encode("utf-8")
        digest = hashlib.blake2b(data, digest_size=20).digest()
        if self.made.unchanged(key, path, digest):
            return False
        written = write_if_changed(path, gzipped(text, self.level))
        self.made.record(key, path, digest)
        return written

    def save(self) -> None:
        self.made.save()
