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


def test_fork_map_hands_each_items_log_records_back_when_asked(caplog):
    """logs=: every item runs in a worker, and what each logged comes back under its index,
    logged nowhere here (reading.py replays a file's records when Pelican makes its content)."""
    from workers.pool import fork_map

    logs: dict[int, list] = {}
    items = [10, 11, 12, 13]  # messages no other test logs: Pelican's limiter drops a repeated warning
    with caplog.at_level(logging.WARNING, logger="workers.test"):
        assert fork_map(_square_or_fail, items, 2, logs=logs) == [100, 121, 144, 169]
    assert [r for r in caplog.records if r.name == "workers.test"] == []
    assert {index: [r.getMessage() for r in records] for index, records in logs.items()} == {
        i: [f"item {item} done"] for i, item in enumerate(items)}


def test_fork_map_raises_a_workers_exception_naming_the_item():
    from workers.pool import WorkerFailed, fork_map

    with pytest.raises(WorkerFailed, match=r"item-5: ValueError: five is not allowed"):
        fork_map(_square_or_fail, list(range(8)), 2, describe=lambda i: f"item-{i}")


def _pid_after(item):
    logging.getLogger("workers.test").warning("started item %s", item)
    if item == "fail":
        raise ValueError("no such export")
    return os.getpid()


def test_start_runs_in_a_worker_while_this_process_goes_on(caplog, tmp_path):
    """pool.start: with JOBS > 1 the function runs in a forked worker (the graph exports while
    the pages are asked for); result() waits, replays its log records here, raises its
    exception naming the item. With JOBS=1 it runs here, at once."""
    from workers.pool import WorkerFailed, start

    with caplog.at_level(logging.WARNING, logger="workers.test"):
        started = start(_pid_after, "exports-1", {"JOBS": 2})
        assert [r for r in caplog.records if r.name == "workers.test"] == []  # the worker's, not yet here
        assert started.result() != os.getpid()
        assert [r.getMessage() for r in caplog.records if r.name == "workers.test"] == ["started item exports-1"]
        assert start(_pid_after, "exports-2", {"JOBS": 1}).result() == os.getpid()
    failing = start(_pid_after, "fail", {"JOBS": 2}, describe=lambda item: f"the {item} item")
    with pytest.raises(WorkerFailed, match=r"the fail item: ValueError: no such export"):
        failing.result()


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


def test_jobs_setting_then_environment_then_every_usable_core(monkeypatch):
    from workers.pool import jobs

    monkeypatch.delenv("JOBS", raising=False)
    assert jobs({"JOBS": 3}) == 3
    assert jobs({"JOBS": 0}) == len(os.sched_getaffinity(0))
    monkeypatch.setenv("JOBS", "5")  # `make html JOBS=5` exports it
    assert jobs({"JOBS": 0}) == 5
    assert jobs({"JOBS": 2}) == 2  # the setting (pelicanconf.py, -e JOBS=2) wins


def test_make_passes_jobs_even_with_other_pelican_options(tmp_path: Path):
    """`make html JOBS=1 PELICANOPTS='-e …'`: Pelican keeps only the last -e group, so JOBS travels
    in the environment (exported by the Makefile), never as an -e group of its own."""
    done = subprocess.run(["make", "-n", "--no-print-directory", "html", "JOBS=1", "PELICANOPTS=-e SITENAME='\"x\"'",
                           f"OUTPUTDIR={tmp_path}"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "JOBS" not in done.stdout

    def jobs_seen_by_recipes(*args):
        env = {k: v for k, v in os.environ.items() if k not in ("JOBS", "MAKEFLAGS", "MFLAGS")}
        shown = subprocess.run(["make", "--no-print-directory", "-f", "Makefile", "-f", "-", "show-jobs", *args],
                               cwd=ROOT, text=True, capture_output=True, timeout=60, env=env,
                               input="show-jobs:\n\t@echo \"jobs=$$JOBS\"\n")
        assert shown.returncode == 0, shown.stderr
        return shown.stdout.strip().splitlines()[-1]

    assert jobs_seen_by_recipes("JOBS=1") == "jobs=1"
    assert jobs_seen_by_recipes() == "jobs="


def test_no_full_garbage_collections_while_a_run_builds(tmp_path: Path):
    import gc

    from pelican import signals

    before = gc.get_threshold()
    seen = []

    def look(*_args):
        seen.append(gc.get_threshold())

    signals.all_generators_finalized.connect(look)
    try:
        build_site(CONTENT, tmp_path / "out", SEARCH_INDEX=False)
    finally:
        signals.all_generators_finalized.disconnect(look)
    assert seen and seen[0][2] >= 10**9 and seen[0][:2] == before[:2]
    assert gc.get_threshold() == before  # given back at finalized


def test_a_rebuild_puts_first_the_pages_that_show_an_edited_post():
    """priority.first_and_rest: the edited post's page, its neighbours' pages, the listings and
    redirects that show it and the site-wide pages go first; other posts' pages, listings and
    redirects wait."""
    from types import SimpleNamespace

    from workers.priority import first_and_rest
    from workers.writer import Job

    def post(name, **links):
        return SimpleNamespace(**{"source_path": f"/c/{name}.md", "save_as": f"{name}.html",
                                  "outlinks": [], "backlinks": [], "related": [], **links})

    edited, other, lonely = post("edited"), post("other"), post("lonely")
    linking = post("linking", outlinks=[SimpleNamespace(target=edited)])

    def job(name, **localcontext):
        return Job(template=None, localcontext={"output_file": f"{name}.html", **localcontext},
                   context={}, localsiteurl="", path=f"/out/{name}.html")

    jobs = [
        job("other", article=other), job("linking", article=linking), job("edited", article=edited),
        job("lonely", article=lonely),
        job("tag-a", articles_page=SimpleNamespace(object_list=[other, edited])),
        job("tag-b", articles_page=SimpleNamespace(object_list=[other, lonely])),
        job("old-edited", target=edited), job("old-other", target=other),
        job("archives", dates=[edited, other]),
    ]
    first, rest = first_and_rest(jobs, {id(edited)})
    # asked for after "linking", the edited post's own page leads
    assert [j.localcontext["output_file"] for j in first] == [
        "edited.html", "linking.html", "tag-a.html", "old-edited.html", "archives.html"]
    assert [j.localcontext["output_file"] for j in rest] == [
        "other.html", "lonely.html", "tag-b.html", "old-other.html"]
    # nothing edited (a cold build): everything in the first list, in order
    assert first_and_rest(jobs, set()) == (jobs, [])
