"""A build keeps what loading each content file gave, so a republish parses only what changed (issue 15);
an edited file is always read again, even one of the same size, and a file with a problem is never kept."""
from __future__ import annotations

import shutil
from pathlib import Path

from tiny_project import BASE_CONTENT, PLAN

from generator.content.load import load_content


def load(content: Path, cache: Path):
    problems: list = []
    raw = load_content(content, problems, cache)
    return raw, problems


def test_an_edited_plan_is_read_again_even_at_the_same_size(tmp_path):
    content, cache = tmp_path / "content", tmp_path / "cache"
    shutil.copytree(BASE_CONTENT, content)
    raw, problems = load(content, cache)
    assert problems == [] and len(list(cache.iterdir())) == len(raw.plans) + len(raw.agencies) + len(raw.criteria) + 2
    plan = content / PLAN
    text = plan.read_text(encoding="utf-8")
    assert "Tuyên truyền CCHC." in text
    plan.write_text(text.replace("Tuyên truyền CCHC.", "Tuyên truyền CCHX."), encoding="utf-8")   # same length
    raw, problems = load(content, cache)
    tasks = [t["text"] for t in raw.plans[0].data["tasks"]]
    assert "Tuyên truyền CCHX." in tasks and "Tuyên truyền CCHC." not in tasks
    # the record of the plan as it was is gone; one record per file remains
    assert len(list(cache.iterdir())) == len(raw.plans) + len(raw.agencies) + len(raw.criteria) + 2


def test_a_file_with_a_problem_is_reported_on_every_build(tmp_path):
    content, cache = tmp_path / "content", tmp_path / "cache"
    shutil.copytree(BASE_CONTENT, content)
    plan = content / PLAN
    plan.write_text(plan.read_text(encoding="utf-8") + "\nid: twice\n", encoding="utf-8")
    for _ in range(2):
        raw, problems = load(content, cache)
        assert any(p.file.endswith(PLAN) and "given twice" in p.message for p in problems), problems


def test_an_unchanged_file_is_not_parsed_again_and_gives_the_same_data_and_lines(tmp_path, monkeypatch):
    import generator.content.load as load_module
    content, cache = tmp_path / "content", tmp_path / "cache"
    shutil.copytree(BASE_CONTENT, content)
    first, _ = load(content, cache)

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed again")
    monkeypatch.setattr(load_module, "load_yaml", no_parsing)
    again, problems = load(content, cache)
    assert problems == []
    assert [(f.rel, f.data, f.lines) for f in first.plans] == [(f.rel, f.data, f.lines) for f in again.plans]
    assert [(f.rel, f.data) for f in first.agencies] == [(f.rel, f.data) for f in again.agencies]
