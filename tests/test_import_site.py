"""Importer end to end: import each export, build the site with the project's pelicanconf.py and all
plugins, and read the HTML: posts at their URLs, old URLs redirecting, cross-links, sanitised
comments, no build error of the import's own; a second import changes nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pelican
import pytest
from bs4 import BeautifulSoup

from conftest import build_site
from importer.__main__ import main
from importer.write import MANIFEST

FIXTURES = Path(__file__).parent / "fixtures" / "import"
PELICAN_CONTENT = Path(pelican.__file__).parent / "tests" / "content"
EXPORTS = {
    "blogger-classic": PELICAN_CONTENT / "bloggerexport.xml",
    "wordpress-sample": PELICAN_CONTENT / "wordpressexport.xml",
    "takeout": FIXTURES / "takeout-feed.atom",
    "wxr-https": FIXTURES / "wordpress-https-1.2.xml",
    "classic-custom-domain": FIXTURES / "blogger-classic.xml",
}


def headers(path: Path) -> dict[str, str]:
    head = path.read_text("utf-8").split("\n\n", 1)[0]
    return {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in head.splitlines())}


def url_of(rel: str, meta: dict[str, str]) -> str:
    if "url" in meta:
        return meta["url"]
    if rel.startswith("pages/"):
        return f"pages/{meta['slug']}.html"
    return f"{meta['date'][:4]}/{meta['date'][5:7]}/{meta['slug']}.html"


@pytest.fixture(scope="module", params=sorted(EXPORTS))
def imported(request, tmp_path_factory):
    content = tmp_path_factory.mktemp(f"import-{request.param}")
    assert main([str(EXPORTS[request.param]), "--inputdir", str(content), "--no-progress"]) == 0
    out = tmp_path_factory.mktemp(f"import-out-{request.param}")
    records = build_site(content, out)
    sources = {p.relative_to(content).as_posix(): headers(p) for p in sorted(content.rglob("*.md"))}
    return SimpleNamespace(name=request.param, content=content, out=out, sources=sources,
                           messages=[r.getMessage() for r in records],
                           soup=lambda rel: BeautifulSoup((out / rel).read_text("utf-8"), "html.parser"))


def test_every_published_post_and_page_exists(imported):
    published = {rel: meta for rel, meta in imported.sources.items() if meta.get("status") != "draft"}
    assert published
    for rel, meta in published.items():
        soup = imported.soup(url_of(rel, meta))
        assert soup.find("h1").get_text(strip=True) == meta["title"]


def test_the_build_has_no_error_of_the_imports_own(imported):
    """No build errors. Pictures the old blog showed from its own site paths (Pelican's sample
    WordPress export: /theme/img/xpelican…png) point at the old host, where they still show."""
    errors = [m for m in imported.messages if ": error:" in m or m.startswith("ERROR")]
    assert errors == []
    assert not [m for m in imported.messages if "alias" in m]


def test_every_old_url_redirects_or_keeps_its_path(imported):
    checked = 0
    for rel, meta in imported.sources.items():
        if meta.get("status") == "draft" or not meta.get("aliases"):
            continue
        own = url_of(rel, meta)
        for alias in meta["aliases"].split(", "):
            parts = urlsplit(alias)
            path = parts.path.lstrip("/")
            if parts.query:  # ?p=ID: the home page's redirect map
                assert imported.soup("index.html").find("script", id="query-redirects") is not None
                continue
            if path == own:
                continue
            target = path + "index.html" if path.endswith("/") else path
            soup = imported.soup(target)
            refresh = soup.find("meta", attrs={"http-equiv": "refresh"})
            assert refresh and refresh["content"].endswith(own), (alias, refresh)
            checked += 1
    if imported.name in ("takeout", "wxr-https", "wordpress-sample"):
        assert checked


def test_internal_links_are_cross_links_with_backlinks(imported):
    if imported.name not in ("takeout", "wxr-https", "classic-custom-domain"):
        pytest.skip("Pelican's samples have no links between posts")
    linked = {"takeout": ("2011/02/intermediaries-connect-city.html", "2011/03/volunteers-and-time.html"),
              "wxr-https": ("2015/07/follow-up.html", "2015/06/why-networks-grow.html"),
              "classic-custom-domain": ("2008/05/mentors-need-support.html", "2008/06/who-supports-mentors.html"),
              }[imported.name]
    target, source = linked
    backlinks = imported.soup(target).find("section", class_="backlinks")
    assert backlinks is not None
    assert backlinks.find("a", href=re.compile(re.escape(source.rsplit("/", 1)[-1])))
    graph = json.loads((imported.out / "graph" / "graph.json").read_text("utf-8"))
    url_of_node = {n["id"]: n.get("url") for n in graph["nodes"]}
    edges = {(url_of_node[e["source"]], url_of_node[e["target"]]) for e in graph["links"] if e["kind"] == "links-to"}
    assert (source, target) in edges  # the concept graph shows the old blog's web of links


def test_comments_are_shown_threaded_and_sanitised(imported):
    pages = {"blogger-classic": "2010/11/the-steel-windpipe.html", "wordpress-sample": "2012/04/with-comments.html",
             "takeout": "2011/02/intermediaries-connect-city.html", "wxr-https": "2015/06/why-networks-grow.html",
             "classic-custom-domain": "2008/05/mentors-need-support.html"}
    soup = imported.soup(pages[imported.name])
    section = soup.find("section", class_="comments")
    assert section.find("h2").get_text(strip=True) == "Comments from the old blog"
    top = section.find_all("article", class_="comment", recursive=False)
    assert top
    if imported.name != "blogger-classic":
        assert top[0].find("article", class_="comment")  # a reply nested in its parent
    assert not section.find(["script", "img", "svg", "iframe"])
    for tag in section.find_all(True):
        assert not [a for a in tag.attrs if a.startswith("on")]
        if tag.name == "a":
            assert tag["href"].startswith(("http://", "https://")) if tag.get("href") else True
            assert tag.get("rel") == ["nofollow", "ugc"]
    if imported.name in ("takeout", "wxr-https", "classic-custom-domain"):
        author = top[0].find(class_="comment__author")
        assert "<" in author.get_text() and author.find(["b", "script"]) is None  # escaped, not markup


def test_second_import_changes_nothing(imported, capsys):
    before = {p: p.read_bytes() for p in imported.content.rglob("*") if p.is_file()}
    assert main([str(EXPORTS[imported.name]), "--inputdir", str(imported.content), "--no-progress"]) == 0
    after = {p: p.read_bytes() for p in imported.content.rglob("*") if p.is_file()}
    assert after == before
    assert "edited since the last import" not in capsys.readouterr().out


def test_edited_file_is_kept_and_force_overwrites(tmp_path, capsys):
    export = str(EXPORTS["takeout"])
    assert main([export, "--inputdir", str(tmp_path), "--no-progress"]) == 0
    post = tmp_path / "articles" / "2011-02-intermediaries-connect-city.md"
    original = post.read_text("utf-8")
    post.write_text(original + "\nMy own note.\n", "utf-8")
    capsys.readouterr()
    assert main([export, "--inputdir", str(tmp_path), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "articles/2011-02-intermediaries-connect-city.md: warning: edited since the last import" in out
    assert post.read_text("utf-8").endswith("My own note.\n")
    assert out.strip().splitlines()[-1] == ("imported 2 posts, 1 pages, 1 drafts, 2 comments; "
                                            "8 internal links rewritten, 1 unresolved; 0 images downloaded, 0 failed")
    assert main([export, "--inputdir", str(tmp_path), "--no-progress", "--force"]) == 0
    assert post.read_text("utf-8") == original
    assert (tmp_path / MANIFEST).exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".import-") and p.is_dir()]  # no staging left


def test_comments_skip_writes_no_comments(tmp_path):
    assert main([str(EXPORTS["takeout"]), "--inputdir", str(tmp_path), "--comments", "skip", "--no-progress"]) == 0
    assert not (tmp_path / "comments").exists()
