"""Search and the A-Z index in Chromium (issue 14, part 6): a phrase from a post's body finds it in the top
three; the concept and year filters narrow the results; the URL follows the form; axe-core finds nothing on
search.html (with results shown) and a-z.html at 390 and 1280 px, light and dark. Then the real blog."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from tools import browser

from .checks import SIDEWAYS, axe_both_schemes, describe

TOP = 3  # issue 14: the post is among the first three results
RESULTS = "[data-search-results] li"
PHRASE = "eyes sometimes glaze over"  # the body of 2009/03/orchestra-conductor.md, and of no other post
PHRASE_POST = "2009/03/orchestra-conductor.html"


def _search(pages_at, base: str, query: str, width: int = 1280, scheme: str = "light"):
    """search.html?QUERY loaded, with its results (or its status line) shown."""
    page = pages_at(base + "search.html?" + query, width, scheme)
    page.wait_for_function("() => document.querySelector('[data-search-status]').textContent.trim() !== ''",
                           timeout=20000)
    return page


def _hrefs(page) -> list[str]:
    return page.eval_on_selector_all(RESULTS + " h2 a", "as => as.map(a => new URL(a.href).pathname)")


def test_a_phrase_from_a_post_finds_it_in_the_top_three(sample_url, pages_at):
    page = _search(pages_at, sample_url, "q=" + quote(PHRASE))
    try:
        hrefs = _hrefs(page)
        first = page.locator(RESULTS).first
        marks = first.locator("mark").all_inner_texts()
        concepts = first.locator(".search-result__concepts").inner_text()
        date = first.locator("time").get_attribute("datetime")
        status = page.locator("[data-search-status]").inner_text()
    finally:
        page.close()
    assert "/" + PHRASE_POST in hrefs[:TOP], hrefs
    assert hrefs[0] == "/" + PHRASE_POST
    assert {m.lower() for m in marks} >= {"glaze"}
    assert "leadership" in concepts and date == "2009-03-17"
    assert re.match(r"\d+ results? for “eyes sometimes glaze over”", status), status


def test_the_header_form_lands_on_search_with_the_query_run(sample_url, pages_at):
    page = pages_at(sample_url + "2016/10/intermediaries.html", 390)
    try:
        page.fill("header form[role=search] input[name=q]", "orchestra conductor")
        page.press("header form[role=search] input[name=q]", "Enter")
        page.wait_for_selector(RESULTS, timeout=20000)
        assert urlsplit(page.url).path == "/search.html"
        assert page.input_value("#search-q") == "orchestra conductor"
        assert "/2009/03/orchestra-conductor.html" in _hrefs(page)[:TOP]
    finally:
        page.close()


def _count(page) -> int:
    return int(page.locator("[data-search-status]").inner_text().split()[0])


def test_concept_and_year_filters_narrow_the_results(sample_url, pages_at):
    page = _search(pages_at, sample_url, "q=volunteers")
    try:
        everything = _count(page)
        page.select_option("#search-concept", "systems-thinking")
        page.wait_for_function("n => parseInt(document.querySelector('[data-search-status]').textContent) < n",
                               arg=everything, timeout=20000)
        by_concept, concept_hrefs = _count(page), _hrefs(page)
        concept_lines = page.locator(RESULTS + " .search-result__concepts").all_inner_texts()
        page.select_option("#search-year", "2010")
        page.wait_for_function("n => parseInt(document.querySelector('[data-search-status]').textContent) < n",
                               arg=by_concept, timeout=20000)
        by_both, both_hrefs = _count(page), _hrefs(page)
        query = parse_qs(urlsplit(page.url).query)
    finally:
        page.close()
    assert everything > by_concept > by_both > 0
    assert len(concept_hrefs) == by_concept and len(both_hrefs) == by_both  # fewer than a page of results
    assert set(both_hrefs) <= set(concept_hrefs)
    assert all("systems-thinking" in line for line in concept_lines)
    assert all(h.startswith("/2010/") for h in both_hrefs), both_hrefs
    assert query == {"q": ["volunteers"], "concept": ["systems-thinking"], "year": ["2010"]}


def test_filters_alone_list_posts_and_the_address_restores_them(sample_url, pages_at):
    page = _search(pages_at, sample_url, "year=2016")
    try:
        hrefs = _hrefs(page)
        year = page.input_value("#search-year")
    finally:
        page.close()
    assert year == "2016" and hrefs and all(h.startswith("/2016/") for h in hrefs)


def test_without_javascript_the_page_offers_the_a_z_and_the_archives(sample_url, chromium):
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 390, "height": 900})
    try:
        page = context.new_page()
        page.goto(sample_url + "search.html?q=volunteers")
        shown = page.locator("[data-search-nojs]")
        assert shown.is_visible() and "JavaScript" in shown.inner_text()
        assert page.locator("[data-search-nojs] a[href$='a-z.html']").is_visible()
        assert page.locator(RESULTS).count() == 0
    finally:
        context.close()


@pytest.mark.parametrize("width", browser.WIDTHS)
@pytest.mark.parametrize("name", ["search", "a-z"])
def test_axe_zero_violations(sample_url, pages_at, name, width):
    if name == "search":
        page = _search(pages_at, sample_url, "q=volunteers&concept=mentoring", width)
    else:
        page = pages_at(sample_url + "a-z.html", width)
    try:
        if name == "search":
            assert page.locator(RESULTS).count() > 0
        found = axe_both_schemes(page)
        scroll_width, inner_width = page.evaluate(SIDEWAYS)
    finally:
        page.close()
    problems = "\n".join(f"[{scheme}]\n{describe(vs)}" for scheme, vs in found.items() if vs)
    assert not problems, f"{name} at {width}px:\n{problems}"
    assert scroll_width <= inner_width


def test_real_blog_search_finds_a_phrase_of_one_of_its_posts(corpus_output, corpus_url, pages_at):
    """A run of words from the body of a post of ../shared/corpora/ludochaordic finds it in the top three."""
    from bs4 import BeautifulSoup

    import posixpath

    archives = BeautifulSoup((corpus_output / "archives.html").read_text("utf-8"), "html.parser")
    posts = sorted({corpus_output / posixpath.normpath(a["href"]) for a in archives.select("main a[href]")
                    if a["href"].endswith(".html") and not a["href"].startswith(("http", "#"))}
                   & set(corpus_output.rglob("*.html")))  # the published posts, as the archives list them
    assert posts, "the real blog has no posts"
    search_lang = BeautifulSoup((corpus_output / "search.html").read_text("utf-8"), "html.parser").html["lang"]

    def other_language(path) -> bool:  # the blog mixes French and English: prefer a post not in search.html's
        return f'<html lang="{search_lang}"' not in path.read_text("utf-8")[:300]

    middle = posts[len(posts) // 2:] + posts[: len(posts) // 2]
    for path in sorted(middle, key=lambda p: not other_language(p)):  # stable: the middle of the blog first
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        body = soup.select_one("article.h-entry .entry-content")
        words = next((p.get_text(" ", strip=True).split() for p in (body.find_all("p") if body else [])
                      if len(p.get_text(" ", strip=True).split()) >= 30), None)
        if words:
            break
    assert words, "no post of the real blog has a paragraph of 30 words"
    phrase = " ".join(words[10:16])
    target = "/" + path.relative_to(corpus_output).as_posix()
    page = _search(pages_at, corpus_url, "q=" + quote(phrase))
    try:
        hrefs = _hrefs(page)
    finally:
        page.close()
    assert target in hrefs[:TOP], (phrase, target, hrefs[:5])
