"""The real blog (../shared/corpora/ludochaordic) in Chromium: axe-core on a representative page of each type at
390 and 1280 px, light and dark, and no sideways scrolling. Skipped when the corpus folder is absent.

The pages are chosen from the built site: each direct template, a tag and a category, a static page, the post
with most backlinks, and posts with code, a table, an image and an embedded video. Posts that carry their own
<style> (some scale images 2x or recolour text) restyle the theme, so they are not picked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tools import browser

from .checks import SIDEWAYS, axe_both_schemes, describe


# Defects in the author's own HTML (inside the post text or its summary), checked by hand; the theme
# cannot fix them and they are the blog's to fix. Anything else, or these rules outside the author's
# text, fails.
CONTENT_DEFECTS = {
    "frame-title": "YouTube <iframe> embeds written without a title attribute",
    "empty-table-header": "Markdown tables with an empty top-left header cell (the cross-browser testing post)",
    "link-name": 'a linked image with alt="" (2021-03 Mush Radio card)',
    "image-alt": "<img> written without alt (pages/bienvenue.md)",
    "aria-allowed-role": '<figure role="group"> in the author\'s HTML (pages/bienvenue.md)',
}

DIRECT = {"home": "index.html", "index-page-2": "index2.html", "tags": "tags.html", "categories": "categories.html",
          "archives": "archives.html", "map": "graph/index.html", "404": "404.html", "search": "search.html",
          "a-z": "a-z.html"}


def _first(paths, predicate):
    return next((p for p in paths if predicate(p)), None)


def representative_pages(output: Path) -> dict[str, str]:
    """Page type -> output path, picked deterministically from the built blog."""
    html = {p.relative_to(output).as_posix(): p for p in sorted(output.rglob("*.html"))}
    text = {}

    def read(rel):
        if rel not in text:
            text[rel] = html[rel].read_text("utf-8")
        return text[rel]

    posts = [r for r in html if "/" not in r and not re.match(r"index\d*\.html$", r)
             and r not in DIRECT.values() and 'class="post h-entry"' in read(r)
             and "<style" not in read(r).split('class="entry-content')[-1]]
    chosen = {k: v for k, v in DIRECT.items() if v in html}
    chosen["year-archive"] = _first(html, lambda r: re.fullmatch(r"\d{4}/index\.html", r) is not None)
    chosen["tag"] = _first(html, lambda r: r.startswith("tag/") and not re.search(r"\d\.html$", r))
    chosen["category"] = _first(html, lambda r: r.startswith("category/") and not re.search(r"\d\.html$", r))
    chosen["page"] = _first(html, lambda r: r.startswith("pages/"))
    chosen["post-most-backlinks"] = max(posts, key=lambda r: (read(r).count('class="backlink"'), r))
    chosen["post-code"] = _first(posts, lambda r: 'class="highlight"' in read(r))
    chosen["post-table"] = _first(posts, lambda r: "<table" in read(r))
    chosen["post-image"] = _first(posts, lambda r: "<img" in read(r).split('class="entry-content')[-1])
    chosen["post-video"] = _first(posts, lambda r: "<iframe" in read(r))
    return {k: v for k, v in chosen.items() if v}


@pytest.fixture(scope="module")
def corpus_pages(corpus_output):
    return representative_pages(corpus_output)


PAGE_TYPES = ["home", "index-page-2", "tags", "categories", "archives", "map", "404", "search", "a-z", "year-archive", "tag",
              "category", "page", "post-most-backlinks", "post-code", "post-table", "post-image", "post-video"]


@pytest.fixture(scope="module")
def corpus_axe(corpus_url, corpus_pages, pages_at):
    cache = {}

    def get(kind: str, width: int):
        if kind not in corpus_pages:
            pytest.skip(f"the real blog has no page of type {kind}")
        if (kind, width) not in cache:
            page = pages_at(corpus_url + corpus_pages[kind], width)
            try:
                found = axe_both_schemes(page)
                cache[kind, width] = (found, page.evaluate(SIDEWAYS))
            finally:
                page.close()
        return cache[kind, width]

    return get


def _theme_problems(found: dict, keep) -> str:
    out = []
    for scheme, violations in found.items():
        mine = []
        for v in violations:
            if not keep(v):
                continue
            nodes = [n for n in v["nodes"] if not (v["id"] in CONTENT_DEFECTS and n["in_content"])]
            if nodes:
                mine.append({**v, "nodes": nodes})
        if mine:
            out.append(f"[{scheme}]\n{describe(mine)}")
    return "\n".join(out)


def test_representative_pages_found(corpus_pages):
    assert set(PAGE_TYPES) <= set(corpus_pages), set(PAGE_TYPES) - set(corpus_pages)


@pytest.mark.parametrize("width", browser.WIDTHS)
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_axe_zero_violations(corpus_axe, corpus_pages, kind, width):
    found, _ = corpus_axe(kind, width)
    problems = _theme_problems(found, lambda v: v["id"] != "nested-interactive")
    assert not problems, f"{corpus_pages[kind]} at {width}px:\n{problems}"


@pytest.mark.parametrize("width", browser.WIDTHS)
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_axe_no_nested_interactive(corpus_axe, corpus_pages, kind, width):
    found, _ = corpus_axe(kind, width)
    problems = _theme_problems(found, lambda v: v["id"] == "nested-interactive")
    assert not problems, f"{corpus_pages[kind]} at {width}px:\n{problems}"


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_no_sideways_scrolling_on_a_phone(corpus_axe, corpus_pages, kind):
    _, (scroll_width, inner_width) = corpus_axe(kind, 390)
    assert scroll_width <= inner_width, f"{corpus_pages[kind]} at 390px is {scroll_width}px wide"
