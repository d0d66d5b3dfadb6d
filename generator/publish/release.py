"""Stage 6, publish: build the site with MkDocs into a fresh directory, then swap it into place atomically.

``site`` is a symbolic link to the current build under ``.site-builds/``. A new build is made beside it and
the link is replaced in one ``rename`` (atomic on POSIX), so a build that fails or is killed midway leaves the
published site exactly as it was. Older builds are removed after the swap.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from ..problems import BuildError, ContentError, Problem, machine_error

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
    from ..config import BuildInfo
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


def run_mkdocs(docs: Path, out: Path, base_config: Path, progress=None, dirty: bool = False) -> None:
    tool = builder()
    cfg = mkdocs_config(docs, base_config)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="true", DISABLE_MKDOCS_2_WARNING="true")
    if dirty:      # the hook drops MkDocs' warning about --dirty, which --strict would count (see republish_seed)
        env[REPUBLISH_SETTING] = "1"
    else:
        env.pop(REPUBLISH_SETTING, None)
    # MkDocs dates the sitemap (lastmod, and the mtime inside sitemap.xml.gz) with SOURCE_DATE_EPOCH, else "now":
    # give it the build's one declared date, so two builds of the same content are byte-identical.
    env.setdefault("SOURCE_DATE_EPOCH", str(declared_epoch()))
    # no --quiet: MkDocs 1.6 then stops counting warnings and --strict passes anything (mkdocs/mkdocs#4126)
    cmd = [sys.executable, "-m", tool, "build", "--strict", "-f", str(cfg), "-d", str(out)] + (["--dirty"] if dirty else [])
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


def give_back_memory() -> None:
    """Hand the memory the render stage freed (every page's view, every rendered row) back to the system, where
    the C library allows it (glibc's malloc_trim): kept by the process otherwise, it would be the floor that the
    search indexes and the link check, the last peaks of the build's memory, stand on."""
    import ctypes
    with contextlib.suppress(OSError, AttributeError, TypeError):     # (another C library: nothing to do)
        ctypes.CDLL(None).malloc_trim(0)


def publish(docs: Path, site: Path, base_config: Path, progress, corpus=None) -> Path:
    site = site.absolute()
    give_back_memory()
    builds = site.parent / ".site-builds"
    new = builds / f"{site.name}-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
    try:
        builds.mkdir(exist_ok=True)
        new.mkdir()                   # ours, not MkDocs': a folder we cannot write is named before MkDocs starts
    except OSError as exc:
        raise machine_error(exc) from None
    previous = site.resolve() if site.is_symlink() else None
    try:
        state = build_state(docs, base_config)
        with progress.stage("mkdocs"):
            seed = republish_seed(previous, new, docs, state)
            if seed is None:
                run_mkdocs(docs, new, base_config, progress)
            else:
                progress.note(f"republish: {seed.reused:,} of {seed.pages:,} pages unchanged since the last build, "
                              f"taken from it as they are", force=True)
                run_mkdocs(docs, new, base_config, progress, dirty=True)
                if not seed.merge_search_index(new):
                    # a page that had no entry in the last build's search index has one now: build it all afresh
                    progress.note("republish: the search index cannot be merged; building every page again", force=True)
                    shutil.rmtree(new)
                    new.mkdir()
                    run_mkdocs(docs, new, base_config, progress)
            shutil.copyfile(new / "search" / "search_index.json", companion(new, RAW_SEARCH_INDEX))
        with progress.stage("search indexes"):
            from ..site.search import postprocess_site
            postprocess_site(new, corpus)
        with progress.stage("link check"):
            from .linkcheck import check_site
            known = companion(previous, LINKS) if seed is not None and previous is not None else None
            broken = check_site(new, known=known, record=companion(new, LINKS))
        if broken:   # a link that leads nowhere: refuse to publish, before the swap
            raise ContentError(broken)
        companion(new, STATE).write_text(json.dumps(state, sort_keys=True), encoding="utf-8")
        companion(new, COMPLETE).touch()
        swap(new, site)
    except BaseException as exc:
        shutil.rmtree(new, ignore_errors=True)
        for suffix in COMPANIONS:
            with contextlib.suppress(OSError):
                companion(new, suffix).unlink()
        if isinstance(exc, OSError):
            raise machine_error(exc) from None
        raise
    with contextlib.suppress(OSError):        # the new site is published: a failure to tidy up is not one
        prune(builds, site, previous)
    return new


# ---------------------------------------------------------------- republish: only what changed is built again
#
# A build leaves beside its folder what the next one needs to build only what changed: <build>.state.json (what
# it was built from: MkDocs' configuration, theme and hook, the versions, the settings, the set of pages) and
# <build>.search-index.json (Material's search index of every page, before generator/site/search.py rewrites it)
# and <build>.links.json (the ids and links the link check read of each page: a page linked unchanged from the
# last build is not read again).
# The next build, when all of that is the same and the pages are the same set, starts its new folder with hard
# links to the last build's output of every docs file that has not changed since (MkDocs' own rule: the output
# is newer than its source; render rewrites only files whose text changed), then runs MkDocs with --dirty,
# which builds only the pages without an output. Every file MkDocs or the later stages write is a new file, so
# the published build is never written to. Pages are built from their own Markdown alone (the navigation is
# mkdocs.yml's, the same for every page), so the result is byte for byte the full build's; the search index,
# the one output made of every page, is merged: the last build's entries of the pages not built again, the
# new entries of the others, in the same order. Anything else different (another page set, a changed
# template or setting, no record of the last build) means a full build.

STATE = ".state.json"
RAW_SEARCH_INDEX = ".search-index.json"
LINKS = ".links.json"          # what the link check read of each page (generator/publish/linkcheck.py)
COMPANIONS = (COMPLETE, STATE, RAW_SEARCH_INDEX, LINKS)
REPUBLISH_SETTING = "PORTAL_REPUBLISH"
# written by MkDocs (whatever the pages) or by the stages after it: never linked from the last build
ALWAYS_WRITTEN = ("search/", "sitemap.xml", "sitemap.xml.gz", "404.html")


def companion(build: Path, suffix: str) -> Path:
    return build.with_name(build.name + suffix)


def _docs_files(docs: Path) -> list[str]:
    out = []
    for folder, dirs, files in os.walk(docs):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = os.path.relpath(folder, docs)
        for name in files:
            if not name.startswith(".") and not name.endswith(".tmp"):
                out.append(name if rel == "." else f"{rel}/{name}".replace(os.sep, "/"))
    return sorted(out)


def _output_of(rel: str) -> str:
    """The site file MkDocs makes of a docs file (use_directory_urls: a/b.md -> a/b/index.html)."""
    if not rel.endswith(".md"):
        return rel
    folder, _, name = rel.rpartition("/")
    stem = name[:-3]
    if stem not in ("index", "README"):
        folder = f"{folder}/{stem}" if folder else stem
    return f"{folder}/index.html" if folder else "index.html"


def _page_url(rel: str) -> str:
    out = _output_of(rel)
    return out[: -len("index.html")]


def build_state(docs: Path, base_config: Path) -> dict:
    """What a build's output depends on besides each page's own Markdown."""
    import hashlib
    from importlib import metadata
    root = base_config.parent
    digest = hashlib.sha256()
    inputs = [base_config, root / "generator" / "anchors.py"]
    for folder in (root / "site_config" / "overrides", root / "site_config" / "hooks"):
        inputs += sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in inputs:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"(none)")
        digest.update(b"\0")
    versions = {}
    for dist in ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "properdocs"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[dist] = metadata.version(dist)
    from ..config import SITE_URL_SETTING
    pages = hashlib.sha256("\n".join(r for r in _docs_files(docs) if r.endswith(".md")).encode()).hexdigest()
    return {"docs": str(docs.absolute()), "configuration": digest.hexdigest(), "versions": versions,
            "python": sys.version, "builder": builder(), "site_url": os.environ.get(SITE_URL_SETTING, ""),
            "epoch": os.environ.get("SOURCE_DATE_EPOCH") or str(declared_epoch()), "pages": pages}


class Seed:
    """The pages a republish takes from the last build; merges the search index after MkDocs."""

    def __init__(self, previous: Path, rebuilt: set[str], pages: int, reused: int):
        self.previous, self.rebuilt, self.pages, self.reused = previous, rebuilt, pages, reused

    def merge_search_index(self, new: Path) -> bool:
        path = new / "search" / "search_index.json"
        built = json.loads(path.read_text(encoding="utf-8"))
        before = json.loads(companion(self.previous, RAW_SEARCH_INDEX).read_text(encoding="utf-8"))

        def by_page(entries: list[dict]) -> dict[str, list[dict]]:
            out: dict[str, list[dict]] = {}
            for e in entries:
                out.setdefault(e["location"].split("#", 1)[0], []).append(e)
            return out
        old, fresh = by_page(before["docs"]), by_page(built["docs"])
        if any(page not in old for page in fresh) or any(page not in self.rebuilt for page in fresh):
            return False
        docs = [e for page, entries in old.items() for e in (fresh.get(page, []) if page in self.rebuilt else entries)]
        # as Material's search plugin writes it (material/plugins/search/plugin.py, generate_search_index)
        path.unlink()
        path.write_text(json.dumps({"config": built["config"], "docs": docs}, separators=(",", ":"), default=str), encoding="utf-8")
        return True


def republish_seed(previous: Path | None, new: Path, docs: Path, state: dict) -> Seed | None:
    """Start ``new`` with hard links to the last build's output of every unchanged docs file, or None (then the
    build is a full one) when the last build cannot be built upon."""
    if os.environ.get("PORTAL_FULL_BUILD"):
        return None
    if previous is None or not companion(previous, COMPLETE).exists():
        return None
    try:
        if json.loads(companion(previous, STATE).read_text(encoding="utf-8")) != state:
            return None
        if not companion(previous, RAW_SEARCH_INDEX).is_file():
            return None
    except (OSError, ValueError):
        return None
    rebuilt: set[str] = set()
    pages = reused = 0
    for rel in _docs_files(docs):
        out = _output_of(rel)
        is_page = rel.endswith(".md")
        pages += is_page
        if out.startswith(ALWAYS_WRITTEN):
            if is_page:
                return None
            continue
        source, before = docs / rel, previous / out
        try:
            fresh = os.path.getmtime(before) >= os.path.getmtime(source) and before.is_file() and not before.is_symlink()
        except OSError:
            fresh = False
        if fresh:
            target = new / out
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(before, target)
            reused += is_page
        elif is_page:
            rebuilt.add(_page_url(rel))
    return Seed(previous, rebuilt, pages, reused)


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
            for suffix in COMPANIONS:
                with contextlib.suppress(OSError):
                    companion(p, suffix).unlink()
    for suffix in COMPANIONS:
        for mark in builds.glob(f"{site.name}-*{suffix}"):      # marks and records whose build is gone
            if not mark.with_name(mark.name[: -len(suffix)]).is_dir():
                mark.unlink()
