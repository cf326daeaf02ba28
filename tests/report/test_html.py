"""The HTML county report: one valid, self-contained page with inline SVG charts."""

import re
from html.parser import HTMLParser

import attrs
import pytest

from eduequity.report import render_county

VOID = {"meta", "br", "hr", "img", "input", "link", "area", "base", "col", "source", "wbr"}
FAILING_SCHOOLS = ("0990010002", "0990010005", "0990010203", "0990010101", "0990010202")


class Structure(HTMLParser):
    """Records the tag structure, the attributes and the text of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.errors = []
        self.starts = []
        self.decl = None
        self.text = []
        self.svg_classes = []
        self.rects = []
        self.ids = set()

    def handle_decl(self, decl):
        self.decl = decl

    def handle_starttag(self, tag, attrs):
        self.starts.append((tag, dict(attrs)))
        if "id" in dict(attrs):
            self.ids.add(dict(attrs)["id"])
        if tag == "svg":
            self.svg_classes.append(dict(attrs).get("class", ""))
        if tag == "rect":
            self.rects.append((self.svg_classes[-1].split(), dict(attrs).get("class", "").split()))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.starts.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(page):
    parser = Structure()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def page(demo):
    return render_county(demo, "html")


@pytest.fixture(scope="module")
def structure(page):
    return parse(page)


def test_html5_document_with_balanced_tags(page, structure):
    assert page.startswith("<!DOCTYPE html>\n")
    assert structure.decl == "DOCTYPE html"
    assert not structure.errors
    assert structure.stack == []
    tags = [tag for tag, _ in structure.starts]
    assert tags[0] == "html"
    assert dict(structure.starts[0][1]) == {"lang": "zh-CN"}
    assert ("meta", {"charset": "utf-8"}) in structure.starts
    assert tags.count("html") == tags.count("head") == tags.count("body") == 1
    assert tags.index("title") < tags.index("body")  # the page's title
    for tag, attributes in structure.starts:
        if tag == "svg":
            assert attributes["role"] == "img"
            assert attributes["aria-labelledby"] in structure.ids
    assert tags.count("style") == 1


def test_self_contained_no_network_no_script(page, structure):
    tags = [tag for tag, _ in structure.starts]
    assert "script" not in tags
    assert "link" not in tags
    assert "img" not in tags
    assert "iframe" not in tags
    for _tag, attributes in structure.starts:
        for name in ("src", "href", "xlink:href", "action", "srcset"):
            value = attributes.get(name)
            assert value is None or value.startswith("#"), (name, value)
    assert "@import" not in page
    assert not re.search(r"url\(", page)
    assert "<script" not in page.lower()


def test_one_svg_per_indicator_and_a_cv_chart(structure):
    indicator = [c for c in structure.svg_classes if "indicator-chart" in c.split()]
    cv = [c for c in structure.svg_classes if "cv-chart" in c.split()]
    assert len(indicator) == 7  # the 7 indicators of the 2017 method (§3.1)
    assert len(cv) == 1
    assert len([c for c in structure.svg_classes if "recognition-chart" in c.split()]) == 1


def test_failing_sections_are_highlighted_in_the_charts(structure):
    def bars(chart, tone):
        return sum(chart in svg and f"bar-{tone}" in rect for svg, rect in structure.rects)

    # Failing sections below a standard: 0990010002 (L5), 0990010005 (L2) and the junior
    # section of 0990010203 on L1 and L6 (README §1.2).
    assert bars("indicator-chart", "fail") == 4
    # Standards missed above the floor by passing units: 0990010012 (L6), 0990010109 (L5).
    assert bars("indicator-chart", "warn") == 2
    # Bars per indicator chart: one per school section, 23 primary + 15 junior (README §1.1).
    assert sum("indicator-chart" in svg for svg, _ in structure.rects) == 7 * (23 + 15)
    # The primary L5 CV, the only one above its limit.
    assert bars("cv-chart", "fail") == 1
    assert sum("cv-chart" in svg for svg, _ in structure.rects) == 14
    # Teachers (0.8288) and the public (0.7937) are below 0.85 (README §1.4).
    assert bars("recognition-chart", "warn") == 2


def test_verdict_parts_and_failing_schools_appear(structure):
    text = " ".join("".join(structure.text).split())
    assert "结论 Verdict: 未通过 FAIL" in text
    for heading in (
        "申报条件 Preconditions",
        "Part 1 Resource allocation",
        "一票否决 One-vote veto",
    ):
        assert heading in text
    for school in FAILING_SCHOOLS:
        assert school in text
    assert "9 555 m²" in text
    assert "数学 (grade 8)" in text


def test_same_content_as_markdown(demo, structure):
    markdown = render_county(demo, "markdown")
    text = " ".join("".join(structure.text).split())
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")] if line.startswith("|") else []
        for cell in cells:
            if cell and not set(cell) <= set("-: ") and "\\" not in cell:
                assert cell in text, cell


def test_every_text_is_escaped(demo):
    hostile = '<script>alert("x")</script> & <b>'
    page = render_county(attrs.evolve(demo, county=hostile), "html")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;" in page
    structure = parse(page)
    assert not structure.errors
    assert hostile in "".join(structure.text)


def test_2012_charts(demo_2012):
    structure = parse(render_county(demo_2012, "html"))
    assert not structure.errors
    indicator = [c for c in structure.svg_classes if "indicator-chart" in c.split()]
    assert len(indicator) == 8  # the 8 indicators of the 2012 method (§10)
    balance = [(chart, rect) for chart, rect in structure.rects if "recognition-chart" not in chart]
    assert not any("bar-fail" in rect or "bar-warn" in rect for _, rect in balance)
    # The satisfaction survey is decided in 2012 too (>= 85%): its groups are charted, and the
    # teachers (0.829) and the public (0.794) are below the threshold (data README §1.3).
    recognition = [rect for chart, rect in structure.rects if "recognition-chart" in chart]
    assert sum("bar-warn" in rect for rect in recognition) == 2
