"""url_cache: each post's URL is computed once, and the site is the same byte for byte."""

from __future__ import annotations

from pathlib import Path

from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import SafeDatetime

from conftest import CONTENT, build_site

import url_cache


def _article(**metadata):
    settings = dict(DEFAULT_CONFIG, ARTICLE_URL="{date:%Y}/{slug}.html", ARTICLE_SAVE_AS="{date:%Y}/{slug}.html")
    meta = {"title": "On intermediaries", "date": SafeDatetime(2019, 3, 4), **metadata}
    return Article("<p>text</p>", metadata=meta, settings=settings, source_path="posts/x.md", context={})


def test_freeze_stores_the_url_pelican_would_compute():
    article = _article()
    assert url_cache.freeze([article]) == 1
    assert article.override_url == "2019/on-intermediaries.html"
    assert article.override_save_as == "2019/on-intermediaries.html"
    article.slug = "renamed"  # after the freeze, nothing recomputes it
    assert article.url == "2019/on-intermediaries.html"


def test_freeze_keeps_an_authors_url_override():
    article = _article(url="custom/place.html", save_as="custom/place.html")
    url_cache.freeze([article])
    assert article.url == "custom/place.html"
    assert article.save_as == "custom/place.html"


def test_site_is_identical_without_url_cache(sample_site, tmp_path: Path):
    from pelicanconf import PLUGINS

    without = [p for p in PLUGINS if p != "url_cache"]
    assert without != PLUGINS, "url_cache is enabled in pelicanconf.py"
    build_site(CONTENT, tmp_path, PLUGINS=without)

    def tree(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    first, second = tree(sample_site.output), tree(tmp_path)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
