"""The full-text search index: Pagefind over one small record per page (emit stage).

What is indexed is a *record* per published post and page (translations included), rendered with
the theme's `search_record.html`: the title, the text of the post, and for a post its date, year
and concepts, marked with Pagefind's `data-pagefind-*` attributes. Each record is given to
Pagefind with its page's URL (service.py), and the bundle Pagefind makes of them is written to
OUTPUT_PATH/pagefind/, each file only when its bytes changed; files of an earlier bundle go.

Why records and not the written site: Pagefind would otherwise parse every page of the site (the
listings too, and each post's navigation, graph, backlinks and previews) to find the few
kilobytes it indexes; at 2,000 posts that was about 60% of its CPU time (docs/bench.md). Records
also need no page on disk, so Pagefind runs while the pages are rendered.

Runs as the plugin's last generator. With the workers plugin's writer, the records are made and
Pagefind started once the pages showing an edited post are written (`writer.before_rest`; at the
start of the rendering in a cold build), and its bundle is written once every page is
(`writer.after_pages`), before the author report closes the build. With Pelican's own writer both
happen at once. A devserver rebuild whose records are all unchanged keeps the bundle as it is.
A failure is an author-report error, so a strict build (`make publish`) fails while a
development build goes on.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
from pathlib import Path

from output_files import keep, write_if_changed
from pelican.contents import Article
from pelican.generators import Generator

from .pages import BUNDLE_DIR

try:
    from stage_timer import timed
except ImportError:  # pragma: no cover
    from contextlib import nullcontext as timed  # type: ignore

logger = logging.getLogger(__name__)
WHERE = "(search)"  # the author report's path for problems of the index as a whole
RECORD_TEMPLATE = "search_record"  # the theme's template of one record

# bundle folder -> digest of the records its files were made from, by the runs of this process
_bundle_digests: dict[str, bytes] = {}


def index_language(default_lang: str | None) -> str:
    """The one language of the index: DEFAULT_LANG's primary subtag ("en-GB" -> "en")."""
    return (default_lang or "en").replace("_", "-").split("-")[0].lower() or "en"


def index_config(language: str) -> dict:
    """Pagefind's options. One index for the whole site (`force_language`): Pagefind otherwise
    makes one per `<html lang>`, and search.html, in the site's language, would never find the
    posts written in another."""
    return {"force_language": language}


def indexed_contents(context) -> list:
    """The published posts and pages, each followed by its published translations."""
    contents = []
    for content in (*context.get("articles", ()), *context.get("pages", ())):
        contents.append(content)
        contents.extend(t for t in getattr(content, "translations", ()) if t.status == "published")
    return contents


def render_records(template, contents, language: str) -> dict[str, str]:
    """The page URL ("/" + save_as) -> the record of each content."""
    return {"/" + content.save_as.replace(os.sep, "/"): template.render(
                item=content, post=isinstance(content, Article), lang=language)
            for content in contents}


def records_digest(records: dict[str, str], config: dict) -> bytes:
    h = hashlib.blake2b(json.dumps(config, sort_keys=True).encode(), digest_size=20)
    for url in sorted(records):
        h.update(b"\0" + url.encode() + b"\0" + records[url].encode())
    return h.digest()


def bundle_key(bundle: Path) -> str:
    return str(bundle.resolve())


def indexed_pages(bundle: Path) -> int | None:
    """Pages in the bundle (pagefind-entry.json, every language), None when there is no bundle."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return sum(int(lang.get("page_count", 0)) for lang in entry.get("languages", {}).values())


def write_bundle(bundle: Path, files: dict[str, bytes]) -> None:
    """`files` into `bundle`, each only if its bytes changed; any other file there goes, and the
    folders that leaves empty (output_sync's safe removal)."""
    from output_sync.stale import remove  # noqa: PLC0415 (a sibling plugin's pure module)

    for rel, data in sorted(files.items()):
        write_if_changed(str(bundle / rel), data)
    others = sorted(rel for path in bundle.rglob("*") if path.is_file()
                    and (rel := path.relative_to(bundle).as_posix()) not in files)
    remove(str(bundle), others)


class Indexing:
    """Pagefind indexing this build's records; `finish()` writes the bundle, or says what failed."""

    def __init__(self, bundle: Path, records: dict[str, str], config: dict, digest: bytes):
        from .service import IndexRun, PagefindError  # noqa: PLC0415

        self.bundle, self.digest = bundle, digest
        _bundle_digests.pop(bundle_key(bundle), None)  # until this run's bundle is written
        self.run, self.problem = None, None
        try:
            self.run = IndexRun(records, config)
        except PagefindError as exc:
            self.problem = f"search index not built: {exc}"

    def finish(self) -> str | None:
        """Wait for Pagefind and write its bundle; the problem, or None."""
        from .service import PagefindError  # noqa: PLC0415

        if self.run is not None:
            run, self.run = self.run, None
            try:
                files = run.files()
            except PagefindError as exc:
                self.problem = f"search index not built: {exc}"
            else:
                if "pagefind-entry.json" not in files:
                    self.problem = "search index not built: pagefind made no pagefind-entry.json"
                else:
                    write_bundle(self.bundle, files)
                    _bundle_digests[bundle_key(self.bundle)] = self.digest
        return self.problem


def missing_package() -> str | None:
    if importlib.util.find_spec("pagefind") is None:
        return "search index not built: the pagefind package is not installed (pyproject.toml lists it; " \
               "run make once, or set SEARCH_INDEX = False)"
    return None


class SearchIndex(Generator):
    """Indexes the posts' and pages' records into OUTPUT_PATH/pagefind/ (SEARCH_INDEX)."""

    def generate_context(self):
        pass

    def generate_output(self, writer):
        if not self.settings["SEARCH_INDEX"]:
            return
        before_rest = getattr(writer, "before_rest", None)  # the workers plugin's writer
        after_pages = getattr(writer, "after_pages", None)
        if before_rest is None or after_pages is None:  # Pelican's own writer
            self.finish(self.start())
            return
        started: list[Indexing | None] = []
        before_rest(lambda: started.append(self.start()))
        after_pages(lambda: self.finish(started[0] if started else None))

    def start(self) -> Indexing | None:
        """Make the records and start Pagefind on them; None when there is nothing to wait for
        (the package is missing, or no record changed since this process's last run)."""
        bundle = Path(self.output_path) / BUNDLE_DIR
        problem = missing_package()
        if problem:
            self.done(bundle, problem)
            return None
        with timed("emit"):
            language = index_language(self.settings.get("DEFAULT_LANG"))
            config = index_config(language)
            records = render_records(self.get_template(RECORD_TEMPLATE), indexed_contents(self.context), language)
            digest = records_digest(records, config)
            if _bundle_digests.get(bundle_key(bundle)) == digest and indexed_pages(bundle) is not None:
                self.done(bundle, None, again=True)  # a rebuild that changed no record
                return None
            return Indexing(bundle, records, config, digest)

    def finish(self, indexing: Indexing | None) -> None:
        if indexing is not None:
            with timed("emit"):
                self.done(indexing.bundle, indexing.finish())

    def done(self, bundle: Path, problem: str | None, again: bool = False) -> None:
        if problem:
            from author_report import report  # noqa: PLC0415

            report(self.settings, os.path.join(self.settings.get("PATH", ""), WHERE), 0, "error", problem)
            return
        for path in bundle.rglob("*"):  # this build's outputs too (output_sync)
            if path.is_file():
                keep(str(path))
        logger.info("search: %s %d pages into %s", "kept the index of" if again else "indexed",
                    indexed_pages(bundle), bundle)
