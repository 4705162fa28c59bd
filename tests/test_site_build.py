"""The foundation: the real sample site builds, every post is written and listed, nothing is broken."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import urljoin

import pytest
from pelican.utils import slugify

from conftest import CONTENT, build_site, site_tree
from sources import SLUG_SUBS, article_url, articles, page_url, pages
from tools.linkcheck import broken_links

ARTICLES = articles(CONTENT)
PAGES = pages(CONTENT)


def hrefs(soup, page_rel: str) -> set[str]:
    """Every link of a page, resolved to a path relative to the output root."""
    base = "http://site.invalid/" + page_rel
    out = set()
    for a in soup.find_all("a", href=True):
        url = urljoin(base, a["href"])
        if url.startswith("http://site.invalid/"):
            out.add(url[len("http://site.invalid/"):].split("#")[0])
    return out


def test_sample_content_is_substantial():
    assert len(ARTICLES) >= 15
    years = {a.date.year for a in ARTICLES}
    assert min(years) <= 2005 and max(years) >= 2026
    assert {"about", "start-here"} <= {p.slug for p in PAGES}
    tag_use = {}
    for a in ARTICLES:
        for t in a.tags:
            tag_use[t] = tag_use.get(t, 0) + 1
    assert sum(1 for n in tag_use.values() if n >= 2) >= 6


def test_every_article_and_page_is_written(sample_site):
    for source in ARTICLES:
        soup = sample_site.soup(article_url(source))
        assert soup.find("h1").get_text(" ", strip=True) == source.title
        assert soup.find("main", id="main") is not None
        assert soup.find("time", attrs={"datetime": True}) is not None
    for source in PAGES:
        soup = sample_site.soup(page_url(source))
        assert soup.find("h1").get_text(" ", strip=True) == source.title


def test_index_pages_list_every_article(sample_site):
    listed = set()
    index_pages = sorted(p.name for p in sample_site.output.glob("index*.html"))
    assert len(index_pages) >= 2, "the index is paginated"
    for name in index_pages:
        listed |= hrefs(sample_site.soup(name), name)
    assert {article_url(a) for a in ARTICLES} <= listed


def test_archives_list_every_article(sample_site):
    listed = hrefs(sample_site.soup("archives.html"), "archives.html")
    assert {article_url(a) for a in ARTICLES} <= listed
    for year in {a.date.year for a in ARTICLES}:
        in_year = {article_url(a) for a in ARTICLES if a.date.year == year}
        assert in_year <= hrefs(sample_site.soup(f"{year}/index.html"), f"{year}/index.html")


def test_tag_pages_list_their_articles(sample_site):
    by_tag: dict[str, set[str]] = {}
    for a in ARTICLES:
        for tag in a.tags:
            by_tag.setdefault(slugify(tag, regex_subs=SLUG_SUBS), set()).add(article_url(a))
    tags_index = hrefs(sample_site.soup("tags.html"), "tags.html")
    for slug, urls in by_tag.items():
        rel = f"tag/{slug}.html"
        assert rel in tags_index
        # A tag page may paginate; gather every page of it.
        listed = set()
        for page in sorted(sample_site.output.glob(f"tag/{slug}*.html")):
            name = page.relative_to(sample_site.output).as_posix()
            listed |= hrefs(sample_site.soup(name), name)
        assert urls <= listed, f"{rel} misses {urls - listed}"


def test_category_pages_and_404_exist(sample_site):
    categories = {a.meta.get("category") for a in ARTICLES if a.meta.get("category")}
    for cat in categories:
        assert sample_site.path(f"category/{slugify(cat, regex_subs=SLUG_SUBS)}.html").is_file()
    soup = sample_site.soup("404.html")
    assert soup.find("main") is not None
    assert "not found" in soup.get_text(" ").lower()


def test_build_log_is_clean(sample_site):
    problems = [f"{r.levelname}: {r.getMessage()}" for r in sample_site.records if r.levelno >= logging.WARNING]
    assert problems == []


def test_every_internal_link_resolves(sample_site):
    assert broken_links(sample_site.output) == []


def test_linkcheck_finds_broken_links(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<a href="a/b.html">x</a><a href="a/">y</a><img src="missing.png">'
                                         '<a href="https://example.org/x">ext</a><a href="#top">t</a><p id="top">')
    (tmp_path / "a" / "b.html").write_text('<a href="../index.html#nope">x</a><a href="../index.html#top">y</a>')
    (tmp_path / "a" / "index.html").write_text("ok")
    assert broken_links(tmp_path) == [
        "a/b.html:1: missing anchor in '../index.html#nope'",
        "index.html:1: broken link 'missing.png'",
    ]


def test_site_builds_without_plugins(tmp_path: Path):
    records = build_site(CONTENT, tmp_path, PLUGINS=[])
    assert [r.getMessage() for r in records if r.levelno >= logging.ERROR] == []
    assert (tmp_path / article_url(ARTICLES[0])).is_file()
    assert broken_links(tmp_path) == []


def test_whole_site_is_byte_identical_across_builds(sample_site, tmp_path: Path):
    again = tmp_path / "again"
    build_site(CONTENT, again)

    first, second = site_tree(sample_site.output), site_tree(again)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_whole_site_is_byte_identical_across_processes_and_hash_seeds(tmp_path: Path):
    """Two `pelican` processes with different PYTHONHASHSEED: set and dict-of-str orders differ
    between them, so anything written in hash order shows up (two builds in one process cannot)."""
    import subprocess
    import sys

    from conftest import ROOT

    pelican = str(Path(sys.executable).with_name("pelican"))
    runs = {}
    for seed in ("1", "2"):
        out = tmp_path / f"seed-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        runs[seed] = (out, subprocess.Popen(
            [pelican, str(CONTENT), "-o", str(out), "-s", "pelicanconf.py", "-q",
             "-e", "CACHE_CONTENT=false", "LOAD_CONTENT_CACHE=false"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    for seed, (_, proc) in runs.items():
        output, _ = proc.communicate(timeout=600)
        assert proc.returncode == 0, (seed, output)

    first, second = site_tree(runs["1"][0]), site_tree(runs["2"][0])
    assert len(first) > 50
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


@pytest.mark.parametrize("plugin", ["crosslinks", "diagrams", "graphics", "concept_graph"])
def test_each_plugin_loads_on_its_own(plugin, tmp_path: Path):
    """Run as the `pelican` command (no test-time sys.path help): a plugin alone still loads."""
    import subprocess
    import sys

    from conftest import ROOT

    result = subprocess.run(
        [str(Path(sys.executable).with_name("pelican")), str(CONTENT), "-o", str(tmp_path / "out"),
         "-s", "pelicanconf.py", "-e", f'PLUGINS=["{plugin}"]', "CACHE_CONTENT=false", "LOAD_CONTENT_CACHE=false"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Cannot register plugin" not in result.stdout + result.stderr
    assert (tmp_path / "out" / article_url(ARTICLES[0])).is_file()
