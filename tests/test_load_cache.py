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


def _inferred(corpus) -> dict[str, list]:
    return {t.uid: [(i.criterion.code, i.score, i.words) for i in t.inferred] for t in corpus.tasks}


def test_the_inferred_criteria_lexicon_is_kept_and_built_again_when_the_coded_tasks_change(tmp_path, monkeypatch):
    """The lexicon of the inferred criteria is built from every coded task of the corpus; a build keeps it beside
    the load cache, so that a republish after an edit that leaves the coded tasks alone does not build it again.
    An edit to a coded task's words builds it again, and what is inferred is then what a build from nothing infers."""
    from conftest import ROOT

    from generator.cli import Progress, load_corpus
    from generator.content import criteria_inference as CI
    cache = tmp_path / "load-cache"
    kept = cache.with_name(cache.name + ".lexicon")
    first = load_corpus(ROOT / "content", Progress(quiet=True), cache)[1]
    inferred = _inferred(first)
    assert sum(1 for found in inferred.values() if found) > 100 and kept.is_file()
    built: list[int] = []
    real = CI.Lexicon.build.__func__
    monkeypatch.setattr(CI.Lexicon, "build", classmethod(lambda cls, *a: (built.append(1), real(cls, *a))[1]))
    again = load_corpus(ROOT / "content", Progress(quiet=True), cache)[1]
    assert built == [] and _inferred(again) == inferred
    # the words of coded tasks change: their pairs now weigh for other criteria
    for t in CI.coded_tasks(again):
        if t.criteria[0].code.startswith("7.2"):
            t.text += " Đào tạo kỹ năng cho cán bộ, công chức cấp xã."
    CI.infer_criteria(again, kept)
    assert built == [1]
    changed = _inferred(again)
    CI.infer_criteria(again, None)
    assert built == [1, 1] and changed == _inferred(again) and changed != inferred


def test_a_plan_whose_checks_passed_is_not_checked_again_until_it_or_the_registry_changes(tmp_path, monkeypatch):
    """Validate keeps the plans whose own checks (source fidelity, agencies, deadlines...) found nothing, by the
    identity of the plan, its source and every registry file: a republish checks only the edited plan. A plan with
    a problem is checked, and reported, on every build; a changed registry file checks every plan again."""
    from generator.cli import Progress, load_corpus
    from generator.content import validate as V
    from generator.problems import ContentError
    content, cache = tmp_path / "content", tmp_path / "cache"
    shutil.copytree(BASE_CONTENT, content)
    second = content / "plans" / "thu-nghiem-2-kh-ubnd-2021.yml"
    plan = content / PLAN
    text = plan.read_text(encoding="utf-8")
    second.write_text(text.replace("thu-nghiem-1-kh-ubnd-2021", "thu-nghiem-2-kh-ubnd-2021").replace("1/KH-UBND", "2/KH-UBND"),
                      encoding="utf-8")
    (content / "sources" / "thu-nghiem-2-kh-ubnd-2021.txt").write_text(
        (content / "sources" / "thu-nghiem-1-kh-ubnd-2021.txt").read_text(encoding="utf-8").replace("1/KH-UBND", "2/KH-UBND")
        + "\n", encoding="utf-8")
    checked: list[str] = []
    real = V._check_plan
    monkeypatch.setattr(V, "_check_plan", lambda loaded, *a, **k: (checked.append(loaded.rel), real(loaded, *a, **k))[1])

    def build() -> list[str]:
        checked.clear()
        load_corpus(content, Progress(quiet=True), cache)
        return sorted(checked)

    both = ["content/plans/thu-nghiem-1-kh-ubnd-2021.yml", "content/plans/thu-nghiem-2-kh-ubnd-2021.yml"]
    assert build() == both
    assert build() == []
    # an edit the checks refuse: the task's text is no longer its source's
    plan.write_text(text.replace("Tuyên truyền CCHC.", "Tuyên truyền CCHC rộng rãi."), encoding="utf-8")
    for _ in range(2):
        checked.clear()
        try:
            load_corpus(content, Progress(quiet=True), cache)
            raise AssertionError("the edit was accepted")
        except ContentError as exc:
            assert any("Tuyên truyền CCHC rộng rãi." in p.message for p in exc.problems)
        assert checked == [both[0]]
    plan.write_text(text, encoding="utf-8")
    assert build() == [both[0]]
    registry = sorted((content / "registry" / "agencies").glob("*.yml"))[0]
    registry.write_text(registry.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert build() == both


def test_a_first_load_is_shared_by_two_processes_and_gives_what_one_process_gives(tmp_path, monkeypatch):
    """A first build (nothing kept) parses half of the YAML in a second process, which keeps it; the files, their
    data and lines, and the problems in their order are those of a load by one process, and each problem is said
    once. Files with a problem (one of each half, whichever) are never kept and are said in their place."""
    import generator.config as config
    import generator.content.load as load_module
    content = tmp_path / "content"
    shutil.copytree(Path(__file__).resolve().parents[1] / "content", content)
    plans = sorted((content / "plans").glob("*.yml"))
    for bad in (plans[0], plans[-1]):
        bad.write_text(bad.read_text(encoding="utf-8") + "\nid: twice\n", encoding="utf-8")
    alone, said_alone = load(content, None)          # one process, nothing kept

    parsed: list[str] = []
    real = load_module.load_yaml

    def counted(path, *args, **kwargs):
        parsed.append(path.relative_to(content).as_posix())
        return real(path, *args, **kwargs)
    monkeypatch.setattr(load_module, "load_yaml", counted)
    monkeypatch.setattr(config, "SHARE_LOAD_BYTES", 0)
    shared, said_shared = load(content, tmp_path / "cache")
    everything = list(content.glob("registry/**/*.yml")) + plans
    # this process parsed its half (and the files with a problem the other could not keep), not everything
    assert 0 < len(parsed) < len(everything) and len(parsed) == len(set(parsed)), parsed
    assert [str(p) for p in said_shared] == [str(p) for p in said_alone] and len(said_alone) == 2
    for kind in ("plans", "agencies", "criteria"):
        assert [(f.rel, f.data, f.lines) for f in getattr(shared, kind)] == [(f.rel, f.data, f.lines) for f in getattr(alone, kind)]
    # everything without a problem was kept (by either process): a second build parses nothing but the two
    parsed.clear()
    again, said_again = load(content, tmp_path / "cache")
    assert sorted(parsed) == sorted(p.relative_to(content).as_posix() for p in (plans[0], plans[-1]))
    assert [(f.rel, f.data, f.lines) for f in again.plans] == [(f.rel, f.data, f.lines) for f in alone.plans]


def test_the_documents_a_source_text_cites_are_read_again_only_when_it_changes(tmp_path, monkeypatch):
    """Resolve keeps what each source text cites (KeptMentions) by the text's identity: a republish reads only an
    edited text again, and the cited documents (numbers, years, kinds, dates, which plan, line and task cites them)
    are those of a build that keeps nothing."""
    from generator.cli import Progress, load_corpus
    from generator.content import resolve as R
    content, cache = tmp_path / "content", tmp_path / "cache"
    shutil.copytree(Path(__file__).resolve().parents[1] / "content", content)
    read: list[int] = []
    real = R.find_mentions
    monkeypatch.setattr(R, "find_mentions", lambda lines: (read.append(len(lines)), real(lines))[1])

    def documents(kept: Path | None) -> list:
        read.clear()
        corpus = load_corpus(content, Progress(quiet=True), kept)[1]
        return [(d.id, d.number, d.year, d.kind, d.date, [(c.plan.id, c.line, c.written, c.task.uid if c.task else None)
                                                            for c in d.citations]) for d in corpus.documents]
    alone = documents(None)
    sources = len(list((content / "sources").glob("*.txt")))
    assert len(read) == sources and alone
    assert documents(cache) == alone and len(read) == sources
    assert documents(cache) == alone and read == []
    source = sorted((content / "sources").glob("*.txt"))[0]
    source.write_text(source.read_text(encoding="utf-8") + "\nCăn cứ Quyết định số 999/QĐ-UBND ngày 01/02/2020.\n",
                      encoding="utf-8")
    edited = documents(cache)
    assert len(read) == 1 and edited == documents(None) and edited != alone
    assert any(number == "999/QĐ-UBND" for _, number, *_ in edited)


def test_a_shared_load_reports_a_dangling_link_as_one_problem(tmp_path, monkeypatch):
    """A link to nothing among the plans, in a load shared by two processes: one problem naming it, as alone."""
    import generator.config as config
    content = tmp_path / "content"
    shutil.copytree(BASE_CONTENT, content)
    (content / "plans" / "mat-tich.yml").symlink_to(tmp_path / "nowhere.yml")
    alone, said_alone = load(content, None)
    monkeypatch.setattr(config, "SHARE_LOAD_BYTES", 0)
    shared, said_shared = load(content, tmp_path / "cache")
    assert [str(p) for p in said_shared] == [str(p) for p in said_alone]
    assert len(said_alone) == 1 and "mat-tich.yml" in said_alone[0].file
    assert [f.rel for f in shared.plans] == [f.rel for f in alone.plans]


def test_a_load_that_cannot_start_its_second_process_loads_everything_itself(tmp_path, monkeypatch):
    import multiprocessing.context
    import generator.config as config
    content = tmp_path / "content"
    shutil.copytree(Path(__file__).resolve().parents[1] / "content", content)
    alone, said = load(content, None)

    def refused(self):
        raise BlockingIOError(11, "Resource temporarily unavailable")
    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", refused)
    monkeypatch.setattr(config, "SHARE_LOAD_BYTES", 0)
    shared, said_shared = load(content, tmp_path / "cache")
    assert said == said_shared == []
    assert [(f.rel, f.data, f.lines) for f in shared.plans] == [(f.rel, f.data, f.lines) for f in alone.plans]
