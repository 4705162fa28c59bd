"""compute_once: each post's URL and summary are computed once, and the site is the same byte for byte."""

from __future__ import annotations

import os
import posixpath
from pathlib import Path

from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import SafeDatetime

from conftest import CONTENT, build_site, site_tree

import compute_once


def _article(**metadata):
    settings = dict(DEFAULT_CONFIG, ARTICLE_URL="{date:%Y}/{slug}.html", ARTICLE_SAVE_AS="{date:%Y}/{slug}.html")
    meta = {"title": "On intermediaries", "date": SafeDatetime(2019, 3, 4), **metadata}
    return Article("<p>text</p>", metadata=meta, settings=settings, source_path="posts/x.md", context={})


def test_freeze_stores_the_url_pelican_would_compute():
    article = _article()
    assert compute_once.freeze([article]) == 1
    assert article.override_url == "2019/on-intermediaries.html"
    assert article.override_save_as == "2019/on-intermediaries.html"
    article.slug = "renamed"  # after the freeze, nothing recomputes it
    assert article.url == "2019/on-intermediaries.html"


def test_freeze_keeps_an_authors_url_override():
    article = _article(url="custom/place.html", save_as="custom/place.html")
    compute_once.freeze([article])
    assert article.url == "custom/place.html"
    assert article.save_as == "custom/place.html"


def test_site_is_identical_without_compute_once(sample_site, tmp_path: Path):
    from pelicanconf import PLUGINS

    without = [p for p in PLUGINS if p != "compute_once"]
    assert without != PLUGINS, "compute_once is enabled in pelicanconf.py"
    build_site(CONTENT, tmp_path, PLUGINS=without)

    first, second = site_tree(sample_site.output), site_tree(tmp_path)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


LONG = (
    '<p>Start with <a href="{tag}volunteer networks">the volunteers</a> and '
    + " ".join(f"word{i}" for i in range(80))
    + ' and <a href="{category}strategy">strategy</a>.</p><p>More text.</p>'
)


def test_page_summary_is_pelicans_summary_resolved_per_page():
    from pelican.contents import Content

    settings = dict(DEFAULT_CONFIG, SUMMARY_MAX_LENGTH=20, RELATIVE_URLS=True, TAG_URL="tag/{slug}.html",
                    CATEGORY_URL="category/{slug}.html")
    for siteurl in ("", "..", "../.."):
        article = Article(LONG, metadata={"title": "T", "date": SafeDatetime(2020, 1, 1)}, settings=settings,
                          source_path="posts/t.md", context={"localsiteurl": siteurl})
        expected = Content.get_summary.func(article, siteurl)  # Pelican's own, unmemoised
        assert f'href="{posixpath.join(siteurl, "tag/volunteer-networks.html")}"' in expected
        assert compute_once.PageSummary(article)(siteurl) == expected


def test_freeze_leaves_a_metadata_summary_to_pelican():
    article = _article(summary="<p>Given.</p>")
    compute_once.freeze([article])
    assert "get_summary" not in vars(article)
    bare = _article()
    compute_once.freeze([bare])
    assert isinstance(vars(bare)["get_summary"], compute_once.PageSummary)


def test_a_summary_set_after_the_freeze_wins_as_in_pelican():
    article = _article()
    compute_once.freeze([article])
    article.metadata["summary"] = "<p>Set later by a plugin.</p>"
    assert article.summary == "<p>Set later by a plugin.</p>"


def test_templates_are_compiled_once_per_session_and_again_when_edited(tmp_path):
    """compute_once shares one bytecode cache between every generator and every rebuild of one
    Pelican object (a devserver session); an edited template is compiled again, never served
    stale; another Pelican object (other settings: Jinja folds `is plugin_enabled` into the
    compiled code) gets its own cache."""
    import shutil

    from pelican import Pelican
    from pelican.settings import read_settings

    from conftest import CONTENT, ROOT

    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "themes" / "network", theme)
    out = tmp_path / "out"
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        settings = read_settings(str(ROOT / "pelicanconf.py"), override={
            "PATH": str(CONTENT), "OUTPUT_PATH": str(out), "THEME": str(theme), "CACHE_CONTENT": False,
            "LOAD_CONTENT_CACHE": False, "SEARCH_INDEX": False})
        pelican = Pelican(settings)
        cache = pelican.settings["JINJA_ENVIRONMENT"]["bytecode_cache"]
        pelican.run()
        assert len(cache.compiled) >= 10
        before = dict(cache.compiled)
        page = theme / "templates" / "page.html"
        page.write_text(page.read_text("utf-8").replace("{% block content %}",
                                                        "{% block content %}<!-- edited template -->", 1), "utf-8")
        pelican.run()
        other = Pelican(read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(CONTENT),
                                                                             "OUTPUT_PATH": str(out)}))
    finally:
        os.chdir(cwd)
    changed = [key for key, data in cache.compiled.items() if before.get(key) != data]
    assert len(changed) == 1
    assert "<!-- edited template -->" in (out / "pages" / "about.html").read_text("utf-8")
    assert other.settings["JINJA_ENVIRONMENT"]["bytecode_cache"] is not cache


def test_members_answer_in_by_identity_and_keep_the_generators_lists():
    from compute_once import Members, index_members

    class Post:  # like a content object: no __eq__, compares by identity
        pass

    a, b, c = Post(), Post(), Post()
    members = Members([a, b])
    assert a in members and b in members and c not in members
    assert list(members) == [a, b] and isinstance(members, list)

    class Generator:
        pass

    generator = Generator()
    generator.tags = {"mentoring": [a, c]}
    generator.categories = [("Practice", [b])]
    shared = generator.categories  # Pelican's context holds this very list
    generator.authors = []
    index_members(generator)
    assert isinstance(generator.tags["mentoring"], Members) and list(generator.tags["mentoring"]) == [a, c]
    assert generator.categories is shared and shared == [("Practice", [b])]
    assert isinstance(shared[0][1], Members)
    # what Pelican's generate_tags computes, unchanged: the site's posts in the tag, in date order
    dates = [c, b, a]
    assert [p for p in dates if p in generator.tags["mentoring"]] == [c, a]
