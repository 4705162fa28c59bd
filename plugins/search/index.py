"""The full-text search index: Pagefind's bundled binary run over the written site (emit stage).

Pagefind indexes only the pages whose HTML carries `data-pagefind-body` (the theme puts it on
published posts and pages, never on listings) and writes its bundle to OUTPUT_PATH/pagefind/.
Runs as the plugin's last generator: Pelican writes posts and pages (ArticlesGenerator,
PagesGenerator) before any plugin generator, and a failure is an author-report error, so a strict
build (`make publish`) fails while a development build goes on.
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

from output_files import keep
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


def build_index(site: Path, language: str) -> str | None:
    """Write site/pagefind/ afresh (stale fragments of earlier builds removed); the problem, or None."""
    if importlib.util.find_spec("pagefind") is None:
        return "search index not built: the pagefind package is not installed (pyproject.toml lists it; " \
               "run make once, or set SEARCH_INDEX = False)"
    shutil.rmtree(site / BUNDLE_DIR, ignore_errors=True)
    try:
        done = subprocess.run(pagefind_command(site, language), capture_output=True, text=True, check=False,
                              env={**os.environ, "NO_COLOR": "1"})
    except OSError as exc:
        return f"search index not built: pagefind could not run: {exc}"
    if done.returncode != 0:
        said = " ".join((done.stderr or done.stdout).split())[-400:]
        return f"search index not built: pagefind exited with status {done.returncode}: {said}"
    if indexed_pages(site) is None:
        return "search index not built: pagefind wrote no pagefind-entry.json"
    return None


class SearchIndex(Generator):
    """Runs Pagefind over OUTPUT_PATH once the posts and pages are written (SEARCH_INDEX)."""

    def generate_context(self):
        pass

    def generate_output(self, writer):
        if not self.settings["SEARCH_INDEX"]:
            return
        from author_report import report  # noqa: PLC0415
        from output_sync import remove_stale  # noqa: PLC0415

        site = Path(self.output_path)
        flush = getattr(writer, "flush", None)  # the workers plugin's writer: pages still waiting
        if flush is not None:
            flush()
        with timed("emit"):
            # A devserver rebuild: the pages the previous build wrote and this one did not (a
            # deleted post's, a renamed tag's) must be gone before Pagefind reads the folder.
            remove_stale(self.output_path)
            problem = build_index(site, index_language(self.settings.get("DEFAULT_LANG")))
        if problem:
            report(self.settings, os.path.join(self.settings.get("PATH", ""), WHERE), 0, "error", problem)
        else:
            for path in (site / BUNDLE_DIR).rglob("*"):  # this build's outputs too (output_sync)
                if path.is_file():
                    keep(str(path))
            logger.info("search: indexed %d pages into %s", indexed_pages(site), site / BUNDLE_DIR)
