"""The Makefile's contract: publish refuses a site with errors and leaves the old one untouched; check and html."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT

GOOD = """Title: A good post
Date: 2016-10-04 09:00
Tags: mentoring, volunteers
Category: Strategy
Slug: good-post

Volunteers matter. See [the other post]({filename}/articles/other.md).
"""
OTHER = """Title: The other post
Date: 2017-01-05 09:00
Tags: mentoring
Category: Strategy
Slug: other-post

Back to [the good post]({filename}/articles/good.md).
"""
BROKEN = """Title: A post with mistakes
Date: 2018-02-03 10:00
Tags: mentoring
Category: Strategy

This links to [a post that does not exist]({filename}/articles/intermediarys.md).

```causal-loop
title: Broken
links: [unclosed
```

And [[No Such Post Anywhere]].
"""


def make(target: str, inputdir: Path, outputdir: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", target, f"INPUTDIR={inputdir}", f"OUTPUTDIR={outputdir}", *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    (folder / "articles").mkdir(parents=True)
    (folder / "articles" / "good.md").write_text(GOOD)
    (folder / "articles" / "other.md").write_text(OTHER)
    return folder


def test_publish_builds_then_refuses_errors_and_keeps_old_output(content: Path, tmp_path: Path):
    out = tmp_path / "public"
    first = make("publish", content, out)
    assert first.returncode == 0, first.stdout + first.stderr
    page = out / "2016" / "10" / "good-post.html"
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    assert soup.find("link", rel="alternate", type="application/atom+xml") is not None
    assert (out / "feeds" / "all.atom.xml").is_file()
    before = snapshot(out)

    (content / "articles" / "broken.md").write_text(BROKEN)
    second = make("publish", content, out)
    assert second.returncode != 0
    messages = second.stdout + second.stderr
    # Every error is listed with its path and line, not just the first.
    assert re.search(r"articles/broken\.md:6: error: broken link to '[^']*intermediarys\.md'", messages)
    assert re.search(r"articles/broken\.md:1[01]: error: .*", messages)
    assert re.search(r"articles/broken\.md:13: error: broken link to 'No Such Post Anywhere'", messages)
    assert snapshot(out) == before, "a failed publish must leave the published site untouched"
    assert not (out.parent / "public.publish-new").exists()


def test_check_lists_every_problem_and_fails(content: Path, tmp_path: Path):
    (content / "articles" / "broken.md").write_text(BROKEN)
    result = make("check", content, tmp_path / "unused")
    assert result.returncode != 0  # pelican exits 1; make reports a failed recipe as 2
    messages = result.stdout + result.stderr
    summary = re.findall(r"^(\d+) errors?, (\d+) warnings?$", messages, re.M)
    assert summary and int(summary[-1][0]) >= 3
    assert not (tmp_path / "unused").exists(), "check builds into a scratch folder"


def test_check_passes_on_clean_content(content: Path, tmp_path: Path):
    result = make("check", content, tmp_path / "unused")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^0 errors, \d+ warnings?$", result.stdout + result.stderr, re.M)


def test_html_reports_errors_but_builds_the_rest(content: Path, tmp_path: Path):
    (content / "articles" / "broken.md").write_text(BROKEN)
    out = tmp_path / "dev"
    result = make("html", content, out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "articles/broken.md:6: error:" in result.stdout + result.stderr
    assert (out / "2016" / "10" / "good-post.html").is_file()
    broken_page = BeautifulSoup((out / "2018" / "02" / "a-post-with-mistakes.html").read_text("utf-8"), "html.parser")
    assert broken_page.find("div", class_="diagram-error", role="alert") is not None
    assert broken_page.find("span", class_="broken-link") is not None
