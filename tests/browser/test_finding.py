"""Finding one's way in Chromium (issue 14): link previews by keyboard, hover and Escape; axe-core on a
post with a preview open, a tag page with a reading path, paths.html and a post with a citation
timeline (390 and 1280 px, light and dark); the timeline's labels on a phone; paths and timelines on
the real blog where the rules say."""

from __future__ import annotations

import re

import pytest

from tools import browser

from .checks import SVG_LABEL_SIZES, axe_both_schemes, describe

POST = "2010/11/volunteer-growth-loops.html"  # internal links in its text, 15 backlinks: a timeline
TAG = "tag/network-building.html"  # a concept with a reading path
MIN_LABEL_PX = 9.0

OPEN_STATE = """() => {
  const tip = document.querySelector('[role=tooltip]'), el = document.activeElement;
  if (!tip) return null;
  const a = tip.getBoundingClientRect(), l = el.getBoundingClientRect();
  return {visible: !tip.hidden && a.width > 0, id: tip.id, text: tip.textContent,
          describedby: el.getAttribute('aria-describedby'), focused: el.dataset.preview || null,
          tip: [a.left, a.top, a.right, a.bottom], link: [l.left, l.top, l.right, l.bottom],
          viewport: document.documentElement.clientWidth};
}"""


def focus_first_preview_link(page) -> str:
    """Press Tab until a link with a preview has focus; its key (site-relative URL)."""
    for _ in range(200):
        page.keyboard.press("Tab")
        key = page.evaluate("() => document.activeElement.dataset.preview || null")
        if key:
            return key
    raise AssertionError("no link with a preview is reachable by Tab")


@pytest.mark.parametrize("width", browser.WIDTHS)
def test_preview_opens_on_focus_and_closes_on_escape(sample_url, pages_at, width):
    page = pages_at(sample_url + POST, width)
    try:
        data = page.evaluate("() => JSON.parse(document.getElementById('link-previews').textContent)")
        key = focus_first_preview_link(page)
        page.wait_for_selector("[role=tooltip]", state="visible")
        state = page.evaluate(OPEN_STATE)
        assert state["visible"] and state["describedby"] == state["id"], state
        assert data[key]["t"] in state["text"] and data[key].get("s", "") in state["text"]
        left, top, right, bottom = state["tip"]
        assert 0 <= left and right <= state["viewport"], f"the preview leaves a {width}px screen: {state}"
        l_left, l_top, l_right, l_bottom = state["link"]
        assert top >= l_bottom or bottom <= l_top, f"the preview covers its link: {state}"
        page.keyboard.press("Escape")
        page.wait_for_selector("[role=tooltip]", state="hidden")
        state = page.evaluate(OPEN_STATE)
        assert not state["visible"] and state["describedby"] is None and state["focused"] == key, state
    finally:
        page.close()


def test_preview_opens_on_hover_and_closes_on_leaving(sample_url, pages_at):
    page = pages_at(sample_url + POST, 1280)
    try:
        link = page.locator(".entry-content a[data-preview]").first
        link.hover()
        page.wait_for_selector("[role=tooltip]", state="visible")
        page.mouse.move(0, 0)
        page.wait_for_selector("[role=tooltip]", state="hidden")
    finally:
        page.close()


def test_without_javascript_nothing_changes(chromium, sample_url):
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 390, "height": 900})
    try:
        page = browser.open_page(context, sample_url + POST, "light")
        links = page.locator(".entry-content a[href]").count()
        assert links and page.locator("[role=tooltip]").count() == 0
    finally:
        context.close()


def _axe(page) -> dict:
    return axe_both_schemes(page)


@pytest.mark.parametrize("width", browser.WIDTHS)
def test_axe_with_a_preview_open(sample_url, pages_at, width):
    page = pages_at(sample_url + POST, width)
    try:
        focus_first_preview_link(page)
        page.wait_for_selector("[role=tooltip]", state="visible")
        found = _axe(page)
        assert page.evaluate(OPEN_STATE)["visible"], "the preview closed during the check"
    finally:
        page.close()
    problems = "\n".join(f"[{s}]\n{describe(vs)}" for s, vs in found.items() if vs)
    assert not problems, problems


@pytest.mark.parametrize("width", browser.WIDTHS)
@pytest.mark.parametrize("rel", [TAG, "paths.html", POST])
def test_axe_on_paths_and_timelines(sample_url, pages_at, sample_site, width, rel):
    soup = sample_site.soup(rel)
    assert soup.select("section.reading-path ol a") or soup.select("figure.citation-timeline svg"), rel
    page = pages_at(sample_url + rel, width)
    try:
        found = _axe(page)
    finally:
        page.close()
    problems = "\n".join(f"[{s}]\n{describe(vs)}" for s, vs in found.items() if vs)
    assert not problems, f"{rel} at {width}px:\n{problems}"


@pytest.mark.parametrize("width", (390, 320))
def test_timeline_labels_readable_on_a_phone(sample_url, pages_at, width):
    page = pages_at(sample_url + POST, width)
    try:
        sizes = [s for s in page.evaluate(SVG_LABEL_SIZES) if "citation-timeline" in s["figure"]]
    finally:
        page.close()
    assert sizes and min(s["size"] for s in sizes) >= MIN_LABEL_PX, sizes


# ---------------------------------------------------------------- the real blog

def test_real_blog_paths_and_timelines_where_the_rules_say(corpus_output):
    from bs4 import BeautifulSoup

    def soup(path):
        return BeautifulSoup(path.read_text("utf-8"), "html.parser")

    tags = [p for p in sorted((corpus_output / "tag").glob("*.html")) if not re.search(r"\d\.html$", p.name)]
    with_path = 0
    for path in tags:
        page = soup(path)
        posts = int(re.match(r"(\d+) post", page.find(class_="page-meta").get_text()).group(1))
        has = page.find("section", class_="reading-path") is not None
        assert has == (posts >= 3), path.name
        with_path += has
    timelines = 0
    for path in sorted(corpus_output.rglob("*.html")):
        page = soup(path)
        if page.find("article", class_="post") is None:
            continue
        dated = page.select("section.backlinks li.backlink time")
        has = page.find("figure", class_="citation-timeline") is not None
        assert has == bool(dated), path
        timelines += has
    assert with_path and timelines, (with_path, timelines)
