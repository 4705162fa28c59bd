"""Finding one's way on built sites (issue 14): reading paths on concept pages and paths.html,
pinned paths, citation timelines above the backlinks, link previews' data and script."""

from __future__ import annotations

import json
import logging
import posixpath
import re
import textwrap
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest

from conftest import ROOT, Site, build_site

PREVIEWS_JS = ROOT / "themes" / "network" / "static" / "js" / "previews.js"
NASTY = 'Evil </script><b>bold</b> & "quotes"'


def write(folder: Path, rel: str, text: str) -> None:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), "utf-8")


def tiny_content(folder: Path, path_header: str) -> None:
    """Four posts on "alpha" (the 2010 one cited by the three others), one on "beta", a page
    pinning a path for "gamma"."""
    write(folder, "articles/base.md", """\
        Title: The base post
        Date: 2010-03-01 10:00
        Tags: alpha
        Summary: Where it all starts.

        Nothing to cite yet.
        """)
    write(folder, "articles/second.md", """\
        Title: The second post
        Date: 2011-03-01 10:00
        Tags: alpha, gamma

        Builds on [the base]({filename}base.md).
        """)
    write(folder, "articles/third.md", f"""\
        Title: {NASTY}
        Date: 2012-03-01 10:00
        Tags: alpha, gamma

        Builds on [the base]({{filename}}base.md) and [[The second post]].
        """)
    write(folder, "articles/late.md", """\
        Title: A late post
        Date: 2014-03-01 10:00
        Tags: alpha, beta

        Back to [[The base post]], and to [the evil one]({filename}third.md).
        """)
    write(folder, "articles/lonely.md", """\
        Title: A lonely post
        Date: 2015-03-01 10:00
        Tags: beta

        No links to posts, only to [the reading paths](/paths.html) (a known page, not broken).
        """)
    write(folder, "pages/guide.md", f"""\
        Title: A guide to gamma
        Concept: gamma
        {path_header}

        Read these in order.
        """)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Site:
    content = tmp_path_factory.mktemp("finding-content")
    tiny_content(content, "Path: articles/late.md, [[The second post]]")
    out = tmp_path_factory.mktemp("finding-site")
    return Site(out, build_site(content, out))


def steps(soup):
    section = soup.find("section", class_="reading-path")
    return None if section is None else [li.a for li in section.ol.find_all("li", recursive=False)]


def test_tag_page_with_three_posts_has_a_reading_path_most_cited_first(tiny):
    links = steps(tiny.soup("tag/alpha.html"))
    assert [a.get_text() for a in links] == ["The base post", "The second post", NASTY, "A late post"]
    reasons = [li.find(class_="reading-path__why").get_text() for li in
               tiny.soup("tag/alpha.html").select("section.reading-path ol > li")]
    assert reasons[0] == "cited by 3 other posts on this concept; the earliest post on this concept"
    assert all(reasons)
    assert tiny.soup("tag/alpha.html").find("section", class_="reading-path").h2.get_text() == "Start with these"


def test_smaller_tag_pages_have_no_reading_path(tiny):
    assert steps(tiny.soup("tag/beta.html")) is None  # two posts


def test_a_pinned_path_wins_and_shows_on_its_page(tiny):
    # "gamma" has two posts: no computed path, but the guide pins one.
    links = steps(tiny.soup("tag/gamma.html"))
    assert [a.get_text() for a in links] == ["A late post", "The second post"]
    intro = tiny.soup("tag/gamma.html").find(class_="reading-path__intro")
    assert "chosen by the authors" in intro.get_text() and intro.a["href"].endswith("pages/a-guide-to-gamma.html")
    assert [a.get_text() for a in steps(tiny.soup("pages/a-guide-to-gamma.html"))] == ["A late post", "The second post"]


def test_a_broken_path_entry_is_an_author_error_at_the_path_line(tmp_path):
    content = tmp_path / "content"
    tiny_content(content, "Path: articles/late.md, articles/nope.md")
    records = build_site(content, tmp_path / "out")
    errors = [r.getMessage() for r in records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, errors  # the link to /paths.html is not one
    assert re.fullmatch(r"pages/guide\.md:3: error: reading path: broken link to '/?articles/nope\.md'.*", errors[0])
    links = steps(Site(tmp_path / "out", records).soup("tag/gamma.html"))
    assert [a.get_text() for a in links] == ["A late post"]  # the rest still builds


def test_paths_page_has_one_path_per_cluster(tiny, sample_site):
    for site in (tiny, sample_site):
        clusters = [s.h3.get_text() for s in site.soup("graph/index.html").select("section.graph-cluster")]
        clusters = [c for c in clusters if not re.match(r"\d+\. Other posts", c)]
        sections = site.soup("paths.html").select("section.reading-path")
        assert len(sections) == len(clusters) > 0
        for section in sections:
            assert section.ol.find_all("li") and all(li.find(class_="reading-path__why") for li in section.ol("li"))


def _post_count(soup) -> int:
    return int(re.match(r"(\d+) post", soup.find(class_="page-meta").get_text()).group(1))


def test_sample_tag_pages_offer_a_path_from_three_posts(sample_site):
    tags = sorted(p.name for p in (sample_site.output / "tag").glob("*.html") if not re.search(r"\d\.html$", p.name))
    with_path = 0
    for name in tags:
        soup = sample_site.soup(f"tag/{name}")
        links = steps(soup)
        assert (links is not None) == (_post_count(soup) >= 3), name
        if links:
            with_path += 1
            assert 1 <= len(links) <= 7, name
    assert with_path > 0


# ---------------------------------------------------------------- citation timelines

def test_timeline_on_a_tiny_post(tiny):
    soup = tiny.soup("2010/03/the-base-post.html")
    figure = soup.find("figure", class_="citation-timeline")
    section = figure.find_parent("section", class_="backlinks")  # under "Linked from", above the list
    assert section is not None and figure.find_next("ol") is section.ol
    assert figure.figcaption.strong.get_text() == "Cited by 3 later posts, 2011–2014."
    assert figure.find(class_="citation-timeline__first").get_text() == "The second post"
    assert figure.find(class_="citation-timeline__latest").get_text() == "A late post"
    svg = figure.find("svg")
    assert svg["role"] == "img" and svg.find("a") is None
    assert tiny.soup("2015/03/a-lonely-post.html").find("figure", class_="citation-timeline") is None


def test_sample_timelines_match_the_backlinks(sample_site):
    checked = 0
    for rel in sample_site.html_files():
        if not re.fullmatch(r"\d{4}/\d{2}/[^/]+\.html", rel):
            continue
        soup = sample_site.soup(rel)
        backlinks = soup.find("section", class_="backlinks")
        figure = soup.find("figure", class_="citation-timeline")
        if backlinks is None:
            assert figure is None, rel
            continue
        dated = [li for li in backlinks.select("li.backlink") if li.find("time")]
        if not dated:  # only pages link here: no time line
            assert figure is None, rel
            continue
        years = [int(li.time["datetime"][:4]) for li in dated]
        assert figure is not None and figure.find_parent("section") is backlinks, rel
        assert figure.find_next("ol") is backlinks.find("ol", class_="backlinks__list"), rel
        counts = {int(tr.th.get_text()): int(tr.td.get_text()) for tr in figure.select("tbody tr")}
        assert counts == {y: years.count(y) for y in set(years)}, rel
        first, latest = dated[0], max(dated, key=lambda li: li.time["datetime"])
        assert figure.find("a", class_=re.compile("citation-timeline__first"))["href"] == first.a["href"], rel
        if len(dated) > 1 and first is not latest:
            assert figure.find("a", class_="citation-timeline__latest").get_text() == latest.a.get_text(), rel
        assert f"Cited by {len(dated)} " in figure.figcaption.get_text(), rel
        checked += 1
    assert checked > 10


# ---------------------------------------------------------------- link previews

def _content_links(soup, rel: str, site: Site) -> set[str]:
    """Site-relative URLs of the posts and pages the body of `rel` links to (as a reader follows them)."""
    found = set()
    for a in soup.select(".entry-content a[href]"):
        if a.find_parent("svg") is not None:
            continue
        target = posixpath.normpath(unquote(urljoin("/" + rel, a["href"]).split("#")[0].split("?")[0]))[1:]
        if target != rel and re.fullmatch(r"\d{4}/\d{2}/[^/]+\.html|pages/[^/]+\.html", target) \
                and site.path(target).is_file():
            found.add(target)
    return found


def previews(soup):
    tag = soup.find("script", id="link-previews")
    return None if tag is None else json.loads(tag.string)


def test_sample_previews_hold_the_linked_posts(sample_site):
    checked = 0
    for rel in sample_site.html_files():
        if not re.fullmatch(r"\d{4}/\d{2}/[^/]+\.html|pages/[^/]+\.html", rel):
            continue
        soup = sample_site.soup(rel)
        data, linked = previews(soup), _content_links(soup, rel, sample_site)
        scripts = [s["src"] for s in soup.find_all("script", src=True)]
        if not linked:
            assert data is None and not scripts, rel  # no data and no script without internal links
            continue
        assert data is not None and set(data) == linked, (rel, linked)
        assert [s.rsplit("/", 1)[-1] for s in scripts] == ["previews.js"], rel
        assert soup.find("script", src=True).has_attr("defer"), rel
        for url, p in data.items():
            target = sample_site.soup(url)
            assert p["t"] == target.h1.get_text(), (rel, url)
            assert "<" not in p.get("s", "") and len(p.get("s", "")) <= 200, (rel, url)
            tags = sorted((a.get_text() for a in target.select("footer.post__footer ul.tag-list a")), key=str.lower)
            assert p.get("c", []) == tags[:6], (rel, url)
        checked += 1
    assert checked > 10
    assert previews(sample_site.soup("index.html")) is None and not sample_site.soup("index.html").find("script", src=True)


def test_previews_escape_untrusted_titles(tiny):
    raw = tiny.path("2014/03/a-late-post.html").read_text("utf-8")
    script = raw.split('id="link-previews"', 1)[1].split("</script>", 1)[0]
    assert "<" not in script.split(">", 1)[1]  # no markup inside the data
    data = previews(tiny.soup("2014/03/a-late-post.html"))
    assert data["2012/03/evil-bold-quotes.html"]["t"] == NASTY


def test_previews_script_is_at_most_3_kb():
    assert PREVIEWS_JS.stat().st_size <= 3 * 1024
