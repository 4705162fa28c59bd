"""Shared fixtures: the real sample site, built once per test session with the real Pelican."""

from __future__ import annotations

import logging
import os
import re
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "plugins"))


class Captured(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def build_site(content: Path, output: Path, conf: str = "pelicanconf.py", **overrides):
    """Build `content` into `output` with the project's settings; return the log records (WARNING+)."""
    from pelican import Pelican
    from pelican.settings import read_settings

    cwd = os.getcwd()
    os.chdir(ROOT)  # settings paths (theme, plugins) are relative to the repository
    handler = Captured()
    root_logger = logging.getLogger()
    root_logger.addHandler(handler)
    try:
        override = {
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "CACHE_CONTENT": False,
            "LOAD_CONTENT_CACHE": False,
            **overrides,
        }
        settings = read_settings(str(ROOT / conf), override=override)
        Pelican(settings).run()
    finally:
        root_logger.removeHandler(handler)
        os.chdir(cwd)
    return handler.records


# Pagefind 1.5 writes its filter indexes in hash-map order (Pagefind/pagefind#638: "other files will still
# change, such as the filter/metadata indexes"): these files, named by their hash, differ between identical
# builds; the rest of the bundle (fragments, word indexes, scripts) is stable. docs/search.md, "Known limits".
PAGEFIND_UNSTABLE = re.compile(r"pagefind/(filter/[^/]+\.pf_filter|pagefind\.[^/]+\.pf_meta|pagefind-entry\.json)")


def site_tree(root: Path) -> dict[str, bytes]:
    """Every file under `root`, path -> bytes, for byte-identical comparisons of two builds; Pagefind's
    hash-ordered files (PAGEFIND_UNSTABLE) only by kind and number."""
    tree: dict[str, bytes] = {}
    unstable: dict[str, int] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            rel = path.relative_to(root).as_posix()
            match = PAGEFIND_UNSTABLE.fullmatch(rel)
            if match:
                kind = match.group(1).rsplit(".", 1)[-1]
                unstable[kind] = unstable.get(kind, 0) + 1
            else:
                tree[rel] = path.read_bytes()
    tree.update({f"pagefind/(unstable *.{kind})": str(n).encode() for kind, n in unstable.items()})
    return tree


class Site:
    def __init__(self, output: Path, records):
        self.output = output
        self.records = records

    def path(self, rel: str) -> Path:
        return self.output / rel

    def soup(self, rel: str) -> BeautifulSoup:
        return BeautifulSoup(self.path(rel).read_text("utf-8"), "html.parser")

    def html_files(self):
        return sorted(p.relative_to(self.output).as_posix() for p in self.output.rglob("*.html"))


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Site:
    """The sample blog in content/, built once with pelicanconf.py (all plugins)."""
    out = tmp_path_factory.mktemp("sample-site")
    records = build_site(CONTENT, out)
    return Site(out, records)


@pytest.fixture
def soup_of():
    def parse(text: str) -> BeautifulSoup:
        return BeautifulSoup(text, "html.parser")

    return parse
