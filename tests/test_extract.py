"""`python -m generator extract`: drafts that validate, no overwriting, unplaced lines reported, cells kept in place."""
from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, copy_project, run_generator, run_main

SOURCES = sorted((ROOT / "content" / "sources").glob("*.txt"))


def curated_plan_for(source: Path) -> Path:
    for plan in sorted((ROOT / "content" / "plans").glob("*.yml")):
        if yaml.safe_load(plan.read_text(encoding="utf-8"))["source"]["file"] == source.name:
            return plan
    raise AssertionError(f"no curated plan uses {source.name}")


def extract_to(source: Path, out: Path, *extra: str):
    """`python -m generator extract <source> -o <out>`, run in this process (conftest.run_main): the command line
    itself is run by test_stdout_output_and_shape_summary, test_refuses_to_overwrite_without_force and the README's
    steps (test_a_new_provinces_draft_validates_and_covers_its_text_as_the_readme_says)."""
    result = run_main("extract", str(source), "-o", str(out), *extra)
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
    check = run_main("--content", str(project / "content"), "validate")
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
    result = run_main("extract", str(tmp_path / "nope.txt"), "-o", "-")
    assert result.returncode == 1 and "no such file" in result.stderr and "Traceback" not in result.stderr
    source = tmp_path / "p.txt"
    source.write_text(SMALL_PLAN, encoding="utf-8")
    result = run_main("extract", str(source), "-o", "-", "--province", "quang-bnh")
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
    result = run_main("extract", str(source), "-o", str(out))
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
    result = run_main("extract", str(source), "-o", str(out))
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


# A plan body as the 2025 copies carry it: wrapped at about 80 characters, emphasis on headings.
WRAPPED_BODY = """**I. MỤC ĐÍCH, YÊU CẦU**

Bảo đảm triển khai đồng bộ, thống nhất các nhiệm vụ chuyển đổi số của tỉnh trong
năm 2026, gắn trách nhiệm người đứng đầu cơ quan, đơn vị với kết quả thực hiện
nhiệm vụ được giao và bảo đảm an toàn thông tin trong toàn bộ quá trình triển
khai.

**II. NHIỆM VỤ**

**1. Xây dựng cơ sở dữ liệu
dùng chung của tỉnh**

a) Nhiệm vụ: Rà soát, chuẩn hóa
và kết nối các cơ sở dữ liệu chuyên ngành với nền tảng dữ liệu dùng chung của
tỉnh, bảo đảm chia sẻ dữ liệu thông suốt giữa các cơ quan nhà nước.

b) Cơ quan thực hiện:

- Đơn vị chủ trì: Sở Khoa học và
Công nghệ.

- Đơn vị phối hợp: Các sở, ban,
ngành, Sở Tài chính.

c) Thời gian thực hiện: Hoàn
thành trong năm 2026.

**2. Bảo đảm an toàn thông tin**

- Nội dung thực hiện: Triển khai các
phương án bảo đảm an toàn thông tin cho các hệ thống thông tin của tỉnh theo
cấp độ đã được phê duyệt.

- Cơ quan chủ trì: Công an tỉnh, Sở
Khoa học và Công nghệ.

- Thời gian thực hiện: Thường xuyên.

**III. TỔ CHỨC THỰC HIỆN**

1. Sở Tài chính chủ trì, phối hợp
với Sở Nội vụ bố trí kinh phí thực hiện Kế hoạch theo quy định của pháp luật về
ngân sách nhà nước.

2. Giao Công an tỉnh chủ trì, phối hợp với Văn phòng UBND tỉnh tổ chức
kiểm tra việc bảo đảm an toàn thông tin, báo cáo UBND tỉnh trước ngày 15/12/2026.

Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị phản
ánh về Sở Khoa học và Công nghệ để tổng hợp, báo cáo UBND tỉnh xem xét./.
|
Đang tải nội dung, vui lòng chờ giây lát...
Địa chỉ: 17 Nguyễn Gia Thiều, Phường Võ Thị Sáu, TP. Hồ Chí Minh
"""


@pytest.fixture(scope="module")
def wrapped_draft():
    return draft_of(WRAPPED_HEAD + WRAPPED_BODY + SIGNATURE)


def task_with(draft: dict, words: str) -> dict:
    found = [t for t in draft["tasks"] if words in t["text"]]
    assert len(found) == 1, f"expected one task with {words!r}, found {len(found)}: {[t['text'] for t in draft['tasks']]}"
    return found[0]


def test_labelled_lines_give_the_fields_of_the_item_above_and_are_not_tasks(wrapped_draft):
    task = task_with(wrapped_draft, "Rà soát, chuẩn hóa và kết nối")
    assert task["text"].startswith("Rà soát, chuẩn hóa và kết nối các cơ sở dữ liệu")      # label "Nhiệm vụ:" off
    # "Sở Khoa học và\nCông nghệ": one agency, rejoined across the hard wrap
    assert task["lead"] == ["Sở Khoa học và Công nghệ"]
    assert task["support"] == ["Các sở, ban, ngành", "Sở Tài chính"]     # a group keeps its commas
    assert task["deadline"] == "Hoàn thành trong năm 2026"
    texts = " | ".join(t["text"] for t in wrapped_draft["tasks"])
    for label in ("Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian thực hiện", "Cơ quan thực hiện", "Cơ quan chủ trì"):
        assert label not in texts
    second = task_with(wrapped_draft, "Triển khai các phương án bảo đảm an toàn thông tin")
    assert second["lead"] == ["Công an tỉnh", "Sở Khoa học và Công nghệ"] and second["deadline"] == "Thường xuyên"
    # the task's lines run from its text to its own labelled lines, in source line numbers
    source = (WRAPPED_HEAD + WRAPPED_BODY + SIGNATURE).split("\n")
    first, last = task["lines"]
    assert source[first - 1].startswith("a) Nhiệm vụ: Rà soát") and source[last - 1] == "thành trong năm 2026."


def test_lead_named_mid_sentence(wrapped_draft):
    task = task_with(wrapped_draft, "bố trí kinh phí thực hiện Kế hoạch")
    assert task["lead"] == ["Sở Tài chính"] and task["support"] == ["Sở Nội vụ"]
    task = task_with(wrapped_draft, "kiểm tra việc bảo đảm an toàn thông tin")
    assert task["lead"] == ["Công an tỉnh"] and task["support"] == ["Văn phòng UBND tỉnh"]
    assert task["deadline"] == "trước ngày 15/12/2026"


def test_furniture_and_closing_formulas_are_never_tasks(wrapped_draft):
    texts = " | ".join(t["text"] for t in wrapped_draft["tasks"])
    assert "Đang tải" not in texts and "Địa chỉ" not in texts and "Trong quá trình thực hiện" not in texts
    assert "Bảo đảm triển khai đồng bộ" not in texts            # the purpose section holds no task
    assert len(wrapped_draft["tasks"]) == 4


def test_a_chi_thi_without_task_heading_lists_each_agency_headings_duties():
    text = WRAPPED_HEAD.replace("KẾ HOẠCH", "CHỈ THỊ") + """Thời gian qua, công tác thu hút đầu tư trên địa bàn tỉnh có chuyển biến tích cực.
Chủ tịch UBND tỉnh yêu cầu Thủ trưởng các sở, ban, ngành thực hiện các nội dung sau:

I. Trách nhiệm trong công tác thẩm định dự án

1. Các cơ quan đăng ký đầu tư (Sở Tài chính, Ban Quản lý các khu công nghiệp tỉnh):

a) Tiếp nhận hồ sơ, tổ chức lấy ý kiến thẩm định dự án đầu tư.

b) Công bố công khai các thủ tục hành chính thuộc lĩnh vực quản lý.

2. Sở Nội vụ:

a) Hướng dẫn việc đánh giá trách nhiệm người đứng đầu.
""" + SIGNATURE
    draft = draft_of(text)
    assert draft["type"] == "Chỉ thị"
    first = task_with(draft, "Tiếp nhận hồ sơ")
    assert first["lead"] == ["Sở Tài chính", "Ban Quản lý các khu công nghiệp tỉnh"]
    assert task_with(draft, "Hướng dẫn việc đánh giá")["lead"] == ["Sở Nội vụ"]
    assert len(draft["tasks"]) == 3


MERGED_TABLE = WRAPPED_HEAD + """**PHỤ LỤC**

|
**STT**
|
**Nhiệm vụ**
|
**Đơn vị chủ trì**
|
**Đơn vị phối hợp**
|
**Thời gian thực hiện**
|
|
1
|
Xây dựng nền tảng dữ liệu
dùng chung của tỉnh
|
Sở Khoa học và Công nghệ
|
Các sở, ban, ngành
|
2026
|
|
2
|
Số hóa hồ sơ giải quyết thủ tục hành chính
|
Văn phòng UBND tỉnh
|
Sở Nội vụ
|
2026 - 2027
|
|
3
|
Đào tạo kỹ năng số cho cán bộ, công chức
|
Sở Nội vụ
|
2027
|
|
""" + SIGNATURE


def test_appendix_table_rows_and_a_merged_cell_never_shift_columns():
    draft = draft_of(MERGED_TABLE)
    assert [t["text"] for t in draft["tasks"]] == ["Xây dựng nền tảng dữ liệu dùng chung của tỉnh",
                                                   "Số hóa hồ sơ giải quyết thủ tục hành chính",
                                                   "Đào tạo kỹ năng số cho cán bộ, công chức"]
    first, second, third = draft["tasks"]
    assert (first["lead"], first["support"], first["deadline"]) == (["Sở Khoa học và Công nghệ"], ["Các sở, ban, ngành"], "2026")
    assert (second["lead"], second["deadline"]) == (["Văn phòng UBND tỉnh"], "2026 - 2027")
    # row 3 lacks its support cell (merged): the deadline stays a deadline, never a name
    assert third["lead"] == ["Sở Nội vụ"] and third["deadline"] == "2027"
    assert all("2027" not in str(t["support"]) for t in draft["tasks"])


@pytest.mark.parametrize("year,unit", [(2021, "bac-ninh"), (2025, "bac-ninh-2025")])
def test_province_is_the_unit_in_force_on_the_issue_date(year, unit):
    head = WRAPPED_HEAD.replace("TỈNH QUẢNG BÌNH", "TỈNH BẮC NINH").replace("*Quảng Bình, ngày 20", "*Bắc Ninh, ngày 20")
    draft = draft_of(head.replace("tháng 11 năm 2025", f"tháng 11 năm {year}") + "Nội dung.\n" + SIGNATURE)
    assert draft["province"] == unit and draft["id"] == f"{unit}-2820-qd-ubnd-{year}"
    assert draft["issuer"] == "Ủy ban nhân dân tỉnh Bắc Ninh"


def test_development_set_reaches_the_targets():
    """The eight real 2025 texts of tests/fixtures/extract-dev against their curated expected extracts
    (measured as `make extract-accuracy` does): the targets of issue 13."""
    import sys
    sys.path.insert(0, str(ROOT / "bench"))
    import extract_accuracy as bench
    rows = bench.measure_dev()
    assert len(rows) >= 6, "the development set's curated expected files are missing"
    total = {k: sum(r[k] for r in rows) for k in ("curated", "found", "extracted", "lead", "support", "deadline")}
    meta = {k: sum(r[f"meta_{k}"] for r in rows) for k in ("number", "issued", "signer")}
    assert total["found"] >= 0.95 * total["curated"], total          # task recall
    assert total["found"] >= 0.95 * total["extracted"], total        # precision
    assert total["lead"] >= 0.90 * total["found"] and total["deadline"] >= 0.90 * total["found"], total
    assert total["support"] >= 0.85 * total["found"], total
    assert meta == {k: len(rows) for k in meta}, meta                 # number, date, signer: every text


def test_a_new_provinces_draft_validates_and_covers_its_text_as_the_readme_says(tmp_path):
    """README "Adding a plan", literally, for a province with no plan yet (Hà Nội, a 2025 text of the dev set)."""
    project = copy_project(tmp_path / "project")
    source = project / "content" / "sources" / "ha-noi-308-kh-ubnd-2025.txt"
    shutil.copy(ROOT / "tests" / "fixtures" / "extract-dev" / "ha-noi-308-KH-UBND-2025.txt", source)
    result = run_generator("--content", str(project / "content"), "extract", str(source), cwd=project, timeout=120)
    assert result.returncode == 0, result.stderr
    plan = project / "content" / "plans" / "ha-noi-308-kh-ubnd-2025.yml"
    draft = yaml.safe_load(plan.read_text(encoding="utf-8"))
    assert draft["province"] == "ha-noi" and len(draft["tasks"]) >= 14
    review = run_generator("--content", str(project / "content"), "review", "ha-noi-308-kh-ubnd-2025", cwd=project)
    assert review.returncode == 0 and "left to check" in review.stderr
    for command in ("validate", "coverage"):
        check = run_generator("--content", str(project / "content"), command, cwd=project, timeout=300)
        assert check.returncode == 0, check.stderr[-3000:]


def test_lead_named_after_an_opening_clause_of_the_sentence():
    """"Bên cạnh …, các cơ quan, đơn vị thực hiện …", "Tiêu chí …: Căn cứ …, các cơ quan, đơn vị, UBND … chủ động …":
    the bodies named after the opening clause lead (a task under a heading that names nobody)."""
    text = WRAPPED_HEAD + """II. NHIỆM VỤ, GIẢI PHÁP

1. Chỉ số hài lòng về thủ tục hành chính

Bên cạnh việc thực hiện các giải pháp tại mục 1.1, phần II của Kế hoạch, các cơ quan, đơn vị thực hiện đúng quy định về thành phần hồ sơ.

2. Công tác tài chính công

- Tiêu chí thực hiện các kiến nghị sau kiểm toán: Căn cứ Kết luận của Kiểm toán nhà nước, các cơ quan, đơn vị, Ủy ban nhân dân huyện, thành phố chủ động triển khai thực hiện các kiến nghị.
- Nâng cao hiệu quả sử dụng ngân sách, tiết kiệm chi thường xuyên.
""" + SIGNATURE
    draft = draft_of(text)
    assert task_with(draft, "Bên cạnh việc thực hiện")["lead"] == ["các cơ quan, đơn vị"]
    assert task_with(draft, "Căn cứ Kết luận")["lead"] == ["các cơ quan, đơn vị", "Ủy ban nhân dân huyện, thành phố"]
    assert task_with(draft, "Nâng cao hiệu quả")["lead"] == []       # no clause, no name: nobody is invented


def test_supporters_a_task_names_again_keep_the_headings_order_and_a_closing_parenthesis_gives_the_deadline():
    text = WRAPPED_HEAD + """II. NHIỆM VỤ, GIẢI PHÁP

1. Sở Nội vụ chủ trì, phối hợp với các sở, ban, ngành, UBND các huyện, thị xã, thành phố:

- Phối hợp với UBND các huyện, thị xã, thành phố rà soát, sắp xếp các trường học có quy mô nhỏ.
- Phối hợp với Sở Tài chính xây dựng phương án tự chủ của đơn vị sự nghiệp.

2. Văn phòng UBND tỉnh

- Tham mưu thành lập Trung tâm Phục vụ hành chính công (thành lập trong Quý III/2026 và đưa vào hoạt động trong Quý IV/2026).
""" + SIGNATURE
    draft = draft_of(text)
    heading = ["các sở, ban, ngành", "UBND các huyện, thị xã, thành phố"]
    assert task_with(draft, "rà soát, sắp xếp")["support"] == heading
    assert task_with(draft, "xây dựng phương án")["support"] == ["Sở Tài chính"] + heading
    centre = task_with(draft, "Trung tâm Phục vụ")
    assert centre["lead"] == ["Văn phòng UBND tỉnh"]
    assert centre["deadline"] == "thành lập trong Quý III/2026 và đưa vào hoạt động trong Quý IV/2026"


def test_local_units_named_after_doi_voi_lead_and_a_levelless_cap_uy_shares_the_next_names_level():
    text = WRAPPED_HEAD + """II. NHIỆM VỤ, GIẢI PHÁP

1. Các sở, ngành, địa phương:

- Rà soát quy trình nội bộ giải quyết thủ tục hành chính.
- Đối với thành phố Đồng Hới, thị xã Ba Đồn: phối hợp với Sở Nội vụ xây dựng mô hình chính quyền đô thị.

2. Đề nghị Thường trực HĐND tỉnh, các Ban của HĐND tỉnh, cấp ủy, HĐND cấp huyện tăng cường giám sát việc thực hiện Kế hoạch.

3. Bên cạnh các giải pháp tại mục 1, các cơ quan, đơn vị chú trọng bồi dưỡng đạo đức công vụ của đội ngũ công chức.
""" + SIGNATURE
    draft = draft_of(text)
    names = lambda task, key="lead": [n["name"] if isinstance(n, dict) else n for n in task[key]]
    assert names(task_with(draft, "Rà soát quy trình")) == ["Các sở, ngành, địa phương"]
    urban = task_with(draft, "mô hình chính quyền đô thị")
    assert names(urban) == ["thành phố Đồng Hới", "thị xã Ba Đồn"] and names(urban, "support") == ["Sở Nội vụ"]
    assert names(task_with(draft, "tăng cường giám sát")) == ["Thường trực HĐND tỉnh", "các Ban của HĐND tỉnh", "cấp ủy, HĐND cấp huyện"]
    assert names(task_with(draft, "chú trọng bồi dưỡng")) == ["các cơ quan, đơn vị"]     # "chú trọng": the verb


HARD_WRAPPED_BODY = """II. NHIỆM VỤ VÀ GIẢI PHÁP

1. Xây dựng các văn bản quy phạm pháp luật quy định chi tiết

Sở, ban, ngành thuộc Ủy ban nhân dân tỉnh có trách nhiệm rà soát, tham mưu Ủy ban
nhân dân tỉnh ban hành theo thẩm quyền văn bản quy phạm pháp luật quy định chi tiết
các nội dung được giao trong Luật Việc làm theo lĩnh vực phụ trách.

2. Tổ chức kiểm tra việc thi hành Luật Việc làm

- Cơ quan thực hiện: Sở Nội vụ, các sở, ban, ngành tỉnh trong phạm vi chức năng,
nhiệm vụ của mình và các cơ quan, tổ chức khác có liên quan.

- Thời gian thực hiện: Năm 2026.

III. TỔ CHỨC THỰC HIỆN

1. Sở Tài chính chủ trì, phối hợp với các sở, ngành, cơ quan liên quan bố trí kinh
phí chi thường xuyên theo quy định của pháp luật về ngân sách nhà nước hiện hành.

2. Thủ trưởng các sở, ban, ngành và Ủy ban nhân dân phường, xã chịu trách nhiệm
triển khai, thực hiện Kế hoạch này và báo cáo kết quả thực hiện về Ủy ban nhân dân tỉnh
(thông qua Sở Nội vụ để tổng hợp).
"""


def test_hard_wrapped_text_lists_of_names_and_parenthesis_on_a_new_line():
    draft = draft_of(WRAPPED_HEAD + HARD_WRAPPED_BODY + SIGNATURE)
    names = lambda task, key="lead": [n["name"] if isinstance(n, dict) else n for n in task[key]]
    # "Sở, ban, ngành …" opens a sentence with its subject, as "Các sở, ban, ngành …" does
    assert names(task_with(draft, "có trách nhiệm rà soát")) == ["Sở, ban, ngành thuộc Ủy ban nhân dân tỉnh"]
    # "tổ chức" here names bodies in the list, it is not the verb
    assert names(task_with(draft, "Tổ chức kiểm tra việc thi hành")) == [
        "Sở Nội vụ", "các sở, ban, ngành tỉnh", "các cơ quan, tổ chức khác có liên quan"]
    # "các sở, ngành, cơ quan liên quan": one group, though the registry knows "các sở, ngành" by itself
    assert names(task_with(draft, "bố trí kinh phí"), "support") == ["các sở, ngành, cơ quan liên quan"]
    # the registry knows "Thủ trưởng các sở, ban, ngành", not the name after " và ": both lead
    report = task_with(draft, "báo cáo kết quả thực hiện")
    assert names(report) == ["Thủ trưởng các sở, ban, ngành", "Ủy ban nhân dân phường, xã"]
    # "(thông qua Sở Nội vụ …)" wrapped onto a line of its own is the end of the sentence, not an item of its own
    assert report["text"].endswith("(thông qua Sở Nội vụ để tổng hợp).")
    assert len(draft["tasks"]) == 4


def test_a_groups_qualifier_and_the_rest_of_its_list_stay_in_the_lead():
    """The registry knows "Các doanh nghiệp", "Các sở, ban, ngành": the subject goes on to its verb."""
    text = WRAPPED_HEAD + """III. TỔ CHỨC THỰC HIỆN

1. Các doanh nghiệp công nghệ số phối hợp với các trường đại học xây dựng chương trình đào tạo kỹ năng số.

2. Các sở, ban, ngành, đoàn thể tỉnh, Ủy ban nhân dân các xã, phường tổ chức triển khai Kế hoạch này.

3. Các sở, ngành, UBND cấp huyện công khai đầy đủ các thủ tục hành chính thuộc thẩm quyền giải quyết.
""" + SIGNATURE
    draft = draft_of(text)
    names = lambda task: [n["name"] if isinstance(n, dict) else n for n in task["lead"]]
    assert names(task_with(draft, "chương trình đào tạo kỹ năng số")) == ["Các doanh nghiệp công nghệ số"]
    assert names(task_with(draft, "triển khai Kế hoạch này")) == ["Các sở, ban, ngành, đoàn thể tỉnh",
                                                                 "Ủy ban nhân dân các xã, phường"]
    # a list the registry reads to its end stays as read, whatever verb follows
    assert names(task_with(draft, "công khai đầy đủ")) == ["Các sở, ngành", "UBND cấp huyện"]


def test_headings_of_a_section_by_agency_name_bodies_the_registry_does_not_know():
    """In a section whose headings name agencies ("1. Sở Nội vụ", "2. Sở Tư pháp"), a heading that is only a name
    ("4. Chi cục Hải quan khu vực V", "5. Các doanh nghiệp công nghệ số") leads its items too; a heading that is
    not a body ("6. Các nhiệm vụ khác") does not."""
    text = WRAPPED_HEAD + """III. TỔ CHỨC THỰC HIỆN

1. Sở Nội vụ

a) Hướng dẫn việc đánh giá trách nhiệm người đứng đầu.

2. Sở Tư pháp

a) Rà soát văn bản quy phạm pháp luật của tỉnh.

3. Công an tỉnh

a) Bảo đảm an ninh mạng cho các hệ thống thông tin của tỉnh.

4. Chi cục Hải quan khu vực V

a) Thúc đẩy hải quan điện tử, hải quan thông minh.

5. Các doanh nghiệp công nghệ số

a) Đầu tư phát triển các nền tảng số phục vụ người dân.

6. Các nhiệm vụ khác

a) Tổng kết việc thực hiện Kế hoạch.
""" + SIGNATURE
    draft = draft_of(text)
    names = lambda task: [n["name"] if isinstance(n, dict) else n for n in task["lead"]]
    assert names(task_with(draft, "hải quan điện tử")) == ["Chi cục Hải quan khu vực V"]
    assert names(task_with(draft, "nền tảng số phục vụ")) == ["Các doanh nghiệp công nghệ số"]
    assert names(task_with(draft, "Tổng kết việc thực hiện")) == []


def test_khuyen_khich_names_who_acts_and_gui_ends_a_subject():
    text = WRAPPED_HEAD + """III. TỔ CHỨC THỰC HIỆN

1. Khuyến khích Liên đoàn Lao động tỉnh, Hội Nông dân tỉnh xây dựng kế hoạch hành động về chuyển đổi số.

2. Ủy ban nhân dân các xã, phường gửi báo cáo kết quả thực hiện về Sở Nội vụ để tổng hợp.
""" + SIGNATURE
    draft = draft_of(text)
    names = lambda task: [n["name"] if isinstance(n, dict) else n for n in task["lead"]]
    assert names(task_with(draft, "kế hoạch hành động")) == ["Liên đoàn Lao động tỉnh", "Hội Nông dân tỉnh"]
    assert names(task_with(draft, "báo cáo kết quả")) == ["Ủy ban nhân dân các xã, phường"]


def test_a_lead_cell_that_says_who_does_what():
    """A lead cell "X chủ trì …; Y thực hiện …" gives X the lead and Y the support; "X thúc đẩy, theo dõi …" gives
    X; a cell whose every clause is "chủ trì …" stays as written."""
    rows = [("Phát triển bộ dữ liệu mở chất lượng cao",
             "Sở KH&CN chủ trì hướng dẫn, tổng hợp; Các sở, ngành, UBND cấp xã thực hiện công bố dữ liệu mở hằng năm"),
            ("Tỷ trọng kinh tế số đạt 30% GRDP", "Sở Khoa học và Công nghệ thúc đẩy, theo dõi, báo cáo chỉ tiêu"),
            ("Rà soát, đơn giản hóa thủ tục hành chính", "Các sở, ban, ngành chủ trì tham mưu")]
    table = "**PHỤ LỤC**\n\n|\n**STT**\n|\n**Nhiệm vụ**\n|\n**Đơn vị chủ trì**\n|\n**Thời gian thực hiện**\n|\n"
    for k, (task, lead) in enumerate(rows, 1):
        table += f"|\n{k}\n|\n{task}\n|\n{lead}\n|\n2026\n|\n"
    draft = draft_of(WRAPPED_HEAD + table + "|\n" + SIGNATURE)
    names = lambda task, key="lead": [n["name"] if isinstance(n, dict) else n for n in task[key]]
    first = task_with(draft, "bộ dữ liệu mở")
    assert names(first) == ["Sở KH&CN"] and names(first, "support") == ["Các sở, ngành", "UBND cấp xã"]
    assert names(task_with(draft, "kinh tế số đạt")) == ["Sở Khoa học và Công nghệ"]
    assert names(task_with(draft, "đơn giản hóa")) == ["Các sở, ban, ngành chủ trì tham mưu"]


def test_long_lists_proper_names_directors_and_means_in_a_subject():
    text = WRAPPED_HEAD + """III. TỔ CHỨC THỰC HIỆN

1. Sở Tài chính, Sở Xây dựng, Sở Nông nghiệp và Môi trường, Ban quản lý Khu Kinh tế Quảng Bình, Ban quản lý Khu Nông nghiệp ứng dụng Công nghệ cao Quảng Bình, Ban Quản lý các Khu công nghiệp tỉnh, UBND cấp xã có trách nhiệm công bố đầy đủ, công khai thông tin về quy hoạch.

2. Căn cứ Kế hoạch này, Giám đốc các Sở, Thủ trưởng các ngành, cơ quan cấp tỉnh chủ động xây dựng kế hoạch triển khai.

3. Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, các Đoàn thể tỉnh bằng nhiều hình thức tăng cường tuyên truyền, vận động Nhân dân tham gia.
""" + SIGNATURE
    draft = draft_of(text)
    names = lambda task: [n["name"] if isinstance(n, dict) else n for n in task["lead"]]
    # a list longer than a sentence's usual subject, and a registry name a proper name goes on ("… Kinh tế Quảng Bình")
    assert names(task_with(draft, "công khai thông tin về quy hoạch")) == [
        "Sở Tài chính", "Sở Xây dựng", "Sở Nông nghiệp và Môi trường", "Ban quản lý Khu Kinh tế Quảng Bình",
        "Ban quản lý Khu Nông nghiệp ứng dụng Công nghệ cao Quảng Bình", "Ban Quản lý các Khu công nghiệp tỉnh",
        "UBND cấp xã"]
    assert names(task_with(draft, "xây dựng kế hoạch triển khai")) == [
        "Giám đốc các Sở", "Thủ trưởng các ngành, cơ quan cấp tỉnh"]
    assert names(task_with(draft, "vận động Nhân dân")) == ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "các Đoàn thể tỉnh"]


def test_a_heading_listing_its_units_after_a_colon_and_items_naming_which_of_its_bodies_act():
    text = WRAPPED_HEAD + """III. TỔ CHỨC THỰC HIỆN

1. Sở Nội vụ

- Hướng dẫn việc đánh giá trách nhiệm người đứng đầu.

2. Ủy ban nhân dân các xã: Gia Thuận, Tân Điền, Gò Công Đông

- Xây dựng kế hoạch bảo vệ môi trường biển tại địa phương.

3. Các doanh nghiệp công nghệ số

a) Doanh nghiệp viễn thông, bưu chính ưu tiên đầu tư nâng cấp hạ tầng số.

b) Phối hợp với các trường đại học xây dựng chương trình đào tạo.

4. Các sở, ngành, địa phương

a) Trường hợp cần ý kiến của cơ quan khác, chủ động lấy ý kiến bằng văn bản.

5. Hội, hiệp hội nghề nghiệp chủ động tham gia phản biện chính sách, pháp luật.
""" + SIGNATURE
    draft = draft_of(text)
    names = lambda task: [n["name"] if isinstance(n, dict) else n for n in task["lead"]]
    assert names(task_with(draft, "môi trường biển")) == ["Ủy ban nhân dân các xã: Gia Thuận, Tân Điền, Gò Công Đông"]
    assert names(task_with(draft, "hạ tầng số")) == ["Doanh nghiệp viễn thông, bưu chính"]
    assert names(task_with(draft, "chương trình đào tạo")) == ["Các doanh nghiệp công nghệ số"]
    # "Trường hợp …" is a condition, not a school; the heading's bodies act
    assert names(task_with(draft, "Trường hợp cần")) == ["Các sở, ngành, địa phương"]
    assert names(task_with(draft, "phản biện chính sách")) == ["Hội, hiệp hội nghề nghiệp"]     # "Hội, …" opens a name


def test_the_kind_named_again_opens_a_name_and_a_groups_scope_is_not_part_of_it():
    text = WRAPPED_HEAD + """III. TỔ CHỨC THỰC HIỆN

1. Các doanh nghiệp viễn thông, doanh nghiệp bưu chính ưu tiên đầu tư nâng cấp hạ tầng số.

2. Các doanh nghiệp nhà nước, Tổng Công ty tiên phong, dẫn dắt sự phát triển kinh tế số.

3. Các sở, ban, ngành tỉnh có liên quan tới việc thực hiện Kế hoạch này có trách nhiệm phối hợp với Sở Nội vụ.

4. Văn phòng UBND tỉnh là đầu mối theo dõi việc thực hiện Kế hoạch.
""" + SIGNATURE
    draft = draft_of(text)
    names = lambda task: [n["name"] if isinstance(n, dict) else n for n in task["lead"]]
    assert names(task_with(draft, "hạ tầng số")) == ["Các doanh nghiệp viễn thông", "doanh nghiệp bưu chính"]
    assert names(task_with(draft, "dẫn dắt")) == ["Các doanh nghiệp nhà nước", "Tổng Công ty"]
    assert names(task_with(draft, "phối hợp với Sở Nội vụ")) == ["Các sở, ban, ngành tỉnh có liên quan"]
    assert names(task_with(draft, "là đầu mối")) == ["Văn phòng UBND tỉnh"]


def test_supporters_end_at_their_verb_and_a_group_after_a_body_and_va_is_its_own():
    text = WRAPPED_HEAD + """III. TỔ CHỨC THỰC HIỆN

1. Sở Nội vụ chủ trì, phối hợp với Sở Khoa học và Công nghệ phát động phong trào thi đua đổi mới sáng tạo.

2. Công an tỉnh chủ trì, phối hợp với Bộ Chỉ huy Quân sự tỉnh và sở, ngành có liên quan bảo đảm an ninh mạng.

3. Sở Tư pháp chủ trì, phối hợp với các cơ quan, đơn vị có liên quan kịp thời xử lý vướng mắc về thủ tục.
""" + SIGNATURE
    draft = draft_of(text)
    names = lambda task: [n["name"] if isinstance(n, dict) else n for n in task["support"]]
    assert names(task_with(draft, "phong trào thi đua")) == ["Sở Khoa học và Công nghệ"]
    assert names(task_with(draft, "an ninh mạng")) == ["Bộ Chỉ huy Quân sự tỉnh", "sở, ngành có liên quan"]
    assert names(task_with(draft, "xử lý vướng mắc")) == ["các cơ quan, đơn vị có liên quan"]
