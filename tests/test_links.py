"""No link leads nowhere: `mkdocs build --strict` for the Markdown links, then generator/publish/linkcheck.py over the
built site for every internal href/src and #anchor, including those in the raw HTML the generator writes."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import ROOT
from tiny_project import build, tiny_project

sys.path.insert(0, str(ROOT))
from generator.publish.linkcheck import check_site  # noqa: E402


def write(site: Path, rel: str, html: str) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html><body>\n{html}\n</body></html>\n")


def test_the_published_site_has_no_broken_link_or_anchor(site_dir):
    problems = check_site(site_dir)
    assert problems == [], "\n".join(map(str, problems[:20]))


def test_link_check_reports_each_broken_link_with_page_line_and_target(tmp_path):
    site = tmp_path / "site"
    write(site, "index.html", '<a href="a/">ok</a> <a href="a/#t-1">ok anchor</a>\n'
                              '<a href="khong-co/">missing page</a>\n'
                              '<a href="a/#t-9">missing anchor</a>')
    write(site, "a/index.html", '<table><tr id="t-1"><td><a href="../b/van-ban-goc/#L2-L3">range</a>'
                                '<a href="../b/van-ban-goc/#L2-L9">range past the end</a>'
                                '<img src="../assets/khong-co.png"></td></tr></table>\n'
                                '<a href="#t-1">self</a> <a href="#">top</a> <a href="https://example.org/x">other host</a>'
                                '<a href="mailto:a@b.vn">mail</a> <a href="../data/tasks.csv">csv</a> <a href="../data/x.csv">no csv</a>')
    write(site, "b/van-ban-goc/index.html", '<pre><span id="L1">a</span><span id="L2">b</span><span id="L3">c</span></pre>')
    (site / "data").mkdir()
    (site / "data" / "tasks.csv").write_text("id\n")
    found = sorted(str(p) for p in check_site(site))
    assert found == [
        'site/a/index.html:2: <a href>: link "../b/van-ban-goc/#L2-L9": no element with id "L2-L9" on site/b/van-ban-goc/index.html',
        'site/a/index.html:2: <img src>: link "../assets/khong-co.png" leads to no file of the built site',
        'site/a/index.html:3: <a href>: link "../data/x.csv" leads to no file of the built site',
        'site/index.html:3: <a href>: link "khong-co/" leads to no file of the built site',
        'site/index.html:4: <a href>: link "a/#t-9": no element with id "t-9" on site/a/index.html',
    ]


def test_a_link_that_climbs_out_of_the_site_is_broken(tmp_path):
    site = tmp_path / "site"
    write(site, "index.html", '<a href="../../etc/passwd">out</a>')
    assert [p.message for p in check_site(site)] == ['link "../../etc/passwd" leads to no file of the built site']


def test_a_markdown_link_to_a_missing_page_fails_the_build_under_strict(tmp_path):
    project = tiny_project(tmp_path / "project")
    about = project / "templates" / "about.md.j2"
    about.write_text(about.read_text() + "\n[trang không có](../khong-co/index.md)\n")
    result = build(project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "mkdocs build --strict" in result.stderr and "khong-co/index.md" in result.stderr
    assert not (project / "site").exists()


def republished(tmp_path: Path, first: dict[str, str], second: dict[str, str | None]) -> list[str]:
    """Check a site, then a second build of it as a republish makes it: the files of ``first`` that ``second`` does
    not name are hard links to the first build's (the same files, which the check does not read again), those it
    names are written anew (None: removed). The second check's problems."""
    one, two = tmp_path / "one", tmp_path / "two"
    for rel, text in first.items():
        write(one, rel, text)
    record = tmp_path / "one.links.json"
    assert check_site(one, record=record) == []
    for rel in first:
        if rel not in second:
            (two / rel).parent.mkdir(parents=True, exist_ok=True)
            (two / rel).hardlink_to(one / rel)
    for rel, text in second.items():
        if text is not None:
            write(two, rel, text)
    return [str(p) for p in check_site(two, known=record, record=tmp_path / "two.links.json")]


def test_a_republish_finds_a_link_of_an_unchanged_page_to_an_anchor_that_is_gone(tmp_path):
    first = {"index.html": '<a href="a/#t-1">task 1</a> <a href="a/#t-2">task 2</a>',
             "a/index.html": '<p id="t-1">1</p><p id="t-2">2</p>'}
    # the page that links is the same file; the page it links to lost one of its anchors
    assert republished(tmp_path, first, {"a/index.html": '<p id="t-1">1</p>'}) == [
        'site/index.html:2: <a href>: link "a/#t-2": no element with id "t-2" on site/a/index.html']


def test_a_republish_finds_a_link_of_an_unchanged_page_to_a_file_that_is_gone(tmp_path):
    first = {"index.html": '<a href="b/">b</a>', "b/index.html": "<p>b</p>", "c/index.html": "<p>c</p>"}
    assert republished(tmp_path, first, {"b/index.html": None, "c/index.html": "<p>c, again</p>"}) == [
        'site/index.html:2: <a href>: link "b/" leads to no file of the built site']


def test_a_republish_checks_the_links_of_the_pages_written_again(tmp_path):
    first = {"index.html": '<a href="a/">a</a>', "a/index.html": "<p>a</p>"}
    assert republished(tmp_path, first, {"a/index.html": '<a href="../khong-co/">gone</a>'}) == [
        'site/a/index.html:2: <a href>: link "../khong-co/" leads to no file of the built site']


@pytest.mark.parametrize("href", ["b/", "b", "./b/", "b/index.html", "b/#x", "b/?q=1", "../../b/", "data/x%20y.csv",
                                  "data/x y.csv#r", "/b/"])
def test_a_republish_finds_every_spelling_of_a_link_to_a_removed_file(tmp_path, href):
    """A republish checks the unchanged pages that may link to a file removed since (not every page: each edit
    of a plan removes its finder shards); a link names that file by its name, its folder, a climb or the root."""
    depth = href.count("../")
    page = "p/q/index.html" if depth else "index.html"
    first = {page: f'<a href="{href}">b</a>', "b/index.html": '<p id="x">b</p>', "data/x y.csv": "a,b",
             "c/index.html": "<p>c</p>"}
    gone = "data/x y.csv" if "csv" in href else "b/index.html"
    problems = republished(tmp_path, first, {gone: None, "c/index.html": "<p>c, again</p>"})
    assert len(problems) == 1 and problems[0].startswith(f"site/{page}:2: <a href>: link \"{href}\"")


def test_a_republish_does_not_read_again_a_page_whose_links_name_no_removed_file(tmp_path, monkeypatch):
    """What makes the check of a republish quick: a removed file that no unchanged page links to (a finder shard
    replaced by a new one) does not send every page back to be checked."""
    from generator.publish import linkcheck
    first = {"index.html": '<a href="a/#t-1">a</a>', "a/index.html": '<p id="t-1">a</p>', "data/old.json.gz": "x",
             "c/index.html": "<p>c</p>"}
    checked: list = []
    real = linkcheck.SiteLinks.problems
    monkeypatch.setattr(linkcheck.SiteLinks, "problems", lambda self, pages=None: checked.append(pages) or real(self, pages))
    assert republished(tmp_path, first, {"data/old.json.gz": None, "data/new.json.gz": "y", "c/index.html": "<p>c 2</p>"}) == []
    assert checked[-1] == {"c/index.html"}
