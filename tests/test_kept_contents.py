"""kept_contents: a rebuild in the same process makes content objects only for the files that
changed, takes the others from the run before, and logs and reports what their reading logged,
as a cold build does. (That such a rebuild writes the same bytes as a cold build, for every kind
of edit, is tests/test_incremental.py's and tests/test_rebuild.py's job.)"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest

from conftest import CONTENT, ROOT

EDITED = "2016-10-intermediaries.md"

# Two posts with problems: Pelican's Markdown reader warns about the second Category (in the
# worker that reads it, at JOBS=2); the missing image is an author error reported
# from the post's data in every run.
DOUBLE_CATEGORY = """Title: Two categories for one post
Date: 2019-05-01 10:00
Category: Practice
Category: Strategy
Tags: volunteers

A short note about welcoming volunteers who arrive mid-year.
"""
NO_ALT = """Title: A picture without words
Date: 2019-06-01 10:00
Category: Practice
Tags: mapping

<img src="/images/nowhere.png" alt="">

The picture above was meant to show our programme map.
"""


class Messages(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def _about(messages, content: Path, tag: str) -> list[str]:
    """The messages about the two posts that warn, their folder and the session's tag left out."""
    return [m.replace(str(content), "CONTENT").replace(tag, "TAG") for m in messages
            if f"double-category-{tag}.md" in m or f"no-alt-{tag}.md" in m]


def _session(tmp_path: Path, jobs: int, keep: bool):
    # Pelican's log limiter drops a warning the process already showed: each session's two posts
    # have their own names, so each session's warnings are new.
    tag = "kept" if keep else "without"
    """Build, edit one post, build again with the same Pelican object (a devserver session).
    -> (files whose content object each run made, each run's warnings about the two posts)."""
    from pelican import Pelican, signals
    from pelican.settings import read_settings

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "articles" / f"2019-05-double-category-{tag}.md").write_text(DOUBLE_CATEGORY, "utf-8")
    (content / "articles" / f"2019-06-no-alt-{tag}.md").write_text(NO_ALT, "utf-8")
    victim = content / "articles" / EDITED
    made: list[list[str]] = []
    said: list[list[str]] = []

    def count(instance):
        made[-1].append(os.path.basename(instance.source_path))

    signals.content_object_init.connect(count)
    handler = Messages()
    logging.getLogger().addHandler(handler)
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        settings = read_settings(str(ROOT / "pelicanconf.py"), override={
            "PATH": str(content), "OUTPUT_PATH": str(tmp_path / "out"), "CACHE_PATH": str(tmp_path / "cache"),
            "CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "JOBS": jobs, "SEARCH_INDEX": False,
            "KEEP_CONTENTS": keep,
        })
        pelican = Pelican(settings)
        for run in range(2):
            if run:
                victim.write_text(victim.read_text("utf-8") + "\nA paragraph added in the rebuild.\n", "utf-8")
                stat = victim.stat()
                os.utime(victim, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
            made.append([])
            handler.messages.clear()
            pelican.run()
            said.append(_about(handler.messages, content, tag))
    finally:
        os.chdir(cwd)
        logging.getLogger().removeHandler(handler)
        signals.content_object_init.disconnect(count)
    page = tmp_path / "out" / "2016" / "10" / "intermediaries.html"
    assert "A paragraph added in the rebuild." in page.read_text("utf-8")
    from kept_contents import _Recorder

    assert not [h for h in logging.getLogger().handlers if isinstance(h, _Recorder)]  # none left behind
    return made, said


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_rebuild_makes_only_the_edited_post_and_logs_as_without_the_plugin(tmp_path: Path, jobs: int):
    from pelicanconf import PLUGINS

    assert "kept_contents" in PLUGINS
    made, said = _session(tmp_path / "kept", jobs, True)
    made_without, said_without = _session(tmp_path / "without", jobs, False)

    posts = len(list((tmp_path / "kept" / "content" / "articles").glob("*.md")))
    assert len([m for m in made[0] if m.endswith(".md")]) == posts + 2  # and the two pages
    # The rebuild made one content object, the edited post's: the others were taken.
    assert [m for m in made[1] if m.endswith(".md")] == [EDITED]
    assert len([m for m in made_without[1] if m.endswith(".md")]) == posts + 2
    # What was logged about the two posts, run by run, is what is logged without kept contents
    # (Pelican's limiter drops in the rebuild the warning it showed in the first run); the
    # reader's warning, logged in a worker at JOBS=2, comes once.
    assert said == said_without
    assert len([m for m in said[0] if "Duplicate definition of `category`" in m]) == 1
    assert len([m for m in said[1] if "missing image file" in m]) == 1  # an error: never limited


class Thing:
    """Stands for a content object (pickled by reference to its class, as Article is)."""


def test_a_snapshot_refers_to_the_new_runs_settings_and_context():
    """The pickled copy of a content object holds references to the settings and the context,
    not copies: a copy made from it refers to the objects it is given."""
    from kept_contents import dumps
    from workers.pool import loads_sharing as loads

    settings, context = {"A": 1}, {"generated_content": {}}
    thing = Thing()
    thing.settings, thing._context, thing.words = settings, context, ["a", "b"]
    data = dumps(thing, (settings, context))
    assert data is not None and len(data) < 200  # the settings and the context are not in it
    new_settings, new_context = {"A": 1}, {"generated_content": {}}
    copy = loads(data, (new_settings, new_context))
    assert copy is not thing and copy.words == ["a", "b"] and copy.words is not thing.words
    assert copy.settings is new_settings and copy._context is new_context


def test_kept_only_with_the_reader_cache_and_by_default_when_autoreloading():
    from kept_contents import applies
    from workers.settings import autoreloading

    on = {"KEEP_CONTENTS": True, "CACHE_CONTENT": True, "CONTENT_CACHING_LAYER": "reader"}
    assert applies(on, argv=[])
    assert not applies({**on, "CACHE_CONTENT": False}, argv=[])  # make publish
    assert not applies({**on, "CONTENT_CACHING_LAYER": "generator"}, argv=[])
    assert not applies({**on, "KEEP_CONTENTS": False}, argv=["-r"])
    default = {**on, "KEEP_CONTENTS": None}
    assert applies(default, argv=["content", "-lr", "-o", "output"])  # make devserver
    assert not applies(default, argv=["content", "-o", "output", "-s", "pelicanconf.py"])  # make html
    assert autoreloading(["--autoreload"]) and autoreloading(["-r"]) and autoreloading(["-rl"])
    assert not autoreloading(["--relative-urls", "-e", "RELATIVE_URLS=true", "-s", "./rconf.py"])
