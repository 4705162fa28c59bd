"""Cross-links on the real sample site: backlinks in the built HTML equal the links counted
independently from the Markdown sources (a small parser of our own, not the plugin's)."""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections import Counter, defaultdict
from urllib.parse import unquote, urlsplit

import pytest

from conftest import CONTENT
from sources import article_url, articles, page_url, pages

LEGACY = re.compile(r"^https?://riverbend-learning\.blogspot\.com")
FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.M | re.S)
CODE_SPAN = re.compile(r"(`+).+?\1", re.S)
MD_LINK = re.compile(r"(?<!!)\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
WIKI = re.compile(r"\[\[([^\[\]|]+)(?:\\?\|[^\[\]]+)?\]\]")
HREF = re.compile(r"<a\s[^>]*href=\"([^\"]+)\"")


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[\s_-]+", " ", text).strip()


class Sources:
    """Every published post and page of content/, with the links written in it."""

    def __init__(self):
        self.items = [(s, article_url(s)) for s in articles(CONTENT)] + [(s, page_url(s)) for s in pages(CONTENT)]
        self.by_rel = {s.rel: s for s, _ in self.items}
        self.url_of = {s.rel: url for s, url in self.items}
        self.by_url = {url: s.rel for s, url in self.items}
        self.wiki = defaultdict(set)
        for s, _ in self.items:
            for alias in s.meta.get("aliases", "").split(","):
                alias = LEGACY.sub("", alias.strip())
                if alias:
                    self.by_url[alias.lstrip("/")] = s.rel
            stem = posixpath.splitext(posixpath.basename(s.rel))[0]
            for key in (s.title, s.slug, stem):
                self.wiki[norm(key)].add(s.rel)

    def target(self, source, href: str) -> str | None:
        """Source path of the post `href` points at, or None (external, tag, image …)."""
        if href.startswith("{filename}"):
            path = urlsplit(href[len("{filename}"):]).path
            rel = path[1:] if path.startswith("/") else posixpath.normpath(
                posixpath.join(posixpath.dirname(source.rel), path))
            return rel if rel in self.by_rel else None
        href = LEGACY.sub("", href)
        if href.startswith(("http:", "https:", "mailto:", "#", "{")):
            return None
        path = unquote(urlsplit(href).path)
        if path.startswith("/"):
            site_path = path.lstrip("/")
        else:
            site_path = posixpath.normpath(posixpath.join(posixpath.dirname(self.url_of[source.rel]), path))
        return self.by_url.get(site_path)

    def links(self):
        """(source rel, target rel) for every link to a post, self-links excluded."""
        for source, _ in self.items:
            body = CODE_SPAN.sub("", FENCE.sub("", source.body))
            found = [self.target(source, h) for h in MD_LINK.findall(body) + HREF.findall(body)]
            for name in WIKI.findall(body):
                (match,) = self.wiki[norm(name.split("#")[0])]  # the sample has no ambiguous wiki link
                found.append(match)
            for target in found:
                if target and target != source.rel:
                    yield source.rel, target


@pytest.fixture(scope="module")
def sources():
    return Sources()


_SOUPS: dict = {}


def soup_of(site, url):
    key = (str(site.output), url)
    if key not in _SOUPS:
        _SOUPS[key] = site.soup(url)
    return _SOUPS[key]


def backlinks_in_html(site, sources, rel):
    """{source rel: count} read from the target page's <section class="backlinks">."""
    url = sources.url_of[rel]
    soup = soup_of(site, url)
    section = soup.find("section", class_="backlinks")
    if section is None:
        return {}, soup, None
    found = {}
    for li in section.find_all("li"):
        a = li.find("a", href=True)
        linked = posixpath.normpath(posixpath.join(posixpath.dirname(url), a["href"]))
        count_el = li.find(class_="backlink__count")
        count = int(re.search(r"\d+", count_el.get_text()).group()) if count_el else 1
        found[sources.by_url[linked]] = count
    return found, soup, section


def test_backlinks_equal_links_counted_from_the_sources(sample_site, sources):
    expected = defaultdict(Counter)
    for source, target in sources.links():
        expected[target][source] += 1
    assert sum(len(v) for v in expected.values()) > 50, "the sample should be well linked"
    for rel in sources.by_rel:
        found, _, _ = backlinks_in_html(sample_site, sources, rel)
        assert found == dict(expected.get(rel, {})), rel


def test_backlinks_have_title_date_context_and_are_ordered(sample_site, sources):
    checked = 0
    for rel in sources.by_rel:
        _, soup, section = backlinks_in_html(sample_site, sources, rel)
        if section is None:
            continue
        assert section.get("aria-labelledby") and soup.find(id=section["aria-labelledby"])
        dates = []
        for li in section.find_all("li"):
            a = li.find("a", href=True)
            linking = sources.by_url[posixpath.normpath(posixpath.join(
                posixpath.dirname(sources.url_of[rel]), a["href"]))]
            assert a.get_text(strip=True) == sources.by_rel[linking].title
            time = li.find("time")
            if time is not None:
                dates.append(time["datetime"][:19])
            quote = li.find("blockquote")
            assert quote is not None and quote.get_text(strip=True), (rel, linking)
            # the context is a sentence of the linking post, as rendered (spacing aside)
            linking_soup = soup_of(sample_site, sources.url_of[linking])
            page_text = re.sub(r"\s+", "", (linking_soup.find("main") or linking_soup).get_text())
            context = re.sub(r"\s+", "", quote.get_text()).strip("\u2026")
            assert context in page_text, (rel, linking, quote.get_text())
            checked += 1
        assert dates == sorted(dates), rel
    assert checked > 50


def test_pages_without_backlinks_render_no_section(sample_site, sources):
    empty = [rel for rel in sources.by_rel if not backlinks_in_html(sample_site, sources, rel)[0]]
    for rel in empty:
        soup = soup_of(sample_site, sources.url_of[rel])
        assert soup.find("section", class_="backlinks") is None
        assert "Linked from" not in soup.get_text()


def test_wiki_links_become_real_links(sample_site, sources):
    seen = 0
    for rel, url in sources.url_of.items():
        html = sample_site.path(url).read_text("utf-8")
        assert "{wiki}" not in html and "data-crosslinks-raw" not in html
        soup = soup_of(sample_site, url)
        assert soup.find("span", class_="broken-link") is None, rel
        for a in soup.select("a.wikilink"):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(url), a["href"].split("#")[0]))
            assert target in sources.by_url, (rel, a)
            assert sample_site.path(target).is_file()
            seen += 1
    assert seen >= 10
    for rel in sample_site.html_files():  # index pages, feeds of summaries, tag pages …
        assert "{wiki}" not in sample_site.path(rel).read_text("utf-8"), rel


def test_aliases_write_redirect_pages(sample_site, sources):
    count = 0
    for source, url in sources.items:
        for alias in source.meta.get("aliases", "").split(","):
            path = LEGACY.sub("", alias.strip()).lstrip("/")
            if not path:
                continue
            soup = sample_site.soup(path)
            refresh = soup.find("meta", attrs={"http-equiv": "refresh"})
            target = refresh["content"].split("url=", 1)[1]
            assert posixpath.normpath(posixpath.join(posixpath.dirname(path), target)) == url
            assert soup.find("link", rel="canonical")["href"] == target
            assert soup.find("a", href=target).get_text(strip=True) == source.title
            count += 1
    assert count >= 2


def test_citations_grouped_by_site(sample_site, sources):
    external = re.compile(r"(?<!!)\]\((https?://[^)\s]+)\)")
    for source, url in sources.items:
        body = CODE_SPAN.sub("", FENCE.sub("", source.body))
        cited = [h for h in external.findall(body) if not LEGACY.match(h)]
        section = soup_of(sample_site, url).find("section", class_="citations")
        if not cited:
            assert section is None
            continue
        sites = Counter(urlsplit(h).netloc.removeprefix("www.") for h in cited)
        shown = {li.find(class_="citation__site").get_text(strip=True)
                 for li in section.find_all("li", class_="citation")}
        assert shown == set(sites), source.rel
        urls = {a["href"] for a in section.find_all("a", href=True)}
        assert urls == set(cited)


def test_no_author_errors_on_the_sample(sample_site):
    messages = [r.getMessage() for r in sample_site.records]
    assert not [m for m in messages if "broken link" in m], messages
    assert not [m for m in messages if "Unable to find" in m]
