"""Importer, transform stage: HTML -> Markdown, links, comments, headers (pure, no Pelican build)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from importer import convert
from importer.__main__ import main
from importer.comments import thread
from importer.links import LinkMap
from importer.markdown_file import render
from importer.model import Comment, Item

FIXTURES = Path(__file__).parent / "fixtures" / "import"
EXPECTED = FIXTURES / "expected"


def md(html: str, attachments=None, wordpress=False) -> str:
    html = convert.expand_shortcodes(html, attachments or {})
    soup = convert.parse_html(convert.autop(html) if wordpress else html)
    warnings = []
    convert.prepare(soup, warnings.append)
    return convert.to_markdown(soup)


@pytest.mark.parametrize("export, written, expected", [
    ("takeout-feed.atom", "articles/2011-03-volunteers-and-time.md", "takeout-volunteers-and-time.md"),
    ("takeout-feed.atom", "articles/2011-02-intermediaries-connect-city.md", "takeout-intermediaries-connect-city.md"),
    ("wordpress-https-1.2.xml", "articles/2015-06-why-networks-grow.md", "wxr-why-networks-grow.md"),
    ("wordpress-https-1.2.xml", "articles/2015-07-follow-up.md", "wxr-follow-up.md"),
])
def test_converted_posts_equal_the_expected_markdown(tmp_path, export, written, expected):
    assert main([str(FIXTURES / export), "--inputdir", str(tmp_path), "--no-progress"]) == 0
    assert (tmp_path / written).read_text("utf-8") == (EXPECTED / expected).read_text("utf-8")


def test_blogger_br_and_div_soup_becomes_paragraphs():
    html = '<div dir="ltr">One<br>same paragraph<br><br>Two<br /><br /><br />Three<div>Four</div></div>'
    assert md(html) == "One  \nsame paragraph\n\nTwo\n\nThree\n\nFour\n"


def test_wordpress_blocks_and_shortcodes():
    html = ('<!-- wp:paragraph -->\n<p>Hi</p>\n<!-- /wp:paragraph -->\n\n'
            '[caption id="a1" width="300"]<img src="http://x.example/a.jpg" alt="A" /> Cap[/caption]\n\n'
            '[youtube=http://www.youtube.com/watch?v=abcdefghijk&w=640]\n\n[gallery ids="5,6"]\n\nText')
    out = md(html, {"5": "http://x.example/5.jpg"}, wordpress=True)
    assert out == ("Hi\n\n<figure>\n<img alt=\"A\" src=\"http://x.example/a.jpg\"/>\n<figcaption>Cap</figcaption>\n"
                   "</figure>\n\n[Video: http://www.youtube.com/watch?v=abcdefghijk&w=640]"
                   "(http://www.youtube.com/watch?v=abcdefghijk&w=640)\n\n![](http://x.example/5.jpg)\n\nText\n")


def test_scripts_handlers_and_embeds_never_survive():
    html = ('<p onclick="evil()">a <a href="javascript:alert(1)">b</a></p><script>alert(1)</script>'
            '<iframe src="//player.vimeo.com/video/12345"></iframe><object><embed src="http://evil.example/x.swf"></object>')
    out = md(html)
    assert "script" not in out and "onclick" not in out and "javascript" not in out and "<iframe" not in out
    assert "[Video: https://vimeo.com/12345](https://vimeo.com/12345)" in out
    assert "[Embedded content: http://evil.example/x.swf](http://evil.example/x.swf)" in out


def test_untrusted_header_values_cannot_break_the_header():
    item = Item(kind="post", id="1", title="Evil\nStatus: published", date=datetime(2020, 1, 2, 3, 4, 5),
                html="", slug="evil", tags=["a, b", "c\nd"], author="X\r\nY",
                old_url="http://old.example/2020/01/a,b.html")
    text = render(item, "Body\n", None)
    header = text.split("\n\n", 1)[0].splitlines()
    assert header == ["Title: Evil Status: published", "Date: 2020-01-02 03:04:05", "Slug: evil",
                      "Tags: a b, c d", "Author: X Y", "Aliases: http://old.example/2020/01/a%2Cb.html"]


def test_links_in_every_form_resolve():
    post = Item(kind="post", id="1", title="t", date=datetime(2011, 2, 10), html="", slug="a",
                old_url="http://blog.example.com/2011/02/a.html", old_path="2011/02/a.html")
    post.source = "articles/2011-02-a.md"
    wp = Item(kind="post", id="8", title="w", date=datetime(2012, 2, 4), html="", slug="w",
              old_url="https://x.wordpress.com/2012/02/04/w/", old_path="2012/02/04/w/", aliases=["https://x.wordpress.com/?p=8"])
    wp.source = "articles/2012-02-w.md"
    links = LinkMap([post, wp], ["http://blog.example.com", "https://blog.blogspot.com"], {})
    for href in ["http://blog.example.com/2011/02/a.html", "https://www.blog.example.com/2011/02/a.html?m=1",
                 "http://blog.blogspot.com/2011/02/a.html", "http://blog.blogspot.com.au/2011/02/a.html#c",
                 "/2011/02/a.html", "a.html", "http://x.wordpress.com/2012/02/04/w", "/?p=8", "http://x.wordpress.com/?p=8&foo=1"]:
        assert links.resolve(href, "2011/02/b.html").kind == "item", href
    assert links.resolve("http://blog.example.com/2011/03/a.html").by_slug
    assert links.resolve("http://blog.example.com/2009/01/gone.html").kind == "unresolved"
    assert links.resolve("http://other.example/2011/02/a.html").kind == "other"
    tagged = LinkMap([Item(kind="post", id="2", title="x", date=datetime(2011, 1, 1), html="", slug="x",
                           old_path="2011/01/x.html", tags=["Systems Thinking"], category="Network building")],
                     ["http://blog.example.com"], {})
    assert tagged.resolve("http://blog.example.com/search/label/Systems%20Thinking").name == "Systems Thinking"
    assert tagged.resolve("/category/network-building/").kind == "category"
    assert tagged.resolve("/search/label/Unknown").kind == "unresolved"
    assert links.resolve("http://blog.example.com/images/a.png").kind == "other"


def test_comments_are_sanitised_and_threaded():
    comments = [
        Comment("2", "p", "1", "B", "https://b.example", datetime(2020, 1, 2), "re <b>ok</b>"),
        Comment("1", "p", "", "<i>A</i>", "javascript:alert(1)", datetime(2020, 1, 1),
                '<script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:x()">j</a>'
                '<a href="https://ok.example" onclick="x()">ok</a><p style="color:red">p</p>'),
        Comment("3", "p", "4", "C", "", datetime(2020, 1, 3), "orphan"),  # parent missing: top level
    ]
    top = thread(comments)
    assert [c["id"] for c in top] == ["1", "3"]
    assert [r["id"] for r in top[0]["replies"]] == ["2"]
    first = top[0]
    assert first["url"] == "" and first["author"] == "<i>A</i>"  # escaped by the theme, not here
    assert first["html"] == '<a rel="nofollow ugc">j</a><a href="https://ok.example" rel="nofollow ugc">ok</a><p>p</p>'
    json.dumps(top)  # plain data, cycles impossible
