"""Accessibility judged by a tool nobody here wrote: axe-core (npm, pinned in package-lock.json, installed by
`make test` with `npm ci`), injected into the built pages in the same headless Chromium the other tests use.

One page of every page kind, at 1280 px and at 375 px: no violation of impact "serious" or "critical" (axe's
default rules: WCAG 2.0/2.1/2.2 A and AA plus its best practices, and target-size, which Lighthouse checks too). Violations of lower impact are counted and
printed at the end of the run (they do not fail it; tests/conftest.py sums them over the workers). The finder is checked after a query typed key by key, so
its result cards are judged too. Then every focusable element of a page's content is reached with the Tab key
and must show a visible focus indicator.
"""
from __future__ import annotations

import pytest

from conftest import DESKTOP, ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PLAN = "ke-hoach/quang-binh-1886-kh-ubnd-2021/"

# page kind -> one page of that kind
PAGES = {
    "home": "",
    "provinces": "tinh/",
    "province": "tinh/quang-binh/",
    "plans": "ke-hoach/",
    "plan": PLAN,
    "source": PLAN + "van-ban-goc/",
    "fields": "linh-vuc/",
    "field": "linh-vuc/7/",
    "field_province": "linh-vuc/7/quang-binh/",
    "criterion": "tieu-chi/7.2.1/",
    "matrix": "ma-tran/",
    "agencies": "co-quan/",
    "agency": "co-quan/so-noi-vu/",
    "agency_province": "co-quan/so-noi-vu/quang-binh/",
    "deadlines": "han/",
    "deadlines_province": "han/quang-binh/",
    "finder": "tim-nhiem-vu/",
    "data": "du-lieu/",
    "documents": "van-ban/",
    "document": "van-ban/01-nq-tu-2021/",
    "quality": "chat-luong/",
    "quality_plan": "chat-luong/quang-binh-1886-kh-ubnd-2021/",
    "about": "gioi-thieu/",
}
WIDTHS = {"1280": DESKTOP, "375": {"width": 375, "height": 812}}
FINDER_QUERY = "so noi vu"
BLOCKING = ("serious", "critical")

def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make npm` (npm ci from package-lock.json)")
    return str(AXE)


def type_finder_query(page) -> None:
    """Type the query as a reader does, key by key, and wait until the result rows are shown."""
    box = page.locator("#finder-q")
    box.click()
    box.press_sequentially(FINDER_QUERY, delay=30)
    page.wait_for_function(
        "q => new URLSearchParams(location.search).get('tu-khoa') === q"
        " && document.querySelectorAll('#finder tr.task').length > 0", arg=FINDER_QUERY, timeout=20000)
    page.wait_for_load_state("networkidle")


def axe_violations(page) -> list[dict]:
    if page.evaluate("typeof axe === 'undefined'"):
        page.add_script_tag(path=axe_source())
    return page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations'], rules: {'target-size': {enabled: true}}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
            examples: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary.split('\\n').slice(1, 2).join(' ').trim())}));
    }""")


SETTLED = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


@pytest.mark.parametrize("kind", list(PAGES))
def test_no_serious_or_critical_axe_violation(open_page, record_property, kind):
    """Both widths in one page load (axe's own run is most of the cost): the page is loaded at the first width and
    judged, then the window is resized to the next width, laid out again, and judged again. axe judges the page
    as it is laid out when it runs: on every kind here it found, rule for rule and element count for element count,
    what it finds on a page loaded at that width (compared when the two loads became one)."""
    first, *others = WIDTHS
    w = open_page(PAGES[kind], WIDTHS[first])
    if kind == "finder":
        type_finder_query(w.page)
    failures = []
    for width in (first, *others):
        if width != first:
            w.page.set_viewport_size(WIDTHS[width])
            w.page.wait_for_function("w => innerWidth === w", arg=WIDTHS[width]["width"])
            w.page.evaluate(SETTLED)
        violations = axe_violations(w.page)
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        record_property("axe_minor", [(width, v["id"], v["impact"], v["nodes"]) for v in violations if v["impact"] not in BLOCKING])
        failures += [f"{kind} at {width} px: {v['id']} ({v['impact']}, {v['nodes']} elements: {v['help']}) e.g. {v['examples']}"
                     for v in blocking]
    record_property("axe_checked", kind)
    assert not failures, "; ".join(failures)


# ---------------------------------------------------------------- a keyboard reader sees where they are

FOCUS_PAGES = ["home", "plan", "finder"]

VISIBLE_FOCUS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    const ring = s.boxShadow && s.boxShadow !== 'none';
    const inMain = !!el.closest('.md-content');
    const again = el.hasAttribute('data-focus-seen');
    el.setAttribute('data-focus-seen', '');
    const label = (el.getAttribute('aria-label') || el.textContent || el.name || el.tagName).trim().slice(0, 60);
    return {inMain, again, visible: outline || ring, label, tag: el.tagName};
}"""


@pytest.mark.parametrize("kind", FOCUS_PAGES)
def test_every_focusable_element_of_the_content_shows_its_focus(open_page, kind):
    w = open_page(PAGES[kind], DESKTOP)
    page = w.page
    if kind == "finder":
        type_finder_query(page)
        page.locator("#finder-q").blur()
    page.locator("body").click(position={"x": 1, "y": 1})
    focusable = page.evaluate("""() => document.querySelectorAll(['a[href]', 'button', 'input', 'select',
        '[tabindex]:not([tabindex="-1"])'].map(s => '.md-content ' + s).join(', ')).length""")
    assert focusable > 0
    seen, invisible = 0, []
    for _ in range(min(focusable, 60) + 40):   # the header's links and controls come first
        page.keyboard.press("Tab")
        state = page.evaluate(VISIBLE_FOCUS)
        if not state or not state["inMain"]:
            continue
        if state["again"]:   # Tab went round the whole page
            break
        seen += 1
        if not state["visible"]:
            invisible.append(f"{state['tag']} {state['label']!r}")
        if seen >= 60:
            break
    assert seen > 0, f"{kind}: Tab never reached the page's content"
    assert not invisible, f"{kind}: {len(invisible)} of {seen} focused elements show no focus indicator: {invisible[:5]}"
