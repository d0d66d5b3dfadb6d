"""Stage 6, publish: build the site with MkDocs into a fresh directory, then swap it into place atomically.

``site`` is a symbolic link to the current build under ``.site-builds/``. A new build is made beside it and
the link is replaced in one ``rename`` (atomic on POSIX), so a build that fails or is killed midway leaves the
published site exactly as it was. Older builds are removed after the swap.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .problems import ContentError, Problem

KEEP_OLD_BUILDS = 1


def mkdocs_config(docs: Path, base_config: Path) -> Path:
    """A config that inherits mkdocs.yml and points docs_dir at the rendered pages."""
    import hashlib
    tag = hashlib.sha1(str(docs.absolute()).encode()).hexdigest()[:10]
    cfg = base_config.parent / f".mkdocs-{tag}.yml"   # beside mkdocs.yml: its relative paths stay valid
    text = f"INHERIT: {os.path.relpath(base_config, cfg.parent)}\ndocs_dir: {os.path.relpath(docs, cfg.parent)}\n"
    if not cfg.exists() or cfg.read_text() != text:
        cfg.write_text(text)
    return cfg


def declared_epoch() -> int:
    """Midnight (UTC) of the build's declared date (PORTAL_AS_OF, SOURCE_DATE_EPOCH, else today)."""
    import datetime as dt
    from .render import BuildInfo
    as_of = BuildInfo.from_env().as_of
    return int(dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.timezone.utc).timestamp())


PROGRESS_MARK = "portal-progress: "     # lines the MkDocs hook (site_config/hooks/raw_html.py) prints


def run_mkdocs(docs: Path, out: Path, base_config: Path, progress=None) -> None:
    cfg = mkdocs_config(docs, base_config)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="true", DISABLE_MKDOCS_2_WARNING="true")
    # MkDocs dates the sitemap (lastmod, and the mtime inside sitemap.xml.gz) with SOURCE_DATE_EPOCH, else "now":
    # give it the build's one declared date, so two builds of the same content are byte-identical.
    env.setdefault("SOURCE_DATE_EPOCH", str(declared_epoch()))
    # no --quiet: MkDocs 1.6 then stops counting warnings and --strict passes anything (mkdocs/mkdocs#4126)
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(cfg), "-d", str(out)]
    # its output is read as it comes, so that the hook's progress lines show while a long build runs
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    output: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(PROGRESS_MARK):
            if progress is not None:
                progress.note(line[len(PROGRESS_MARK):].strip(), force=True)
        else:
            output.append(line)
    returncode = proc.wait()
    if returncode != 0:
        lines = [l.rstrip("\n") for l in output if l.strip()]
        lines = [l for l in lines if l.startswith(("WARNING", "ERROR", "Aborted"))] or lines
        raise ContentError([Problem("mkdocs.yml", None, "mkdocs build --strict", l) for l in lines[-30:]] or
                           [Problem("mkdocs.yml", None, "mkdocs build --strict", f"failed with exit code {returncode}")])


def publish(docs: Path, site: Path, base_config: Path, progress, corpus=None) -> Path:
    site = site.absolute()
    builds = site.parent / ".site-builds"
    builds.mkdir(exist_ok=True)
    new = builds / f"{site.name}-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
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
        swap(new, site)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    prune(builds, site)
    return new


def swap(new: Path, site: Path) -> None:
    if site.exists() and not site.is_symlink():
        # a plain directory from an older layout: move it aside once, into the builds folder
        legacy = new.parent / f"{site.name}-legacy-{os.getpid()}"
        site.rename(legacy)
    link = site.with_name(f".{site.name}.link-{os.getpid()}")
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(os.path.relpath(new, site.parent))
    os.replace(link, site)


def prune(builds: Path, site: Path) -> None:
    current = site.resolve()
    old = sorted((p for p in builds.iterdir() if p.is_dir() and p.resolve() != current and p.name.startswith(site.name + "-")),
                 key=lambda p: p.stat().st_mtime)
    for p in old[: max(0, len(old) - KEEP_OLD_BUILDS)]:
        shutil.rmtree(p, ignore_errors=True)
