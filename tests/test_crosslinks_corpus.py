"""Cross-links on a real blog nobody here wrote: ../shared/corpora/ludochaordic (skipped if absent).

The blog's own URL scheme: SITEURL "https://chezsoi.org/lucas/blog", articles at {slug}.html
in every language, pages at pages/{slug}.html, and a theme with <base href="{{ SITEURL }}/">
(so relative links resolve from the site root: CROSSLINKS_RELATIVE_TO_SITEURL).
Run with `-s` to print the figures.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from pelican.utils import slugify

from conftest import SHARED, build_site

CORPUS = SHARED / "corpora" / "ludochaordic" / "content"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus folder absent")

SETTINGS = dict(
    SITEURL="https://chezsoi.org/lucas/blog", RELATIVE_URLS=True,
    ARTICLE_URL="{slug}.html", ARTICLE_SAVE_AS="{slug}.html",
    ARTICLE_LANG_URL="{slug}.html", ARTICLE_LANG_SAVE_AS="{slug}.html",
    PAGE_LANG_URL="pages/{slug}.html", PAGE_LANG_SAVE_AS="pages/{slug}.html",
    DEFAULT_LANG="fr", ARTICLE_PATHS=[""], ARTICLE_EXCLUDES=["pages", "images"],
    PAGE_PATHS=["pages"], STATIC_PATHS=["images"],
    CROSSLINKS_LEGACY_HOSTS=[], CROSSLINKS_RELATIVE_TO_SITEURL=True,
    PLUGINS=["stage_timer", "author_report", "crosslinks"],
)

# Every link that does not resolve is broken in the source itself (checked by hand):
BROKEN_IN_SOURCE = {
    # no scheme: a relative path on the blog
    ("2014-10-09-setting-up-etherpad-in-a-server-subdirectory-aka-apache-config-hell.md", 18,
     "en.wikipedia.org/wiki/Mind_map"),
    # post URLs without ".html": not pages of the {slug}.html scheme
    ("2014-11-29-la-tete-dans-le-guidon.md", 9,
     "/lucas/blog/setting-up-etherpad-in-a-server-subdirectory-aka-apache-config-hell"),
    ("2016-02-03-new-release-for-genealogic-d3.md", 7, "/lucas/blog/genealogy-tree-visualization-with-d3-js"),
    ("2020-04-20-1ere-fournee-de-scenarios-pour-run-die-repeat.md", 117,
     "3-derniers-scenarios-pour-run-die-repeat-et-version-pdf"),
    ("2020-04-28-2e-serie-de-scenarios-pour-run-die-repeat.md", 190,
     "3-derniers-scenarios-pour-run-die-repeat-et-version-pdf"),
    ("2020-05-04-scenarios-hitman-et-la-chute-du-colosse-pour-run-die-repeat.md", 144,
     "3-derniers-scenarios-pour-run-die-repeat-et-version-pdf"),
    # a relative link copied from another site's documentation
    ("2022-04-24-fpdf2-5-2-svg-support-and-borb.md", 29, "fpdf/fpdf.html#fpdf.fpdf.FPDF.image"),
    # a stray HTML file that Pelican does not publish (it has no title metadata)
    ("2025-03-17-a-review-of-html-linters.md", 925,
     "https://chezsoi.org/lucas/blog/test-html-linters/horribly-broken-page.html"),
    # written for pages/ but the theme's <base href> is the site root: "../" leaves /lucas/blog/
    ("pages/jdr-blades-in-the-dark.md", 1654, "../animated-one-page-dungeon-escape-of-the-torment.html"),
    # [url](text): text and URL swapped
    ("bestof-webcomics.md", 57, "Necropolis"),
    ("bestof-webcomics.md", 66, "Dreamspace"),
}

HEADER = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):\s*(.*)$")
FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.M | re.S)
COMMENT = re.compile(r"<!--.*?-->", re.S)
HREF = re.compile(r"(?:\]\(\s*<?|href=\")([^)\"\s>]+)")
SITE = re.compile(r"^(?:https?://(?:www\.)?chezsoi\.org)?/lucas/blog(?=/|$)")


def read_posts():
    """{site path: (source rel, body)} of every published post and page, read our own way."""
    posts = {}
    for path in sorted(CORPUS.rglob("*.md")):
        rel = path.relative_to(CORPUS).as_posix()
        lines = path.read_text("utf-8").split("\n")
        meta, i = {}, 0
        while i < len(lines) and HEADER.match(lines[i]):
            key, value = HEADER.match(lines[i]).groups()
            meta[key.lower()] = value.strip()
            i += 1
        status = meta.get("status", "published").lower()
        if status == "draft" or "title" not in meta:
            continue
        if not rel.startswith("pages/") and not re.match(r"\d{4}-\d\d-\d\d", meta.get("date", "")):
            continue
        slug = meta.get("slug") or slugify(meta["title"], regex_subs=[
            (r"[^\w\s-]", ""), (r"(?u)\A\s*", ""), (r"(?u)\s*\Z", ""), (r"[-\s]+", "-")])
        url = f"pages/{slug}.html" if rel.startswith("pages/") else f"{slug}.html"
        posts[url] = (rel, "\n".join(lines[i:]))
    return posts


def expected_backlinks(posts):
    """{target url: {source url}} from the Markdown sources (self-links excluded)."""
    expected = defaultdict(set)
    for url, (rel, body) in posts.items():
        body = COMMENT.sub("", FENCE.sub("", body))
        body = re.sub(r"`[^`\n]*`", "", body)
        for href in HREF.findall(body):
            if href.startswith(("#", "mailto:")):
                continue
            path = SITE.sub("", href)
            if re.match(r"^[a-z]+:", path):
                continue
            target = posixpath.normpath(unquote(urlsplit(path).path).lstrip("/")) if path else ""
            if target in posts and target != url:
                expected[target].add(url)
    return expected


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    import crosslinks.build as xb

    out = tmp_path_factory.mktemp("ludochaordic")
    records = build_site(CORPUS, out, **SETTINGS)
    return out, [r.getMessage() for r in records], dict(xb.LAST_RUN)


def test_every_link_to_a_post_is_a_backlink_on_its_target(corpus):
    out, _, _ = corpus
    posts = read_posts()
    expected = expected_backlinks(posts)
    assert len(posts) > 250 and sum(len(v) for v in expected.values()) > 150
    for url in posts:
        soup = BeautifulSoup((out / url).read_text("utf-8"), "html.parser")
        section = soup.find("section", class_="backlinks")
        found = set()
        if section is not None:
            for li in section.find_all("li"):
                href = li.find("a", href=True)["href"]
                found.add(posixpath.normpath(posixpath.join(posixpath.dirname(url), href)))
        assert found == expected.get(url, set()), url


def test_every_unresolved_link_is_broken_in_the_source(corpus):
    _, messages, run = corpus
    unresolved = {(path, line, href) for path, line, href, _ in run["unresolved"]}
    assert unresolved == BROKEN_IN_SOURCE
    for path, line, href in BROKEN_IN_SOURCE:  # each one reported with its path and line
        assert any(m.startswith(f"{path}:{line}: error: broken link to '{href}'") for m in messages)


def test_corpus_figures(corpus):
    _, _, run = corpus
    stats = run["stats"]
    print("\nludochaordic:", run["posts"], "posts and pages;", stats["links"], "links in the text")
    for key in sorted(stats):
        print(f"  {key:10} {stats[key]}")
    for form, kinds in sorted(run["by_form"].items()):
        print(f"  written {form}: {dict(sorted(kinds.items()))}")
    assert stats["content"] >= 330 and stats["broken"] == len(BROKEN_IN_SOURCE)
    assert stats.get("ambiguous", 0) == 0


def test_without_base_href_relative_links_from_pages_break(tmp_path: Path):
    """Why CROSSLINKS_RELATIVE_TO_SITEURL: the blog's pages link 'slug.html' relative to the root."""
    import crosslinks.build as xb

    content = tmp_path / "c"
    (content / "pages").mkdir(parents=True)
    source = CORPUS / "pages" / "50-net-art.md"
    (content / "pages" / source.name).write_text(source.read_text("utf-8"))
    for name in ("2018-02-18-glitch-art-and-image-processing-with-python.md",):
        if (CORPUS / name).exists():
            (content / name).write_text((CORPUS / name).read_text("utf-8"))
    build_site(content, tmp_path / "o", **{**SETTINGS, "CROSSLINKS_RELATIVE_TO_SITEURL": False})
    assert any(href == "glitch-art-and-image-processing-with-python.html"
               for _, _, href, _ in xb.LAST_RUN["unresolved"])
