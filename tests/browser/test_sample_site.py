"""The sample site in Chromium: axe-core on every page type at 390 and 1280 px, light and dark; SVG label
sizes, clipping and sideways scrolling at 390 and 320 px; the Tab order; the connections area."""

from __future__ import annotations

import pytest

from tools import browser

from .checks import CLIPPED, SIDEWAYS, SVG_LABEL_SIZES, axe_both_schemes, describe, tab_stops

PAGES = browser.SAMPLE_PAGES
NARROW = (390, 320)
MIN_LABEL_PX = 9.0  # issue 11: every SVG label renders at 9 px or more on a phone
# Page types whose inline SVGs (diagrams, local graph, tag map, site map) hold links today: axe's
# nested-interactive fires on them until the svgkit branch moves the links out of <svg role="img">.
SVG_LINK_PAGES = {"article-intermediary", "article-causal-loop", "article-concept-map", "article-cycle",
                  "article-many-backlinks", "page", "tag", "map", "diagram-index"}
SVG_PAGES = sorted(SVG_LINK_PAGES)
# Diagrams wider than a phone today (the intermediary, causal-loop, concept-map and cycle layouts).
WIDE_DRAWING_PAGES = {"article-intermediary", "article-causal-loop", "article-concept-map", "article-cycle",
                      "article-many-backlinks", "diagram-index"}
SVGKIT = pytest.mark.xfail(strict=False, reason="svgkit branch")
BACKLINKS_SHOWN = 5  # issue 11, point 5: the first five backlinks, the rest behind "all N"


@pytest.fixture(scope="module")
def axe_results(sample_url, pages_at):
    """(page type, width) -> {scheme: violations}; each page is loaded once per width, axe run per scheme."""
    cache = {}

    def get(name: str, width: int):
        if (name, width) not in cache:
            page = pages_at(sample_url + PAGES[name], width)
            try:
                found = axe_both_schemes(page)
                cache[name, width] = found
            finally:
                page.close()
        return cache[name, width]

    return get


def _report(found: dict, keep) -> str:
    return "\n".join(f"[{scheme}]\n{describe([v for v in vs if keep(v)])}"
                     for scheme, vs in found.items() if any(keep(v) for v in vs))


def test_every_page_type_is_built(sample_site):
    missing = [rel for rel in PAGES.values() if not sample_site.path(rel).is_file()]
    assert not missing


@pytest.mark.parametrize("width", browser.WIDTHS)
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_zero_violations(axe_results, name, width):
    """Every axe-core rule except nested-interactive (its own test below), light and dark."""
    found = axe_results(name, width)
    problems = _report(found, lambda v: v["id"] != "nested-interactive")
    assert not problems, f"{PAGES[name]} at {width}px:\n{problems}"


@pytest.mark.parametrize("width", browser.WIDTHS)
@pytest.mark.parametrize("name", [
    pytest.param(n, marks=SVGKIT) if n in SVG_LINK_PAGES else n for n in PAGES])
def test_axe_no_nested_interactive(axe_results, name, width):
    found = axe_results(name, width)
    problems = _report(found, lambda v: v["id"] == "nested-interactive")
    assert not problems, f"{PAGES[name]} at {width}px:\n{problems}"


@pytest.fixture(scope="module")
def narrow(sample_url, pages_at):
    """(page type, width) -> {"labels", "sideways", "clipped"}, measured in one load of the page."""
    cache = {}

    def get(name: str, width: int):
        if (name, width) not in cache:
            page = pages_at(sample_url + PAGES[name], width)
            try:
                cache[name, width] = {"labels": page.evaluate(SVG_LABEL_SIZES), "sideways": page.evaluate(SIDEWAYS),
                                      "clipped": page.evaluate(CLIPPED)}
            finally:
                page.close()
        return cache[name, width]

    return get


@pytest.mark.parametrize("width", NARROW)
@pytest.mark.parametrize("name", [pytest.param(n, marks=SVGKIT) for n in SVG_PAGES])
def test_svg_labels_readable_on_a_phone(narrow, name, width):
    sizes = narrow(name, width)["labels"]
    assert sizes, f"{PAGES[name]} shows no SVG text"
    small = sorted((s for s in sizes if s["size"] < MIN_LABEL_PX), key=lambda s: s["size"])
    assert not small, f"{PAGES[name]} at {width}px: {len(small)} labels under {MIN_LABEL_PX}px, e.g. " + \
        "; ".join(f"{s['text']!r} {s['size']:.1f}px in {s['figure']}" for s in small[:5])


@pytest.mark.parametrize("width", NARROW)
@pytest.mark.parametrize("name", list(PAGES))
def test_no_sideways_scrolling(narrow, name, width):
    scroll_width, inner_width = narrow(name, width)["sideways"]
    assert scroll_width <= inner_width, f"{PAGES[name]} at {width}px is {scroll_width}px wide"


@pytest.mark.parametrize("width", NARROW)
@pytest.mark.parametrize("name", [pytest.param(n, marks=SVGKIT) if n in WIDE_DRAWING_PAGES else n
                                  for n in SVG_PAGES])
def test_drawings_not_clipped(narrow, name, width):
    """Every SVG and figure lies within the viewport, and nothing inside a figure scrolls sideways."""
    clipped = narrow(name, width)["clipped"]
    assert not clipped, f"{PAGES[name]} at {width}px:\n" + "\n".join(clipped)


@pytest.fixture(scope="module")
def tab_order(sample_url, pages_at):
    cache = {}

    def get(name: str):
        if name not in cache:
            page = pages_at(sample_url + PAGES[name], 1280)
            try:
                cache[name] = tab_stops(page)
            finally:
                page.close()
        return cache[name]

    return get


@pytest.mark.parametrize("name", list(PAGES))
def test_skip_link_is_the_first_tab_stop(tab_order, name):
    stops = tab_order(name)
    assert stops, f"{PAGES[name]}: nothing takes focus"
    if name == "redirect":  # a bare page: its one link is the way on
        assert stops[0]["tag"] == "a"
        return
    assert "skip-link" in stops[0]["cls"].split(), stops[0]
    assert stops[0]["href"].endswith("#main")


def test_backlinks_reachable_by_keyboard(tab_order, sample_site):
    """The first five backlinks are Tab stops, then the "all N" disclosure that holds the rest."""
    name = "article-many-backlinks"
    soup = sample_site.soup(PAGES[name])
    section = soup.select_one("section.backlinks")
    total = len(section.select("li"))
    assert total > BACKLINKS_SHOWN
    stops = [s for s in tab_order(name) if s["region"] == "section.backlinks" or s["region"] == "details.backlinks__more"]
    titles = [s for s in stops if "backlink__title" in s["cls"].split()]
    assert len(titles) == BACKLINKS_SHOWN
    summaries = [s for s in stops if s["tag"] == "summary"]
    assert len(summaries) == 1 and f"all {total}" in summaries[0]["name"]


@pytest.mark.parametrize("name", ["article-intermediary", "article-causal-loop", "article-concept-map",
                                  "article-cycle", "diagram-index"])
def test_diagram_text_version_reachable(tab_order, sample_site, name):
    expected = len(sample_site.soup(PAGES[name]).select("figure.diagram details.diagram-text > summary"))
    assert expected
    reached = [s for s in tab_order(name) if s["tag"] == "summary" and s["region"] == "details.diagram-text"]
    assert len(reached) == expected


@pytest.mark.parametrize("name", [pytest.param(n, marks=SVGKIT) for n in
                                  ("article-many-backlinks", "page", "tag", "map")])
def test_every_graph_link_reachable_once(sample_url, pages_at, name):
    """Each place a graph links to is one named Tab stop (in the drawing or in its text version, opened), never
    the page itself."""
    page = pages_at(sample_url + PAGES[name], 1280)
    try:
        page.evaluate("() => document.querySelectorAll('figure details').forEach(d => d.open = true)")
        targets = page.evaluate("""() => [...new Set([...document.querySelectorAll('figure svg a')].map(a =>
            new URL(a.getAttribute('href') || a.getAttribute('xlink:href'), location.href).href))]""")
        stops = tab_stops(page)
        here = page.url
    finally:
        page.close()
    assert targets, f"{PAGES[name]} has no graph links"
    in_figures = [s for s in stops if s["in_figure"] and s["href"]]
    problems = [f"{t}: {sum(s['href'] == t for s in in_figures)} Tab stops" for t in targets
                if sum(s["href"] == t for s in in_figures) != 1]
    problems += [f"unnamed Tab stop in a drawing: {s}" for s in stops if s["in_svg"] and not s["name"]]
    problems += [f"links to itself: {s}" for s in stops if s["in_svg"] and s["href"].split("#")[0] == here]
    assert not problems, "\n".join(problems)


def test_404_is_styled_when_opened_from_disk(sample_site, pages_at):
    page = pages_at(sample_site.path("404.html").as_uri(), 390)
    try:
        styled = page.evaluate("""() => ({body: getComputedStyle(document.body).backgroundColor,
            skip: getComputedStyle(document.querySelector('.skip-link')).position})""")
    finally:
        page.close()
    assert styled["body"] not in ("rgba(0, 0, 0, 0)", "transparent"), styled  # main.css's --bg
    assert styled["skip"] == "absolute", styled  # the skip link is hidden until focused


@pytest.mark.parametrize("name", ["home", "article-intermediary", "diagram-index", "redirect", "404"])
def test_favicon_loads(sample_url, pages_at, name):
    page = pages_at(sample_url + PAGES[name], 1280)
    try:
        icon = page.evaluate("() => { const l = document.querySelector('link[rel=icon]'); return l && l.href; }")
        assert icon, f"{PAGES[name]} links no favicon"
        response = page.request.get(icon)
        assert response.ok and "svg" in response.headers.get("content-type", "")
    finally:
        page.close()


@pytest.mark.parametrize("name", ["article-many-backlinks", "article-intermediary", "article-causal-loop",
                                  "article-concept-map", "article-cycle"])
def test_post_is_most_of_the_page_on_a_phone(sample_url, pages_at, name):
    """Issue 11, point 5: at 390 px the post's own text is most of the page, the connections area compact."""
    page = pages_at(sample_url + PAGES[name], 390)
    try:
        post, connections, total = page.evaluate("""() => [document.querySelector('article.post').offsetHeight,
            document.querySelector('aside.connections').offsetHeight, document.documentElement.scrollHeight]""")
    finally:
        page.close()
    assert post > total / 2, f"{PAGES[name]}: the post is {post}px of {total}px (connections {connections}px)"
