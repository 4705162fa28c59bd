"""Cross-links: an alias with a query string (WordPress's `/?p=123`) resolves links carrying that
query, is no collision with the home page, and the home page redirects such requests."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from conftest import build_site

OLD = """\
Title: The old post
Date: 2012-02-04 10:00
Slug: old-post
Aliases: http://old.example/2012/02/old-post/, http://old.example/?p=123, /?p=123

Nothing here.
"""

LINKER = """\
Title: Linker
Date: 2012-03-01 10:00
Slug: linker

See [by id](/?p=123), [absolute](http://old.example/?p=123#more) and [www](http://www.old.example/?p=123).
And [unknown id](/?p=999).
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    content = tmp_path_factory.mktemp("qa-content")
    (content / "articles").mkdir()
    (content / "articles" / "old.md").write_text(OLD)
    (content / "articles" / "linker.md").write_text(LINKER)
    out = tmp_path_factory.mktemp("qa-out")
    records = build_site(content, out, PLUGINS=["stage_timer", "author_report", "crosslinks"])
    return SimpleNamespace(out=out, messages=[r.getMessage() for r in records],
                           soup=lambda rel: BeautifulSoup((out / rel).read_text("utf-8"), "html.parser"))


def test_query_alias_is_not_a_home_page_collision(site):
    assert not [m for m in site.messages if "home page" in m]


def test_links_carrying_the_query_resolve_to_the_post(site):
    soup = site.soup("2012/03/linker.html")
    hrefs = [a["href"] for a in soup.select(".entry-content a")]
    assert hrefs == ["../../2012/02/old-post.html", "../../2012/02/old-post.html#more",
                     "../../2012/02/old-post.html", "/?p=999"]
    backlinks = site.soup("2012/02/old-post.html").find("section", class_="backlinks")
    assert backlinks is not None and backlinks.find("a", href=lambda h: h and "linker.html" in h)


def test_no_alias_problem_and_an_unknown_query_is_left_alone(site):
    # "/?p=999" names no post: it stays as written (the home page with a query), with no error
    assert not [m for m in site.messages if "alias" in m or ": error:" in m]


def test_home_page_carries_the_query_map(site):
    soup = site.soup("index.html")
    data = soup.find("script", id="query-redirects")
    assert json.loads(data.string) == {"p=123": "2012/02/old-post.html"}
    assert "location.replace" in soup.find_all("script")[-1].string or any(
        "location.replace" in (s.string or "") for s in soup.find_all("script"))
    assert site.soup("2012/02/old-post.html").find("script", id="query-redirects") is None


def test_a_browser_follows_the_home_page_redirect(site):
    """Headless Chromium opens /index.html?p=123 and ends on the post (skipped without Chromium)."""
    import shutil
    import subprocess

    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not browser:
        pytest.skip("Chromium is not installed: the home page redirect was not run in a browser")
    url = (site.out / "index.html").as_uri() + "?p=123"
    done = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000",
                           "--dump-dom", url], capture_output=True, text=True, timeout=120)
    soup = BeautifulSoup(done.stdout, "html.parser")
    assert soup.title is not None and soup.title.get_text().startswith("The old post")
