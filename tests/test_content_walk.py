"""One walk over every list of content a generator holds (content_walk), and what depends on it:
problems found while reading a post are reported whatever its status (published, hidden, draft)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from conftest import build_site

BAD_LOOP = """\
Title: {title}
Date: 2020-01-01 10:00
Slug: {slug}
Status: {status}

Text.

```causal-loop
title: Bad polarity
links:
  - A -> B (x)
  - B -> A (+)
```
"""


def _site(tmp_path: Path, status: str) -> Path:
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "articles" / "loop.md").write_text(
        BAD_LOOP.format(title="Loop", slug="loop", status=status), "utf-8")
    (content / "articles" / "ok.md").write_text(
        "Title: Fine\nDate: 2020-01-02 10:00\nSlug: fine\n\nNothing wrong.\n", "utf-8")
    return content


def _errors(records):
    return [r.getMessage() for r in records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("status", ["published", "hidden", "draft"])
def test_read_problems_of_a_post_are_reported_whatever_its_status(tmp_path: Path, status: str):
    records = build_site(_site(tmp_path, status), tmp_path / "out")
    errors = [m for m in _errors(records) if m.startswith("articles/loop.md:")]
    assert errors, f"the bad polarity of a {status} post was not reported: {_errors(records)}"
    assert errors[0].startswith("articles/loop.md:11: error:"), errors


def test_a_strict_build_fails_on_a_hidden_post_with_a_broken_diagram(tmp_path: Path):
    from author_report import AuthorErrors

    with pytest.raises(AuthorErrors):
        build_site(_site(tmp_path, "hidden"), tmp_path / "out", AUTHOR_REPORT_STRICT=True)


def test_walk_yields_every_list_once_with_its_status():
    from types import SimpleNamespace

    from content_walk import DRAFT, HIDDEN, PUBLISHED, walk

    a, t, h, d, p, hp, dp = (SimpleNamespace(name=n) for n in "a t h d p hp dp".split())
    articles = SimpleNamespace(articles=[a], translations=[t], hidden_articles=[h], hidden_translations=[],
                               drafts=[d], drafts_translations=[])
    pages = SimpleNamespace(pages=[p, a], hidden_pages=[hp], draft_pages=[dp], translations=[],
                            hidden_translations=[], draft_translations=[])
    items = [(i.content.name, i.status, i.translation) for i in walk([articles, pages, SimpleNamespace()])]
    assert items == [("a", PUBLISHED, False), ("t", PUBLISHED, True), ("h", HIDDEN, False),
                     ("d", DRAFT, False), ("p", PUBLISHED, False), ("hp", HIDDEN, False), ("dp", DRAFT, False)]
