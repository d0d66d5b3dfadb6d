"""The registry knows every province and department, at the right date (issue 13, parts 1 and 2).

A unit is a name AND a period: "TP. Hồ Chí Minh" in a 2021 plan and in a plan of November 2025 are different
units; a department merged in 2025 still resolves and names its successor; a new province's plan resolves its
province and its departments without a per-plan alias file.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from conftest import ROOT, run_generator, run_main
from generator.content.registry import AgencyDirectory, ProvinceRegistry, Registry, RegistryError
from generator.content.validate import load_registry

CONTENT = ROOT / "content"
DEV = Path(__file__).parent / "fixtures" / "extract-dev"
BASE = Path(__file__).parent / "bad_inputs" / "base" / "content"
D = dt.date


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry(CONTENT)


@pytest.fixture(scope="module")
def provinces(registry) -> ProvinceRegistry:
    return registry.provinces


@pytest.fixture(scope="module")
def agencies(registry) -> AgencyDirectory:
    return registry.agencies


# ---------------------------------------------------------------------------------------------------------
# provinces

def test_a_name_resolves_to_the_unit_in_force_on_the_date(provinces):
    assert provinces.resolve("TP. Hồ Chí Minh", D(2025, 11, 18)).id == "ho-chi-minh-2025"
    assert provinces.resolve("TP. Hồ Chí Minh", D(2021, 5, 1)).id == "ho-chi-minh"
    assert provinces.resolve("Thành phố Hồ Chí Minh", D(2025, 6, 30)).id == "ho-chi-minh"
    assert provinces.resolve("UBND tỉnh Bắc Ninh", D(2021, 3, 1)).id == "bac-ninh"
    assert provinces.resolve("tỉnh Bắc Ninh", D(2025, 11, 24)).id == "bac-ninh-2025"
    # the later Bắc Ninh includes the former Bắc Giang; the former Bắc Giang's plans have that successor
    late = provinces.get("bac-ninh-2025")
    assert {p.id for p in late.predecessors} == {"bac-ninh", "bac-giang"}
    assert [s.id for s in provinces.get("bac-giang").successors] == ["bac-ninh-2025"]
    # a former unit's name after its end still finds it (a later text may cite "tỉnh Bà Rịa - Vũng Tàu")
    former = provinces.resolve("tỉnh Bà Rịa – Vũng Tàu", D(2025, 11, 18))
    assert former.id == "ba-ria-vung-tau" and former.in_force is False
    assert provinces.resolve("tỉnh Bà Rịa – Vũng Tàu", D(2024, 1, 1)).in_force is True


def test_without_a_date_an_ambiguous_name_gives_the_candidates(provinces):
    match = provinces.resolve("Thành phố Hồ Chí Minh")
    assert match.ambiguous and match.unit is None
    assert {u.id for u in match.candidates} == {"ho-chi-minh", "ho-chi-minh-2025"}
    # a name that one unit bears over both periods is not ambiguous
    assert provinces.resolve("Ủy ban nhân dân tỉnh Nghệ An").id == "nghe-an"
    assert provinces.resolve("Tỉnh XYZ") is None


def test_the_written_forms_texts_use(provinces):
    on = D(2025, 11, 20)
    for written, expected in [("TP. Hồ Chí Minh", "ho-chi-minh-2025"), ("TP.HCM", "ho-chi-minh-2025"),
                              ("Thành phố Hà Nội", "ha-noi"), ("UBND Thành phố Hà Nội", "ha-noi"),
                              ("TỈNH ĐỒNG THÁP", "dong-thap-2025"), ("Ủy ban nhân dân thành phố Huế", "hue"),
                              ("tỉnh Thanh Hoá", "thanh-hoa"), ("Đắk Lắk", "dak-lak-2025"), ("tỉnh Khánh Hoà", "khanh-hoa-2025")]:
        match = provinces.resolve(written, on)
        assert match is not None and match.id == expected, written
    # Thừa Thiên Huế became thành phố Huế on 1/1/2025: one unit, its earlier name at its date
    assert provinces.resolve("tỉnh Thừa Thiên Huế", D(2021, 6, 1)).id == "hue"
    assert provinces.get("hue").former_names[0][:2] == ("Thừa Thiên Huế", "tỉnh")


def test_63_units_until_30_june_2025_and_34_from_1_july(provinces):
    before, after = provinces.in_force(D(2025, 6, 30)), provinces.in_force(D(2025, 7, 1))
    assert len(before) == 63 and len({u.id for u in before}) == 63
    assert len(after) == 34 and sum(u.kind == "thành phố" for u in after) == 6
    unchanged = {u.id for u in before} & {u.id for u in after}
    assert unchanged == {"ha-noi", "hue", "lai-chau", "dien-bien", "son-la", "lang-son", "quang-ninh", "thanh-hoa",
                         "nghe-an", "ha-tinh", "cao-bang"}
    merged = [u for u in after if u.id not in unchanged]
    assert len(merged) == 23 and all(u.id.endswith("-2025") for u in merged)
    assert sum(len(u.predecessors) for u in merged) == 52
    # the plans' ids keep working
    for pid in ("quang-binh", "quang-tri", "tuyen-quang", "binh-dinh", "quang-ninh"):
        assert provinces.get(pid) is not None


def test_every_fact_names_its_source(provinces):
    for unit in provinces.units:
        if unit.valid_from or unit.valid_to or unit.predecessors or unit.successors:
            assert unit.basis is not None, unit.id
            assert re.search(r"\d+/\d{4}/QH15", unit.basis.document) and unit.basis.date, unit.id
    assert provinces.get("quang-tri-2025").basis.label == "Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội"
    assert "175/2024/QH15" in provinces.sources["nq-175-2024-qh15"].document


@pytest.mark.parametrize("name, expected", [
    ("bac-ninh-144-KH-UBND-2025", "bac-ninh-2025"), ("dak-lak-010-CT-UBND-2025", "dak-lak-2025"),
    ("dong-nai-179-KH-UBND-2025", "dong-nai-2025"), ("dong-thap-556-KH-UBND-2025", "dong-thap-2025"),
    ("ha-noi-308-KH-UBND-2025", "ha-noi"), ("ho-chi-minh-172-KH-UBND-2025", "ho-chi-minh-2025"),
    ("nghe-an-1026-KH-UBND-2025", "nghe-an")])
def test_a_new_provinces_text_names_a_known_unit(provinces, name, expected):
    """The opening of each real 2025 text ("ỦY BAN NHÂN DÂN / TỈNH BẮC NINH") names the unit of its date."""
    head = "\n".join((DEV / f"{name}.txt").read_text(encoding="utf-8").splitlines()[:12])
    mentions = [m for m in provinces.candidates(head) if m.units]
    assert mentions, head
    match = provinces.resolve(f"{mentions[0].kind} {mentions[0].name}", D(2025, 11, 20))
    assert match.id == expected


def test_candidates_lists_unknown_names_too(provinces):
    found = provinces.candidates("ỦY BAN NHÂN DÂN\nTỈNH SÔNG BÉ\n... của UBND tỉnh Quảng\nBình và TP.HCM")
    assert [(m.name, bool(m.units)) for m in found] == [("SÔNG BÉ", False), ("Quảng Bình", True), ("HCM", True)]


# ---------------------------------------------------------------------------------------------------------
# agencies

@pytest.mark.parametrize("written, kind", [
    ("Sở KH&CN", "so-khoa-hoc-va-cong-nghe"), ("Sở TT&TT", "so-thong-tin-va-truyen-thong"),
    ("Sở KH&ĐT", "so-ke-hoach-va-dau-tu"), ("Sở LĐ-TB&XH", "so-lao-dong-thuong-binh-va-xa-hoi"),
    ("Sở NN&PTNT", "so-nong-nghiep-va-phat-trien-nong-thon"), ("Sở TN&MT", "so-tai-nguyen-va-moi-truong"),
    ("Sở GD&ĐT", "so-giao-duc-va-dao-tao"), ("Sở VH,TT&DL", "so-van-hoa-the-thao-va-du-lich"),
    ("Công an tỉnh", "cong-an-tinh"), ("Công an Thành phố", "cong-an-tinh"), ("Bộ CHQS tỉnh", "bo-chi-huy-quan-su-tinh"),
    ("Ban Dân tộc", "ban-dan-toc"), ("Thanh tra tỉnh", "thanh-tra-tinh"), ("Thanh tra Thành phố", "thanh-tra-tinh"),
    ("Đài PT-TH tỉnh", "dai-phat-thanh-va-truyen-hinh-tinh"),
    ("Đài Phát thanh và Truyền hình Thành phố", "dai-phat-thanh-va-truyen-hinh-tinh"),
    ("Sở Dân tộc và Tôn giáo", "so-dan-toc-va-ton-giao"), ("Sở Nông nghiệp và Môi trường", "so-nong-nghiep-va-moi-truong"),
    ("Ủy ban nhân dân Thành phố", "ubnd-tinh"), ("Sở Văn hoá, Thể thao và Du lịch", "so-van-hoa-the-thao-va-du-lich"),
    ("Sở Y tế tỉnh Đồng Nai", "so-y-te"), ("Công an tỉnh Bắc Ninh", "cong-an-tinh"), ("UBND tỉnh Quảng Bình", "ubnd-tinh"),
    # groups, in their common wordings
    ("Các sở, ban, ngành", "cac-so-ban-nganh"), ("Các Sở, ban, ngành Thành phố", "cac-so-ban-nganh"),
    ("UBND cấp xã", "ubnd-cap-xa"), ("UBND các xã, phường, đặc khu", "ubnd-cap-xa"),
    ("Ủy ban nhân dân các xã, phường", "ubnd-cap-xa"), ("các cơ quan, đơn vị có liên quan", "cac-co-quan-lien-quan"),
    ("Các sở, ngành, địa phương", "cac-so-nganh-dia-phuong"),
])
def test_agency_names_as_texts_write_them(agencies, written, kind):
    agency = agencies.resolve(written)
    assert agency is not None and agency.id == kind, written


def test_a_merged_department_names_its_successor(agencies):
    old = agencies.match("Sở Lao động, Thương binh và Xã hội")
    assert old.agency.id == "so-lao-dong-thuong-binh-va-xa-hoi"
    (link,) = old.successors
    assert link.agency.name == "Sở Nội vụ" and link.since == D(2025, 3, 1) and "45/2025/NĐ-CP" in link.basis
    successors = {a: {s.agency.id for s in agencies.resolve(a).successors} for a in (
        "Sở Kế hoạch và Đầu tư", "Sở Thông tin và Truyền thông", "Sở Giao thông vận tải",
        "Sở Nông nghiệp và Phát triển nông thôn", "Sở Tài nguyên và Môi trường")}
    assert successors == {"Sở Kế hoạch và Đầu tư": {"so-tai-chinh"}, "Sở Thông tin và Truyền thông": {"so-khoa-hoc-va-cong-nghe"},
                          "Sở Giao thông vận tải": {"so-xay-dung"},
                          "Sở Nông nghiệp và Phát triển nông thôn": {"so-nong-nghiep-va-moi-truong"},
                          "Sở Tài nguyên và Môi trường": {"so-nong-nghiep-va-moi-truong"}}
    # and the other way: the new department lists what it took over
    assert {p.agency.id for p in agencies.resolve("Sở NN&MT").predecessors} == {
        "so-nong-nghiep-va-phat-trien-nong-thon", "so-tai-nguyen-va-moi-truong"}


def test_the_lead_agencies_of_the_2025_texts_resolve(agencies):
    """Department names as the real 2025 texts write them, including a city's ("... Thành phố")."""
    text = unicodedata.normalize("NFC", " ".join(p.read_text(encoding="utf-8") for p in sorted(DEV.glob("*.txt"))))
    text = re.sub(r"\s+", " ", text)
    for written in ("Sở Khoa học và Công nghệ", "Sở Nông nghiệp và Môi trường", "Sở Công Thương", "Công an tỉnh",
                    "Sở Văn hóa và Thể thao", "Đài Phát thanh và Truyền hình Thành phố", "Bộ Chỉ huy Quân sự tỉnh",
                    "Ủy ban MTTQVN Thành phố", "Ban Quản lý các Khu công nghiệp tỉnh"):
        assert written in text, written        # the test reads real wordings, not invented ones
        assert agencies.resolve(written) is not None, written


# ---------------------------------------------------------------------------------------------------------
# validation of the registry

BROKEN = """sources:
  - {id: nq-202-2025-qh15, document: "Nghị quyết số 202/2025/QH15", issuer: Quốc hội, date: 2025-06-12, title: "Nghị quyết về việc sắp xếp đơn vị hành chính cấp tỉnh"}
provinces:
  - {id: quang-binh, name: Quảng Bình, valid_to: 2025-06-30, successors: [quang-tri-2025], basis: nq-202-2025-qh15}
  - {id: quang-tri, name: Quảng Trị, valid_to: 2025-06-30, successors: [quang-tri-2052], basis: nq-202-2025-qh15}
  - {id: quang-tri-2025, name: Quảng Trị, valid_from: 2025-07-02, predecessors: [quang-binh], basis: nq-202-2025}
"""


def test_broken_links_and_periods_are_reported_with_file_and_line(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(BASE, content)
    (content / "registry" / "provinces.yml").write_text(BROKEN, encoding="utf-8")
    result = run_main("--content", str(content), "validate")
    assert result.returncode == 1 and "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    def said(line: int, *words: str) -> bool:
        return any(x.startswith(f"content/registry/provinces.yml:{line}: ") and all(w in x for w in words) for x in lines)
    assert said(5, "provinces[1].successors[0]", 'unknown province id "quang-tri-2052"', 'did you mean "quang-tri-2025"')
    assert said(4, "provinces[0].successors[0]", "periods do not meet", "2025-07-01")
    assert said(6, "provinces[2].basis", 'unknown source "nq-202-2025"')
    # and the plan of 2021 still validates against quang-binh (one run reports every problem, nothing else)
    assert not any("plans/" in x for x in lines)


def test_a_plan_dated_outside_its_units_period_is_refused(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(BASE, content)
    (content / "registry" / "provinces.yml").write_text(BROKEN.replace("valid_from: 2025-07-02", "valid_from: 2025-07-01")
                                                        .replace("quang-tri-2052", "quang-tri-2025").replace("basis: nq-202-2025}", "basis: nq-202-2025-qh15}")
                                                        .replace("predecessors: [quang-binh]", "predecessors: [quang-binh, quang-tri]"), encoding="utf-8")
    plan = next((content / "plans").glob("*.yml"))
    plan.write_text(plan.read_text(encoding="utf-8").replace("issued: 2021-09-10", "issued: 2025-11-18"), encoding="utf-8")
    result = run_main("--content", str(content), "validate")
    assert result.returncode == 1, result.stdout
    assert re.search(r'province "quang-binh" \(Tỉnh Quảng Bình \(đến 30/6/2025\)\) was not in force on the plan\'s issue date '
                     r'2025-11-18; on that date "Tỉnh Quảng Bình" is', result.stderr) is None   # Quảng Bình has no later unit
    assert 'province "quang-binh"' in result.stderr and "not in force" in result.stderr and "2025-11-18" in result.stderr


def test_registry_load_raises_a_readable_error(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(BASE, content)
    (content / "registry" / "provinces.yml").write_text(BROKEN, encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        load_registry(content)
    assert "provinces.yml:5:" in str(err.value) and "quang-tri-2052" in str(err.value)
    # non-strict: what is valid is usable, and the problems are listed
    loose = load_registry(content, strict=False)
    assert loose.problems and loose.provinces.get("quang-binh") is not None


# ---------------------------------------------------------------------------------------------------------
# pages and data/provinces.json

LINKED = """sources:
  - {id: nq-202-2025-qh15, document: "Nghị quyết số 202/2025/QH15", issuer: Quốc hội, date: 2025-06-12, title: "Nghị quyết về việc sắp xếp đơn vị hành chính cấp tỉnh"}
provinces:
  - {id: quang-binh, name: Quảng Bình, valid_to: 2025-06-30, successors: [quang-tri-2025], basis: nq-202-2025-qh15}
  - {id: quang-tri, name: Quảng Trị, valid_to: 2025-06-30, successors: [quang-tri-2025], basis: nq-202-2025-qh15}
  - {id: quang-tri-2025, name: Quảng Trị, valid_from: 2025-07-01, predecessors: [quang-binh, quang-tri], basis: nq-202-2025-qh15, note: "Sắp xếp tỉnh Quảng Bình và tỉnh Quảng Trị thành tỉnh Quảng Trị."}
"""


@pytest.fixture(scope="module")
def linked_docs(tmp_path_factory) -> Path:
    """The tiny content with a second plan, of the merged unit (quang-tri-2025), rendered to Markdown."""
    tmp = tmp_path_factory.mktemp("linked")
    content = tmp / "content"
    shutil.copytree(BASE, content)
    (content / "registry" / "provinces.yml").write_text(LINKED, encoding="utf-8")
    first = content / "plans" / "thu-nghiem-1-kh-ubnd-2021.yml"
    later = first.read_text(encoding="utf-8").replace("id: thu-nghiem-1-kh-ubnd-2021", "id: thu-nghiem-2-kh-ubnd-2025") \
        .replace("province: quang-binh", "province: quang-tri-2025").replace("issued: 2021-09-10", "issued: null") \
        .replace("number: 1/KH-UBND", "number: 2/KH-UBND").replace("UBND tỉnh Quảng Bình", "UBND tỉnh Quảng Trị")
    later = later.replace("thu-nghiem-1-kh-ubnd-2021.txt", "thu-nghiem-2-kh-ubnd-2025.txt")
    (content / "plans" / "thu-nghiem-2-kh-ubnd-2025.yml").write_text(later, encoding="utf-8")
    text = (content / "sources" / "thu-nghiem-1-kh-ubnd-2021.txt").read_text(encoding="utf-8")
    (content / "sources" / "thu-nghiem-2-kh-ubnd-2025.txt").write_text(text.replace("Quảng Bình", "Quảng Trị"), encoding="utf-8")
    docs = tmp / "docs"
    result = run_generator("--content", str(content), "render", "--docs", str(docs), "--quiet", timeout=300)
    assert result.returncode == 0, result.stderr
    return docs


def _lineage(docs: Path, unit: str) -> str:
    page = (docs / "tinh" / unit / "index.md").read_text(encoding="utf-8")
    return page[page.index("\n# "):page.index('<div class="counts">')]


def test_province_pages_show_successors_and_predecessors_both_ways(linked_docs):
    before = _lineage(linked_docs, "quang-binh")
    assert "# Tỉnh Quảng Bình" in before and "Từ ngày 1/7/2025" in before
    assert '<a href="../../tinh/quang-tri-2025/">tỉnh Quảng Trị (từ 1/7/2025)</a>' in before
    assert "tỉnh Quảng Trị (đến 30/6/2025)" in before          # the partner, without a page (no plan): no link
    assert "Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội" in before
    after = _lineage(linked_docs, "quang-tri-2025")
    assert "# Tỉnh Quảng Trị (từ 1/7/2025)" in after            # two units named Quảng Trị: the period tells them apart
    assert "Hình thành từ ngày 1/7/2025" in after
    assert '<a href="../../tinh/quang-binh/">tỉnh Quảng Bình</a>' in after and "tỉnh Quảng Trị (đến 30/6/2025)" in after
    assert not (linked_docs / "tinh" / "quang-tri").exists()   # pages only for units with plans


def test_provinces_json_lists_every_unit_with_links_and_sources(site_dir):
    units = json.loads((site_dir / "data" / "provinces.json").read_text(encoding="utf-8"))
    ids = [u["id"] for u in units]
    assert len(ids) == len(set(ids)) == 86                      # 63 + 34 units, 11 of them in both periods
    def in_force(u, day):
        return (u["valid_from"] or "0000") <= day <= (u["valid_to"] or "9999")
    assert sum(in_force(u, "2025-06-30") for u in units) == 63
    assert sum(in_force(u, "2025-07-01") for u in units) == 34
    by_id = {u["id"]: u for u in units}
    for u in units:
        for s in u["successors"]:
            assert u["id"] in [p["id"] for p in by_id[s["id"]]["predecessors"]]
        if u["successors"] or u["predecessors"]:
            assert re.match(r"Nghị quyết số \d+/\d{4}/QH15$", u["basis"]["document"]) and u["basis"]["date"]
    hcm = by_id["ho-chi-minh-2025"]
    assert {p["id"] for p in hcm["predecessors"]} == {"ho-chi-minh", "binh-duong", "ba-ria-vung-tau"}
    assert by_id["quang-binh"]["url"] == "tinh/quang-binh/" and by_id["ho-chi-minh-2025"]["url"] is None
    assert by_id["hue"]["former_names"][0]["name"] == "Thừa Thiên Huế"
    agencies = {a["id"]: a for a in json.loads((site_dir / "data" / "agencies.json").read_text(encoding="utf-8"))}
    assert [s["id"] for s in agencies["so-lao-dong-thuong-binh-va-xa-hoi"]["successors"]] == ["so-noi-vu"]


def test_an_agency_page_shows_its_predecessors_tasks_labelled(site_dir):
    """Sở Khoa học và Công nghệ took over Sở Thông tin và Truyền thông: its page lists the latter's tasks per
    province, labelled as the predecessor's, with the date and the decree; and the other way round."""
    page = (site_dir / "co-quan" / "so-khoa-hoc-va-cong-nghe" / "index.html").read_text(encoding="utf-8")
    assert "Cơ quan tiền thân" in page and "Nghị định số 45/2025/NĐ-CP" in page and "1/3/2025" in page
    assert "Nhiệm vụ giao cho Sở Thông tin và Truyền thông (cơ quan tiền thân), theo tỉnh" in page
    assert 'href="../so-thong-tin-va-truyen-thong/quang-binh/"' in page or 'href="../../co-quan/so-thong-tin-va-truyen-thong/quang-binh/"' in page
    older = (site_dir / "co-quan" / "so-thong-tin-va-truyen-thong" / "index.html").read_text(encoding="utf-8")
    assert "Cơ quan kế nhiệm" in older and "Nhiệm vụ giao cho Sở Khoa học và Công nghệ (cơ quan kế nhiệm), theo tỉnh" in older
    # an agency without a 2025 link has no such section
    assert "Cơ quan tiền thân" not in (site_dir / "co-quan" / "so-y-te" / "index.html").read_text(encoding="utf-8")
