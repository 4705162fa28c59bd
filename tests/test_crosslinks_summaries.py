"""Links written as URLs, and links in summaries, work on every page a post is shown on.

Pelican adjusts only its marker links (`{filename}`…) to each page; crosslinks rewrites every
internal link written as a URL (relative, site-relative, legacy host) to the marker of its target,
and resolves metadata summaries per page, so listings below the root (tag and category pages)
never carry a link that only worked on the post itself.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

from bs4 import BeautifulSoup

from conftest import build_site
from tools.linkcheck import broken_links

TARGET = """\
Title: Why intermediaries matter
Date: 2016-10-01 10:00
Slug: intermediaries
Tags: intermediaries

The hub that connects programs, volunteers and donors.

## Why

Because no program can build every relationship alone.
"""

# Each post links to the target in its first sentence (so the link is in its summary on every
# listing), each in a different form; all share the tag "listing" (a page at depth 1).
POSTS = {
    "relative.md": ("Relative", "2017-01-01", "[the hub](../../2016/10/intermediaries.html)"),
    "rooted.md": ("Rooted", "2017-02-01", "[the hub](/2016/10/intermediaries.html)"),
    "legacy.md": ("Legacy", "2017-03-01", "[the hub](http://old.example/2016/10/intermediaries.html#why)"),
    "wiki.md": ("Wiki", "2017-04-01", "[[Why intermediaries matter]]"),
}

DIAGRAM_POST = """\
Title: Drawn hub
Date: 2017-05-01 10:00
Slug: drawn
Tags: listing

As [the hub](../../2016/10/intermediaries.html) shows, one picture helps.

```concept-map
title: The hub
description: Programs and volunteers meet at the hub.
propositions:
  - Hub -> serves -> Programs
  - Volunteers -> join -> Programs
```
"""

SUMMARY_POST = """\
Title: Summarised
Date: 2017-06-01 10:00
Slug: summarised
Tags: listing
Summary: A short summary that links to [the hub]({filename}intermediaries.md).

A body with no link at the start.
"""


def _site(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    content.mkdir()
    (content / "intermediaries.md").write_text(TARGET, "utf-8")
    for name, (title, date, link) in POSTS.items():
        (content / name).write_text(
            f"Title: {title}\nDate: {date} 10:00\nSlug: {name[:-3]}\nTags: listing\n\n"
            f"We keep coming back to {link} in this post.\n", "utf-8")
    (content / "drawn.md").write_text(DIAGRAM_POST, "utf-8")
    (content / "summarised.md").write_text(SUMMARY_POST, "utf-8")
    out = tmp_path / "out"
    records = build_site(content, out, CROSSLINKS_LEGACY_HOSTS=["http://old.example"])
    assert [r.getMessage() for r in records if r.levelname == "ERROR"] == []
    return out


def _links_to_target(page: Path, out: Path) -> list[str]:
    """Every link on `page` that points at the target post, resolved against the page."""
    rel = page.relative_to(out).as_posix()
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    found = []
    for a in soup.find_all("a", href=True):
        url = urljoin("http://site.invalid/" + rel, a["href"])
        if a.get_text(strip=True) in ("the hub", "Why intermediaries matter"):
            found.append(url)
    return found


def test_summary_links_resolve_on_pages_at_every_depth(tmp_path: Path):
    out = _site(tmp_path)
    assert broken_links(out) == []
    expected = "http://site.invalid/2016/10/intermediaries.html"
    category = sorted((out / "category").glob("*.html"))[0]  # the default category: every post
    for page in (out / "index.html", out / "tag" / "listing.html", category):
        links = _links_to_target(page, out)
        # one per post: four URL forms, the diagram post's summary, the metadata summary
        assert len(links) >= 6, (page, links)
        assert {u.split("#")[0] for u in links} == {expected}, (page, links)


def test_urls_become_links_to_the_post_itself(tmp_path: Path):
    out = _site(tmp_path)
    pages = {p.stem: p for p in (out / "2017").rglob("*.html") if p.stem != "index"}
    legacy = BeautifulSoup(pages["legacy"].read_text("utf-8"), "html.parser").find("a", string="the hub")
    # the legacy host's URL now points here, fragment kept
    assert legacy["href"] == "../../2016/10/intermediaries.html#why"
    rooted = BeautifulSoup(pages["rooted"].read_text("utf-8"), "html.parser").find("a", string="the hub")
    assert rooted["href"] == "../../2016/10/intermediaries.html"  # works from file:// and sub-paths too
