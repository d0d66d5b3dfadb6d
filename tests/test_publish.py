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


# ---------------------------------------------------------------- one path, one output (issue 11, item 6)

def test_an_id_that_would_join_two_ids_in_a_file_name_is_refused(tmp_path):
    """data/csv/co-quan/<agency>--<province>.csv: an agency id 'so-noi-vu--quang-binh' would get the file of
    so-noi-vu's listing in Quảng Bình, and one download would hold the other's rows."""
    project = tiny_project(tmp_path / "p")
    core = project / "content" / "registry" / "agencies" / "core.yml"
    core.write_text(core.read_text().replace("- {id: so-y-te,", "- {id: so-noi-vu--quang-binh,"))
    result = build(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "registry/agencies/core.yml:4: agencies[2].id: expected an id of lower-case letters a-z and digits, " \
           "a single '.' or '-' between them" in result.stderr
    assert not (project / "site").exists()


def test_two_outputs_claiming_one_path_stop_the_build(published):
    """Whatever makes two listings share a file name (here the copy's own permalinks, broken on purpose),
    the build names the path and publishes nothing instead of letting one overwrite the other."""
    site = published / "site"
    before_target, before = os.readlink(site), tree_hashes(site)
    links = published / "generator" / "permalinks.py"
    links.write_text(links.read_text().replace('return f"data/csv/{kind}/{ident}.csv"',
                                               'return f"data/csv/{kind}/{ident.split(\'--\')[0]}.csv"'))
    result = build(published)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "data/csv/co-quan/so-noi-vu.csv: two outputs of the build claim this path" in result.stderr
    assert os.readlink(site) == before_target and tree_hashes(site) == before
