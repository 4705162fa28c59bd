"""`make import`: the contract's command, its report, BLOG_URL, and its refusals."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from conftest import ROOT

FIXTURES = Path(__file__).parent / "fixtures" / "import"
LAST_LINE = re.compile(r"^imported \d+ posts, \d+ pages, \d+ drafts, \d+ comments; \d+ internal links rewritten, "
                       r"\d+ unresolved; \d+ images downloaded, \d+ failed$")


def make_import(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", "import", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


def test_make_import_reports_every_problem_and_ends_with_the_contract_line(tmp_path):
    done = make_import(f"EXPORT={FIXTURES / 'takeout-feed.atom'}", f"INPUTDIR={tmp_path}")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert LAST_LINE.match(lines[-1])
    assert lines[-1] == ("imported 2 posts, 1 pages, 1 drafts, 2 comments; 8 internal links rewritten, "
                         "1 unresolved; 0 images downloaded, 0 failed")
    assert ("old blog address: http://tutormentor.blogspot.com (inferred from the blog's links to its own posts; "
            "set BLOG_URL= to choose another)") in lines
    assert ("articles/2011-03-volunteers-and-time.md: warning: link to the old blog "
            "'http://tutormentor.blogspot.com/2009/05/lost-post.html' matches no imported post; kept as is "
            "[http://tutormentor.blogspot.com/2011/03/volunteers-and-time.html]") in lines
    assert (tmp_path / "articles" / "2011-02-intermediaries-connect-city.md").exists()


def test_blog_url_names_the_host(tmp_path):
    done = make_import(f"EXPORT={FIXTURES / 'takeout-feed.atom'}", f"INPUTDIR={tmp_path}",
                       "BLOG_URL=https://www.tutormentor.org")
    assert done.returncode == 0, done.stderr
    assert "old blog address: https://www.tutormentor.org (BLOG_URL)" in done.stdout
    text = (tmp_path / "pages" / "about.md").read_text("utf-8")
    assert "Aliases: https://www.tutormentor.org/p/about.html" in text


def test_make_import_refuses_a_bomb_and_writes_nothing(tmp_path):
    target = tmp_path / "content"
    done = make_import(f"EXPORT={FIXTURES / 'bomb.xml'}", f"INPUTDIR={target}")
    assert done.returncode != 0
    assert f"{FIXTURES / 'bomb.xml'}:3: error: refused" in done.stderr
    assert not target.exists()


def test_make_import_without_export_says_so(tmp_path):
    done = make_import(f"INPUTDIR={tmp_path}")
    assert done.returncode != 0 and "EXPORT=FILE is required" in done.stderr
