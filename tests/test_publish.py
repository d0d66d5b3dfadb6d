"""Publishing is atomic and reproducible.

A build that fails, or is killed midway through MkDocs, leaves the published site/ byte for byte as it was;
two builds of the same content give the same bytes (the one declared build date, PORTAL_AS_OF, is the only
input that is not content).
"""
from __future__ import annotations

import gzip
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tiny_project import AS_OF, PLAN, build, tiny_project, tree_hashes


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
    assert sorted(p.name for p in (published / ".site-builds").iterdir() if p.is_dir()) == [Path(before_target).name]


def test_a_build_killed_during_mkdocs_leaves_the_previous_site_as_it_was(published):
    site = published / "site"
    before_target, before = os.readlink(site), tree_hashes(site)
    # a new wording in the source and in the task alike (a task's text must be written in its source lines)
    for changed in (published / "content" / PLAN, published / "content" / "sources" / f"{Path(PLAN).stem}.txt"):
        changed.write_text(changed.read_text().replace("Tuyên truyền CCHC.", "Tuyên truyền CCHC (nội dung mới)."))
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
    links = published / "generator" / "site" / "permalinks.py"
    # (listings have no CSV file of their own since issue 15: two agencies' pages in a province share a path)
    links.write_text(links.read_text().replace('return f"co-quan/{a.id}/{p.id}/"', 'return f"co-quan/{p.id}/"'))
    result = build(published)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(r"co-quan/[a-z-]+/index\.md: two pages of the build claim this path", result.stderr), result.stderr[-2000:]
    assert os.readlink(site) == before_target and tree_hashes(site) == before


# ---------------------------------------------------------------- the build survives its machine (issue 11, items 11-13)

def start_build(project: Path, as_of: str = AS_OF, **settings: str) -> subprocess.Popen:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="true", PYTHONPATH=str(project), PORTAL_AS_OF=as_of, **settings)
    return subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=project, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)


def wait_for_line(proc: subprocess.Popen, text: str) -> list[str]:
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if text in line:
            return seen
    pytest.fail(f"the build ended without printing {text!r}: {''.join(seen)}")


def as_of_dates(site: Path) -> set[str]:
    import re
    return {m for p in site.rglob("*.html") for m in re.findall(r"tính đến ngày (\d+/\d+/\d{4})", p.read_text(encoding="utf-8"))}


def test_two_builds_at_once_never_mix_the_second_waits(published):
    site = published / "site"
    first = start_build(published, "2030-06-01")
    try:
        wait_for_line(first, "load ...")                       # the first build holds the lock from here on
        second = start_build(published, AS_OF)
        try:
            out2 = second.stderr.read()
            second.wait(timeout=300)
        finally:
            if second.poll() is None:
                os.killpg(second.pid, signal.SIGKILL)
        out1 = first.stderr.read()
        first.wait(timeout=300)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    assert first.returncode == 0 and second.returncode == 0, out1 + out2
    assert "another build is using" in out2 and "waiting for it to finish" in out2
    assert "Traceback" not in out1 + out2
    assert as_of_dates(site) == {"15/1/2026"}                 # every page from the second build, none from the first
    assert not list(published.rglob("*.tmp"))


def mkdocs_processes(project: Path) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"mkdocs" in cmd and any(str(project).encode() in part for part in cmd):
                found.append(int(proc.name))
    return found


def test_a_killed_build_leaves_no_mkdocs_behind_and_prune_keeps_the_last_two_published(published):
    site = published / "site"
    builds = published / ".site-builds"
    p1 = Path(os.readlink(site)).name
    assert build(published).returncode == 0
    p2 = Path(os.readlink(site)).name
    existing = set(builds.iterdir())
    proc = start_build(published, PORTAL_FULL_BUILD="1")     # MkDocs builds every page (a republish takes a moment)
    try:
        wait_for_line(proc, "mkdocs ...")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:             # MkDocs is writing the new build
            new = [p for p in builds.iterdir() if p not in existing and p.is_dir()]
            if new and any(new[0].rglob("*.css")):
                break
            time.sleep(0.02)
        assert mkdocs_processes(published), "MkDocs is not running"
        os.kill(proc.pid, signal.SIGKILL)              # the build's own process only, as an OOM killer would
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.stderr.close()
    partial = new[0].name
    deadline = time.monotonic() + 10
    while mkdocs_processes(published) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert mkdocs_processes(published) == [], "MkDocs outlived the build that started it"
    assert Path(os.readlink(site)).name == p2
    assert build(published).returncode == 0
    p4 = Path(os.readlink(site)).name
    kept = sorted(p.name for p in builds.iterdir() if p.is_dir())
    assert kept == sorted([p2, p4]), f"kept {kept}; published {p4}, before it {p2}, partial {partial}, oldest {p1}"


# Environment failures need mounts (a read-only folder for root, a small tmpfs for a full disk).
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs or a read-only bind needs root")


class Mounted:
    """mount a small tmpfs, or a read-only bind of the folder on itself, for the duration of a with block."""

    def __init__(self, folder: Path, size: str | None = None):
        self.folder, self.size = folder, size

    def __enter__(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        cmds = ([["mount", "-t", "tmpfs", "-o", f"size={self.size}", "tmpfs", str(self.folder)]] if self.size else
                [["mount", "--bind", str(self.folder), str(self.folder)],
                 ["mount", "-o", "remount,ro,bind", str(self.folder)]])
        for i, cmd in enumerate(cmds):
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode != 0:
                if i:
                    subprocess.run(["umount", str(self.folder)])
                pytest.skip(f"cannot mount here: {r.stderr.strip()}")
        return self.folder

    def __exit__(self, *exc):
        subprocess.run(["umount", "-l", str(self.folder)], check=True)


def assert_one_clear_message(result, *expected: str) -> None:
    err = result.stderr
    assert result.returncode == 1, err
    assert "Traceback" not in err and "File \"" not in err, err
    for text in expected:
        assert text in err, err
    assert err.rstrip().endswith("nothing was published; site/ is as it was."), err


@needs_root
@pytest.mark.parametrize("how", ["read-only", "full"])
def test_a_docs_folder_that_cannot_be_written_is_one_clear_message(published, how):
    site = published / "site"
    before_target, before = os.readlink(site), tree_hashes(site)
    with Mounted(published / "build", None if how == "read-only" else "300k"):
        result = build(published)
    if how == "read-only":
        assert_one_clear_message(result, "build/.docs.lock: Read-only file system (EROFS); the file system is read-only")
    else:
        assert_one_clear_message(result, "No space left on device (ENOSPC); the disk is full")
    assert os.readlink(site) == before_target and tree_hashes(site) == before


@needs_root
@pytest.mark.parametrize("how", ["read-only", "full"])
def test_a_builds_folder_that_cannot_be_written_is_one_clear_message(tmp_path, how):
    project = tiny_project(tmp_path / "p")
    with Mounted(project / ".site-builds", None if how == "read-only" else "1m"):
        result = build(project)
    if how == "read-only":
        assert_one_clear_message(result, ".site-builds/site-", "Read-only file system (EROFS)")
    else:                                              # MkDocs itself runs out of space
        assert_one_clear_message(result, "mkdocs build failed while writing the new build", "the disk is full",
                                 "its last lines, as written:", "No space left on device")
    assert not (project / "site").exists()


def test_mkdocs_crash_output_is_shown_in_order_not_sorted(published):
    """A theme override that raises inside MkDocs: its traceback lines are shown as it wrote them."""
    main = published / "site_config" / "overrides" / "main.html"
    main.write_text("{{ 1 // 0 }}\n" + main.read_text())
    result = build(published)
    assert result.returncode == 1
    err = result.stderr
    assert "mkdocs build failed with exit code" in err and "its last lines, as written:" in err
    shown = [x.strip() for x in err.splitlines() if x.startswith("    ")]
    assert any("ZeroDivisionError" in x for x in shown)
    assert shown.index(next(x for x in shown if x.startswith("Traceback"))) < \
        shown.index(next(x for x in shown if "ZeroDivisionError" in x))      # in order: the cause comes last


def test_a_200_mb_source_file_is_one_clear_message(published):
    site = published / "site"
    before_target, before = os.readlink(site), tree_hashes(site)
    source = published / "content" / "sources" / "thu-nghiem-1-kh-ubnd-2021.txt"
    with open(source, "r+b") as f:
        f.truncate(200 * 1024 * 1024)                  # sparse: costs no disk
    result = build(published)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "content/sources/thu-nghiem-1-kh-ubnd-2021.txt" in result.stderr
    assert result.stderr.rstrip().endswith("nothing was published.")
    assert os.readlink(site) == before_target and tree_hashes(site) == before


# ---------------------------------------------------------------- the second builder (issue 11, item 18)

def test_properdocs_builds_the_five_plans_as_mkdocs_does(content_build, tmp_path):
    """PORTAL_BUILDER=properdocs (ProperDocs, the maintained fork of MkDocs 1.6) builds the project's own
    content into the same files, byte for byte, but for the generator <meta> tag; so the project can switch
    the day MkDocs 1.x stops installing. (The MkDocs build is the run's shared one, `content_build`.)"""
    import re
    from conftest import CONTENT_AS_OF, run_generator
    sites = {"mkdocs": content_build / "site"}
    result = run_generator("build", "--quiet", "--docs", str(tmp_path / "docs"), "--site", str(tmp_path / "properdocs"),
                           env={"PORTAL_BUILDER": "properdocs", "PORTAL_AS_OF": CONTENT_AS_OF}, timeout=900)
    assert result.returncode == 0, result.stderr
    sites["properdocs"] = tmp_path / "properdocs"
    generator_tag = re.compile(rb'<meta name="generator" content="([^"]*)">')
    tags = {tool: set(generator_tag.findall((site / "index.html").read_bytes())) for tool, site in sites.items()}
    assert tags["mkdocs"] == {b"mkdocs-1.6.1, " + next(iter(tags["mkdocs"])).split(b", ")[1]}
    assert next(iter(tags["properdocs"])).startswith(b"mkdocs-ProperDocs 1.6")
    a, b = (tree_hashes(site) for site in sites.values())
    assert sorted(a) == sorted(b) and len(a) > 600      # (fewer files since issue 15: no CSV per listing)
    differ = [rel for rel in a if a[rel] != b[rel]]
    for rel in differ:
        assert rel.endswith(".html"), rel
        x, y = ((site / rel).read_bytes() for site in sites.values())
        assert generator_tag.sub(b"", x) == generator_tag.sub(b"", y), rel
    # the folded search index (written after the build by generator/site/search.py) is there and the same
    assert "search/search_index.json" in a and a["search/search_index.json"] == b["search/search_index.json"]


def test_an_unknown_builder_is_one_clear_message(published):
    result = build(published, env={"PORTAL_BUILDER": "zensical"})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert 'PORTAL_BUILDER: expected one of mkdocs, properdocs, found "zensical"' in result.stderr


# ---------------------------------------------------------------- no page above 2 MB (issue 11, item 15)

@pytest.fixture
def long_plan_site(largest_plan_site) -> Path:
    """A synthetic plan of thousands of tasks (on one page it would be tens of MB of HTML): the run's shared build
    of the largest plan validation accepts (tests/largest_plan.py, also read by test_page_size.py)."""
    return largest_plan_site[1]


def test_no_page_exceeds_2_mb_and_a_long_plan_is_split_with_its_addresses_kept(long_plan_site):
    import json
    import re
    site = long_plan_site
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html")}
    assert max(sizes.values()) <= 2 * 1024 * 1024, max(sizes.items(), key=lambda kv: kv[1])
    tasks = json.loads((site / "data" / "tasks.json").read_text(encoding="utf-8"))
    assert len(tasks) > 1000
    plan_url = tasks[0]["url"].split("#")[0]
    parts = sorted({t["url"].split("#")[0] for t in tasks})
    assert parts[0] == plan_url and len(parts) >= 3 and all(p.startswith(plan_url + "trang-") for p in parts[1:])
    ids: dict[str, set[str]] = {}
    for t in tasks:                                   # every task's address names the page that shows it
        page, anchor = t["url"].split("#")
        if page not in ids:
            ids[page] = set(re.findall(r'id="([^"]+)"', (site / page / "index.html").read_text(encoding="utf-8")))
        assert anchor in ids[page], t["url"]
    shown = sum(len(re.findall(r'<tr id="t-', (site / p / "index.html").read_text(encoding="utf-8"))) for p in parts)
    assert shown == len(tasks)                         # each task once, on one page


def test_an_old_task_address_on_the_first_page_leads_to_the_page_that_holds_it(long_plan_site, browser_context):
    import json
    site = long_plan_site
    tasks = json.loads((site / "data" / "tasks.json").read_text(encoding="utf-8"))
    last = tasks[-1]
    page_url, anchor = last["url"].split("#")
    first_page = last["url"].split("trang-")[0]
    server, url = serve_dir(site)
    page = browser_context.new_page()
    try:
        page.goto(url + first_page + "#" + anchor)     # how a link made before the split, or the finder, reads
        page.wait_for_url(url + page_url + "#" + anchor, timeout=15_000)
        assert page.locator(f"#{anchor}").count() == 1
    finally:
        page.close()
        server.shutdown()


def serve_dir(directory: Path):
    from conftest import serve
    return serve(directory.resolve())
