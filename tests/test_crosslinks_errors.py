"""Cross-links on a small site built for it: broken links reported with path and line,
broken wiki links rendered as spans, aliases, curation warnings, diagram links, drafts."""

from __future__ import annotations

import logging
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from conftest import build_site

ALPHA = """\
Title: Alpha and the network
Date: 2020-01-01 10:00
Slug: alpha
Aliases: /old/alpha.html, http://legacy.example/2010/01/alpha.html

Links to [beta]({filename}beta.md) and [[Beta and friends]].
A broken [file link]({filename}betta.md) here.
A broken [[Betta and friends]] wiki.
Ambiguous [[Twin]] link.
`[[Not a link]]` and a URL [beta again](/2020/02/beta.html).
Here Gamma stands alone without a link, and a [tag]({tag}networks).
Cite [a source](https://www.example.org/a) and [another](https://example.org/b).
"""

BETA = """\
Title: Beta and friends
Date: 2020-02-01 10:00
Slug: beta
Tags: networks

Back to [alpha by its old URL](/old/alpha.html).
And [alpha on the legacy blog](http://legacy.example/2010/01/alpha.html#top).
A [draft]({filename}draft.md) is not a backlink.
"""

TWIN = """\
Title: Twin
Date: 2019-0{n}-01 10:00
Slug: twin-{n}

Nothing here.
"""

GAMMA = """\
Title: Gamma stands alone
Date: 2018-01-01 10:00
Slug: gamma

See [[alpha]] once.
"""

DRAFT = """\
Title: Unfinished
Date: 2021-01-01 10:00
Status: draft
Slug: draft

A draft links to [[Beta and friends]].
"""

ABOUT = """\
Title: About
Slug: about

This site starts at [[Alpha and the network]]. Then [[alpha|again]].
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    content = tmp_path_factory.mktemp("xl-content")
    (content / "articles").mkdir()
    (content / "pages").mkdir()
    (content / "articles" / "alpha.md").write_text(ALPHA)
    (content / "articles" / "beta.md").write_text(BETA)
    (content / "articles" / "twin1.md").write_text(TWIN.format(n=1))
    (content / "articles" / "twin2.md").write_text(TWIN.format(n=2))
    (content / "articles" / "gamma.md").write_text(GAMMA)
    (content / "articles" / "draft.md").write_text(DRAFT)
    (content / "pages" / "about.md").write_text(ABOUT)
    out = tmp_path_factory.mktemp("xl-out")
    records = build_site(content, out, PLUGINS=["stage_timer", "author_report", "crosslinks"],
                         CROSSLINKS_LEGACY_HOSTS=["http://legacy.example"],
                         CROSSLINKS_CURATION_WARNINGS=True)
    messages = [r.getMessage() for r in records]
    return SimpleNamespace(out=out, messages=messages,
                           soup=lambda rel: BeautifulSoup((out / rel).read_text("utf-8"), "html.parser"))


def test_broken_links_are_errors_with_path_line_and_suggestion(site):
    errors = sorted(m for m in site.messages if ": error: " in m)
    assert errors == [
        "articles/alpha.md:7: error: broken link to 'betta.md' (did you mean 'beta.md'?)",
        "articles/alpha.md:8: error: broken link to 'Betta and friends' (did you mean 'Beta and friends'?)",
        "articles/alpha.md:9: error: broken link to 'Twin': ambiguous, 2 posts match: "
        "'articles/twin1.md' (Twin), 'articles/twin2.md' (Twin)",
    ]
    # Pelican's own warning for the broken {filename} link is replaced by ours
    assert not [m for m in site.messages if "Unable to find" in m]


def test_broken_wiki_links_render_as_spans(site):
    soup = site.soup("2020/01/alpha.html")
    spans = soup.find_all("span", class_="broken-link")
    assert [s.get_text() for s in spans] == ["Betta and friends", "Twin"]
    assert "did you mean" in spans[0]["title"]
    wiki = soup.select("a.wikilink")
    assert [(a.get_text(), a["href"]) for a in wiki] == [("Beta and friends", "../../2020/02/beta.html")]
    assert soup.find("code").get_text() == "[[Not a link]]"


def test_backlinks_count_every_form_and_skip_drafts(site):
    section = site.soup("2020/02/beta.html").find("section", class_="backlinks")
    items = section.find_all("li")
    assert len(items) == 1  # alpha only: the draft's link does not count
    assert items[0].find("a")["href"] == "../../2020/01/alpha.html"
    assert items[0].find(class_="backlink__count").get_text(strip=True) == "(3 links)"
    assert "Links to beta and Beta and friends." in items[0].blockquote.get_text()


def test_aliases_resolve_and_backlinks_ordered_by_date_pages_last(site):
    section = site.soup("2020/01/alpha.html").find("section", class_="backlinks")
    titles = [li.find("a").get_text() for li in section.find_all("li")]
    assert titles == ["Gamma stands alone", "Beta and friends", "About"]
    counts = [li.find(class_="backlink__count") for li in section.find_all("li")]
    assert counts[1].get_text(strip=True) == "(2 links)"  # both aliases
    assert counts[2].get_text(strip=True) == "(2 links)"  # title and slug wiki links


def test_alias_redirect_pages(site):
    for path, target in (("old/alpha.html", "../2020/01/alpha.html"),
                         ("2010/01/alpha.html", "../../2020/01/alpha.html")):
        soup = site.soup(path)
        assert soup.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url={target}"
        assert soup.find("link", rel="canonical")["href"] == target
        assert soup.find("a", href=target).get_text() == "Alpha and the network"


def test_citations_grouped_by_site(site):
    section = site.soup("2020/01/alpha.html").find("section", class_="citations")
    (item,) = section.find_all("li", class_="citation")
    assert item.find(class_="citation__site").get_text() == "example.org"
    assert [a["href"] for a in item.find_all("a")] == ["https://www.example.org/a", "https://example.org/b"]


def test_curation_warnings(site):
    warnings = sorted(m for m in site.messages if ": warning: " in m)
    assert "articles/twin1.md:1: warning: orphan post: no other post links to 'Twin'" in warnings
    assert "articles/twin2.md:1: warning: orphan post: no other post links to 'Twin'" in warnings
    assert not [w for w in warnings if "orphan" in w and ("alpha" in w or "beta" in w)]
    assert ("articles/alpha.md:11: warning: unlinked mention of 'Gamma stands alone' "
            "(articles/gamma.md): link it?") in warnings


def test_no_curation_warnings_by_default(tmp_path: Path):
    content = tmp_path / "c"
    (content / "articles").mkdir(parents=True)
    (content / "articles" / "gamma.md").write_text(GAMMA)
    (content / "articles" / "twin1.md").write_text(TWIN.format(n=1))
    records = build_site(content, tmp_path / "o", PLUGINS=["stage_timer", "author_report", "crosslinks"])
    messages = [r.getMessage() for r in records]
    assert messages == ["articles/gamma.md:5: error: broken link to 'alpha'"]
    soup = BeautifulSoup((tmp_path / "o" / "2019" / "01" / "twin-1.html").read_text("utf-8"), "html.parser")
    assert soup.find("section", class_="backlinks") is None


def test_data_contract_on_content_objects(tmp_path: Path):
    """outlinks / backlinks / concept_links / citations, as docs/crosslinks.md documents them."""
    import crosslinks.build as xb
    from pelican import signals

    captured = {}

    def grab(generators):
        for gen in generators:
            for item in getattr(gen, "articles", []) + getattr(gen, "pages", []):
                captured[item.slug] = item

    signals.all_generators_finalized.connect(grab)
    try:
        content = tmp_path / "c"
        (content / "articles").mkdir(parents=True)
        (content / "articles" / "alpha.md").write_text(ALPHA)
        (content / "articles" / "beta.md").write_text(BETA)
        (content / "articles" / "draft.md").write_text(DRAFT)
        build_site(content, tmp_path / "o", PLUGINS=["stage_timer", "author_report", "crosslinks"],
                   CROSSLINKS_LEGACY_HOSTS=["http://legacy.example"])
    finally:
        signals.all_generators_finalized.disconnect(grab)
    alpha, beta = captured["alpha"], captured["beta"]
    (out,) = alpha.outlinks
    assert (out.target, out.count, out.line, out.lines) == (beta, 3, 6, (6, 6, 10))
    assert out.context == "Links to beta and Beta and friends."
    (back,) = beta.backlinks
    assert (back.source, back.count, back.line) == (alpha, 3, 6)
    assert alpha.concept_links == [("tag", "networks")]
    (cite,) = alpha.citations
    assert (cite.site, cite.urls, cite.count) == ("example.org", ("https://www.example.org/a",
                                                                  "https://example.org/b"), 2)
    assert [b.source for b in alpha.backlinks] == [beta]
    assert xb.LAST_RUN["stats"]["broken"] == 3


def test_diagram_links_get_targets_and_broken_ones_are_errors(tmp_path: Path):
    from crosslinks.diagram_links import resolve_diagrams
    from crosslinks.resolver import Entry, Index
    from author_report import COLLECTOR

    target = SimpleNamespace(title="T")
    entries = [Entry(obj=target, source="articles/t.md", url="2020/01/t.html", title="T", slug="t")]
    post = SimpleNamespace(source_path=str(tmp_path / "articles" / "p.md"), diagrams=[{
        "id": "articles/p#1", "use": None, "links": [
            {"href": "{filename}/articles/t.md", "label": "T", "line": 12},
            {"href": "{filename}/articles/missing.md", "label": "M", "line": 14},
        ]}])
    source = Entry(obj=post, source="articles/p.md", url="2020/01/p.html", title="P", slug="p")
    COLLECTOR.clear()
    resolve_diagrams(source, Index(entries + [source]), {"PATH": str(tmp_path)})
    assert post.diagrams[0]["targets"] == [target]
    assert [str(p) for p in COLLECTOR.problems] == [
        "articles/p.md:14: error: broken link to '/articles/missing.md' (did you mean '/articles/t.md'?)"]
    COLLECTOR.clear()


def test_wiki_link_in_summary_metadata_is_resolved(tmp_path: Path):
    content = tmp_path / "c"
    (content / "articles").mkdir(parents=True)
    (content / "articles" / "beta.md").write_text("Title: Beta and friends\nDate: 2020-02-01 10:00\nSlug: beta\n\nB.\n")
    (content / "articles" / "s.md").write_text(textwrap.dedent("""\
        Title: With summary
        Date: 2020-03-01 10:00
        Slug: s
        Summary: A summary citing [[Beta and friends]].

        Body.
        """))
    build_site(content, tmp_path / "o", PLUGINS=["stage_timer", "author_report", "crosslinks"])
    index = BeautifulSoup((tmp_path / "o" / "index.html").read_text("utf-8"), "html.parser")
    html = (tmp_path / "o" / "index.html").read_text("utf-8")
    assert "{wiki}" not in html
    hrefs = [a["href"] for a in index.select("a.wikilink")]
    assert hrefs and all(h.endswith("2020/02/beta.html") for h in hrefs)


def test_posts_written_in_html_are_scanned_too(tmp_path: Path):
    content = tmp_path / "c"
    (content / "articles").mkdir(parents=True)
    (content / "articles" / "beta.md").write_text("Title: Beta\nDate: 2020-02-01 10:00\nSlug: beta\n\nB.\n")
    (content / "articles" / "h.html").write_text(textwrap.dedent("""\
        <html><head><title>An HTML post</title>
        <meta name="date" content="2020-03-01 10:00"><meta name="slug" content="h"></head>
        <body><p>First. This one cites <a href="{filename}beta.md">beta</a> in HTML.</p>
        <p>And <a href="{filename}missing.md">a missing one</a>.</p></body></html>
        """))
    records = build_site(content, tmp_path / "o", PLUGINS=["stage_timer", "author_report", "crosslinks"])
    assert [r.getMessage() for r in records] == [
        "articles/h.html:4: error: broken link to 'missing.md' (did you mean 'beta.md'?)"]
    soup = BeautifulSoup((tmp_path / "o" / "2020" / "02" / "beta.html").read_text("utf-8"), "html.parser")
    item = soup.find("section", class_="backlinks").find("li")
    assert item.find("a").get_text() == "An HTML post"
    assert item.blockquote.get_text(strip=True) == "This one cites beta in HTML."
