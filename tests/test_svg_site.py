"""Every drawing of the built sample site (diagrams, local graphs, concept maps, the site map):
legible on a phone, well-formed numbers, no nested links, no self-links (BeautifulSoup)."""

from __future__ import annotations

import posixpath
import re

import pytest

NARROW_VIEWPORT_COLUMN = 320 - 32  # main's 1rem padding on each side
WIDE_VIEWPORT_COLUMN = 760 - 32  # the wide drawings show from 47.5em (760 px) up
FRAMED = 2 * (12 + 1)  # figure.local-graph / .concept-map / .site-map: 0.75rem padding and a border
NEGATIVE_ZERO = re.compile(r"(?<![\d.])-0(?:\.0+)?(?![.\d])")


def drawings(site):
    for rel in site.html_files():
        soup = site.soup(rel)
        for svg in soup.find_all("svg"):
            yield rel, soup, svg


def font_size(el) -> float:
    """The font size of a text element: its own attribute or the nearest ancestor's."""
    while el is not None and el.name not in (None, "[document]"):
        if el.has_attr("font-size"):
            return float(el["font-size"])
        el = el.parent
    raise AssertionError("text without a font size")


def rendered_width(svg) -> float:
    """The narrowest width the drawing is shown at: its column at the narrowest viewport
    that shows it (320 px for narrow drawings and those without a variant, 760 px for wide)."""
    classes = svg.get("class", [])
    column = WIDE_VIEWPORT_COLUMN if ("dg-wide" in classes or "cg-wide" in classes) else NARROW_VIEWPORT_COLUMN
    framed = svg.find_parent("figure", class_=["local-graph", "concept-map", "site-map"]) is not None
    return column - (FRAMED if framed else 0)


def test_every_svg_label_renders_at_9px_or_more(sample_site):
    checked = 0
    for rel, _soup, svg in drawings(sample_site):
        texts = svg.find_all("text")
        if not texts or svg.find_parent(class_="citation-timeline"):
            continue
        vb_width = float(svg["viewbox"].split()[2])
        scale = min(1.0, rendered_width(svg) / vb_width) if "width" in svg.attrs else rendered_width(svg) / vb_width
        smallest = min(font_size(t) for t in texts) * scale
        assert smallest >= 9.0, (rel, svg.get("class"), smallest)
        checked += 1
    assert checked > 20


def test_every_drawing_has_a_variant_for_narrow_screens(sample_site):
    kinds = set()
    for rel, _soup, svg in drawings(sample_site):
        classes = svg.get("class", [])
        if svg.find_parent(class_="citation-timeline"):
            continue
        assert {"dg-wide", "dg-narrow", "cg-wide", "cg-narrow"} & set(classes), (rel, classes)
        if "dg-wide" in classes or "cg-wide" in classes:
            kinds.add(classes[1] if "dg-svg" in classes else classes[0])
            narrow = svg.find_next_sibling("svg")
            assert narrow is not None and {"dg-narrow", "cg-narrow"} & set(narrow["class"]), rel
            ids = {el["id"] for el in svg.find_all(id=True)}
            assert not ids & {el["id"] for el in narrow.find_all(id=True)}, rel
    assert kinds >= {"dg-intermediary", "dg-causal-loop", "dg-concept-map", "dg-cycle", "local-graph-svg",
                     "concept-map-svg", "site-map-svg"}, kinds


def test_no_negative_zero_in_any_svg_number(sample_site):
    for rel, _soup, svg in drawings(sample_site):
        for el in [svg, *svg.find_all(True)]:
            for name in ("viewbox", "d", "x", "y", "cx", "cy", "r", "rx", "ry", "width", "height",
                         "x1", "y1", "x2", "y2", "stroke-width", "font-size"):
                value = el.get(name)
                if value:
                    assert not NEGATIVE_ZERO.search(value), (rel, el.name, name, value)


def test_no_link_inside_an_svg_of_role_img(sample_site):
    """axe-core's nested-interactive: an image has no interactive content, even out of the tab order."""
    images = 0
    for rel, _soup, svg in drawings(sample_site):
        if svg.get("role") == "img":
            images += 1
            assert not svg.find_all(["a", "button", "input"]), rel
            assert not svg.find_all(attrs={"tabindex": True}), rel
    assert images > 10


def test_graph_links_are_for_the_pointer_only_and_never_to_their_own_page(sample_site):
    """A drawing's links are out of the tab order and hidden from screen readers (the words next to
    the drawing hold the same links, tested in the browser)."""
    for rel, _soup, svg in drawings(sample_site):
        for a in svg.find_all("a"):
            assert svg.get("role") == "group", rel
            assert a.get("tabindex") == "-1" and a.get("aria-hidden") == "true", (rel, a)
            href = a["href"]
            if href.startswith("#"):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), href))
            assert target != rel, (rel, href)


@pytest.mark.parametrize("selector, text_version", [
    ("figure.diagram", "details.diagram-text"),
    ("figure.local-graph", "details.local-graph__text"),
])
def test_text_version_right_under_each_drawing(sample_site, selector, text_version):
    found = 0
    for rel in sample_site.html_files():
        for fig in sample_site.soup(rel).select(selector):
            found += 1
            children = [c.name for c in fig.find_all(True, recursive=False)]
            drawn = children.index("figcaption") if "figcaption" in children else children.index("details")
            assert set(children[:drawn]) == {"svg"}, (rel, children)  # the drawings first
            text = fig.select_one(text_version)
            assert text is not None and text.find_parent("figure") is fig, rel
            # Nothing between the drawings and the text version but the caption's own title line.
            before = [el for el in text.find_all_previous(True) if el.find_parent("figure") is fig
                      and el.name not in ("svg", "figcaption") and not el.find_parent("svg")]
            assert all(el.name in ("span",) or el in text.parents for el in before), (rel, [e.name for e in before])
    assert found


def test_local_graph_has_a_heading(sample_site):
    soup = sample_site.soup("2005/09/why-we-exist.html")
    panel = soup.select_one("section.local-graph-panel")
    assert panel.h2 and panel["aria-labelledby"] == panel.h2["id"]
    assert panel.select_one("figure.local-graph svg")
