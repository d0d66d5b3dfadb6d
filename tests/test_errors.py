"""Bad input gives a message a maintainer can act on: file, line, field, what was expected; never a traceback.

The corpus is tests/bad_inputs/: ``base/content`` is a tiny valid content directory; every other folder is one
case: files under its ``content/`` replace or add files of the base (``remove.txt`` lists base files to delete),
and ``expected.txt`` is exactly what `python -m generator validate` prints: the problems (stderr, exit 1), or
the ``ok:`` line (stdout, exit 0) for inputs that must be accepted (a BOM, CRLF line ends, NFD text).
"""
from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from conftest import ROOT, run_generator, run_main

CORPUS = Path(__file__).parent / "bad_inputs"
BASE = CORPUS / "base" / "content"
PLAN = "plans/thu-nghiem-1-kh-ubnd-2021.yml"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and p.name != "base")
# file:line: field: message (a whole-file problem names no field; a missing or oversized file no line)
MESSAGE = re.compile(r"^content/[\w./-]+\.(yml|txt)(:\d+)?: .+$")


def content_for(case: str | None, dest: Path) -> Path:
    content = dest / "content"
    shutil.copytree(BASE, content)
    if case is not None:
        overlay = CORPUS / case / "content"
        if overlay.exists():
            shutil.copytree(overlay, content, dirs_exist_ok=True)
        removals = CORPUS / case / "remove.txt"
        if removals.exists():
            for rel in removals.read_text().split():
                (content / rel).unlink()
    return content


AS_OF = "2026-01-15"      # the build's declared date: what "in the future" means in the expected messages


def validate(content: Path):
    """What `python -m generator --content <content> validate` prints, run in this process (conftest.run_main):
    the command line itself is run by test_the_base_fixture_is_valid and test_a_fifo_is_refused_not_waited_for."""
    return run_main("--content", str(content), "validate", env={"PORTAL_AS_OF": AS_OF})


def test_the_base_fixture_is_valid(tmp_path):
    result = run_generator("--content", str(content_for(None, tmp_path)), "validate", timeout=60, env={"PORTAL_AS_OF": AS_OF})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok: 1 plans, 3 tasks, 4 agencies, 3 criteria"


@pytest.mark.parametrize("case", CASES)
def test_bad_input_gives_the_expected_message(case, tmp_path):
    expected = (CORPUS / case / "expected.txt").read_text()
    result = validate(content_for(case, tmp_path))
    assert "Traceback" not in result.stderr + result.stdout
    if expected.startswith("ok:"):
        assert result.returncode == 0, result.stderr
        assert result.stdout == expected
        return
    assert result.returncode == 1
    assert result.stderr == expected
    *messages, summary = result.stderr.splitlines()
    assert summary == f"{len(messages)} problem(s) found; nothing was published."
    for line in messages:
        assert MESSAGE.match(line), line


def test_every_problem_of_every_file_is_reported_in_one_run(tmp_path):
    lines = (CORPUS / "many-problems-in-one-run" / "expected.txt").read_text().splitlines()
    files = {line.split(":")[0] for line in lines[:-1]}
    assert files == {"content/plans/thu-nghiem-1-kh-ubnd-2021.yml", "content/registry/criteria/par-index.yml",
                     "content/registry/fields.yml"}
    assert len(lines) - 1 == 5


def test_misspelt_agency_names_file_line_field_and_suggestion(tmp_path):
    expected = (CORPUS / "unknown-agency" / "expected.txt").read_text()
    assert ('content/plans/thu-nghiem-1-kh-ubnd-2021.yml:56: tasks[2].lead[0]: unknown agency "Sở Y te"; '
            'did you mean "Sở Y tế"?') in expected


def test_bom_and_crlf_keep_line_numbers_right():
    for case in ("bom-with-error", "crlf-with-error"):
        raw = next((CORPUS / case / "content" / "plans").glob("*.yml")).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") or b"\r\n" in raw
        line = next(i for i, x in enumerate(raw.decode("utf-8-sig").splitlines(), 1) if "Sở Y te\"" in x)
        assert f"yml:{line}: tasks[2].lead[0]" in (CORPUS / case / "expected.txt").read_text()


def test_nfd_text_is_normalised_not_rejected(tmp_path):
    import sys
    sys.path.insert(0, str(ROOT))
    from generator.content.load import load_content
    content = content_for("nfd-normalised", tmp_path)
    raw_text = (content / PLAN).read_text()
    assert raw_text != unicodedata.normalize("NFC", raw_text)        # the file really is decomposed
    problems: list = []
    loaded = load_content(content, problems)
    assert problems == []
    plan = loaded.plans[0].data
    assert plan["tasks"][0]["lead"] == ["Sở Nội vụ"]                 # NFC, resolves like typed text
    assert unicodedata.is_normalized("NFC", plan["title"])


def test_the_load_cache_never_hides_a_text_problem_and_checks_a_kept_file_once(tmp_path, monkeypatch):
    """A build keeps what each content file gave (LoadCache) so that a republish reads again only what changed.
    A file whose texts hold a control character is never kept: every build reports it again. A clean file's
    texts are checked when it is read, and not again while it is unchanged."""
    import sys
    sys.path.insert(0, str(ROOT))
    from generator.content import load, strings
    content = content_for("control-characters", tmp_path)
    cache = tmp_path / "load-cache"
    for _ in range(2):
        problems: list = []
        load.load_content(content, problems, cache)
        assert sorted(f"{p.file}:{p.line}" for p in problems) == [
            "content/plans/thu-nghiem-1-kh-ubnd-2021.yml:33", "content/plans/thu-nghiem-1-kh-ubnd-2021.yml:48",
            "content/plans/thu-nghiem-1-kh-ubnd-2021.yml:58", "content/plans/thu-nghiem-1-kh-ubnd-2021.yml:9",
            "content/registry/agencies/core.yml:4"]
    checked: list[str] = []
    real = strings.check_strings
    monkeypatch.setattr(load, "check_strings", lambda loaded, problems: (checked.append(loaded.rel), real(loaded, problems)))
    load.load_content(content, [], cache)
    assert sorted(checked) == ["content/plans/thu-nghiem-1-kh-ubnd-2021.yml", "content/registry/agencies/core.yml"]


def test_a_very_large_file_is_refused_with_its_size(tmp_path):
    content = content_for(None, tmp_path)
    plan = content / PLAN
    filler = "".join(f"  # dòng chú thích {i} " + "x" * 80 + "\n" for i in range(60_000))
    plan.write_text(plan.read_text() + filler)
    size = plan.stat().st_size
    assert size > 5_000_000
    result = validate(content)
    assert result.returncode == 1
    assert result.stderr == (f"content/{PLAN}: file is {size:,} bytes; the limit is 5,000,000 bytes "
                             "(split the plan or check the file)\n1 problem(s) found; nothing was published.\n")


def test_a_file_that_cannot_be_read_is_reported(tmp_path):
    content = content_for(None, tmp_path)
    (content / "plans" / "thu-muc.yml").mkdir()       # a directory where a file is expected
    result = validate(content)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("content/plans/thu-muc.yml: cannot read the file: Is a directory\n")


def test_a_bad_declared_build_date_is_a_clean_error(tmp_path):
    content = content_for(None, tmp_path)
    result = run_generator("--content", str(content), "render", "--docs", str(tmp_path / "docs"), "--quiet",
                           env={"PORTAL_AS_OF": "31/12/2026"})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith('PORTAL_AS_OF: expected a date such as 2026-12-31, found "31/12/2026"')


def test_a_failed_validation_leaves_the_published_site_untouched(tmp_path):
    """`build` stops before anything is written when the content is bad."""
    content = content_for("unknown-agency", tmp_path)
    site = tmp_path / "site"
    result = run_generator("--content", str(content), "build", "--docs", str(tmp_path / "docs"), "--site", str(site), "--quiet")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert not site.exists() and not (tmp_path / ".site-builds").exists()


# Content files are regular files inside content/ (issue 11, item 4): a link to a file of the build machine,
# a device or a FIFO is refused before anything is read from it, never published, never a hang.

SOURCE = "sources/thu-nghiem-1-kh-ubnd-2021.txt"


def test_a_symbolic_link_to_a_file_outside_content_is_refused(tmp_path):
    content = content_for(None, tmp_path)
    secret = tmp_path / "machine-secret.txt"
    secret.write_text((content / SOURCE).read_text() + "root:x:0:0:BI-MAT-CUA-MAY:/root:/bin/bash\n")
    (content / SOURCE).unlink()
    (content / SOURCE).symlink_to(secret)
    result = validate(content)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr == (
        f"content/{SOURCE}: is a symbolic link (to {secret}); content files must be regular files inside content/ "
        "(copy the file in)\n1 problem(s) found; nothing was published.\n")
    assert "BI-MAT-CUA-MAY" not in result.stderr + result.stdout


def test_a_link_to_a_device_is_refused_without_reading_it(tmp_path):
    content = content_for(None, tmp_path)
    (content / "sources" / "vo-tan.txt").symlink_to("/dev/zero")
    result = validate(content)     # reading /dev/zero would never end
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr == ("content/sources/vo-tan.txt: is a symbolic link (to /dev/zero); content files must be regular "
                             "files inside content/ (copy the file in)\n1 problem(s) found; nothing was published.\n")


def test_a_fifo_is_refused_not_waited_for(tmp_path):
    import os
    content = content_for(None, tmp_path)
    os.mkfifo(content / "plans" / "ong-dan.yml")
    result = run_generator("--content", str(content), "validate", timeout=30)   # a read of a FIFO waits for a writer
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr == ("content/plans/ong-dan.yml: is a named pipe (FIFO); content files must be regular files "
                             "inside content/ (copy the file in)\n1 problem(s) found; nothing was published.\n")


def test_a_linked_folder_cannot_bring_in_files_from_outside_content(tmp_path):
    content = content_for(None, tmp_path)
    outside = tmp_path / "ngoai"
    (content / "sources").rename(outside)
    (content / "sources").symlink_to(outside)
    result = validate(content)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr == (f"content/{SOURCE}: lies outside content/ (at {outside / SOURCE.split('/')[1]}) "
                             "through a linked folder; content files must be regular files inside content/ (copy the file in)"
                             "\n1 problem(s) found; nothing was published.\n")


def test_the_size_limit_is_checked_before_reading(tmp_path, monkeypatch):
    """A file far over the limit is refused from its size alone: no byte of it is read."""
    import sys
    sys.path.insert(0, str(ROOT))
    from generator.content import load
    content = content_for(None, tmp_path)
    huge = content / "sources" / "rat-lon.txt"
    with open(huge, "wb") as f:
        f.truncate(50 * 1024 ** 3)        # 50 GB, sparse: takes no disk
    read_sizes: list[int] = []
    real_read = load.os.read
    monkeypatch.setattr(load.os, "read", lambda fd, n: read_sizes.append(n) or real_read(fd, n))
    problems: list = []
    load.load_content(content, problems)
    assert [str(p) for p in problems] == [
        "content/sources/rat-lon.txt: file is 53,687,091,200 bytes; the limit is 5,000,000 bytes (split the plan or check the file)"]
    assert all(n <= load.MAX_FILE_BYTES + 1 for n in read_sizes)


@pytest.mark.parametrize("url, accepted", [
    ("https://tinh.gov.vn/van-ban/1", True), ("HTTP://Tinh.gov.vn/bao-cao?so=1#trang-2", True),
    ("javascript:alert(1)", False), (" javascript:alert(1)", False), ("JaVaScRiPt:alert(1)", False),
    ("java\tscript:alert(1)", False), ("java\nscript:alert(1)", False), ("\x01javascript:alert(1)", False),
    ("data:text/html;base64,PHNjcmlwdD4=", False), ("vbscript:msgbox(1)", False), ("file:///etc/passwd", False),
    ("//tinh.gov.vn/x", False), ("/ke-hoach/", False), ("https:///duong-dan", False), ("https://tinh.gov.vn/a b", False),
    ("https://[::1", False), ("https:\\\\tinh.gov.vn", False),
])
def test_only_absolute_web_addresses_pass_as_urls(url, accepted):
    """status.url (issue 11, item 2): a link a reader clicks runs no script, whatever the spelling of the scheme."""
    import sys
    sys.path.insert(0, str(ROOT))
    from pydantic import ValidationError
    from generator.content.schema import Status
    status = {"state": "done", "evidence": "Báo cáo", "as_of": __import__("datetime").date(2022, 1, 1), "url": url}
    if accepted:
        assert Status.model_validate(status).url == url
    else:
        with pytest.raises(ValidationError, match="expected an absolute http:// or https:// address"):
            Status.model_validate(status)


# Source fidelity (issue 11, item 7): a lead or support that the task's own lines do not name must stand in the
# heading it inherits from, and that heading's lines are in the content (its group's lines, or assigned_by).

def _edit_source_line(content: Path, n: int, text: str) -> None:
    source = content / SOURCE
    lines = source.read_text().split("\n")
    lines[n - 1] = text
    source.write_text("\n".join(lines))


def test_an_assignment_inherited_from_the_group_heading_is_accepted_and_needs_that_heading(tmp_path):
    content = content_for(None, tmp_path)
    _edit_source_line(content, 10, "1. Công tác chỉ đạo, điều hành (Sở Nội vụ phối hợp thực hiện các nhiệm vụ sau)")
    plan = content / PLAN
    plan.write_text(plan.read_text().replace("    support: []\n", '    support: ["Sở Nội vụ"]\n'))
    assert validate(content).returncode == 0          # task 1.2 inherits "Sở Nội vụ" from its group's line 10
    plan.write_text(plan.read_text().replace("    group: ii-1\n    text: Kiểm tra", "    group: null\n    text: Kiểm tra"))
    result = validate(content)                        # without the group, nothing in the content says where it comes from
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f'content/{PLAN}:47: tasks[1].support[0]: "Sở Nội vụ" is not written in the task\'s '
                                    "source lines 12-12 nor in a heading it inherits from")
    plan.write_text(plan.read_text().replace("    lines: [12, 12]\n", "    lines: [12, 12]\n    assigned_by: [10, 10]\n"))
    assert validate(content).returncode == 0          # the heading's lines recorded on the task itself


def test_invented_text_after_the_first_words_of_a_real_task_is_refused(tmp_path):
    """The issue's attack on the real content: the first four words kept, the rest invented; a lead changed."""
    project = tmp_path / "p"
    shutil.copytree(ROOT / "content", project / "content")
    path = project / "content" / "plans" / "quang-binh-1886-kh-ubnd-2021.yml"
    import yaml
    data = yaml.safe_load(path.read_text())
    task = data["tasks"][5]
    task["text"] = " ".join(task["text"].split()[:4]) + " và chi 5 tỷ đồng mua xe công vụ"
    task["lead"] = ["Sở Tài chính"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    result = validate(project / "content")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    messages = result.stderr.splitlines()
    assert any(re.match(r'content/plans/quang-binh-1886-kh-ubnd-2021\.yml:\d+: tasks\[5\]\.text: ".* và chi 5 tỷ đồng mua xe '
                        r'công vụ" is not written in the task\'s source lines \d+-\d+; nearest source line \d+: ', m) for m in messages)
    assert any(m.startswith("content/plans/quang-binh-1886-kh-ubnd-2021.yml:") and 'tasks[5].lead[0]: "Sở Tài chính" is not '
               "written in the task's source lines" in m for m in messages)
    assert messages[-1] == "2 problem(s) found; nothing was published."
