"""The workers plugin (JOBS): the same bytes at any number of worker processes, pages rewritten
only when they change, and a worker's logs, author problems and exceptions reaching the build."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CONTENT, ROOT, build_site, site_tree

BROKEN_POST = """Title: A post with mistakes in it
Date: 2020-02-02 10:00
Tags: volunteers

This links to [a post that is not there]({filename}no-such-post.md).

```diagram
type: causal-loop
title: Loop without nodes
```
"""


def _pelican(content: Path, out: Path, seed: str, jobs: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).with_name("pelican")), str(content), "-o", str(out), "-s", "pelicanconf.py",
         "-e", f"JOBS={jobs}", "CACHE_CONTENT=false", "LOAD_CONTENT_CACHE=false"],
        cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, timeout=600)


def _problems(text: str) -> list[str]:
    """The author report's listing (`path:line: level: message` lines) and its summary line."""
    return [line for line in text.splitlines()
            if re.match(r"^\S+: (error|warning): |^\S+:\d+: (error|warning): |^\d+ errors?, \d+ warnings?$", line)]


def test_one_process_and_three_workers_build_the_same_site_and_report(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "articles" / "2020-02-broken.md").write_text(BROKEN_POST, "utf-8")
    one = _pelican(content, tmp_path / "one", "1", 1)
    three = _pelican(content, tmp_path / "three", "2", 3)  # more workers than cores: several forks anyway
    assert one.returncode == 0 and three.returncode == 0, one.stderr + three.stderr
    first, second = site_tree(tmp_path / "one"), site_tree(tmp_path / "three")
    assert len(first) > 50
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    report_one = _problems(one.stdout + one.stderr)
    assert any("2020-02-broken.md" in line and ": error: " in line for line in report_one), report_one
    assert report_one == _problems(three.stdout + three.stderr)


def test_a_rebuild_rewrites_only_the_pages_that_changed(tmp_path: Path):
    from workers.writer import current

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    out = tmp_path / "out"
    build_site(content, out, JOBS=2)
    first = current()
    assert len(first.produced) > 50 and first.written == first.produced
    stamps = {rel: (out / rel).stat().st_mtime_ns for rel in first.produced}

    build_site(content, out, JOBS=2)
    again = current()
    assert again is not first and again.produced == first.produced
    assert again.written == set()
    assert {rel: (out / rel).stat().st_mtime_ns for rel in again.produced} == stamps

    post = content / "articles" / "2016-10-intermediaries.md"
    post.write_text(post.read_text("utf-8") + "\nOne more sentence about brokers of volunteer time.\n", "utf-8")
    build_site(content, out, JOBS=2)
    edited = current()
    page = next(rel for rel in edited.written if rel.endswith("intermediaries.html") and "/" in rel)
    assert "brokers of volunteer time" in (out / page).read_text("utf-8")
    unchanged = edited.produced - edited.written
    assert unchanged and all((out / rel).stat().st_mtime_ns == stamps[rel] for rel in unchanged)


# --- the pool on its own ------------------------------------------------------------------------


def _square_or_fail(item):
    if item == 5:
        raise ValueError("five is not allowed")
    logging.getLogger("workers.test").warning("item %s done", item)
    return item * item


def test_fork_map_keeps_order_and_replays_worker_logs_in_item_order(caplog):
    from workers.pool import fork_map

    with caplog.at_level(logging.WARNING, logger="workers.test"):
        assert fork_map(_square_or_fail, [0, 1, 2, 3, 4, 6, 7], 3) == [0, 1, 4, 9, 16, 36, 49]
    said = [r.getMessage() for r in caplog.records if r.name == "workers.test"]
    # This process takes items 0, 3, 6 of the list and logs as it goes; the two workers' records
    # follow, replayed in item order.
    assert said == [f"item {i} done" for i in (0, 3, 7, 1, 2, 4, 6)]


def test_fork_map_raises_a_workers_exception_naming_the_item():
    from workers.pool import WorkerFailed, fork_map

    with pytest.raises(WorkerFailed, match=r"item-5: ValueError: five is not allowed"):
        fork_map(_square_or_fail, list(range(8)), 2, describe=lambda i: f"item-{i}")


def test_fork_map_hands_author_problems_from_workers_to_the_report():
    from author_report import COLLECTOR, report
    from workers.pool import fork_map

    COLLECTOR.clear()

    def complain(i):
        report({"PATH": "/c"}, f"/c/post-{i}.md", i + 1, "error", f"problem {i}")
        return i

    assert fork_map(complain, [0, 1, 2, 3], 2) == [0, 1, 2, 3]
    assert sorted(str(p) for p in COLLECTOR.problems) == [f"post-{i}.md:{i + 1}: error: problem {i}" for i in range(4)]
    COLLECTOR.clear()


def test_jobs_setting_zero_means_every_usable_core():
    from workers.pool import jobs

    assert jobs({"JOBS": 3}) == 3
    assert jobs({"JOBS": 0}) == len(os.sched_getaffinity(0))


def test_pages_that_show_an_edited_post_are_rendered_first(tmp_path: Path):
    from types import SimpleNamespace

    from workers.priority import edited_contents, first_and_rest
    from workers.writer import Job

    def post(name):
        source, page = tmp_path / f"{name}.md", tmp_path / f"{name}.html"
        source.write_text(name, "utf-8")
        page.write_text(name, "utf-8")
        os.utime(source, (1_000, 1_000))
        os.utime(page, (2_000, 2_000))  # written after its source was saved
        content = SimpleNamespace(source_path=str(source), save_as=f"{name}.html", outlinks=[], backlinks=[],
                                  related=[])
        return content, Job(None, {"article": content, "output_file": f"{name}.html"}, {}, None, str(page))

    (a, job_a), (b, job_b), (c, job_c), (d, job_d) = post("a"), post("b"), post("c"), post("d")
    a.outlinks = [SimpleNamespace(target=b)]  # a links to b: b's page lists a among its backlinks
    b.backlinks = [SimpleNamespace(source=a)]
    d.related = [SimpleNamespace(post=c)]
    listing = Job(None, {"articles_page": SimpleNamespace(object_list=[c, d]), "output_file": "tag2.html"}, {},
                  None, str(tmp_path / "tag2.html"))
    other_listing = Job(None, {"articles_page": SimpleNamespace(object_list=[b]), "output_file": "tag1.html"}, {},
                        None, str(tmp_path / "tag1.html"))
    site_page = Job(None, {"output_file": "archives.html"}, {}, None, str(tmp_path / "archives.html"))
    jobs = [other_listing, job_a, job_b, listing, job_c, job_d, site_page]

    assert edited_contents(jobs) == set()
    assert first_and_rest(jobs, set()) == (jobs, [])  # nothing edited: the order asked for
    os.utime(c.source_path, (3_000, 3_000))  # the author saves c
    edited = edited_contents(jobs)
    assert edited == {id(c)}
    first, rest = first_and_rest(jobs, edited)
    assert first == [listing, job_c, job_d, site_page]  # c, the listing of c, d (related: c), site pages
    assert rest == [other_listing, job_a, job_b]
