"""Everything a reader sees is Vietnamese: no English prose in any built page's text or in the attributes a
reader meets (tooltips, labels, alternative text); the copied website's furniture on a source page is marked as
not part of the document; heading anchors keep "đ" as "d" and the old anchors still resolve."""
from __future__ import annotations

import html.parser
import re


# English function words that are not also Vietnamese syllables written without marks ("to", "an", "in" are).
ENGLISH = frozenset("""the and of with is are this that which from for by its not be has have was were it or at
made initializing search loading read reads written source text row rows lines heading but into when where there
their they these those than then also only per each copied website page kept under itself""".split())
SKIP = {"script", "style", "code", "pre", "svg", "kbd", "samp"}
SEEN_ATTRS = ("title", "aria-label", "alt", "placeholder", "data-label")
URL_OR_FILE = re.compile(r"\S+://\S+|\S+\.(?:csv|json|atom|ics|txt|yml|xml)\b")
WORD = re.compile(r"[^\W\d_]+")


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            self.skip += 1
        for name, value in attrs:
            if name in SEEN_ATTRS and value:
                self.chunks.append("\n" + value + "\n")

    def handle_endtag(self, tag):
        if tag in SKIP:
            self.skip = max(0, self.skip - 1)

    def handle_data(self, data):
        if not self.skip:
            self.chunks.append(data)


def english_prose(page_html: str) -> list[str]:
    """Runs of text where, among six words in a row starting with an English function word, at least two are
    English function words: "Made with Material for MkDocs", "Initializing search", "The lead cell lists"."""
    parser = _Text()
    parser.feed(page_html)
    found = []
    for chunk in " ".join(parser.chunks).split("\n"):
        words = WORD.findall(URL_OR_FILE.sub(" ", chunk))
        for i in range(len(words)):
            window = [x.lower() for x in words[i:i + 6]]
            if window[0] in ENGLISH and sum(x in ENGLISH for x in window) >= 2:
                found.append(" ".join(words[max(0, i - 2):i + 6]))
    return found


def test_the_detector_finds_english_and_passes_vietnamese():
    assert english_prose("<p>Ghi chú: The lead cell lists four agencies (lines 799-805) and the support cell two lines</p>")
    assert english_prose('<footer>Made with <a href="x">Material for MkDocs</a></footer>')
    assert english_prose('<div class="md-search-result__meta">Initializing search</div>')
    assert english_prose('<a title="Copied from a public website">x</a>')
    assert not english_prose("<p>Sở Nội vụ chủ trì, phối hợp với Sở Tài chính; hạn: 31/12/2021. PAR INDEX, SIPAS.</p>")
    assert not english_prose("<p>Trang được dựng bằng MkDocs và Material for MkDocs.</p><code>the source of it is</code>")


def test_no_page_shows_english_prose(site_dir):
    bad = {}
    for f in sorted(site_dir.rglob("*.html")):
        found = english_prose(f.read_text(encoding="utf-8"))
        if found:
            bad[str(f.relative_to(site_dir))] = found[:3]
    assert not bad, f"{len(bad)} pages with English text, e.g. {list(bad.items())[:5]}"


def test_finder_and_search_box_speak_vietnamese(open_page):
    page = open_page("tim-nhiem-vu/?tieu-chi=7.2").page
    page.wait_for_selector("#finder[data-ready='1']")
    assert not english_prose(page.content())


def test_source_page_marks_the_websites_furniture_as_not_part_of_the_document(open_page):
    page = open_page("ke-hoach/quang-binh-1886-kh-ubnd-2021/van-ban-goc/").page
    for n in (1, 2, 3):
        line = page.locator(f"#L{n}")
        assert "furniture" in line.get_attribute("class")
        assert line.locator(".furniture-label").inner_text() == "không thuộc văn bản"
        assert line.locator(".furniture-label").is_visible()
    # the text itself is kept verbatim
    assert page.locator("#L2 .lt").inner_text() == "Đang tải nội dung, vui lòng chờ giây lát..."
    # the document's own lines are not marked
    assert page.locator(".line.furniture").count() == 3
    assert "furniture" not in page.locator("#L5").get_attribute("class")
    qn = open_page("ke-hoach/quang-ninh-131-ctr-ubnd-2021/van-ban-goc/").page
    marked = qn.locator(".line.furniture .lt").all_inner_texts()
    assert "Tải văn bản" in marked and "HIỆU LỰC VĂN BẢN" in marked


def test_heading_anchors_keep_d_and_old_anchors_still_land_on_the_heading(open_page):
    page = open_page("tinh/quang-binh/").page
    ids = page.locator("article h2[id]").evaluate_all("hs => hs.map(h => h.id)")
    assert "diem-so-va-xep-hang" in ids, ids
    assert not any(re.search(r"(^|-)iem-", i) for i in ids), ids
    page.goto(page.url + "#iem-so-va-xep-hang")
    top = page.locator("#diem-so-va-xep-hang").evaluate("h => h.getBoundingClientRect().top")
    assert 0 <= top < 300, top
    toc = page.locator("nav.md-nav--secondary a[href='#diem-so-va-xep-hang']")
    assert toc.count() >= 1
