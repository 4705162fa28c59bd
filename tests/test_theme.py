"""The network theme (themes/network): structure, accessibility hooks, listings, escaping, CSS palette.

Most tests build a tiny throwaway site (3 posts, 2 pages) with PLUGINS = [] so that they test the
theme alone; a few use the shared `sample_site` (all plugins) for the plugin-dependent head links.
"""

from __future__ import annotations

import importlib.util
import re
from datetime import datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build_site

THEME = ROOT / "themes" / "network"
CSS_PATH = THEME / "static" / "css" / "main.css"
NASTY_TITLE = '<script>alert("x")</script> & "quotes" in a title'

POSTS = {
    "first.md": f"""Title: {NASTY_TITLE}
Date: 2019-02-03 10:00
Tags: alpha, a&b
Category: Field notes
Summary: A post whose title tries to inject markup.

Body of the first post with an [external link](https://example.com/x).
""",
    "second.md": """Title: Second post
Date: 2021-03-04 09:30
Tags: alpha, beta
Category: Field notes

The second post.
""",
    "third.md": """Title: Third post
Date: 2021-07-08 08:15
Modified: 2021-08-01 12:00
Tags: alpha
Category: Strategy

The third post.
""",
    "pages/start-here.md": """Title: Start here
Slug: start-here

Where to begin.
""",
    "pages/about.md": """Title: About us

Who we are.
""",
}

BRIEF_PROPERTIES = [
    "bg", "fg", "muted", "surface", "border", "link", "link-visited", "accent", "accent-2",
    "accent-3", "focus", "error", "warning", "ok", "font-body", "font-heading", "font-mono",
]
COLOUR_PROPERTIES = [p for p in BRIEF_PROPERTIES if not p.startswith("font-")]

PARTIALS = {
    "backlinks": "crosslinks", "citations": "crosslinks",
    "related": "concept_graph", "local_graph": "concept_graph",
    "concept": "concept_graph", "category_graph": "concept_graph",
    "citation_timeline": "crosslinks", "link_previews": "crosslinks", "reading_path": "concept_graph",
}


class Out:
    def __init__(self, path: Path, records):
        self.path = path
        self.records = records

    def soup(self, rel: str) -> BeautifulSoup:
        return BeautifulSoup((self.path / rel).read_text("utf-8"), "html.parser")

    def html_files(self):
        return sorted(p.relative_to(self.path).as_posix() for p in self.path.rglob("*.html"))


@pytest.fixture(scope="module")
def posts_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("theme-posts")
    for rel, text in POSTS.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


@pytest.fixture(scope="module")
def bare(posts_dir, tmp_path_factory) -> Out:
    """Development settings, no plugins, two posts per listing page."""
    out = tmp_path_factory.mktemp("theme-bare")
    records = build_site(posts_dir, out, PLUGINS=[], DEFAULT_PAGINATION=2)
    return Out(out, records)


@pytest.fixture(scope="module")
def published(posts_dir, tmp_path_factory) -> Out:
    """Publish-like settings: absolute SITEURL, Atom feeds, no plugins."""
    out = tmp_path_factory.mktemp("theme-published")
    records = build_site(
        posts_dir, out, PLUGINS=[], SITEURL="https://blog.example.org", RELATIVE_URLS=False,
        FEED_DOMAIN="https://blog.example.org", FEED_ALL_ATOM="feeds/all.atom.xml",
        TAG_FEED_ATOM="feeds/tag/{slug}.atom.xml",
    )
    return Out(out, records)


@pytest.fixture(scope="module")
def with_partials(posts_dir, tmp_path_factory) -> Out:
    """Plugins reported enabled (JINJA_TESTS overrides the `plugin_enabled` test) and stand-in
    partials, to check where and under which guard each partial is included."""
    overrides = tmp_path_factory.mktemp("theme-overrides")
    (overrides / "partials").mkdir()
    for name in PARTIALS:
        (overrides / "partials" / f"{name}.html").write_text(
            f'<section class="stub" data-partial="{name}">{name}</section>\n', "utf-8")
    enabled = {"crosslinks", "concept_graph", "diagrams"}
    from concept_graph.settings import DEFAULTS as GRAPH
    from diagrams.settings import DEFAULTS as DIAGRAMS

    out = tmp_path_factory.mktemp("theme-partials")
    records = build_site(  # an enabled plugin has its settings' defaults applied: the theme reads them
        posts_dir, out, PLUGINS=[], THEME_TEMPLATES_OVERRIDES=[str(overrides)],
        JINJA_TESTS={"plugin_enabled": lambda name: name in enabled}, **GRAPH, **DIAGRAMS,
    )
    return Out(out, records)


def article_path(out: Out, title: str) -> str:
    for rel in out.html_files():
        if re.fullmatch(r"\d{4}/\d{2}/[^/]+\.html", rel):
            h1 = out.soup(rel).find("h1")
            if h1 and h1.get_text() == title:
                return rel
    raise AssertionError(f"no article page titled {title!r}")


FOCUSABLE = ("a", "button", "input", "select", "textarea", "summary", "iframe")


def focusables(soup: BeautifulSoup):
    for el in soup.body.find_all(True):
        if el.has_attr("tabindex") and el["tabindex"].strip().startswith("-"):
            continue
        if el.has_attr("tabindex") or (el.name in FOCUSABLE and (el.name != "a" or el.has_attr("href"))):
            yield el


# ---------------------------------------------------------------- build and structure

def test_builds_without_plugins_and_without_warnings(bare):
    problems = [f"{r.levelname}: {r.getMessage()}" for r in bare.records]
    assert problems == []
    for rel in ["index.html", "index2.html", "archives.html", "tags.html", "categories.html",
                "404.html", "2021/index.html", "2019/index.html", "tag/alpha.html",
                "category/field-notes.html", "pages/start-here.html", "pages/about-us.html"]:
        assert (bare.path / rel).is_file(), rel


def test_every_page_has_lang_skip_link_main_and_nav(bare):
    for rel in bare.html_files():
        soup = bare.soup(rel)
        assert soup.html.get("lang") == "en", rel
        assert soup.find("meta", attrs={"name": "viewport"}) is not None, rel
        mains = soup.find_all("main")
        assert len(mains) == 1 and mains[0].get("id") == "main", rel
        first = next(focusables(soup))
        assert first.name == "a" and first["href"] == "#main" and "skip-link" in first["class"], rel
        nav = soup.find("nav", attrs={"aria-label": "Site"})
        assert nav is not None and nav.find_parent("header") is not None, rel
        assert soup.find("footer", class_="site-footer") is not None, rel
        if rel != "search.html":  # the search plugin's page (written when its receivers are connected)
            assert soup.find("script") is None, f"{rel}: the theme needs no JavaScript"
        assert len(soup.find_all("h1")) == 1, rel


def test_ids_unique_and_references_resolve(bare):
    for rel in bare.html_files():
        soup = bare.soup(rel)
        ids = [el["id"] for el in soup.find_all(id=True)]
        assert len(ids) == len(set(ids)), rel
        for el in soup.find_all(attrs={"aria-labelledby": True}):
            for ref in el["aria-labelledby"].split():
                assert ref in ids, f"{rel}: aria-labelledby={ref}"
        for a in soup.find_all("a", href=True):
            if a["href"].startswith("#"):
                assert a["href"][1:] in ids, f"{rel}: {a['href']}"


def test_nav_links_and_start_here_and_guards(bare):
    soup = bare.soup("tags.html")
    nav = soup.find("nav", attrs={"aria-label": "Site"})
    links = {a.get_text(strip=True): a["href"] for a in nav.find_all("a")}
    assert links == {
        "Home": "./index.html", "Start here": "./pages/start-here.html", "Archives": "./archives.html",
        "Tags": "./tags.html", "Categories": "./categories.html",
    }
    assert nav.find("a", attrs={"aria-current": "page"}).get_text() == "Tags"
    # Without plugins: no Map / Diagrams entries, no plugin stylesheets.
    sheets = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
    assert sheets == ["./theme/css/main.css"]
    # The other pages are in the footer.
    footer_links = [a.get_text() for a in soup.find("footer", class_="site-footer").find_all("a")]
    assert "About us" in footer_links and "Start here" not in footer_links


def test_plugin_nav_and_stylesheets_when_enabled(with_partials):
    soup = with_partials.soup("index.html")
    nav = soup.find("nav", attrs={"aria-label": "Site"})
    links = {a.get_text(strip=True): a["href"] for a in nav.find_all("a")}
    assert links["Map"] == "./graph/index.html"
    assert links["Diagrams"] == "./diagrams/index.html"
    sheets = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
    assert sheets == ["./theme/css/main.css", "./theme/css/diagrams.css", "./theme/css/graph.css",
                      "./theme/css/finding.css"]


def test_sample_site_pages_share_the_layout(sample_site):
    """The real site with every plugin: pages written by the theme keep the layout landmarks."""
    soup = sample_site.soup("index.html")
    sheets = [link["href"].rsplit("/", 1)[-1] for link in soup.find_all("link", rel="stylesheet")]
    nav = [a.get_text() for a in soup.find("nav", attrs={"aria-label": "Site"}).find_all("a")]
    # Pelican keeps in PLUGINS only the plugins that registered; stylesheets and nav agree with it.
    assert sheets[0] == "main.css"
    assert ("diagrams.css" in sheets) == ("Diagrams" in nav)
    assert ("Map" in nav) <= ("graph.css" in sheets)
    assert "Start here" in nav
    for rel in ["index.html", "archives.html", "tags.html", "categories.html", "404.html"]:
        page = sample_site.soup(rel)
        assert len(page.find_all("main", id="main")) == 1, rel
        assert next(focusables(page))["href"] == "#main", rel


# ---------------------------------------------------------------- article and page

def test_article_page(bare):
    rel = article_path(bare, "Third post")
    soup = bare.soup(rel)
    article = soup.find("main").find("article")
    assert article.find("h1").get_text() == "Third post"
    times = article.find("header").find_all("time")
    assert [datetime.fromisoformat(t["datetime"]).date().isoformat() for t in times] == [
        "2021-07-08", "2021-08-01"]
    assert times[0].get_text() == "July 8, 2021"
    category = article.find("p", class_="byline").find("a")
    assert category.get_text() == "Strategy" and category["href"] == "../../category/strategy.html"
    tags = article.find("ul", class_="tag-list").find_all("a")
    assert [(a.get_text(), a["href"], a.get("rel")) for a in tags] == [
        ("alpha", "../../tag/alpha.html", ["tag"])]
    assert "The third post." in article.find(class_="entry-content").get_text()
    assert soup.find("meta", attrs={"name": "description"})["content"] == "The third post."
    assert soup.find("link", rel="canonical") is None  # relative URLs: no canonical
    # No plugins: no connections aside at all.
    assert soup.find("aside") is None


def test_partials_included_in_order_only_when_enabled(with_partials, bare):
    rel = article_path(with_partials, "Second post")
    aside = with_partials.soup(rel).find("aside", class_="connections")
    assert [s["data-partial"] for s in aside.find_all(attrs={"data-partial": True})] == [
        "backlinks", "citations", "related", "local_graph"]  # the timeline is inside backlinks.html
    assert aside.find_previous_sibling("article") is not None, "partials come after the post"
    post = with_partials.soup(rel).find("article", class_="post")
    assert [s["data-partial"] for s in post.find_all(attrs={"data-partial": True})] == [
        "reading_path", "link_previews"]
    page = with_partials.soup("pages/about-us.html").find("aside", class_="connections")
    assert [s["data-partial"] for s in page.find_all(attrs={"data-partial": True})] == [
        "backlinks", "citations", "related", "local_graph"]
    tag = with_partials.soup("tag/alpha.html")
    assert [s["data-partial"] for s in tag.find_all(attrs={"data-partial": True})] == ["reading_path", "concept"]
    cat = with_partials.soup("category/strategy.html")
    assert [s["data-partial"] for s in cat.find_all(attrs={"data-partial": True})] == ["category_graph"]
    # Same stand-ins are never used without the guard being true.
    for r in bare.html_files():
        assert bare.soup(r).find(attrs={"data-partial": True}) is None


def test_page_template(bare):
    soup = bare.soup("pages/start-here.html")
    assert soup.find("h1").get_text() == "Start here"
    assert "Where to begin." in soup.find(class_="entry-content").get_text()
    link = soup.find("nav", attrs={"aria-label": "Site"}).find("a", string="Start here")
    assert link["aria-current"] == "page"


# ---------------------------------------------------------------- listings

def test_index_pagination_with_rel_prev_next(bare):
    first, second = bare.soup("index.html"), bare.soup("index2.html")
    assert len(first.find_all("article", class_="summary")) == 2
    assert len(second.find_all("article", class_="summary")) == 1
    assert first.find("link", rel="next")["href"] == "./index2.html"
    assert first.find("link", rel="prev") is None
    assert second.find("link", rel="prev")["href"] == "./index.html"
    assert second.find("link", rel="next") is None
    nav = first.find("nav", class_="pagination")
    assert nav.find("a", rel="next")["href"] == "./index2.html"
    assert "Page 1 of 2" in nav.get_text()
    assert second.find("nav", class_="pagination").find("a", rel="prev")["href"] == "./index.html"
    # Newest first, every post exactly once across the pages.
    titles = [a.get_text() for s in (first, second) for a in s.select("article.summary h2 a")]
    assert titles == ["Third post", "Second post", NASTY_TITLE]
    summary = first.find("article", class_="summary")
    assert summary.find("time")["datetime"].startswith("2021-07-08")


def test_tag_pages_list_their_posts(bare):
    soup = bare.soup("tag/beta.html")
    assert soup.find("h1").get_text(strip=True) == "beta"
    assert [a.get_text() for a in soup.select("article.summary h3 a")] == ["Second post"]
    # alpha has three posts over two pages.
    alpha = [a.get_text() for p in ("tag/alpha.html", "tag/alpha2.html")
             for a in bare.soup(p).select("article.summary h3 a")]
    assert alpha == ["Third post", "Second post", NASTY_TITLE]
    assert bare.soup("tag/alpha.html").find("link", rel="next")["href"] == "../tag/alpha2.html"
    tags = bare.soup("tags.html").find("ul", class_="term-index")
    entries = {a.get_text(): (a["href"], a.find_next_sibling(class_="count").get_text(" ", strip=True))
               for a in tags.find_all("a")}
    assert entries == {
        "a&b": ("./tag/ab.html", "1 post"),
        "alpha": ("./tag/alpha.html", "3 posts"),
        "beta": ("./tag/beta.html", "1 post"),
    }


def test_category_pages(bare):
    soup = bare.soup("category/field-notes.html")
    assert soup.find("h1").get_text(strip=True) == "Field notes"
    assert [a.get_text() for a in soup.select("article.summary h3 a")] == ["Second post", NASTY_TITLE]
    cats = {a.get_text(): a["href"] for a in bare.soup("categories.html").select("ul.term-index a")}
    assert cats == {"Field notes": "./category/field-notes.html", "Strategy": "./category/strategy.html"}


def test_archives_grouped_by_year_with_year_pages(bare):
    soup = bare.soup("archives.html")
    sections = soup.find_all("section", class_="archive-year")
    assert [s.find("h2").find("a").get_text() for s in sections] == ["2021", "2019"]
    assert [s.find("h2").find("a")["href"] for s in sections] == ["./2021/index.html", "./2019/index.html"]
    assert [[a.get_text() for a in s.select("ul.post-list a")] for s in sections] == [
        ["Third post", "Second post"], [NASTY_TITLE]]
    year = bare.soup("2021/index.html")
    assert year.find("h1").get_text() == "2021"
    assert [h.get_text() for h in year.select("section.archive-month h2")] == ["July", "March"]
    assert year.find("link", rel="prev")["href"] == "../2019/index.html"
    assert year.find("link", rel="next") is None
    assert bare.soup("2019/index.html").find("link", rel="next")["href"] == "../2021/index.html"


# ---------------------------------------------------------------- 404, feeds, escaping

def test_404_is_helpful_with_root_relative_links_in_development(bare):
    soup = bare.soup("404.html")
    assert soup.find("h1").get_text() == "Page not found"
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    hrefs = {a.get_text(): a["href"] for a in soup.find("main").find_all("a")}
    assert hrefs["Home"] == "/index.html"
    assert hrefs["Archives"] == "/archives.html"
    assert hrefs["Tags"] == "/tags.html"
    assert soup.find("link", rel="stylesheet")["href"] == "/theme/css/main.css"
    assert all(a["href"].startswith("/") for a in soup.find_all("a", href=True)
               if not a["href"].startswith(("#", "https://")))


def test_404_and_feed_links_in_a_publish_build(published):
    soup = published.soup("404.html")
    hrefs = {a.get_text(): a["href"] for a in soup.find("main").find_all("a")}
    assert hrefs["Archives"] == "https://blog.example.org/archives.html"
    assert hrefs["Tags"] == "https://blog.example.org/tags.html"
    index = published.soup("index.html")
    feed = index.find("link", rel="alternate", type="application/atom+xml")
    assert feed["href"] == "https://blog.example.org/feeds/all.atom.xml"
    tag_feeds = [link["href"] for link in published.soup("tag/beta.html").find_all("link", rel="alternate")]
    assert "https://blog.example.org/feeds/tag/beta.atom.xml" in tag_feeds
    post = published.soup(article_path(published, "Second post"))
    assert post.find("link", rel="canonical")["href"].startswith("https://blog.example.org/2021/03/")
    assert published.soup("pages/about-us.html").find("link", rel="canonical")["href"] == (
        "https://blog.example.org/pages/about-us.html")
    # Print: internal absolute links are excluded from the printed-URL rule.
    style = index.find("style", media="print")
    assert style is not None and 'a[href^="https://blog.example.org"]' in style.get_text()


def test_titles_and_tags_are_escaped(bare):
    rel = article_path(bare, NASTY_TITLE)
    soup = bare.soup(rel)
    assert soup.find("script") is None
    assert soup.find("h1").get_text() == NASTY_TITLE
    assert soup.title.get_text().startswith(NASTY_TITLE)
    assert [a.get_text() for a in soup.select("ul.tag-list a")] == ["a&b", "alpha"]
    for listing in ("index2.html", "archives.html", "404.html", "tag/beta.html", "category/field-notes.html"):
        page = bare.soup(listing)
        assert page.find("script") is None, listing
    assert NASTY_TITLE in [a.get_text() for a in bare.soup("index2.html").select("article.summary h2 a")]
    raw = (bare.path / rel).read_text("utf-8")
    assert "<script>" not in raw


# ---------------------------------------------------------------- CSS

def load_contrast():
    spec = importlib.util.spec_from_file_location("network_contrast", THEME / "contrast.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_custom_properties_defined_for_both_schemes():
    contrast = load_contrast()
    css = CSS_PATH.read_text("utf-8")
    root = re.search(r":root\s*\{([^}]*)\}", css).group(1)
    for prop in BRIEF_PROPERTIES:
        assert re.search(rf"--{prop}\s*:", root), prop
    schemes = contrast.palettes(css)
    dark_block = re.search(r"prefers-color-scheme:\s*dark\)\s*\{\s*:root\s*\{([^}]*)\}", css).group(1)
    for prop in COLOUR_PROPERTIES:
        assert re.search(rf"--{prop}\s*:\s*#", dark_block), f"dark --{prop}"
        assert schemes["light"][prop] != schemes["dark"][prop], prop


def test_every_colour_pair_meets_wcag_aa():
    contrast = load_contrast()
    assert round(contrast.contrast("#000000", "#ffffff"), 2) == 21.0
    assert round(contrast.contrast("#767676", "#ffffff"), 2) == 4.54
    rows = contrast.rows(CSS_PATH.read_text("utf-8"))
    assert len(rows) == 2 * 2 * (len(contrast.TEXT) + len(contrast.UI))
    failing = [(s, fg, bg, round(r, 2)) for s, fg, bg, r, need in rows if r < need]
    assert failing == []


def test_contrast_table_in_docs_is_current():
    contrast = load_contrast()
    table = contrast.markdown_table(CSS_PATH.read_text("utf-8"))
    assert table in (ROOT / "docs" / "theme.md").read_text("utf-8")


def test_css_is_self_contained_and_has_required_media():
    css = CSS_PATH.read_text("utf-8")
    assert "@import" not in css and not re.search(r"url\(\s*['\"]?(https?:)?//", css)
    for media in ("prefers-color-scheme: dark", "forced-colors: active", "print", "prefers-reduced-motion: reduce"):
        assert f"@media ({media})" in css or f"@media {media}" in css, media
    assert ":focus-visible" in css
    for hook in ("section.backlinks", "section.related", "figure.local-graph", "span.broken-link",
                 "div.diagram-error", ".highlight", ".pagination", ".tag-list"):
        assert hook in css, hook
    print_block = css[css.index("@media print"):]
    assert 'content: " (" attr(href) ")"' in print_block
    assert "break-inside: avoid" in print_block
