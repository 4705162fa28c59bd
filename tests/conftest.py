"""Shared fixtures: the real sample site, built once per test session with the real Pelican."""

from __future__ import annotations

import logging
import os
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
