"""Browser fixtures: Debian's chromium through Playwright, over the sample site and the real blog, served locally.

Skipped as a whole, with one line in the summary, when chromium, Playwright or axe-core is
missing (`make browser-deps` installs them).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SHARED, build_site
from tools import browser

HERE = Path(__file__).resolve().parent
MISSING = browser.missing_prerequisite()
SKIP_LINE = f"browser tests skipped: {MISSING} (run make browser-deps)"
CORPUS = SHARED / "corpora" / "ludochaordic" / "content"


def pytest_ignore_collect(collection_path, config):
    """Without chromium, Playwright or axe-core nothing here is collected (one line says so)."""
    if MISSING and collection_path.parent == HERE and collection_path.name.startswith("test_"):
        return True
    return None


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if MISSING:
        terminalreporter.write_line(SKIP_LINE, yellow=True, bold=True)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = browser.launch(playwright)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def sample_url(sample_site):
    """Base URL ("http://127.0.0.1:PORT/") of the sample site, built once per session."""
    with browser.serve(sample_site.output) as url:
        yield url


@pytest.fixture(scope="session")
def corpus_output(tmp_path_factory):
    """The real blog (../shared/corpora/ludochaordic) built with pelicanconf.py and every plugin."""
    if not CORPUS.is_dir():
        pytest.skip(f"real blog absent: {CORPUS} not found")
    from test_crosslinks_corpus import SETTINGS

    settings = {k: v for k, v in SETTINGS.items() if k != "PLUGINS"}  # the project's plugins, all of them
    out = tmp_path_factory.mktemp("corpus-site")
    build_site(CORPUS, out, **settings)
    return out


@pytest.fixture(scope="session")
def corpus_url(corpus_output):
    with browser.serve(corpus_output) as url:
        yield url


@pytest.fixture(scope="session")
def pages_at(chromium):
    """open(url, width, scheme="light") -> a loaded Playwright page; contexts are reused per width."""
    contexts = {}

    def open_(url: str, width: int, scheme: str = "light"):
        if width not in contexts:
            contexts[width] = chromium.new_context(viewport={"width": width, "height": browser.VIEWPORT_HEIGHT})
        return browser.open_page(contexts[width], url, scheme)

    yield open_
    for context in contexts.values():
        context.close()
