"""Diagrams in real builds: the sample site, and a site with broken diagrams (development build)."""

from __future__ import annotations

import collections
import textwrap
from pathlib import Path

from conftest import build_site

TYPES = ("intermediary", "causal-loop", "concept-map", "cycle")


def diagram_pages(site):
    for rel in site.html_files():
        if rel.startswith(("tag/", "category/", "diagrams/", "graph/")) or rel.endswith("index.html"):
            continue
        soup = site.soup(rel)
        if soup.select("figure.diagram, .diagram-error"):
            yield rel, soup


def test_sample_site_shows_every_type_twice_and_a_reused_intermediary(sample_site):
    types, uses = collections.Counter(), collections.defaultdict(set)
    for rel, soup in diagram_pages(sample_site):
        assert not soup.select(".diagram-error"), f"{rel} has a broken diagram"
        for fig in soup.select("figure.diagram"):
            kind = next(c[len("diagram-"):] for c in fig["class"] if c.startswith("diagram-"))
            types[kind] += 1
            if fig.get("data-diagram"):
                uses[fig["data-diagram"]].add(rel)
    assert all(types[t] >= 2 for t in TYPES), types
    reused_intermediaries = [name for name, pages in uses.items() if len(pages) >= 3]
    assert reused_intermediaries, uses


def test_sample_figures_are_accessible_and_linked(sample_site):
    for rel, soup in diagram_pages(sample_site):
        ids = [el["id"] for el in soup.select("[id]")]
        assert len(ids) == len(set(ids)), f"duplicate ids on {rel}"
        for fig in soup.select("figure.diagram"):
            svg = fig.select_one("svg[role=img]")
            title_id, desc_id = svg["aria-labelledby"].split()
            assert soup.find(id=title_id).name == "title" and soup.find(id=desc_id).name == "desc"
            assert fig.select_one("figcaption").get_text(strip=True)
            words = fig.select_one("details.diagram-text")
            assert words.select("li"), f"{rel}: no relationships in words"
            if "diagram-causal-loop" in fig["class"]:
                markers = sorted(t.get_text() for t in svg.select(".dg-loop-marker text"))
                assert markers == sorted(li["data-loop"] for li in words.select("[data-loop]"))
            for a in fig.select("a[href]"):
                href = a["href"]
                assert "{filename}" not in href, f"{rel}: unresolved {href}"
                if not href.startswith(("http://", "https://", "#")):
                    target = (sample_site.path(rel).parent / href.split("#")[0]).resolve()
                    assert target.is_file(), f"{rel}: diagram link to missing {href}"


def test_diagrams_index_lists_every_diagram_and_its_posts(sample_site):
    soup = sample_site.soup("diagrams/index.html")
    entries = soup.select(".diagram-index .diagram-entry")
    figures_on_site = set()
    for rel, page in diagram_pages(sample_site):
        for fig in page.select("figure.diagram"):
            figures_on_site.add(fig.get("data-diagram") or f"{rel}#{fig['id']}")
    assert len(entries) == len(figures_on_site)
    for entry in entries:
        assert entry.select_one("figure.diagram svg[role=img]")
        links = [a["href"] for a in entry.select(".diagram-users + ul a[href]")]
        assert links
        for href in links:
            path, _, anchor = href.partition("#")
            target = (sample_site.path("diagrams/index.html").parent / path).resolve()
            assert target.is_file(), href
            page = target.read_text("utf-8")
            assert f'id="{anchor}"' in page
    reused = [e for e in entries if "diagram-entry--reused" in e["class"]]
    assert any(len(e.select(".diagram-users + ul li")) >= 3 for e in reused)


def test_broken_diagrams_are_reported_and_the_page_still_renders(tmp_path):
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "diagrams").mkdir()
    (content / "diagrams" / "bad.yaml").write_text("type: cycle\ntitle: b\nsteps: [only one]\n", "utf-8")
    (content / "articles" / "post.md").write_text(textwrap.dedent("""\
        Title: Broken diagrams
        Date: 2016-10-01

        First paragraph.

        ```causal-loop
        title: Missing polarity
        links:
          - A -> B
        ```

        ```diagram
        use: bad
        ```

        ```concept-map
        title: Fine
        propositions:
          - Programs -> need -> Volunteers
        ```

        Last paragraph.
        """), "utf-8")
    out = tmp_path / "out"
    records = build_site(content, out)
    messages = [r.getMessage() for r in records]
    assert any("articles/post.md:9: error:" in m and "polarity" in m for m in messages), messages
    assert any("articles/post.md:13: error:" in m and "diagrams/bad.yaml:3" in m for m in messages), messages
    html = (out / "2016" / "10" / "broken-diagrams.html").read_text("utf-8")
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.select("div.diagram-error[role=alert]")) == 2
    assert soup.select_one("figure.diagram-concept-map")
    assert "Last paragraph." in soup.get_text()
    assert (out / "diagrams" / "index.html").is_file()
    # The automatic summary on the home page leaves diagrams out (no half SVG, no error box).
    home = BeautifulSoup((out / "index.html").read_text("utf-8"), "html.parser")
    assert "First paragraph." in home.get_text()
    assert not home.select("svg, .diagram-error, figure.diagram")


def test_cached_posts_are_reread_when_their_diagram_file_changes(tmp_path):
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "diagrams").mkdir()
    role = content / "diagrams" / "role.yaml"
    role.write_text("type: cycle\ntitle: First title\nsteps: [a, b]\n", "utf-8")
    (content / "articles" / "post.md").write_text(
        "Title: Cached\nDate: 2016-10-01\n\n```diagram\nuse: role\n```\n", "utf-8")
    out = tmp_path / "out"
    cache = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CONTENT_CACHING_LAYER": "reader",
             "CACHE_PATH": str(tmp_path / "cache")}
    build_site(content, out, **cache)
    page = out / "2016" / "10" / "cached.html"
    assert "First title" in page.read_text("utf-8")
    role.write_text("type: cycle\ntitle: Second title\nsteps: [a, b]\n", "utf-8")
    build_site(content, out, **cache)
    text = page.read_text("utf-8")
    assert "Second title" in text and "First title" not in text


def test_summary_without_diagrams_links_work_on_every_page_with_diagrams_alone(tmp_path):
    """The diagram-free summary is resolved per page like Pelican's own (not once for the root,
    as a metadata summary would be), even without crosslinks."""
    from bs4 import BeautifulSoup

    from tools.linkcheck import broken_links

    content = tmp_path / "content"
    content.mkdir()
    (content / "target.md").write_text(
        "Title: Why intermediaries matter\nDate: 2016-10-01 10:00\nSlug: intermediaries\n\nThe hub.\n", "utf-8")
    (content / "drawn.md").write_text(textwrap.dedent("""\
        Title: Drawn hub
        Date: 2017-05-01 10:00
        Slug: drawn
        Tags: listing

        As [the hub]({filename}target.md) shows, one picture helps.

        ```cycle
        title: The loop
        steps: [Recruit, Train, Keep]
        ```
        """), "utf-8")
    out = tmp_path / "out"
    build_site(content, out, PLUGINS=["diagrams"])
    assert broken_links(out) == []
    tag = BeautifulSoup((out / "tag" / "listing.html").read_text("utf-8"), "html.parser")
    link = tag.find("a", string="the hub")
    assert link["href"] == "../2016/10/intermediaries.html"
    assert not tag.select("svg, figure.diagram")


def test_links_of_a_diagram_file_are_checked_where_diagrams_dir_says(tmp_path: Path):
    """A `use:`d diagram file in DIAGRAMS_DIR (here `shared/`, and a `.yml` file): its broken link
    is reported at that file and at the line of the node (5: `- label: Act`), and its errors
    name that file."""
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "shared").mkdir()
    (content / "shared" / "flow.yml").write_text(textwrap.dedent("""\
        type: cycle
        title: A shared cycle
        steps:
          - Plan
          - label: Act
            link: "{filename}/articles/missing.md"
          - Share
        """), "utf-8")
    (content / "shared" / "bad.yml").write_text("type: cycle\ntitle: Bad\nsteps: oops\n", "utf-8")
    (content / "articles" / "post.md").write_text(textwrap.dedent("""\
        Title: Uses shared diagrams
        Date: 2016-10-01
        Slug: uses-shared

        Intro.

        ```diagram
        use: flow
        ```

        ```diagram
        use: bad
        ```
        """), "utf-8")
    records = build_site(content, tmp_path / "out", DIAGRAMS_DIR="shared",
                         ARTICLE_EXCLUDES=["pages", "shared", "images"])
    messages = [r.getMessage() for r in records]
    assert any(m.startswith("shared/flow.yml:5: error: broken link") for m in messages), messages
    assert any(m.startswith("articles/post.md:12: error: shared/bad.yml:3:") for m in messages), messages
