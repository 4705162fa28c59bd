"""The full-text search index: Pagefind's bundled binary run over the written site (emit stage).

Pagefind indexes only the pages whose HTML carries `data-pagefind-body` (the theme puts it on
published posts and pages, never on listings) and writes its bundle to OUTPUT_PATH/pagefind/.
Runs as the plugin's last generator: Pelican asks for posts and pages (ArticlesGenerator,
PagesGenerator) before any plugin generator. With the workers plugin's writer, the posts and pages
are rendered first (`flush(only=indexed_page)`), Pagefind starts on them, and the listings are
rendered while it runs; it is waited for when every page is written (`after_pages`), before the
author report closes the build. A failure is an author-report error, so a strict build
(`make publish`) fails while a development build goes on.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from pelican.generators import Generator

from .pages import BUNDLE_DIR

try:
    from stage_timer import timed
except ImportError:  # pragma: no cover
    from contextlib import nullcontext as timed  # type: ignore

logger = logging.getLogger(__name__)
WHERE = "(search)"  # the author report's path for problems of the index as a whole


def index_language(default_lang: str | None) -> str:
    """The one language of the index: DEFAULT_LANG's primary subtag ("en-GB" -> "en")."""
    return (default_lang or "en").replace("_", "-").split("-")[0].lower() or "en"


def pagefind_command(site: Path, language: str) -> list[str]:
    """`python -m pagefind` (the PyPI package's bundled binary) over `site`, bundle in site/pagefind.

    One index for the whole site (`--force-language`): Pagefind otherwise makes one per `<html lang>`,
    and search.html, in the site's language, would never find the posts written in another.
    """
    return [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", BUNDLE_DIR,
            "--force-language", language, "--silent"]


def indexed_pages(site: Path) -> int | None:
    """Pages in the bundle (pagefind-entry.json, every language), None when there is no bundle."""
    try:
        entry = json.loads((site / BUNDLE_DIR / "pagefind-entry.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return sum(int(lang.get("page_count", 0)) for lang in entry.get("languages", {}).values())


def start_index(site: Path, language: str) -> tuple[subprocess.Popen | None, str | None]:
    """Start Pagefind over `site` (its bundle removed first: no stale fragments); (process, problem)."""
    if importlib.util.find_spec("pagefind") is None:
        return None, "search index not built: the pagefind package is not installed (pyproject.toml lists it; " \
                     "run make once, or set SEARCH_INDEX = False)"
    shutil.rmtree(site / BUNDLE_DIR, ignore_errors=True)
    try:
        process = subprocess.Popen(pagefind_command(site, language), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, env={**os.environ, "NO_COLOR": "1"})
    except OSError as exc:
        return None, f"search index not built: pagefind could not run: {exc}"
    return process, None


def finish_index(site: Path, process: subprocess.Popen) -> str | None:
    """Wait for Pagefind; the problem, or None."""
    out, err = process.communicate()
    if process.returncode != 0:
        said = " ".join((err or out).split())[-400:]
        return f"search index not built: pagefind exited with status {process.returncode}: {said}"
    if indexed_pages(site) is None:
        return "search index not built: pagefind wrote no pagefind-entry.json"
    return None


def build_index(site: Path, language: str) -> str | None:
    """Write site/pagefind/ afresh and wait for it; the problem, or None."""
    process, problem = start_index(site, language)
    return problem if process is None else finish_index(site, process)


def indexed_page(localcontext) -> bool:
    """A page Pagefind indexes: a post's or a page's (the templates with `data-pagefind-body`)."""
    return "article" in localcontext or "page" in localcontext


class SearchIndex(Generator):
    """Runs Pagefind over OUTPUT_PATH once the posts and pages are written (SEARCH_INDEX)."""

    def generate_context(self):
        pass

    def generate_output(self, writer):
        if not self.settings["SEARCH_INDEX"]:
            return
        site = Path(self.output_path)
        flush = getattr(writer, "flush", None)
        after_pages = getattr(writer, "after_pages", None)
        if flush is None or after_pages is None:  # Pelican's own writer: every page is on disk
            with timed("emit"):
                self.done(site, build_index(site, index_language(self.settings.get("DEFAULT_LANG"))))
            return
        # The workers plugin's writer: render the posts and pages now, index them while the
        # listings are rendered, and wait for Pagefind once every page is written (before the
        # author report closes the build).
        flush(only=indexed_page)
        with timed("emit"):
            process, problem = start_index(site, index_language(self.settings.get("DEFAULT_LANG")))
        if process is None:
            self.done(site, problem)
        else:
            after_pages(lambda: self.done(site, finish_index(site, process)))

    def done(self, site: Path, problem: str | None) -> None:
        if problem:
            from author_report import report  # noqa: PLC0415

            report(self.settings, os.path.join(self.settings.get("PATH", ""), WHERE), 0, "error", problem)
        else:
            logger.info("search: indexed %d pages into %s", indexed_pages(site), site / BUNDLE_DIR)
