"""Cross-links, read stage: the Markdown extension finds every link with its line and context."""

from __future__ import annotations

import textwrap

import pytest
from bs4 import BeautifulSoup

from crosslinks.extension import assign_lines, extract_links, skipped_lines
from crosslinks.text import normalize_key, sentence_around


def links_of(text: str, **kwargs):
    html, links = extract_links(textwrap.dedent(text).lstrip("\n"), **kwargs)
    return html, links


def by_href(links):
    return {link["href"]: link for link in links}


HEADER = "Title: A post\nDate: 2020-01-01 10:00\nTags: a, b\n\n"


def test_every_markdown_link_form_with_its_source_line():
    _, links = links_of(HEADER + textwrap.dedent("""\
        Inline [filename link]({filename}/articles/a.md) and [site link](/2016/10/b.html).
        A relative [one](../09/c.html) and an absolute [one](https://example.org/x).

        An autolink <https://auto.example/y> and a [reference link][ref].

        Raw HTML <a href="https://raw.example/z?a=1&amp;b=2">inline</a> in a sentence.

        <div class="box">
        <p>Block <a href="{filename}/pages/about.md">raw block</a>.</p>
        </div>

        [ref]: https://ref.example/r
        """))
    got = [(link["href"], link["line"]) for link in links]
    assert got == [
        ("{filename}/articles/a.md", 5),
        ("/2016/10/b.html", 5),
        ("../09/c.html", 6),
        ("https://example.org/x", 6),
        ("https://auto.example/y", 8),
        ("https://ref.example/r", 16),  # a reference link: the line of its definition
        ("https://raw.example/z?a=1&b=2", 10),
        ("{filename}/pages/about.md", 13),
    ]


def test_link_text_and_sentence_context():
    _, links = links_of("""
        First sentence here. Then we cite [the orchestra post]({filename}/a.md), which matters!
        Last sentence.
        """)
    (link,) = links
    assert link["text"] == "the orchestra post"
    assert link["context"] == "Then we cite the orchestra post, which matters!"


def test_links_in_code_blocks_and_code_spans_are_not_links():
    html, links = links_of("""
        Before [real](/a.html).

        ```python
        s = "[fenced](/no1.html) [[Fenced wiki]]"
        ```

            indented [code](/no2.html) [[Indented wiki]]

        ~~~
        <a href="/no3.html">html in tilde fence</a>
        ~~~

        A span `[span](/no4.html)` and ``[[Span wiki]]`` then [after](/b.html).
        """)
    assert [link["href"] for link in links] == ["/a.html", "/b.html"]
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select("a.wikilink") == []
    assert "[[Span wiki]]" in soup.get_text()


def test_line_search_skips_fenced_code_holding_the_same_href():
    _, links = links_of(HEADER + textwrap.dedent("""\
        ```
        example: [x](/same.html)
        ```

        The real [x](/same.html) link.
        """))
    assert [(link["href"], link["line"]) for link in links] == [("/same.html", 9)]


def test_wiki_links_all_forms_become_placeholders():
    html, links = links_of(HEADER + textwrap.dedent("""\
        See [[The Orchestra Conductor]] and [[orchestra-conductor|the conductor]].
        Unicode: [[Éléphant rosé]] and [[target#section|with anchor]].
        """))
    wikis = [(link["wiki"], link["text"], link["line"]) for link in links]
    assert wikis == [
        ("The Orchestra Conductor", "The Orchestra Conductor", 5),
        ("orchestra-conductor", "the conductor", 5),
        ("Éléphant rosé", "Éléphant rosé", 6),
        ("target#section", "with anchor", 6),
    ]
    soup = BeautifulSoup(html, "html.parser")
    anchors = soup.select("a.wikilink")
    assert [a.get_text() for a in anchors] == ["The Orchestra Conductor", "the conductor",
                                                "Éléphant rosé", "with anchor"]
    assert all(a["href"].startswith("{wiki}") for a in anchors)
    assert not any(a.has_attr("data-crosslinks-raw") for a in anchors)


def test_wiki_link_in_a_table_with_escaped_pipe():
    html, links = links_of("""
        | post | note |
        |------|------|
        | [[coordinator-workload\\|the bottleneck]] | x |
        """)
    assert [(link["wiki"], link["text"]) for link in links] == [("coordinator-workload", "the bottleneck")]
    cells = BeautifulSoup(html, "html.parser").find_all("td")
    assert cells[0].find("a", class_="wikilink").get_text() == "the bottleneck"


def test_escaped_brackets_are_not_a_wiki_link():
    _, links = links_of(r"Literal \[[not a link]] here.")
    assert links == []


def test_fragment_mailto_and_images_are_recorded_but_images_are_not_links():
    _, links = links_of("""
        ![an image](/images/x.png) [top](#top) [mail](mailto:a@b.org)
        """)
    assert [link["href"] for link in links] == ["#top", "mailto:a@b.org"]


def test_link_inside_emphasis_and_list_and_heading():
    _, links = links_of("""
        ## Heading with [a link](/h.html)

        - item one
        - item **with [bold link](/b.html)** inside. Second sentence.
          - nested [deep](/d.html)
        """)
    got = {link["href"]: (link["text"], link["context"]) for link in links}
    assert got["/h.html"] == ("a link", "Heading with a link")
    assert got["/b.html"] == ("bold link", "item with bold link inside.")
    assert got["/d.html"] == ("deep", "nested deep")


def test_repeated_href_gets_successive_lines():
    _, links = links_of(HEADER + "One [a](/x.html).\n\nTwo [b](/x.html).\n\nThree [c](/x.html) [d](/x.html).\n")
    assert [link["line"] for link in links] == [5, 7, 9, 9]


def test_yaml_front_matter_lines_are_counted_and_skipped():
    text = "---\ntitle: T\nsummary: see /x.html\n---\n\nBody [link](/x.html).\n"
    lines = text.split("\n")
    header = {}
    skip = skipped_lines(lines, header)
    assert {0, 1, 2, 3} <= skip and 5 not in skip
    assert header == {"title": 2, "summary": 3}
    links = [{"href": "/x.html"}]
    assign_lines(links, lines, skip)
    assert links[0]["line"] == 6


def test_header_lines_are_recorded_in_post_data():
    from markdown import Markdown

    from crosslinks.extension import CrossLinksExtension

    md = Markdown(extensions=["meta", CrossLinksExtension()])
    md.convert("Title: T\nAliases: /old.html\n\nBody.\n")
    assert md.post_data["ln_header_lines"] == {"title": 1, "aliases": 2}
    assert md.post_data["ln_links"] == []


def test_each_conversion_gets_its_own_link_list():
    """Pelican converts the Summary with the same Markdown object: it must not add links."""
    from markdown import Markdown

    from crosslinks.extension import CrossLinksExtension

    md = Markdown(extensions=["meta", CrossLinksExtension()])
    md.convert("Title: T\n\nBody [a](/a.html).\n")
    first = md.post_data["ln_links"]
    md.reset()
    md.convert("Summary [b](/b.html)")
    assert [link["href"] for link in first] == ["/a.html"]


@pytest.mark.parametrize("text, expected", [
    ("Élan-Vital_ Été", "elan vital ete"),
    ("The Orchestra  Conductor", "the orchestra conductor"),
    ("orchestra-conductor", "orchestra conductor"),
    ("Don’t STOP", "don't stop"),
    ("ÇA VA ŒUVRE", "ca va œuvre"),
])
def test_normalize_key(text, expected):
    assert normalize_key(text) == expected


def test_sentence_around_long_sentence_is_cut_with_ellipses():
    text = "Intro. " + " ".join(["word"] * 100) + " LINK " + " ".join(["more"] * 100) + ". End."
    start = text.index("LINK")
    context = sentence_around(text, start, start + 4, max_chars=80)
    assert "LINK" in context
    assert context.startswith("\u2026") and context.endswith("\u2026")
    assert len(context) <= 84


def test_sentence_around_keeps_closing_quote():
    text = 'He said "read the conductor post." Then left.'
    start = text.index("conductor")
    assert sentence_around(text, start, start + 9) == 'He said "read the conductor post."'


def test_bracketed_link_text_is_a_markdown_link_not_a_wiki_link():
    html, links = links_of("A citation [[1]](https://example.org/paper) here.")
    assert [link["href"] for link in links] == ["https://example.org/paper"]
    a = BeautifulSoup(html, "html.parser").find("a")
    assert a.get_text() == "[1]" and "wikilink" not in (a.get("class") or [])
