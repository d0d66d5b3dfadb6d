"""The data package: scores after the plans (each with its source), baselines that say what they measure, and
downloads that match their dictionary (issue 14)."""
from __future__ import annotations

import json
import re

import yaml

from conftest import ROOT, copy_project, run_main

PROVINCES_WITH_PLANS = {"binh-dinh", "quang-binh", "quang-ninh", "quang-tri", "tuyen-quang"}


def _json(site_dir, name: str):
    return json.loads((site_dir / "data" / name).read_text(encoding="utf-8"))


# ------------------------------------------------------------------ scores after the plans

def test_scores_json_has_every_province_index_and_year_and_a_source_for_each_published_figure(site_dir):
    records = _json(site_dir, "scores.json")
    keys = {(r["province"], r["index"], r["year"]) for r in records}
    assert keys == {(p, i, y) for p in PROVINCES_WITH_PLANS for i in ("PAR INDEX", "SIPAS") for y in (2021, 2022, 2023, 2024)}
    published = [r for r in records if r["published"]]
    assert published, "at least one sourced score"
    for r in records:
        if r["published"]:
            src = r["source"]
            assert src["kind"] in ("decision", "report", "secondary") and src["where"] and src["url"] and src["publisher"], r
            assert r["value"] is not None or r["rank"] is not None, r
            assert r["value"] is None or r["unit"] in ("%", "điểm"), r
        else:
            assert r["value"] is None and r["rank"] is None and r["source"] is None, r


def test_every_score_in_the_registry_names_a_known_year_and_a_source_that_states_it():
    data = yaml.safe_load((ROOT / "content" / "registry" / "scores.yml").read_text(encoding="utf-8"))
    for s in data["scores"]:
        assert s["year"] in data["years"]
        # the figure is quoted in the `where` note, so a reader can find it in the source
        if s.get("value") is not None:
            shown = f"{s['value']:.2f}".rstrip("0").rstrip(".")
            assert shown in s["source"]["where"] or shown.replace(".", ",") in s["source"]["where"], s


def test_province_page_shows_results_with_sources_and_says_when_a_year_has_none(site_dir):
    qn = (site_dir / "tinh" / "quang-ninh" / "index.html").read_text(encoding="utf-8")
    results = qn[qn.index('id="ket-qua-sau-ke-hoach"'):]
    assert "91,14 %" in results and "baodongnai.com.vn" in results
    assert "nguồn thứ cấp" in results                      # secondary sources are marked as such
    assert "chưa có số liệu có nguồn" in results           # 2024: nothing found with a source
    qb = (site_dir / "tinh" / "quang-binh" / "index.html").read_text(encoding="utf-8")
    qb_results = qb[qb.index('id="ket-qua-sau-ke-hoach"'):]
    assert qb_results.count("chưa có số liệu có nguồn") >= 8   # 2 indexes x 4 years, none found
    assert "82,33 điểm" in qb_results                       # the plan's baseline stands first


def test_a_score_without_its_source_is_refused(tmp_path):
    project = copy_project(tmp_path / "p")
    path = project / "content" / "registry" / "scores.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["scores"][0]["source"]
    data["scores"][1]["province"] = "quang-ngai-khong-co"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_main("--content", str(project / "content"), "validate")
    assert result.returncode == 1
    assert "content/registry/scores.yml" in result.stderr
    assert "scores[0].source" in result.stderr and "required field is missing" in result.stderr
    assert 'unknown province "quang-ngai-khong-co"' in result.stderr
    assert "Traceback" not in result.stderr


# ------------------------------------------------------------------ baselines say what they measure

def test_baselines_carry_component_unit_and_rank_scope_in_plans_json(site_dir):
    plans = {p["id"]: p for p in _json(site_dir, "plans.json")}
    qb = plans["quang-binh-1886-kh-ubnd-2021"]["baselines"]
    par2020 = [b for b in qb if b["index"] == "PAR INDEX" and b["year"] == 2020]
    totals = [b for b in par2020 if b["component"] == "total"]
    assert [(b["score"], b["unit"], b["rank"], b["of"], b["rank_scope"]) for b in totals] == [(82.33, "điểm", 50, 63, "cả nước")]
    assert {b["score"] for b in par2020 if b["component"] != "total"} == {29.34, 7.83, 18.16}
    # the SIPAS points inside the PAR INDEX are not the SIPAS index
    sipas_points = next(b for b in qb if b["score"] == 7.83)
    assert sipas_points["index"] == "PAR INDEX" and "SIPAS" in sipas_points["component"] and sipas_points["max"] == 10
    assert [b["score"] for b in qb if b["index"] == "SIPAS" and b["year"] == 2020] == [78.88]
    tq = plans["tuyen-quang-116-kh-ubnd-2021"]["baselines"]
    assert {(b["rank"], b["of"], b["rank_scope"]) for b in tq if b["index"] == "PAR INDEX"} == {(35, 63, "cả nước"), (33, 56, "nhóm B")}


def test_every_ranked_baseline_of_the_content_says_where_it_is_ranked():
    for path in sorted((ROOT / "content" / "plans").glob("*.yml")):
        plan = yaml.safe_load(path.read_text(encoding="utf-8"))
        for b in plan.get("baselines") or []:
            if b.get("rank") is not None:
                assert b.get("rank_scope"), (path.name, b)


def test_score_chart_keeps_points_and_percentages_apart_and_draws_no_component(site_dir):
    svg = (site_dir / "tinh" / "quang-binh" / "diem-so.svg").read_text(encoding="utf-8")
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1)
    for component in ("29,34", "7,83", "18,16"):
        assert component not in desc
    # two panels: one in points, one in percent (titles are text in the SVG)
    assert "Điểm (thang 100 điểm)" in svg and "Tỷ lệ (%)" in svg
    page = (site_dir / "tinh" / "quang-binh" / "index.html").read_text(encoding="utf-8")
    row = page[page.index("29,34"):][:0] or page[page.rindex("<tr", 0, page.index("29,34")):page.index("29,34")]
    assert "thành phần" in row and "không phải điểm chung" in row


# ------------------------------------------------------------------ due dates (issue 14, item 1)

def test_a_cited_documents_date_is_never_a_due_date(site_dir):
    tasks = {t["id"]: t for t in _json(site_dir, "tasks.json")}
    for tid in ("quang-binh-1886-kh-ubnd-2021/pl-3.2.5", "quang-binh-1886-kh-ubnd-2021/pl-3.2.5-b1"):
        t = tasks[tid]
        assert "1107/KH-UBND ngày 25/6/2021" in t["deadline"]
        assert t["due"] is None and t["deadline_kind"] == "conditional", t
    plans = {p["id"]: p for p in _json(site_dir, "plans.json")}
    for t in tasks.values():
        issued = plans[t["plan"]]["issued"]
        if issued and t["due"]:
            assert t["due"] >= issued, (t["id"], t["deadline"], t["due"], issued)


def test_a_due_date_before_the_plans_own_date_is_an_error(tmp_path):
    project = copy_project(tmp_path / "p")
    path = project / "content" / "plans" / "quang-binh-1886-kh-ubnd-2021.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  deadline: Theo tiến độ được giao tại Kế hoạch số 1107/KH-UBND ngày 25/6/2021.\n",
                        "  deadline: Trước ngày 25/6/2021.\n", 1)
    path.write_text(text, encoding="utf-8")
    result = run_main("--content", str(project / "content"), "validate")
    assert result.returncode == 1
    assert "quang-binh-1886-kh-ubnd-2021.yml" in result.stderr and ".deadline:" in result.stderr
    assert "before the plan was issued (2021-09-10)" in result.stderr and "Traceback" not in result.stderr


def test_a_task_with_two_milestones_records_and_shows_both(site_dir):
    t = next(t for t in _json(site_dir, "tasks.json") if t["id"] == "tuyen-quang-116-kh-ubnd-2021/iii-2.2-b3")
    assert [(m["text"], m["deadline"], m["due"]) for m in t["milestones"]] == [
        ("thành lập", "Quý III/2021", "2021-09-30"), ("đưa vào hoạt động", "Quý IV/2021", "2021-12-31")]
    page = (site_dir / "ke-hoach" / "tuyen-quang-116-kh-ubnd-2021" / "index.html").read_text(encoding="utf-8")
    row = page[page.index('id="t-iii-2.2-b3"'):]
    row = row[:row.index("</tr>")]
    assert "thành lập: Quý III/2021" in row and 'datetime="2021-09-30"' in row
    assert "đưa vào hoạt động: Quý IV/2021" in row and 'datetime="2021-12-31"' in row


# ------------------------------------------------------------------ cited documents (issue 14, item 2)

def _documents(site_dir) -> dict:
    return {d["id"]: d for d in _json(site_dir, "documents.json")}


def test_a_date_written_before_the_number_or_on_the_next_line_is_read(site_dir):
    docs = _documents(site_dir)
    bnv = [d for d in docs.values() if d["number"] == "1149/QĐ-BNV"]
    assert [(d["date"], d["citations"][0]["line"]) for d in bnv] == [("2020-12-30", 24)]      # "Ngày 30/12/2020, ... Quyết định số 1149/QĐ-BNV"
    tu = [d for d in docs.values() if d["number"] == "30-QĐ/TU"]
    assert [(d["date"], d["citations"][0]["line"]) for d in tu] == [("2020-05-20", 183)]       # "30-QĐ/TU ngày" / "20/5/2020"


def test_one_document_is_one_record_whatever_form_its_number_is_written_in(site_dir):
    docs = _documents(site_dir)
    ttg19 = [d for d in docs.values() if d["number"] in ("19/QĐ-TTg", "19/2014/QĐ-TTg")]
    assert len(ttg19) == 1 and ttg19[0]["date"] == "2014-03-05"
    assert {(c["plan"], c["line"]) for c in ttg19[0]["citations"]} == {
        ("quang-binh-1886-kh-ubnd-2021", 166), ("binh-dinh-3809-qd-ubnd-2021", 239)}


def test_an_undated_mention_is_merged_into_the_one_dated_document_and_its_page_says_so(site_dir):
    docs = _documents(site_dir)
    nq = [d for d in docs.values() if d["number"] in ("01-NQ/TU", "01-NQ-TU")]
    assert len(nq) == 1 and nq[0]["date"] == "2021-11-04"
    merged = [c for c in nq[0]["citations"] if c["merged"]]
    assert [(c["line"], c["written"]) for c in merged] == [(26, "Nghị quyết số 01-NQ-TU")]
    page = (site_dir / nq[0]["url"] / "index.html").read_text(encoding="utf-8")
    assert "gộp: không ghi ngày" in page


def test_two_documents_sharing_a_number_in_different_years_stay_apart():
    from generator.content.citations import find_mentions
    from generator.content.resolve import _documents as documents
    from types import SimpleNamespace
    plan = SimpleNamespace(id="p", number=None, tasks=[], citations=[],
                           source_text=["Nghị quyết số 99/NQ-CP ngày 03/10/2017 và Nghị quyết số 99/NQ-CP ngày 24/6/2020"])
    docs = documents([plan])
    assert sorted((d.number, d.date.isoformat()) for d in docs) == [("99/NQ-CP", "2017-10-03"), ("99/NQ-CP", "2020-06-24")]
    assert find_mentions(["Ngày 30/12/2020, Bộ Nội vụ ban hành Quyết định số 1149/QĐ-BNV và Quyết định số 12/QĐ-BNV"])[1].date is None


# ------------------------------------------------------------------ downloads match their dictionary (item 7)

def test_datapackage_describes_every_data_file_and_the_files_agree_with_it(site_dir):
    import csv
    import frictionless
    data = site_dir / "data"
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    paths = {r["path"] for r in package["resources"]}
    assert paths == {p.name for p in data.iterdir() if p.is_file() and p.name != "datapackage.json"}
    report = frictionless.validate(str(data / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:10]
    for r in package["resources"]:
        names = [f["name"] for f in r["schema"]["fields"]]
        assert all(f.get("description") for f in r["schema"]["fields"]), r["name"]
        if r["format"] == "csv":
            with open(data / r["path"], encoding="utf-8-sig", newline="") as fh:
                assert next(csv.reader(fh)) == names, r["name"]
        else:
            value = json.loads((data / r["path"]).read_text(encoding="utf-8"))
            rows = value[r["dialect"]["json"]["property"]] if "dialect" in r else value
            assert all(list(row) == names for row in rows), r["name"]
    # the provinces' CSVs (every listing's download is made from them) have the columns of tasks.csv
    task_columns = next(x for x in package["resources"] if x["name"] == "tasks-csv")["schema"]["fields"]
    listing = next((data / "csv" / "tinh").glob("*.csv")).read_text(encoding="utf-8-sig").splitlines()[0]
    assert listing.split(",") == [f["name"] for f in task_columns]


def test_field_is_an_integer_column_and_a_float_there_fails_the_package(site_dir, tmp_path):
    import shutil
    import frictionless
    package = json.loads((site_dir / "data" / "datapackage.json").read_text(encoding="utf-8"))
    tasks_csv = next(r for r in package["resources"] if r["name"] == "tasks-csv")
    assert next(f for f in tasks_csv["schema"]["fields"] if f["name"] == "field")["type"] == "integer"
    text = (site_dir / "data" / "tasks.csv").read_text(encoding="utf-8-sig")
    assert ",1.0," not in text
    # every task CSV (tasks.csv and each listing's) writes a field as a bare integer or leaves it blank, and a
    # reader of the data package gets integers (None for a blank), never floats
    import csv as _csv
    for path in [site_dir / "data" / "tasks.csv", *sorted((site_dir / "data" / "csv").rglob("*.csv"))]:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            assert all(re.fullmatch(r"[1-8]?", r["field"]) for r in _csv.DictReader(fh)), path
    values = {row["field"] for row in frictionless.Resource(str(site_dir / "data" / "tasks.csv"), schema=frictionless.Schema.from_descriptor(tasks_csv["schema"])).read_rows()}
    assert None in values and values - {None} and all(isinstance(v, int) for v in values - {None}), values
    copy = tmp_path / "data"
    shutil.copytree(site_dir / "data", copy, ignore=shutil.ignore_patterns("csv", "finder"))
    lines = text.split("\n")
    header = lines[0].split(",")
    import csv
    import io
    rows = list(csv.reader(io.StringIO(text)))
    i = header.index("field")
    row = next(r for r in rows[1:] if r and r[i])
    row[i] = row[i] + ".0"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    (copy / "tasks.csv").write_text("\ufeff" + buf.getvalue(), encoding="utf-8")
    report = frictionless.validate(str(copy / "datapackage.json"))
    assert not report.valid
    errors = report.flatten(["resourceName", "fieldName", "type"])   # resourceName is not filled in by frictionless 5.21
    assert any(e[1:] == ["field", "type-error"] for e in errors), errors[:5]


def test_readme_dictionary_lists_every_column_of_tasks_csv_and_assignments_csv(site_dir):
    import csv
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, heading in (("tasks.csv", "### `data/tasks.json`"), ("assignments.csv", "### `data/assignments.csv`")):
        section = readme[readme.index(heading):]
        section = section[:section.index("\n### ", 5)]
        documented = set(re.findall(r"`([a-z_]+)`", section))
        with open(site_dir / "data" / name, encoding="utf-8-sig", newline="") as fh:
            columns = next(csv.reader(fh))
        assert set(columns) <= documented, (name, set(columns) - documented)


# ------------------------------------------------------------------ groups (item 5)

def _assignments(site_dir) -> list[dict]:
    import csv
    with open(site_dir / "data" / "assignments.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_combined_groups_tasks_are_listed_counted_and_downloaded_under_each_member(site_dir):
    rows = _assignments(site_dir)
    group_tasks = {(r["task"], r["role"]) for r in rows if r["agency_id"] == "ubnd-cap-huyen-va-cap-xa" and not r["via_group"]}
    assert len(group_tasks) >= 15
    for member in ("ubnd-cap-huyen", "ubnd-cap-xa"):
        mine = {(r["task"], r["role"]) for r in rows if r["agency_id"] == member}
        assert group_tasks <= mine, member
        via = [r for r in rows if r["agency_id"] == member and r["via_group"] == "ubnd-cap-huyen-va-cap-xa"]
        assert via and all(r["written"] for r in via)
    qb_pairs = {(t, role) for t, role in group_tasks if t.startswith("quang-binh-1886-kh-ubnd-2021/")}
    qb_tasks = {t for t, _ in qb_pairs}
    page = (site_dir / "co-quan" / "ubnd-cap-xa" / "quang-binh" / "index.html").read_text(encoding="utf-8")
    assert page.count("qua nhóm “UBND cấp huyện, cấp xã”") == len(qb_pairs)     # one row per role list
    # the download is made in the browser from the rows the page declares (issue 15): they hold these tasks
    declared = json.loads(re.search(r'<script type="application/json" id="csv-rows">(.*?)</script>', page, re.S).group(1))
    listing = {declared["plans"][r[0]][1] + "/" + r[1] for r in declared["rows"]}
    assert qb_tasks <= listing


def test_tax_offices_are_a_group_and_one_wording_has_one_meaning(site_dir):
    tasks = _json(site_dir, "tasks.json")
    thue = [(t["lead_written"] + t["support_written"], t["lead_ids"] + t["support_ids"]) for t in tasks
            if "Các cơ quan Thuế" in t["lead_written"] + t["support_written"]]
    assert thue
    agencies = {a["id"]: a for a in _json(site_dir, "agencies.json")}
    for written, ids in thue:
        aid = ids[written.index("Các cơ quan Thuế")]
        assert agencies[aid]["group"] and agencies[aid]["name"] == "Các cơ quan Thuế" and agencies[aid]["members"] == ["cuc-thue-tinh"]
    # "sở/ngành (có) liên quan" in every spelling names the departments
    meanings = {}
    for t in tasks:
        for w, aid in zip(t["lead_written"] + t["support_written"], t["lead_ids"] + t["support_ids"], strict=True):
            if "ngành" in w.lower() and "liên quan" in w.lower() and "địa phương" not in w.lower():
                meanings.setdefault(aid, set()).add(w)
    assert list(meanings) == ["cac-so-ban-nganh"], meanings


def test_typo_aliases_are_exported_and_listed_on_the_data_quality_page(site_dir):
    agencies = {a["id"]: a for a in _json(site_dir, "agencies.json")}
    variants = {v["written"]: (aid, v["plans"]) for aid, a in agencies.items() for v in a["written_variants"]}
    for typo in ("Bưu điện tinh", "Cục Thuế tinh", "Các Sở, banh, ngành", "UNBD cấp huyện, cấp xã", "cốc Sở, ngành liên quan"):
        assert typo in variants, typo
    assert variants["UNBD cấp huyện, cấp xã"] == ("ubnd-cap-huyen-va-cap-xa", ["quang-binh-1886-kh-ubnd-2021"])
    page = next(site_dir.glob("**/chat-luong*/**/quang-binh-1886-kh-ubnd-2021/index.html"), None) or next(
        p for p in site_dir.rglob("index.html") if "quang-binh-1886" in str(p) and "chat-luong" in str(p))
    html = page.read_text(encoding="utf-8")
    for typo in ("Bưu điện tinh", "Cục Thuế tinh", "Các Sở, banh, ngành", "UNBD cấp huyện, cấp xã"):
        assert typo in html, typo


def test_a_group_member_that_does_not_exist_is_refused(tmp_path):
    project = copy_project(tmp_path / "p")
    path = project / "content" / "registry" / "agencies" / "groups.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("[ubnd-cap-huyen, ubnd-cap-xa]", "[ubnd-cap-huyen, ubnd-cap-xaa]"), encoding="utf-8")
    result = run_main("--content", str(project / "content"), "validate")
    assert result.returncode == 1
    assert "groups.yml" in result.stderr and "unknown member id(s): ubnd-cap-xaa" in result.stderr


# ------------------------------------------------------------------ "Phối hợp với" (item 4)

def test_the_partner_a_phoi_hop_voi_bullet_names_is_recorded_and_found_by_its_filter(site_dir):
    tasks = {t["id"]: t for t in _json(site_dir, "tasks.json")}
    b7 = tasks["quang-binh-1886-kh-ubnd-2021/ii-1-b7"]
    assert b7["text"].startswith("Phối hợp với Sở Tài chính") and b7["lead"] == ["Sở Nội vụ"] and "Sở Tài chính" in b7["support"]
    b9 = tasks["quang-binh-1886-kh-ubnd-2021/ii-4-b9"]
    assert b9["text"].startswith("Phối hợp với Sở Nội vụ") and b9["lead"] == ["Sở Tài chính"] and "Sở Nội vụ" in b9["support"]
    rows = _assignments(site_dir)
    assert any(r["task"] == b7["id"] and r["agency_id"] == "so-tai-chinh" and r["role"] == "support" for r in rows)
    # one convention in every plan: the heading's agency leads, every partner named after "Phối hợp với" supports
    for t in tasks.values():
        m = re.match(r"(?i)phối hợp(?: chặt chẽ)? với (.+)", t["text"])
        if m:
            assert t["lead"] and any(w.casefold() in m.group(1).casefold() for w in t["support_written"]), t["id"]


def test_validate_flags_a_phoi_hop_voi_bullet_that_records_no_partner(tmp_path):
    project = copy_project(tmp_path / "p")
    path = project / "content" / "plans" / "quang-binh-1886-kh-ubnd-2021.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- id: ii-1-b7\n")
    text = text[:start] + text[start:].replace("  - Sở Tài chính\n", "", 1)
    path.write_text(text, encoding="utf-8")
    result = run_main("--content", str(project / "content"), "validate")
    assert result.returncode == 1
    assert "tasks[6].support: the task starts with \"Phối hợp với\"" in result.stderr and "records none of the agencies" in result.stderr
    assert result.stderr.count("records none of the agencies") == 1


# ------------------------------------------------------------------ what the plans also say (item 6)

def test_numeric_targets_in_quang_binh_tasks_are_objectives(site_dir):
    plans = {p["id"]: p for p in _json(site_dir, "plans.json")}
    objectives = plans["quang-binh-1886-kh-ubnd-2021"]["objectives"]
    by_line = {o["source_lines"][0]: o for o in objectives}
    assert {92, 132, 136, 190} <= set(by_line)
    assert [t["value"] for t in by_line[132]["targets"]] == [60, 95]
    assert [t["value"] for t in by_line[136]["targets"]] == [2.5]
    assert [t["value"] for t in by_line[190]["targets"]] == [20]
    source = (ROOT / "content" / "sources" / "quang-binh-1886-kh-ubnd-2021.txt").read_text(encoding="utf-8").split("\n")
    for line, o in by_line.items():
        assert o["text"] in source[line - 1], line


def test_funding_and_requests_are_recorded_alike_in_every_plan(site_dir):
    tasks = {t["id"]: t for t in _json(site_dir, "tasks.json")}
    funding = tasks["quang-ninh-131-ctr-ubnd-2021/iv-2"]
    assert funding["source_lines"] == [349, 349] and funding["lead"] == ["Sở Tài chính", "Sở Kế hoạch và Đầu tư"]
    assert {"quang-tri-ke-hoach-cchc-2022/iv-p1", "quang-tri-ke-hoach-cchc-2022/iv-p2"} <= set(tasks)
    requests = [t for t in tasks.values() if t["text"].startswith("Đề nghị")] + [
        t for t in tasks.values() if t["id"].startswith("binh-dinh-3809-qd-ubnd-2021/iii-1.2.6-")]
    assert {t["plan"] for t in requests} == {"binh-dinh-3809-qd-ubnd-2021", "quang-ninh-131-ctr-ubnd-2021"}
    for t in requests:
        assert t["note"] and "đề nghị" in t["note"].lower() and "không phải giao nhiệm vụ" in t["note"], t["id"]
    assert {"quang-ninh-131-ctr-ubnd-2021/v-6", "quang-ninh-131-ctr-ubnd-2021/v-7"} <= {t["id"] for t in requests}


def test_binh_dinh_plan_page_states_the_total_line_the_text_gives(site_dir):
    page = (site_dir / "ke-hoach" / "binh-dinh-3809-qd-ubnd-2021" / "index.html").read_text(encoding="utf-8")
    assert "không có dòng tổng cộng" not in page
    assert "TỔNG CỘNG: 40 NHIỆM VỤ" in page
    source = (ROOT / "content" / "sources" / "binh-dinh-3809-qd-ubnd-2021.txt").read_text(encoding="utf-8").split("\n")
    assert source[573].startswith("TỔNG CỘNG: 40 NHIỆM VỤ")
    plans = {p["id"]: p for p in _json(site_dir, "plans.json")}
    issuer = plans["binh-dinh-3809-qd-ubnd-2021"]["issuer"]
    assert issuer in "\n".join(source)          # as written, never composed ("UBND tỉnh Bình Định" is not in the text)
    assert "UBND tỉnh Bình Định" not in "\n".join(source) and "Ủy ban nhân dân tỉnh Bình Định" not in "\n".join(source)
