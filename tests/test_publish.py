"""Publishing is atomic and reproducible.

A build that fails, or is killed midway through MkDocs, leaves the published site/ byte for byte as it was;
two builds of the same content give the same bytes (the one declared build date, PORTAL_AS_OF, is the only
input that is not content).
"""
from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tiny_project import AS_OF, PLAN, build, tiny_project, tree_hashes


@pytest.fixture
def published(tmp_path) -> Path:
    project = tiny_project(tmp_path / "project")
    result = build(project)
    assert result.returncode == 0, result.stderr
    return project


def test_two_builds_of_the_same_content_are_byte_identical(published):
    site = published / "site"
    first_target, first = os.readlink(site), tree_hashes(site)
    result = build(published)
    assert result.returncode == 0, result.stderr
    assert os.readlink(site) != first_target          # really a new build, swapped in
    assert tree_hashes(site) == first
    assert len(first) > 50


def test_the_sitemap_is_dated_with_the_declared_build_date(published):
    raw = (published / "site" / "sitemap.xml.gz").read_bytes()
    mtime = int.from_bytes(raw[4:8], "little")       # gzip header: MTIME
    assert time.strftime("%Y-%m-%d", time.gmtime(mtime)) == AS_OF
    assert gzip.decompress(raw) == (published / "site" / "sitemap.xml").read_bytes()


def test_a_build_that_fails_leaves_the_previous_site_as_it_was(published):
    site = published / "site"
    before_target, before = os.readlink(site), tree_hashes(site)
    # a template that writes a link to nowhere inside raw HTML: MkDocs --strict passes, the link check fails
    about = published / "templates" / "about.md.j2"
    about.write_text(about.read_text() + '\n<p><a href="../khong-co-trang-nay/">hỏng</a></p>\n')
    result = build(published)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert 'site/gioi-thieu/index.html' in result.stderr and 'leads to no file of the built site' in result.stderr
    assert result.stderr.rstrip().endswith("nothing was published.")
    assert os.readlink(site) == before_target
    assert tree_hashes(site) == before
    assert sorted(p.name for p in (published / ".site-builds").iterdir()) == [Path(before_target).name]


def test_a_build_killed_during_mkdocs_leaves_the_previous_site_as_it_was(published):
    site = published / "site"
    before_target, before = os.readlink(site), tree_hashes(site)
    (published / "content" / PLAN).write_text((published / "content" / PLAN).read_text().replace(
        "Tuyên truyền CCHC.", "Tuyên truyền CCHC (nội dung mới)."))
    builds = published / ".site-builds"
    existing = set(builds.iterdir())
    env = dict(os.environ, NO_MKDOCS_2_WARNING="true", PYTHONPATH=str(published), PORTAL_AS_OF=AS_OF)
    proc = subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=published, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        for line in proc.stderr:                       # wait for the mkdocs stage ...
            if "mkdocs ..." in line:
                break
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:             # ... and for MkDocs to have written part of the new build
            new = [p for p in builds.iterdir() if p not in existing]
            if new and any(new[0].rglob("*.css")):
                break
            time.sleep(0.02)
        else:
            pytest.fail("the build never reached the mkdocs stage")
        assert proc.poll() is None, "the build finished before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert os.readlink(site) == before_target
    assert tree_hashes(site) == before
    # the next build publishes normally, with the change
    result = build(published)
    assert result.returncode == 0, result.stderr
    assert "nội dung mới" in (site / "ke-hoach" / "thu-nghiem-1-kh-ubnd-2021" / "index.html").read_text()
