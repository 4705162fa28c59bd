"""A devserver-style rebuild (one Pelican instance, content cache on, `run()` again after an
edit) writes the same site as a fresh build of the edited content: the in-process caches
(reader cache, the concept graph's reuse, compute_once, crosslinks' rewrites) never serve stale
pages."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import CONTENT, ROOT, site_tree as _tree

EDITED = "2016-10-intermediaries.md"


def test_warm_rebuild_after_an_edit_equals_a_fresh_build(tmp_path: Path):
    from pelican import Pelican
    from pelican.settings import read_settings

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    posts = sorted((content / "articles").glob("*.md"))
    victim = content / "articles" / EDITED
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        settings = read_settings(str(ROOT / "pelicanconf.py"), override={
            "PATH": str(content), "OUTPUT_PATH": str(tmp_path / "warm"), "CACHE_PATH": str(tmp_path / "cache"),
            "CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True,
        })
        pelican = Pelican(settings)
        pelican.run()
        # The edit adds a link (a new backlink on its target, new related posts) and prose.
        text = victim.read_text("utf-8")
        victim.write_text(text + "\nWe came back to this in [the iceberg]({filename}2011-06-iceberg.md).\n", "utf-8")
        stat = victim.stat()
        os.utime(victim, (stat.st_atime + 5, stat.st_mtime + 5))
        pelican.run()
    finally:
        os.chdir(cwd)
    assert (content / "articles" / "2011-06-iceberg.md").exists()
    # The fresh build in its own process: nothing cached in this one can leak into it.
    subprocess.run(
        [str(Path(sys.executable).with_name("pelican")), str(content), "-o", str(tmp_path / "fresh"),
         "-s", "pelicanconf.py", "-e", "CACHE_CONTENT=false", "LOAD_CONTENT_CACHE=false"],
        cwd=ROOT, check=True, capture_output=True, timeout=300,
    )
    warm, fresh = _tree(tmp_path / "warm"), _tree(tmp_path / "fresh")
    assert sorted(warm) == sorted(fresh)
    assert [name for name in warm if warm[name] != fresh[name]] == []
