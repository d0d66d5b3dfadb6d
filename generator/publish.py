"""Stage 6, publish: build the site with MkDocs into a fresh directory, then swap it into place atomically.

``site`` is a symbolic link to the current build under ``.site-builds/``. A new build is made beside it and
the link is replaced in one ``rename`` (atomic on POSIX), so a build that fails or is killed midway leaves the
published site exactly as it was. Older builds are removed after the swap.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from .problems import BuildError, ContentError, Problem, machine_error

COMPLETE = ".complete"          # <build>.complete beside a build folder: it passed every check


@contextlib.contextmanager
def build_lock(folder: Path, say=None):
    """Hold an exclusive lock on ``folder`` (a docs or site folder) while the block runs; a second build of the
    same folder waits, saying so. The lock is the kernel's (flock): it goes when its process ends, killed or not."""
    import fcntl
    folder = folder.absolute()
    lock = folder.parent / f".{folder.name}.lock"
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise machine_error(exc, str(lock)) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            (say or (lambda text: print(text, file=sys.stderr, flush=True)))(
                f"another build is using {folder} (process {holder}); waiting for it to finish ...")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)


def mkdocs_config(docs: Path, base_config: Path) -> Path:
    """A config that inherits mkdocs.yml and points docs_dir at the rendered pages."""
    import hashlib
    tag = hashlib.sha1(str(docs.absolute()).encode()).hexdigest()[:10]
    cfg = base_config.parent / f".mkdocs-{tag}.yml"   # beside mkdocs.yml: its relative paths stay valid
    text = f"INHERIT: {os.path.relpath(base_config, cfg.parent)}\ndocs_dir: {os.path.relpath(docs, cfg.parent)}\n"
    if not cfg.exists() or cfg.read_text() != text:
        tmp = cfg.with_name(f"{cfg.name}.{os.getpid()}.tmp")
        tmp.write_text(text)
        os.replace(tmp, cfg)
    return cfg


def declared_epoch() -> int:
    """Midnight (UTC) of the build's declared date (PORTAL_AS_OF, SOURCE_DATE_EPOCH, else today)."""
    import datetime as dt
    from .config import BuildInfo
    as_of = BuildInfo.from_env().as_of
    return int(dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.UTC).timestamp())


PROGRESS_MARK = "portal-progress: "     # lines the MkDocs hook (site_config/hooks/raw_html.py) prints


def _die_with_parent(parent: int):
    """For MkDocs' process: the kernel kills it when the build that started it ends, even by SIGKILL."""
    def preexec() -> None:
        try:
            import ctypes
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)     # PR_SET_PDEATHSIG (Linux)
        except (OSError, AttributeError):
            pass
        if os.getppid() != parent:      # the parent died before the line above: do not outlive it
            os._exit(1)
    return preexec


MACHINE_SIGNS = {"No space left on device": "ENOSPC", "Disk quota exceeded": "EDQUOT", "Read-only file system": "EROFS",
                 "Permission denied": "EACCES", "Cannot allocate memory": "ENOMEM", "MemoryError": "ENOMEM"}


BUILDERS = ("mkdocs", "properdocs")     # MkDocs 1.6.1 (the product's choice) or ProperDocs, its maintained fork


def builder() -> str:
    """The program that turns build/docs into HTML: PORTAL_BUILDER, default mkdocs; both read mkdocs.yml."""
    name = os.environ.get("PORTAL_BUILDER", "").strip() or "mkdocs"
    if name not in BUILDERS:
        raise ContentError([Problem("PORTAL_BUILDER", None, "", f'expected one of {", ".join(BUILDERS)}, found "{name}"')])
    return name


def run_mkdocs(docs: Path, out: Path, base_config: Path, progress=None) -> None:
    tool = builder()
    cfg = mkdocs_config(docs, base_config)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="true", DISABLE_MKDOCS_2_WARNING="true")
    # MkDocs dates the sitemap (lastmod, and the mtime inside sitemap.xml.gz) with SOURCE_DATE_EPOCH, else "now":
    # give it the build's one declared date, so two builds of the same content are byte-identical.
    env.setdefault("SOURCE_DATE_EPOCH", str(declared_epoch()))
    # no --quiet: MkDocs 1.6 then stops counting warnings and --strict passes anything (mkdocs/mkdocs#4126)
    cmd = [sys.executable, "-m", tool, "build", "--strict", "-f", str(cfg), "-d", str(out)]
    # its output is read as it comes, so that the hook's progress lines show while a long build runs;
    # in its own process group (a terminal's Ctrl-C reaches the build, which ends it), killed with its parent
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
                            errors="replace", start_new_session=True, preexec_fn=_die_with_parent(os.getpid()))
    output: list[str] = []
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            if line.startswith(PROGRESS_MARK):
                if progress is not None:
                    progress.note(line[len(PROGRESS_MARK):].strip(), force=True)
            else:
                output.append(line)
        returncode = proc.wait()
    finally:
        if proc.poll() is None:          # the build itself was interrupted: MkDocs goes with it
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        proc.stdout.close()
    if returncode != 0:
        lines = [line.rstrip("\n") for line in output if line.strip()]
        crashed = any(line.startswith("Traceback") for line in lines) or returncode < 0
        if crashed or not any(line.startswith(("WARNING", "ERROR", "Aborted")) for line in lines):
            raise mkdocs_crash(lines, returncode, out, tool)
        # warnings of --strict (a link to a missing page, ...): problems of the content, each once
        lines = [line for line in lines if line.startswith(("WARNING", "ERROR", "Aborted"))]
        raise ContentError([Problem("mkdocs.yml", None, f"{tool} build --strict", line) for line in lines[-30:]])


def mkdocs_crash(lines: list[str], returncode: int, out: Path, tool: str = "mkdocs") -> BuildError:
    """MkDocs ended without finishing: say why if the machine is the cause, and show its last lines in order."""
    tail = lines[-40:]
    for sign, name in MACHINE_SIGNS.items():
        if any(sign in line for line in lines):
            import errno
            advice = machine_error(OSError(getattr(errno, name), sign, str(out))).message
            return BuildError(f"{tool} build failed while writing the new build: {advice}", [line for line in tail if sign in line][-1:])
    how = f"was killed by signal {-returncode}" if returncode < 0 else f"failed with exit code {returncode}"
    return BuildError(f"{tool} build {how} while building {out}; what it wrote last is below. "
                      "If it names a file of build/docs, check that page; otherwise report it with these lines.", tail)


def publish(docs: Path, site: Path, base_config: Path, progress, corpus=None) -> Path:
    site = site.absolute()
    builds = site.parent / ".site-builds"
    new = builds / f"{site.name}-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
    try:
        builds.mkdir(exist_ok=True)
        new.mkdir()                   # ours, not MkDocs': a folder we cannot write is named before MkDocs starts
    except OSError as exc:
        raise machine_error(exc) from None
    previous = site.resolve() if site.is_symlink() else None
    try:
        with progress.stage("mkdocs"):
            run_mkdocs(docs, new, base_config, progress)
        with progress.stage("search indexes"):
            from .search import postprocess_site
            postprocess_site(new, corpus)
        with progress.stage("link check"):
            from .linkcheck import check_site
            broken = check_site(new)
        if broken:   # a link that leads nowhere: refuse to publish, before the swap
            raise ContentError(broken)
        new.with_name(new.name + COMPLETE).touch()
        swap(new, site)
    except BaseException as exc:
        shutil.rmtree(new, ignore_errors=True)
        with contextlib.suppress(OSError):
            new.with_name(new.name + COMPLETE).unlink()
        if isinstance(exc, OSError):
            raise machine_error(exc) from None
        raise
    with contextlib.suppress(OSError):        # the new site is published: a failure to tidy up is not one
        prune(builds, site, previous)
    return new


def swap(new: Path, site: Path) -> None:
    if site.exists() and not site.is_symlink():
        # a plain directory from an older layout: move it aside once, into the builds folder
        legacy = new.parent / f"{site.name}-legacy-{os.getpid()}"
        site.rename(legacy)
        legacy.with_name(legacy.name + COMPLETE).touch()
    link = site.with_name(f".{site.name}.link-{os.getpid()}")
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(os.path.relpath(new, site.parent))
    os.replace(link, site)


def prune(builds: Path, site: Path, previous: Path | None = None) -> None:
    """Keep the published build and the one published before it; remove every other build, finished or not.
    Only one build runs at a time (build_lock), so a build without its completion mark is a dead one."""
    keep = {site.resolve()} | ({previous.resolve()} if previous else set())
    if previous is None or not (previous.with_name(previous.name + COMPLETE)).exists():
        # no record of the one before: the newest complete build other than the published one
        done = sorted((p for p in builds.iterdir() if p.is_dir() and p.resolve() not in keep
                       and p.with_name(p.name + COMPLETE).exists()), key=lambda p: p.stat().st_mtime)
        keep |= {p.resolve() for p in done[-1:]}
    for p in builds.iterdir():
        if p.name.startswith(site.name + "-") and p.is_dir() and not p.is_symlink() and p.resolve() not in keep:
            shutil.rmtree(p, ignore_errors=True)
            with contextlib.suppress(OSError):
                p.with_name(p.name + COMPLETE).unlink()
    for mark in builds.glob(f"{site.name}-*{COMPLETE}"):      # marks whose build is gone
        if not mark.with_name(mark.name[: -len(COMPLETE)]).is_dir():
            mark.unlink()
