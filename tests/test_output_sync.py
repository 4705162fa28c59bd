"""output_sync removes only what the previous build of the same process produced and this one did not;
output_files writes a file only when its bytes change. (The devserver edits of every kind:
tests/test_incremental.py.)"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import CONTENT, ROOT

import output_files
from output_sync.stale import remove, stale_files


# --- stale.py: which files, and their safe removal -------------------------------------------


def test_stale_files_are_the_previous_builds_outputs_this_build_did_not_produce():
    assert stale_files({"a.html", "tag/x.html", "b.html"}, {"a.html", "c.html"}) == ["b.html", "tag/x.html"]
    assert stale_files(set(), {"a.html"}) == []


def test_remove_deletes_the_files_and_the_folders_they_leave_empty(tmp_path: Path):
    root = tmp_path / "out"
    (root / "2014" / "02").mkdir(parents=True)
    (root / "2014" / "02" / "old.html").write_text("x")
    (root / "tag").mkdir()
    (root / "tag" / "gone.html").write_text("x")
    (root / "tag" / "kept.html").write_text("x")
    removed = remove(str(root), ["2014/02/old.html", "tag/gone.html", "missing.html"])
    assert removed == ["2014/02/old.html", "tag/gone.html"]
    assert not (root / "2014").exists()  # emptied, so gone like in a cold build
    assert (root / "tag" / "kept.html").exists()
    assert root.is_dir()


def test_remove_never_leaves_the_output_folder(tmp_path: Path):
    root = tmp_path / "out"
    root.mkdir()
    outside = tmp_path / "precious.txt"
    outside.write_text("mine")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "page.html").write_text("mine")
    (root / "linked").symlink_to(elsewhere, target_is_directory=True)
    assert remove(str(root), ["../precious.txt", str(outside), "linked/page.html", "linked"]) == ["linked"]
    assert outside.read_text() == "mine" and (elsewhere / "page.html").read_text() == "mine"
    assert not (root / "linked").exists()  # the link itself (an output) goes; what it points to stays


# --- output_files: write only changed bytes ----------------------------------------------------


def test_write_if_changed_keeps_the_mtime_of_the_same_bytes(tmp_path: Path):
    path = tmp_path / "sub" / "f.bin"
    assert output_files.write_if_changed(str(path), b"one")
    old = 1_000_000_000_000_000_000
    os.utime(path, ns=(old, old))
    assert not output_files.write_if_changed(str(path), b"one")
    assert path.stat().st_mtime_ns == old
    assert output_files.write_if_changed(str(path), b"two")
    assert path.read_bytes() == b"two" and path.stat().st_mtime_ns != old
    assert output_files.take_produced(str(tmp_path)) == {str(path)}
    assert output_files.take_produced(str(tmp_path)) == set()  # taken once


def test_write_if_changed_writes_a_new_file_in_place_and_replaces_an_old_one_whole(tmp_path: Path):
    new = tmp_path / "a" / "b" / "new.html"
    assert output_files.write_if_changed(str(new), b"<p>new</p>")
    assert new.read_bytes() == b"<p>new</p>"
    assert new.stat().st_mode & 0o777 == 0o666 & ~output_files._UMASK  # as open() makes it
    old = tmp_path / "a" / "old.html"
    old.write_bytes(b"before")
    inode = old.stat().st_ino
    assert output_files.write_if_changed(str(old), b"after")
    assert old.read_bytes() == b"after" and old.stat().st_ino != inode  # a new file renamed over it
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["b", "old.html"]  # no temporary left


def test_open_if_changed_and_copy_if_changed(tmp_path: Path):
    path, source = tmp_path / "f.json", tmp_path / "source.json"
    with output_files.open_if_changed(str(path)) as fh:
        fh.write(b"{}")
    old = 1_000_000_000_000_000_000
    os.utime(path, ns=(old, old))
    with output_files.open_if_changed(str(path)) as fh:
        fh.write(b"{}")
    assert path.stat().st_mtime_ns == old
    source.write_bytes(b"{}")
    assert not output_files.copy_if_changed(str(source), str(path))
    source.write_bytes(b"[]")
    assert output_files.copy_if_changed(str(source), str(path))
    assert path.read_bytes() == b"[]"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.json", "source.json"]  # no temporary left
    output_files.take_produced(str(tmp_path))


# --- the plugin in a build ---------------------------------------------------------------------


def _pelican(content: Path, output: Path):
    from pelican import Pelican
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "pelicanconf.py"), override={
        "PATH": str(content), "OUTPUT_PATH": str(output), "CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False,
        "SEARCH_INDEX": False, "JOBS": 1})
    return Pelican(settings)


def test_a_first_build_keeps_the_authors_files_and_a_rebuild_removes_only_its_own(tmp_path: Path):
    content, output = tmp_path / "content", tmp_path / "out"
    shutil.copytree(CONTENT, content)
    output.mkdir()
    (output / "CNAME").write_text("blog.example.org\n")  # the author's, never built
    (output / "2014").mkdir()
    (output / "2014" / "notes.html").write_text("the author's")  # in a folder the build writes into too
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        pelican = _pelican(content, output)
        pelican.run()
        assert (output / "2014" / "02" / "concept-maps.html").is_file()
        (content / "articles" / "2014-02-concept-maps.md").unlink()
        pelican.run()
    finally:
        os.chdir(cwd)
    assert not (output / "2014" / "02").exists()  # the deleted post's page, and its emptied folder
    assert not (output / "tag" / "concept-maps.html").exists()  # its only tag
    assert (output / "CNAME").read_text() == "blog.example.org\n"
    assert (output / "2014" / "notes.html").read_text() == "the author's"
    assert (output / "theme" / "css" / "main.css").is_file() and (output / "images").is_dir()
