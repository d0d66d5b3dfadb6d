"""Republishing after an edit builds only what changed, and gives the full build's bytes (issue 15).

A second build takes every page whose Markdown did not change from the last published build (hard links) and
lets MkDocs build the others (--dirty). What it publishes must be byte for byte what a full build of the same
content gives, in a fresh folder: a page left stale, a search index missing a page, would differ.
"""
from __future__ import annotations

import fnmatch
import os
import shutil
from pathlib import Path

import pytest

from tiny_project import PLAN, build, tiny_project, tree_hashes

OLD, NEW = "Kiểm tra công tác CCHC.", "Kiểm tra công tác CCHC và công vụ."


def edit_one_task(project: Path) -> None:
    """A legitimate edit: the task's text in the plan and in its source, the same words in both."""
    plan = project / "content" / PLAN
    source = project / "content" / "sources" / (Path(PLAN).stem + ".txt")
    for path in (plan, source):
        text = path.read_text(encoding="utf-8")
        assert text.count(OLD) == 1, path
        path.write_text(text.replace(OLD, NEW), encoding="utf-8")


def fresh_full_build(project: Path, tmp: Path) -> dict[str, str]:
    """The same project built from nothing: no docs folder, no earlier build."""
    clean = tmp / "clean"
    shutil.copytree(project, clean, symlinks=True, ignore=built_outputs(project))
    result = build(clean)
    assert result.returncode == 0, result.stderr
    return tree_hashes(clean / "site")


def built_outputs(project: Path):
    """copytree's ignore: what a build leaves at the top of the project (not generator/site/, a package)."""
    def ignore(folder: str, names: list[str]) -> list[str]:
        top = Path(folder) == project
        return [n for n in names if (top and n in ("build", "site", ".site-builds")) or fnmatch.fnmatch(n, ".*.lock")]
    return ignore


def inodes(site: Path) -> dict[str, int]:
    site = site.resolve()
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}


@pytest.mark.parametrize("builder", ["mkdocs", "properdocs"])
def test_a_republish_after_editing_one_task_equals_a_full_build_and_reuses_the_unchanged_pages(tmp_path, builder):
    project = tiny_project(tmp_path / "project")
    # the sitemap then lists every page; ProperDocs (MkDocs' fork) logs under its own name
    env = {"PORTAL_SITE_URL": "https://example.org/portal/", "PORTAL_BUILDER": builder}
    assert build(project, env=env).returncode == 0
    first_target, first_inodes, first = os.readlink(project / "site"), inodes(project / "site"), tree_hashes(project / "site")

    edit_one_task(project)
    result = build(project, env=env)
    assert result.returncode == 0, result.stderr
    assert os.readlink(project / "site") != first_target
    second_inodes, second = inodes(project / "site"), tree_hashes(project / "site")

    clean = tmp_path / "clean"
    shutil.copytree(project, clean, symlinks=True, ignore=built_outputs(project))
    assert build(clean, env=env).returncode == 0
    full = tree_hashes(clean / "site")
    assert sorted(second) == sorted(full)                       # the same files: nothing stale, nothing missing
    assert [f for f in full if second[f] != full[f]] == []      # the same bytes
    # the edit shows: the plan's page and the site search's index of tasks changed ...
    changed = {f for f in second if first.get(f) != second[f]}
    plan_page = f"ke-hoach/{Path(PLAN).stem}/index.html"
    assert plan_page in changed and "search/tim-kiem-nhiem-vu.json" in changed
    assert NEW in (project / "site" / plan_page).read_text(encoding="utf-8")
    # ... and the pages it does not touch were taken from the last build, not built again
    reused = {f for f in second if f.endswith("index.html") and second_inodes[f] == first_inodes.get(f)}
    assert "gioi-thieu/index.html" in reused
    assert plan_page not in reused
    # the published build of before was not written to
    before = project / ".site-builds" / Path(first_target).name
    if before.exists():
        assert NEW not in (before / plan_page).read_text(encoding="utf-8")


def test_a_republish_after_a_change_of_configuration_is_a_full_build(tmp_path):
    project = tiny_project(tmp_path / "project")
    assert build(project).returncode == 0
    first_inodes = inodes(project / "site")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_name: ", "site_name: Thử — ", 1), encoding="utf-8")
    assert build(project).returncode == 0
    second_inodes, second = inodes(project / "site"), tree_hashes(project / "site")
    assert not any(second_inodes[f] == first_inodes.get(f) for f in second if f.endswith(".html"))
    assert fresh_full_build(project, tmp_path) == second


def tiny_content(tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    """The tiny project's content copied into tmp_path/project, at its declared date, and where its docs go."""
    from tiny_project import AS_OF, BASE_CONTENT
    monkeypatch.setenv("PORTAL_AS_OF", AS_OF)
    content = tmp_path / "project" / "content"
    shutil.copytree(BASE_CONTENT, content)
    return content, tmp_path / "project" / "build" / "docs"


def render_counting(content: Path, docs: Path, monkeypatch) -> list[str]:
    """Render content into docs in this process; the templates of the pages rendered, in order."""
    import jinja2
    from conftest import ROOT
    from generator.cli import Progress, load_corpus
    from generator.site.render import render_site
    rendered: list[str] = []
    original = jinja2.Template.render

    def counting(self, *args, **kwargs):
        if "page" in kwargs:           # a page (rows and lines are rendered without one)
            rendered.append(kwargs["page"].path)
        return original(self, *args, **kwargs)
    with monkeypatch.context() as m:
        m.setattr(jinja2.Template, "render", counting)
        _, corpus = load_corpus(content, Progress(quiet=True))
        render_site(corpus, docs, ROOT)
    return rendered


def test_a_render_after_editing_one_task_renders_only_the_pages_it_changes(tmp_path, monkeypatch):
    content, docs = tiny_content(tmp_path, monkeypatch)
    first = render_counting(content, docs, monkeypatch)
    edit_one_task(tmp_path / "project")
    again = render_counting(content, docs, monkeypatch)
    plan_page = f"ke-hoach/{Path(PLAN).stem}/index.md"
    assert plan_page in again and "gioi-thieu/index.md" not in again
    assert 0 < len(again) < len(first) / 2
    fresh = tmp_path / "fresh" / "docs"
    assert len(render_counting(content, fresh, monkeypatch)) == len(first)
    assert tree_hashes(docs) == tree_hashes(fresh)


def test_a_render_after_editing_one_task_makes_again_only_the_feeds_that_show_it(tmp_path, monkeypatch):
    """A feed (Atom and iCalendar) is made again only when a task it carries changed; the others stay as written,
    and every feed is what a render from nothing gives (the edited task's new words are in those that carry it)."""
    from generator.site.feeds import FeedWriter
    content, docs = tiny_content(tmp_path, monkeypatch)
    made: list[str] = []
    original = FeedWriter.atom

    def counting(self, feed):
        made.append(feed.atom_path)
        return original(self, feed)
    monkeypatch.setattr(FeedWriter, "atom", counting)
    render_counting(content, docs, monkeypatch)
    every = set(made)
    assert len(every) >= 3
    made.clear()
    edit_one_task(tmp_path / "project")
    render_counting(content, docs, monkeypatch)
    carrying = {f for f in every if NEW.encode() in (docs / f).read_bytes()}
    assert carrying and set(made) == carrying and len(carrying) < len(every)
    fresh = tmp_path / "fresh" / "docs"
    render_counting(content, fresh, monkeypatch)
    assert tree_hashes(docs) == tree_hashes(fresh)


def test_a_republish_compresses_again_only_the_downloads_whose_text_changed(tmp_path, monkeypatch):
    """The national downloads are .gz files (tasks, assignments, each province's CSV): a republish after editing one
    plan compresses again those its tasks are in, and leaves the others as they are, with the bytes a full build
    writes. A file changed on disk since is made again."""
    import gzip

    from generator import files
    record, out = tmp_path / ".docs.gz", tmp_path / "docs"
    texts = {"a.csv.gz": "id,text\n1,Sở Nội vụ\n" * 200, "b.csv.gz": "id,text\n2,Văn phòng UBND tỉnh\n" * 200}
    compressed: list[str] = []
    real = files.gzipped
    monkeypatch.setattr(files, "gzipped", lambda text, level=6: (compressed.append(text), real(text, level))[1])

    def build(texts: dict[str, str]) -> None:
        writer = files.GzipWriter(record)
        for name, text in texts.items():
            writer.write(name, out / name, text)
        writer.save()

    build(texts)
    assert len(compressed) == 2
    for name, text in texts.items():
        assert (out / name).read_bytes() == real(text) and gzip.decompress((out / name).read_bytes()).decode() == text
    build(texts)
    assert len(compressed) == 2, "an unchanged text was compressed again"
    texts["a.csv.gz"] += "3,Sở Tư pháp\n"
    build(texts)
    assert compressed[2:] == [texts["a.csv.gz"]] and (out / "a.csv.gz").read_bytes() == real(texts["a.csv.gz"])
    (out / "b.csv.gz").write_bytes(b"not what the build wrote")
    build(texts)
    assert compressed[3:] == [texts["b.csv.gz"]] and (out / "b.csv.gz").read_bytes() == real(texts["b.csv.gz"])


def test_a_render_after_removing_a_task_renders_again_only_the_rows_and_pages_that_showed_it(tmp_path, monkeypatch):
    """Adding or removing a task changes the corpus' counts (the home page shows them): that alone must not render
    again every row and page (a maintainer adding a plan would wait for a full render). Only what showed the task
    is made again; the docs are a render from nothing's."""
    from generator.site.render import TaskRows
    content, docs = tiny_content(tmp_path, monkeypatch)
    rows: list[str] = []
    original = TaskRows._render
    monkeypatch.setattr(TaskRows, "_render", lambda self, view, *a: (rows.append(view["uid"]), original(self, view, *a))[1])
    first = render_counting(content, docs, monkeypatch)
    assert rows
    plan = content / PLAN
    text = plan.read_text(encoding="utf-8")
    gone = text[text.index("  - id: t-1.3\n"):]
    assert "Sở Y tế" in gone and text.endswith(gone)
    plan.write_text(text[:-len(gone)], encoding="utf-8")
    rows.clear()
    again = render_counting(content, docs, monkeypatch)
    assert rows == [], "rows of unchanged tasks were rendered again"
    # criterion 1.1's and field 1's tasks in the province: not the one removed (it has neither)
    for listing in ("tieu-chi/1.1/quang-binh/index.md", "linh-vuc/1/quang-binh/index.md"):
        assert listing in first and listing not in again and (docs / listing).is_file()
    assert "index.md" in again and f"ke-hoach/{Path(PLAN).stem}/index.md" in again
    assert len(again) < len(first) / 2
    fresh = tmp_path / "fresh" / "docs"
    render_counting(content, fresh, monkeypatch)
    assert tree_hashes(docs) == tree_hashes(fresh)


def test_the_pages_do_not_wait_for_the_downloads_process_to_read_what_it_is_given(tmp_path, monkeypatch):
    """The render gives the downloads' process where the tasks are, then the charts, through a pipe. That process
    reads each only when it has finished what it was doing; when what is given is more than a pipe holds (a
    national corpus' charts), the pages used to wait for it (25 s) before they could be written. Here that process
    is held in the finder's data until the pages have started to be written, and what it is given is made larger
    than a pipe: the pages must not wait, and the docs are those of a render that was not held."""
    import time as clock
    import generator.site.permalinks as P
    import generator.site.render as R
    import generator.site.search as S
    content, docs = tiny_content(tmp_path, monkeypatch)
    render_counting(content, tmp_path / "alone" / "docs", monkeypatch)
    started, gave_up = tmp_path / "pages-started", tmp_path / "held-too-long"
    real_finder, real_pages, real_placements = S.write_finder_data, R.write_pages, P.placements

    def held_finder(*args, **kwargs):            # (in the downloads' process)
        deadline = clock.monotonic() + 20
        while not started.exists():
            if clock.monotonic() > deadline:
                gave_up.touch()
                break
            clock.sleep(0.05)
        return real_finder(*args, **kwargs)

    def pages_started(*args, **kwargs):
        started.touch()
        return real_pages(*args, **kwargs)

    def large_placements():                       # ids no object has (negative): nothing is placed differently
        plan_parts, source_parts = real_placements()
        return {**plan_parts, **{-k: {-k: 1} for k in range(1, 20_000)}}, source_parts
    monkeypatch.setattr(S, "write_finder_data", held_finder)
    monkeypatch.setattr(R, "write_pages", pages_started)
    monkeypatch.setattr(P, "placements", large_placements)
    render_counting(content, docs, monkeypatch)
    assert started.exists() and not gave_up.exists(), "the pages waited for the downloads' process to read"
    assert tree_hashes(docs) == tree_hashes(tmp_path / "alone" / "docs")


def test_what_the_render_did_not_produce_is_removed_from_the_docs_and_so_are_the_folders_it_empties(tmp_path):
    from generator.site.render import remove_stale
    docs = tmp_path / "docs"
    for rel in ("index.md", "ke-hoach/a/index.md", "ke-hoach/b/index.md", "ke-hoach/b/trang-2/index.md",
                "data/x.csv", "old/deep/er/page.md", ".hidden"):
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(rel, encoding="utf-8")
    (docs / "empty" / "folder").mkdir(parents=True)
    remove_stale(docs, {"index.md", "ke-hoach/a/index.md", "ke-hoach/b/trang-2/index.md", "data/x.csv"})
    left = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*"))
    assert left == ["data", "data/x.csv", "index.md", "ke-hoach", "ke-hoach/a", "ke-hoach/a/index.md", "ke-hoach/b",
                    "ke-hoach/b/trang-2", "ke-hoach/b/trang-2/index.md"]
    assert docs.is_dir()
    remove_stale(docs, set())          # nothing produced: an empty docs folder, still there
    assert list(docs.iterdir()) == [] and docs.is_dir()
