"""Crosslinks drops Pelican's own "Unable to find" warning for the {filename} links it reported
itself: per build, never for a link that was broken only in an earlier build of the process."""

from __future__ import annotations

import logging
from pathlib import Path

from conftest import build_site


def _unable_to_find(value: str) -> logging.LogRecord:
    return logging.LogRecord("pelican.contents", logging.WARNING, __file__, 1,
                             "Unable to find '%s', skipping url replacement.", (value,), None)


def test_the_filter_forgets_the_links_of_an_earlier_build(tmp_path: Path):
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    post = content / "articles" / "a.md"
    post.write_text("Title: A\nDate: 2020-01-01 10:00\nSlug: a\n\nSee [gone]({filename}gone.md).\n", "utf-8")
    (content / "articles" / "b.md").write_text("Title: B\nDate: 2020-01-02 10:00\nSlug: b\n\nB.\n", "utf-8")
    first = build_site(content, tmp_path / "out1")
    assert any(r.getMessage().startswith("articles/a.md:5: error: broken link to 'gone.md'") for r in first)
    assert not any(r.getMessage().startswith("Unable to find") for r in first)  # reported once, by us

    post.write_text("Title: A\nDate: 2020-01-01 10:00\nSlug: a\n\nSee [b]({filename}b.md).\n", "utf-8")
    build_site(content, tmp_path / "out2")
    ours = [f for f in logging.getLogger("pelican.contents").filters if type(f).__module__.startswith("crosslinks")]
    assert len(ours) == 1
    # A warning Pelican gives for 'gone.md' now is news: our filter lets it through (Pelican's own
    # LimitFilter, which drops any message it has seen before in the process, is not ours to change).
    assert ours[0].filter(_unable_to_find("gone.md"))
