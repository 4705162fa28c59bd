"""Author errors Pelican itself would turn into a crash or a broken page: a `Template:` the
theme lacks, a tag or category whose slug comes out empty (author_report.pelican_checks)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import build_site


def _errors(records):
    return [r.getMessage() for r in records if r.levelno >= logging.ERROR]


def _template_site(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "pages" / "custom.md").write_text(
        "Title: Custom page\nSlug: custom\nTemplate: landing\n\nHello from the custom page.\n", "utf-8")
    (content / "pages" / "plain.md").write_text("Title: Plain page\nSlug: plain\n\nPlain.\n", "utf-8")
    (content / "articles" / "post.md").write_text(
        "Title: Custom post\nDate: 2020-01-01 10:00\nSlug: post\nTags: x\nTemplate: fancy-article\n\nBody.\n",
        "utf-8")
    return content


def test_a_missing_template_is_an_author_error_and_the_default_template_is_used(tmp_path: Path):
    out = tmp_path / "out"
    records = build_site(_template_site(tmp_path), out)
    errors = _errors(records)
    assert "pages/custom.md:3: error: template 'landing' not found in theme" in errors
    assert "articles/post.md:5: error: template 'fancy-article' not found in theme" in errors
    custom = BeautifulSoup((out / "pages" / "custom.html").read_text("utf-8"), "html.parser")
    plain = BeautifulSoup((out / "pages" / "plain.html").read_text("utf-8"), "html.parser")
    assert "Hello from the custom page." in custom.get_text()
    # Rendered by the theme's page template, like any page.
    assert [t.name for t in custom.body.find_all(recursive=False)] == \
        [t.name for t in plain.body.find_all(recursive=False)]
    post = BeautifulSoup((out / "2020" / "01" / "post.html").read_text("utf-8"), "html.parser")
    assert post.find("h1").get_text(strip=True) == "Custom post"


def test_a_strict_build_fails_cleanly_on_a_missing_template(tmp_path: Path):
    from author_report import AuthorErrors

    with pytest.raises(AuthorErrors):
        build_site(_template_site(tmp_path), tmp_path / "out", AUTHOR_REPORT_STRICT=True)


def test_a_tag_or_category_with_an_empty_slug_is_an_error_and_writes_no_page(tmp_path: Path):
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "articles" / "post.md").write_text(
        "Title: Odd tags\nDate: 2020-01-01 10:00\nSlug: odd\nCategory: !!!\nTags: ???, real, **\n\nBody.\n",
        "utf-8")
    out = tmp_path / "out"
    records = build_site(content, out)
    errors = _errors(records)
    assert "articles/post.md:5: error: tag '???' has an empty slug" in errors
    assert "articles/post.md:5: error: tag '**' has an empty slug" in errors
    assert "articles/post.md:4: error: category '!!!' has an empty slug" in errors
    assert not (out / "tag" / ".html").exists()
    assert not (out / "category" / ".html").exists()
    assert (out / "tag" / "real.html").is_file()
    post = BeautifulSoup((out / "2020" / "01" / "odd.html").read_text("utf-8"), "html.parser")
    hrefs = [a["href"] for a in post.find_all("a", href=True)]
    assert not [h for h in hrefs if h.endswith(("tag/.html", "category/.html"))], hrefs
    assert any(h.endswith("tag/real.html") for h in hrefs)
