"""The search index's machinery (issue 14, part 1): Pagefind's service client (service.py), the
bundle written only where it changed, and a rebuild in the same process that changed no record
leaving the bundle alone. The index's contents on real sites are checked in test_search.py."""

from __future__ import annotations

import gzip
import json
import os
import stat
from pathlib import Path

import pytest

from conftest import build_site

RECORD = ('<!DOCTYPE html><html lang="en"><head><title>{title}</title></head><body>'
          '<article data-pagefind-body><h1 data-pagefind-meta="title">{title}</h1><p>{text}</p></article></body></html>')


def _fragment_urls(files: dict[str, bytes]) -> list[str]:
    urls = []
    for path, data in files.items():
        if path.startswith("fragment/"):
            urls.append(json.loads(gzip.decompress(data)[len(b"pagefind_dcd"):])["url"])
    return sorted(urls)


def test_the_service_indexes_records_under_their_urls_and_returns_the_bundle():
    from search.service import IndexRun

    pages = {"/2020/01/zebra.html": RECORD.format(title="Zebras", text="A quokkalicious zebra."),
             "/pages/about.html": RECORD.format(title="About <us>", text="Who we are.")}
    files = IndexRun(pages, {"force_language": "en"}).files()
    entry = json.loads(files["pagefind-entry.json"])
    assert entry["languages"]["en"]["page_count"] == 2
    assert _fragment_urls(files) == sorted(pages)
    assert "pagefind.js" in files and any(p.startswith("index/") for p in files)


def test_a_pagefind_that_fails_is_an_error_that_says_what_it_said(tmp_path, monkeypatch):
    from search.service import IndexRun, PagefindError

    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'something broke' >&2\nexit 3\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    with pytest.raises(PagefindError) as caught:
        IndexRun({"/a.html": RECORD.format(title="A", text="a")}, {}).files()
    assert "exit status 3" in str(caught.value) and "something broke" in str(caught.value)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "missing"))
    with pytest.raises(PagefindError, match="could not run"):
        IndexRun({"/a.html": RECORD.format(title="A", text="a")}, {})


def test_write_bundle_writes_what_changed_and_removes_the_rest(tmp_path):
    from search.index import write_bundle

    bundle = tmp_path / "pagefind"
    write_bundle(bundle, {"pagefind-entry.json": b"{}", "fragment/en_1.pf_fragment": b"one",
                          "fragment/en_2.pf_fragment": b"two", "filter/en_a.pf_filter": b"a"})
    old = 1_000_000_000_000_000_000
    for path in bundle.rglob("*"):
        os.utime(path, ns=(old, old))
    write_bundle(bundle, {"pagefind-entry.json": b'{"v": 2}', "fragment/en_1.pf_fragment": b"one"})
    assert sorted(p.relative_to(bundle).as_posix() for p in bundle.rglob("*")) == [
        "fragment", "fragment/en_1.pf_fragment", "pagefind-entry.json"]  # filter/ left empty: gone
    assert (bundle / "fragment" / "en_1.pf_fragment").stat().st_mtime_ns == old  # same bytes: untouched
    assert (bundle / "pagefind-entry.json").read_bytes() == b'{"v": 2}'


def test_records_digest_follows_every_record_and_the_options():
    from search.index import records_digest

    records = {"/a.html": "<p>a</p>", "/b.html": "<p>b</p>"}
    same = records_digest(dict(reversed(list(records.items()))), {"force_language": "en"})
    assert records_digest(records, {"force_language": "en"}) == same
    assert records_digest({**records, "/b.html": "<p>B</p>"}, {"force_language": "en"}) != same
    assert records_digest(records, {"force_language": "fr"}) != same


def test_a_rebuild_that_changed_no_record_keeps_the_bundle_and_one_that_did_reindexes(tmp_path, monkeypatch):
    import search.service

    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    post = content / "articles" / "p.md"
    post.write_text("Title: Zebras\nDate: 2020-01-01\nTags: animals\n\nA quokkalicious zebra.\n", "utf-8")
    (content / "articles" / "q.md").write_text("Title: Pears\nDate: 2020-02-01\n\nPears.\n", "utf-8")
    out = tmp_path / "out"
    assert not [r for r in build_site(content, out) if r.levelname == "ERROR"]
    bundle = out / "pagefind"
    before = {p: p.read_bytes() for p in bundle.rglob("*") if p.is_file()}

    real = search.service.IndexRun
    monkeypatch.setattr(search.service, "IndexRun", lambda *a, **k: pytest.fail("Pagefind ran again"))
    assert not [r for r in build_site(content, out) if r.levelname == "ERROR"]  # the same records
    assert {p: p.read_bytes() for p in bundle.rglob("*") if p.is_file()} == before

    runs = []
    monkeypatch.setattr(search.service, "IndexRun", lambda *a, **k: runs.append(1) or real(*a, **k))
    post.write_text("Title: Zebras\nDate: 2020-01-01\nTags: animals\n\nA stripy okapi instead.\n", "utf-8")
    assert not [r for r in build_site(content, out) if r.levelname == "ERROR"]
    assert runs == [1]
    texts = [json.loads(gzip.decompress(p.read_bytes())[len(b"pagefind_dcd"):])["content"]
             for p in (bundle / "fragment").iterdir()]
    assert any("okapi" in t for t in texts) and not any("quokkalicious" in t for t in texts)
