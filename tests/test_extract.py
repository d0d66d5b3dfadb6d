"""`python -m generator extract`: drafts that validate, no overwriting, unplaced lines reported, cells kept in place."""
from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, copy_project, run_generator

SOURCES = sorted((ROOT / "content" / "sources").glob("*.txt"))


def curated_plan_for(source: Path) -> Path:
    for plan in sorted((ROOT / "content" / "plans").glob("*.yml")):
        if yaml.safe_load(plan.read_text(encoding="utf-8"))["source"]["file"] == source.name:
            return plan
    raise AssertionError(f"no curated plan uses {source.name}")


def extract_to(source: Path, out: Path, *extra: str, cwd: Path = ROOT):
    result = run_generator("extract", str(source), "-o", str(out), *extra, cwd=cwd, timeout=120)
    draft = yaml.safe_load(out.read_text(encoding="utf-8")) if result.returncode == 0 else None
    return result, draft


def task_starting(draft: dict, words: str) -> dict:
    found = [t for t in draft["tasks"] if t["text"].startswith(words)]
    assert len(found) == 1, f"expected one task starting {words!r}, found {len(found)}"
    return found[0]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_draft_of_each_source_validates_in_place_of_the_curated_plan(source, tmp_path):
    project = copy_project(tmp_path / "project")
    draft_file = tmp_path / "draft.yml"
    result, draft = extract_to(source, draft_file)
    assert result.returncode == 0, result.stderr
    assert len(draft["tasks"]) >= 50
    (project / "content" / "plans" / curated_plan_for(source).name).unlink()
    shutil.copy(draft_file, project / "content" / "plans" / f"{draft['id']}.yml")
    check = run_generator("--content", str(project / "content"), "validate", cwd=project, timeout=120)
    assert check.returncode == 0, check.stderr[-3000:]
    assert check.stdout.startswith("ok: 5 plans")


def test_refuses_to_overwrite_without_force(tmp_path):
    project = copy_project(tmp_path / "project")
    source = ROOT / "content" / "sources" / "quang-binh-1886-kh-ubnd-2021.txt"
    curated = project / "content" / "plans" / "quang-binh-1886-kh-ubnd-2021.yml"
    before = curated.read_bytes()
    # default output path: content/plans/<derived id>.yml, which is the curated file
    result = run_generator("--content", str(project / "content"), "extract", str(source), cwd=project, timeout=120)
    assert result.returncode == 2
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert "Traceback" not in result.stderr
    assert curated.read_bytes() == before
    # -o an existing file: refused too; --force replaces it
    other = tmp_path / "mine.yml"
    other.write_bytes(b"# my notes\n")
    result, _ = extract_to(source, other)
    assert result.returncode == 2 and other.read_bytes() == b"# my notes\n"
    result, draft = extract_to(source, other, "--force")
    assert result.returncode == 0 and draft["id"] == "quang-binh-1886-kh-ubnd-2021"


def test_stdout_output_and_shape_summary(tmp_path):
    source = ROOT / "content" / "sources" / "binh-dinh-3809-qd-ubnd-2021.txt"
    result = run_generator("extract", str(source), "-o", "-", timeout=120)
    assert result.returncode == 0, result.stderr
    draft = yaml.safe_load(result.stdout)
    assert draft["number"] == "3809/QĐ-UBND" and draft["province"] == "binh-dinh"
    assert str(draft["issued"]) == "2021-09-14" and draft["signer"] == "Nguyễn Phi Long"
    assert "pipe table 40" in result.stderr


SMALL_PLAN = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG BÌNH

Số: 12/KH-UBND

Quảng Bình, ngày 5 tháng 3 năm 2022

KẾ HOẠCH

Cải cách hành chính năm 2022

I. MỤC ĐÍCH, YÊU CẦU

- Nâng cao chất lượng phục vụ.

II. NHIỆM VỤ

1. Sở Nội vụ

- Tham mưu kế hoạch kiểm tra công tác cải cách hành chính trước ngày 15/4/2022.

(Chi tiết xem phụ lục riêng)

2. Ban Chỉ đạo 389 tỉnh

- Kiểm tra việc chấp hành quy định.

III. TỔ CHỨC THỰC HIỆN

Các sở, ban, ngành báo cáo kết quả định kỳ.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Trần Văn A
"""


def test_small_narrative_plan_reports_unplaced_lines_and_unresolved_names(tmp_path):
    source = tmp_path / "small-plan.txt"
    source.write_text(SMALL_PLAN, encoding="utf-8")
    result, draft = extract_to(source, tmp_path / "out.yml")
    assert result.returncode == 0, result.stderr
    line = SMALL_PLAN.split("\n").index("(Chi tiết xem phụ lục riêng)") + 1
    assert f"small-plan.txt:{line}: not placed: (Chi tiết xem phụ lục riêng)" in result.stderr
    assert "1 unplaced line(s)" in result.stderr
    assert draft["id"] == "quang-binh-12-kh-ubnd-2022" and draft["signer"] == "Trần Văn A"
    first = task_starting(draft, "Tham mưu kế hoạch kiểm tra")
    assert first["lead"] == ["Sở Nội vụ"] and first["deadline"] == "trước ngày 15/4/2022"
    second = task_starting(draft, "Kiểm tra việc chấp hành")
    assert second["lead"] == [{"name": "Ban Chỉ đạo 389 tỉnh", "unresolved": True}]
    assert second["deadline"] is None and second["output"] is None


@pytest.fixture(scope="module")
def quang_ninh(tmp_path_factory):
    out = tmp_path_factory.mktemp("qn") / "qn.yml"
    result, draft = extract_to(ROOT / "content" / "sources" / "quang-ninh-131-ctr-ubnd-2021.txt", out)
    assert result.returncode == 0, result.stderr
    return draft


def test_empty_lead_cell_stays_empty(quang_ninh):
    # appendix row 15: the lead cell is an empty cell (a no-break space); the support must not move into it
    task = task_starting(quang_ninh, "Phấn đấu trong 05 năm tới có ít nhất 10.000 doanh nghiệp")
    assert task["lead"] == []
    assert task["support"] == ["Các sở, ban, ngành", "UBND các địa phương cấp huyện"]
    assert task["deadline"] == "Năm 2025"
    assert task["note"] is None


def test_table_cells_do_not_shift_columns(tmp_path, quang_ninh):
    # Quảng Ninh, row 14: lead and support as the columns give them (a district lead, a department supports)
    task = task_starting(quang_ninh, "Có các mô hình đô thị thông minh")
    assert (task["lead"], task["support"], task["deadline"]) == (
        ["UBND các huyện, thị xã thành phố"], ["Sở Thông tin và Truyền thông"], "Năm 2025")
    # Quảng Bình, one cell per line: row 1.3.2
    result, qb = extract_to(ROOT / "content" / "sources" / "quang-binh-1886-kh-ubnd-2021.txt", tmp_path / "qb.yml")
    assert result.returncode == 0, result.stderr
    task = task_starting(qb, "Xử lý các vấn đề phát hiện qua kiểm tra")
    assert (task["lead"], task["support"], task["deadline"]) == (
        ["Sở Nội vụ"], ["Các đơn vị được kiểm tra"], "Quý IV/2021 và các năm tiếp theo")
    # a bullet row whose support cell is empty keeps both lead lines in the lead
    task = task_starting(qb, "Công khai kịp thời, đầy đủ TTHC")
    assert task["support"] == []
    assert task["lead"] == ["Các cơ quan, đơn vị giải quyết TTHC các cấp", "Trung tâm Hành chính công tỉnh",
                            "Bộ phận một cửa các cấp"]
    # Bình Định, cells ending with "|": the lead is another agency than usual, the output and deadline follow
    result, bd = extract_to(ROOT / "content" / "sources" / "binh-dinh-3809-qd-ubnd-2021.txt", tmp_path / "bd.yml")
    task = task_starting(bd, "Quy trình giải quyết nhóm thủ tục hành chính liên thông")
    assert (task["lead"], task["support"], task["output"], task["deadline"]) == (
        ["Các cơ quan có liên quan"], ["Văn phòng UBND tỉnh"], "Quyết định phê duyệt của UBND tỉnh",
        "Theo chỉ đạo của UBND tỉnh")


def test_nfd_input_gives_nfc_output(tmp_path, quang_ninh):
    text = (ROOT / "content" / "sources" / "quang-ninh-131-ctr-ubnd-2021.txt").read_text(encoding="utf-8")
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    source = tmp_path / "quang-ninh-131-ctr-ubnd-2021.txt"
    source.write_text(nfd, encoding="utf-8")
    out = tmp_path / "nfd.yml"
    result, draft = extract_to(source, out)
    assert result.returncode == 0, result.stderr
    written = out.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", written)
    assert [t["text"] for t in draft["tasks"]] == [t["text"] for t in quang_ninh["tasks"]]
    assert [t["lead"] for t in draft["tasks"]] == [t["lead"] for t in quang_ninh["tasks"]]


def test_missing_source_and_unknown_province_are_reported_without_traceback(tmp_path):
    result = run_generator("extract", str(tmp_path / "nope.txt"), "-o", "-")
    assert result.returncode == 1 and "no such file" in result.stderr and "Traceback" not in result.stderr
    source = tmp_path / "p.txt"
    source.write_text(SMALL_PLAN, encoding="utf-8")
    result = run_generator("extract", str(source), "-o", "-", "--province", "quang-bnh")
    assert result.returncode == 1 and 'unknown province "quang-bnh"' in result.stderr and "quang-binh" in result.stderr


# ----------------------------------------------------------------------------------------------------------
# Shapes of real texts, on small synthetic snippets (read through the library: no subprocess per shape)

from generator.extract import extract_text  # noqa: E402
from generator.extract.names import load_registry  # noqa: E402

REGISTRY = load_registry(ROOT / "content")


def draft_of(text: str, name: str = "snippet.txt", **kw) -> dict:
    return yaml.safe_load(extract_text(text, name, REGISTRY, **kw).yaml_text)


WRAPPED_HEAD = """|
**ỦY BAN NHÂN DÂN**
TỈNH QUẢNG BÌNH
-------
|
**CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
|
Số:
2820/QĐ-UBND
|
*Quảng Bình, ngày 20
tháng 11 năm 2025*
|

**KẾ HOẠCH**

TRIỂN KHAI NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH
NĂM 2026

"""
SIGNATURE = """
|
**Nơi nhận:**
- Như trên;
- Lưu: VT.
|
**KT. CHỦ TỊCH
**PHÓ CHỦ TỊCH
**Nguyễn Văn Bình**
|
"""


def test_metadata_wrapped_across_lines_and_under_emphasis_is_read():
    draft = draft_of(WRAPPED_HEAD + "Nội dung chung của văn bản.\n" + SIGNATURE)
    assert draft["number"] == "2820/QĐ-UBND"
    assert str(draft["issued"]) == "2025-11-20"
    assert draft["type"] == "Kế hoạch"
    assert draft["title"].casefold() == "triển khai nhiệm vụ cải cách hành chính năm 2026"
    assert draft["signer"] == "Nguyễn Văn Bình"
    assert draft["province"] == "quang-binh"
    assert draft["issuer"] == "Ủy ban nhân dân tỉnh Quảng Bình"


def test_metadata_only_text_gives_a_draft_that_says_no_task_was_found(tmp_path):
    source = tmp_path / "metadata-only.txt"
    source.write_text(WRAPPED_HEAD + "Văn bản này chưa có phần nhiệm vụ.\n" + SIGNATURE, encoding="utf-8")
    out = tmp_path / "draft.yml"
    result = run_generator("extract", str(source), "-o", str(out), timeout=120)
    assert result.returncode == 0, result.stderr
    assert "no task found" in result.stderr and "Traceback" not in result.stderr
    written = out.read_text(encoding="utf-8")
    assert "KIỂM TRA: no task found" in written
    draft = yaml.safe_load(written)
    assert draft["tasks"] == [] and draft["number"] == "2820/QĐ-UBND" and draft["signer"] == "Nguyễn Văn Bình"


def test_markdown_emphasis_does_not_hide_headings():
    text = WRAPPED_HEAD + """**I. MỤC ĐÍCH, YÊU CẦU**

Nâng cao chất lượng phục vụ người dân.

**II. NHIỆM VỤ,
GIẢI PHÁP**

**1. Sở Nội vụ**

- Tham mưu kế hoạch kiểm tra công tác cải cách hành chính trước ngày 15/4/2026.

## 2. Sở Tư pháp

- Rà soát văn bản quy phạm pháp luật của tỉnh.
""" + SIGNATURE
    draft = draft_of(text)
    tasks = {t["text"]: t for t in draft["tasks"]}
    first = tasks["Tham mưu kế hoạch kiểm tra công tác cải cách hành chính trước ngày 15/4/2026."]
    assert first["lead"] == ["Sở Nội vụ"] and first["deadline"] == "trước ngày 15/4/2026"
    assert tasks["Rà soát văn bản quy phạm pháp luật của tỉnh."]["lead"] == ["Sở Tư pháp"]


def test_unknown_province_still_gives_a_draft_naming_what_was_considered(tmp_path):
    source = tmp_path / "p.txt"
    source.write_text(WRAPPED_HEAD.replace("TỈNH QUẢNG BÌNH", "TỈNH XANADU").replace("Quảng Bình, ngày", "Xanadu, ngày")
                      + "Nội dung.\n" + SIGNATURE, encoding="utf-8")
    out = tmp_path / "d.yml"
    result = run_generator("extract", str(source), "-o", str(out), timeout=120)
    assert result.returncode == 0, result.stderr
    assert '"Xanadu"' in result.stderr and "province not known" in result.stderr
    draft = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert draft["province"] is None and draft["number"] == "2820/QĐ-UBND"


def test_review_lists_the_marks_left_and_nothing_once_they_are_gone(tmp_path):
    text = WRAPPED_HEAD + """II. NHIỆM VỤ

1. Ban Chỉ đạo 389 tỉnh

- Kiểm tra việc chấp hành quy định trước ngày 15/4/202.
""" + SIGNATURE
    plan = tmp_path / "plan.yml"
    plan.write_text(extract_text(text, "s.txt", REGISTRY).yaml_text, encoding="utf-8")
    result = run_generator("review", str(plan), timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Ban Chỉ đạo 389 tỉnh" in result.stdout and "202" in result.stdout
    assert f"{plan}:" in result.stdout
    cleaned = "\n".join(line for line in plan.read_text(encoding="utf-8").split("\n") if "# KIỂM TRA" not in line)
    plan.write_text(cleaned.replace("{name: Ban Chỉ đạo 389 tỉnh, unresolved: true}", "Sở Nội vụ")
                    .replace("- name: Ban Chỉ đạo 389 tỉnh\n    unresolved: true", "- Sở Nội vụ"), encoding="utf-8")
    result = run_generator("review", str(plan), timeout=60)
    assert result.stdout == "" and "nothing left to check" in result.stderr
