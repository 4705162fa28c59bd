"""A devserver rebuild writes exactly the site a cold build of the same content writes, and leaves
the files whose bytes did not change alone (same modification time).

One devserver-like process (tests/rebuild_driver.py: `pelican -r`'s one `Pelican` object, its
`run()` called again after each edit, the content cache on as in pelicanconf.py) builds a copy of
the sample blog, then takes one edit of each kind in turn: body text, title, slug, date, tags, a
link added, a link removed, a diagram block changed, an alias removed (its redirect page goes), an
image replaced, a post added, a post deleted, a diagram file (DIAGRAMS_DIR) changed, and last the
settings file (tag pages moved, the search index turned off: `pelican -r` then makes a new
`Pelican` object in the same process, with the module state the old one left behind). After each
rebuild its whole output folder is compared with a cold build of the same content by `pelican` in
a fresh process with another PYTHONHASHSEED: the same files, the same bytes (Pagefind's
hash-ordered files by kind and number, as conftest.site_tree does); and every file whose bytes
the rebuild did not change must have kept its modification time.

The driver is a subprocess rather than a `Pelican` object in the test process: like the
devserver, it starts with no module state but its own, so no build of another test can hide (or
cause) a stale page. It rebuilds on command instead of on a file watcher, so nothing waits on
timing. The edits run in sequence in one module-scoped run; each edit kind is its own test.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import CONTENT, ROOT, site_tree
from search.pages import BUNDLE_DIR

PELICAN = str(Path(sys.executable).with_name("pelican"))
DRIVER = Path(__file__).with_name("rebuild_driver.py")
TIMEOUT = 300  # seconds for one build on a loaded 2-core machine
NEW_POST = """Title: A volunteer fair in the library
Date: 2026-11-20 10:00
Category: Volunteers
Tags: volunteers, library-fairs
Summary: Thirty people came to a volunteer fair in the branch library.

Thirty people came. We worked the way [[The orchestra conductor]] describes, and many guests
came from local firms, as in [our post on workplace volunteers]({filename}/articles/2007-02-workplace-volunteers.md).

```cycle
title: How a library fair feeds itself
steps: [Invite programs, Meet volunteers, Match them, Share their stories]
```
"""


def _replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) >= 1, f"{path.name}: {old!r} not found (the sample content changed?)"
    path.write_text(text.replace(old, new, count), "utf-8")


def _header(path: Path, key: str, value: str) -> None:
    text = path.read_text("utf-8")
    new, n = re.subn(rf"^{key}: .*$", f"{key}: {value}", text, count=1, flags=re.MULTILINE)
    assert n == 1, f"{path.name}: no {key} line"
    path.write_text(new, "utf-8")


def _articles(content: Path) -> Path:
    return content / "articles"


def _settings_file(content: Path) -> Path:
    """The builds' settings file (pelicanconf.py and the test's changes), beside the content."""
    return content.parent / "conf.py"


# pelicanconf.py with absolute paths; its cache folder keyed, like pelicanconf.py's own, by the
# settings file's bytes, beside the test's content (so a changed setting never reads stale posts).
SETTINGS = f"""import hashlib, sys
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r})
from pelicanconf import *  # noqa: F403
THEME = {str(ROOT / "themes" / "network")!r}
PLUGIN_PATHS = [{str(ROOT / "plugins")!r}]
CACHE_PATH = str(Path(__file__).parent / "cache" / (Path(CACHE_PATH).name + "-"
                 + hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]))
"""


# Each edit: (kind, function of the content folder). Applied in this order to one copy.
EDITS = [
    ("body text", lambda c: _replace(
        _articles(c) / "2012-10-business-partners.md", "\n\n",
        "\n\nThis paragraph was added by a rebuild test, to change the body and nothing else.\n\n")),
    ("title", lambda c: _header(_articles(c) / "2015-03-theory-u.md", "Title", "Theory U for the leaders of programs")),
    ("slug", lambda c: _header(_articles(c) / "2011-06-iceberg.md", "Slug", "the-iceberg")),
    ("date", lambda c: _header(_articles(c) / "2017-05-kumu-network-map.md", "Date", "2018-02-03 09:00")),
    ("tags", lambda c: _header(_articles(c) / "2013-07-clmooc-summer.md", "Tags", "connected-learning, summer-courses")),
    ("link added", lambda c: (_articles(c) / "2016-10-intermediaries.md").write_text(
        (_articles(c) / "2016-10-intermediaries.md").read_text("utf-8")
        + "\nWe came back to this in [the iceberg]({filename}2011-06-iceberg.md).\n", "utf-8")),
    ("link removed", lambda c: _replace(
        _articles(c) / "2012-04-coordinator-workload.md",
        "[workplace recruiting]({filename}/articles/2007-02-workplace-volunteers.md)", "workplace recruiting")),
    ("diagram block", lambda c: _replace(
        _articles(c) / "2015-03-theory-u.md", "  - Sensing from the whole\n", "  - Sensing from the whole system\n")),
    ("alias removed", lambda c: _header(
        _articles(c) / "2009-03-orchestra-conductor.md", "Aliases",
        "http://riverbend-learning.blogspot.com/2009/03/conductor-metaphor.html")),
    ("image replaced", lambda c: shutil.copyfile(c / "images" / "iceberg-model.png",
                                                 c / "images" / "volunteers-per-year.png")),
    ("post added", lambda c: (_articles(c) / "2026-11-library-fair.md").write_text(NEW_POST, "utf-8")),
    ("post deleted", lambda c: (_articles(c) / "2014-02-concept-maps.md").unlink()),
    ("diagram file", lambda c: _replace(
        c / "diagrams" / "volunteer-growth.yaml", "Workplace recruiting", "Recruiting at work", count=99)),
    # The devserver makes a new Pelican object in the same process when the settings file changes.
    # (Not PLUGINS: Pelican never disconnects a plugin's signal receivers, so a plugin taken out of
    # PLUGINS runs on in that process until the devserver restarts.)
    ("settings file", lambda c: _settings_file(c).write_text(
        SETTINGS + 'TAG_URL = TAG_SAVE_AS = "concept/{slug}.html"\nSEARCH_INDEX = False\n', "utf-8")),
]


def _stamps(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `root` but Pagefind's bundle: path -> (bytes, st_mtime_ns). The search
    plugin has Pagefind write its whole bundle afresh on every build (some of its files differ
    between identical builds anyway, see conftest.PAGEFIND_UNSTABLE)."""
    out = {}
    for path in root.rglob("*"):
        if path.is_file():
            rel = path.relative_to(root).as_posix()
            if not rel.startswith(f"{BUNDLE_DIR}/"):
                out[rel] = (path.read_bytes(), path.stat().st_mtime_ns)
    return out


@dataclass
class Step:
    kind: str
    error: str = ""
    missing: list[str] = field(default_factory=list)  # in the cold build only
    extra: list[str] = field(default_factory=list)  # in the rebuilt folder only (stale)
    differ: list[str] = field(default_factory=list)
    touched: list[str] = field(default_factory=list)  # same bytes, new mtime
    rendered: list[str] | None = None  # the pages the rebuild rendered (the others were left alone)
    pages: int = 0  # HTML files in the rebuilt folder


class Devserver:
    """tests/rebuild_driver.py in a subprocess; its stdout read by a thread, so a build that hangs
    fails the test after TIMEOUT instead of hanging the suite."""

    def __init__(self, content: Path, output: Path, log: Path):
        self.log = log.open("w")
        self.proc = subprocess.Popen(
            # -r as `make devserver` has it (the driver rebuilds on command, not on change)
            [sys.executable, str(DRIVER), str(content), "-o", str(output), "-s", str(_settings_file(content)), "-r"],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def start(self, command: str = "run") -> None:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def wait(self) -> str:
        """'' when the build finished, else what went wrong. `self.rendered`: the pages it rendered."""
        self.rendered = None
        while True:
            try:
                line = self.lines.get(timeout=TIMEOUT)
            except queue.Empty:
                return f"no answer from the driver in {TIMEOUT} s; see {self.log.name}"
            if line is None:
                return f"the driver exited (status {self.proc.wait()}); see {self.log.name}"
            if line.startswith("DRIVER: rendered "):
                self.rendered = json.loads(line[len("DRIVER: rendered "):])
            if line.startswith("DRIVER: done"):
                return ""
            if line.startswith("DRIVER: error"):
                return line

    def close(self) -> None:
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def _cold_build(content: Path, output: Path, seed: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.Popen(
        [PELICAN, str(content), "-o", str(output), "-s", str(_settings_file(content)),
         "-e", "CACHE_CONTENT=false", "LOAD_CONTENT_CACHE=false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )


def _compare(step: Step, warm: Path, cold: Path, before: dict[str, tuple[bytes, int]]) -> None:
    warm_tree, cold_tree = site_tree(warm), site_tree(cold)
    step.missing = sorted(set(cold_tree) - set(warm_tree))
    step.extra = sorted(set(warm_tree) - set(cold_tree))
    step.differ = sorted(n for n in set(warm_tree) & set(cold_tree) if warm_tree[n] != cold_tree[n])
    after = _stamps(warm)
    step.touched = sorted(n for n, (data, mtime) in after.items()
                          if n in before and before[n][0] == data and before[n][1] != mtime)


@pytest.fixture(scope="module")
def steps(tmp_path_factory) -> dict[str, Step]:
    """Build, then apply each edit and rebuild in one devserver-like process; {kind: Step}."""
    tmp = tmp_path_factory.mktemp("incremental")
    content, warm = tmp / "content", tmp / "warm"
    shutil.copytree(CONTENT, content)
    _settings_file(content).write_text(SETTINGS, "utf-8")
    server = Devserver(content, warm, tmp / "driver.log")
    results: dict[str, Step] = {}
    try:
        server.start()
        first = server.wait()
        assert first == "", first
        for number, (kind, edit) in enumerate(EDITS, 1):
            step = results[kind] = Step(kind)
            settings_before = _settings_file(content).read_bytes()
            edit(content)
            before = _stamps(warm)
            cold_out = tmp / f"cold-{number}"
            # The cold build of the same content runs beside the rebuild (2 cores); it reads
            # only the content, which neither build writes.
            cold = _cold_build(content, cold_out, seed=str(number))
            server.start("run" if _settings_file(content).read_bytes() == settings_before else "reload")
            step.error = server.wait()
            step.rendered = server.rendered
            step.pages = sum(1 for _ in warm.rglob("*.html"))
            _, cold_err = cold.communicate(timeout=TIMEOUT)
            assert cold.returncode == 0, f"cold build after {kind!r} failed:\n{cold_err[-2000:]}"
            if not step.error:
                _compare(step, warm, cold_out, before)
            shutil.rmtree(cold_out)
    finally:
        server.close()
    return results


KINDS = [kind for kind, _ in EDITS]


@pytest.mark.parametrize("kind", KINDS)
def test_rebuild_equals_cold_build(steps, kind):
    step = steps[kind]
    assert step.error == ""
    assert step.extra == [], f"stale files left after {kind!r}"
    assert step.missing == [], f"files not written after {kind!r}"
    assert step.differ == [], f"files that differ from a cold build after {kind!r}"


@pytest.mark.parametrize("kind", KINDS)
def test_unchanged_files_keep_their_mtime(steps, kind):
    step = steps[kind]
    assert step.error == ""
    assert step.touched == [], f"files rewritten with the same bytes after {kind!r}"


def test_a_body_edit_renders_only_the_pages_whose_inputs_changed(steps):
    """The devserver renders again the edited post's page and the pages that show it; a page whose
    inputs (workers/page_inputs.py) did not change is left on disk, not rendered (and, by the
    tests above, the folder still equals a cold build)."""
    step = steps["body text"]
    assert step.error == "" and step.rendered is not None
    assert "2012/10/business-partners.html" in step.rendered
    # a post that neither links to the edited one nor is linked from it, in another category
    assert "2026/02/how-we-write.html" not in step.rendered
    assert len(step.rendered) <= step.pages * 3 // 4, (len(step.rendered), step.pages)


def test_a_diagram_file_edit_renders_only_the_pages_that_use_it(steps):
    """No post was saved; the pages whose posts draw the changed diagram file, and those that show
    such a post, are rendered again (their inputs changed). The sample draws or links that file from
    more than half of its posts, so that is most of the site, but not all of it: the pages of
    concepts none of those posts has are left alone."""
    step = steps["diagram file"]
    assert step.error == "" and step.rendered is not None
    assert "2010/11/volunteer-growth-loops.html" in step.rendered
    assert "tag/kumu.html" not in step.rendered
    assert len(step.rendered) < step.pages, (len(step.rendered), step.pages)
