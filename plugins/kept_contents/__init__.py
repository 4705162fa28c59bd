"""Kept contents: a rebuild in the same process (`make devserver`) takes the content objects of
the posts that did not change from the run before, instead of making every one again.

Pelican makes every post's and page's content object again on every run, even when its reader
cache has the post's HTML and metadata: at 2,000 posts that was about 0.5 s of each devserver
rebuild, before any page could be written. Here:

- right after the generator made a content object (`cache_data`, before any plugin's build stage
  changes it), it is pickled: a snapshot, kept in this process with the log records its reading
  produced. The settings and the generator's context are not copied: they are pickled as
  references, and a copy made from the snapshot refers to the new run's own;
- at the next run, for a file whose snapshot is still good, the generator gets a fresh copy
  (`get_cached_data`) and does the rest (statuses, translations, its signals) as for any post;
  the log records are replayed, so the author report and the console read as in a cold build.

A snapshot is good when the file has the same size and modification time and Pelican's reader
cache would still give its read (`is_cached_read`: a plugin drops a read that depends on another
file, as diagrams does when a used diagram file changes). That is decided for every file before
the generator reads any (the workers plugin then fills the reader cache). Only with the reader
cache on (CACHE_CONTENT, reader layer; not `make publish`), only within one Pelican settings
object (a changed settings file starts afresh), and by default only when Pelican autoreloads
(`make devserver`, `pelican -r`): elsewhere there is no next run, and a snapshot of every post
would cost a cold `make html` about 0.4 s and 20 MB at 2,000 posts. `KEEP_CONTENTS = True` or
`False` decides instead; the site is the same byte for byte either way.
"""

from __future__ import annotations

import copy
import logging
import os
from dataclasses import dataclass, field

from pelican import signals

from .settings import apply as apply_settings

from pelican_internals import intercept_generator_cache, is_cached_read  # sibling modules on sys.path
from workers.pool import dumps_sharing, formatted, loads_sharing, replay  # another plugin (plugins/ is on sys.path)
from workers.settings import unless_set

KINDS = ("ArticlesGenerator", "PagesGenerator")
logger = logging.getLogger(__name__)


@dataclass
class Snapshot:
    stamp: tuple[int, int]  # (st_mtime_ns, st_size) of the source when it was read
    data: bytes  # the pickled content object
    records: list[logging.LogRecord]  # what reading it logged


@dataclass
class Store:
    """The snapshots of one generator kind, for one settings object."""

    settings: dict
    snapshots: dict[str, Snapshot] = field(default_factory=dict)  # generator-relative path -> …


_stores: dict[str, Store] = {}


def applies(settings, argv=None) -> bool:
    return unless_set(settings["KEEP_CONTENTS"], argv) and bool(settings.get("CACHE_CONTENT")) and settings.get("CONTENT_CACHING_LAYER") == "reader"


def stamp_of(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def dumps(content, shared) -> bytes | None:
    try:
        return dumps_sharing(content, shared)
    except Exception:  # noqa: BLE001 - something a plugin attached does not pickle: not kept
        return None


def settle(content, settings) -> None:
    """Compute now, once, what every run would compute again the same way from the file and the
    settings, so that the snapshot has it: the slugs of the post's tags, category and authors,
    and (with compute_once) its frozen URL, save_as and summary."""
    wrappers = [*(getattr(content, "tags", None) or ()), getattr(content, "category", None),
                *(getattr(content, "authors", None) or ())]
    for wrapper in wrappers:
        if wrapper is not None:
            _ = wrapper.slug
    if "compute_once" in [getattr(p, "__name__", p) for p in settings.get("PLUGINS") or ()]:
        from compute_once import freeze  # noqa: PLC0415 (another plugin; plugins/ is on sys.path)

        freeze([content])


class _Recorder(logging.Handler):
    """The records logged since the generator last asked for a file: those of reading it."""

    def __init__(self):
        super().__init__(level=logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(formatted(copy.copy(record)))


class Keeper:
    """One generator's side: which snapshots it may use (decided at its first question), and the
    snapshots of what it reads."""

    def __init__(self, generator, store: Store):
        self.generator = generator
        self.store = store
        self.shared = (generator.settings, generator.context)
        self.good: set[str] | None = None
        self.asked: set[str] = set()
        self.taken = 0
        self.recorder = _Recorder()
        logging.getLogger().addHandler(self.recorder)

    def _decide(self) -> set[str]:
        readers = self.generator.readers
        good = set()
        for rel, snapshot in self.store.snapshots.items():
            path = os.path.abspath(os.path.join(self.generator.path, rel))
            if stamp_of(path) == snapshot.stamp and is_cached_read(readers, path):
                good.add(rel)
        return good

    def take(self, rel: str):
        if self.good is None:
            self.good = self._decide()
        self.asked.add(rel)
        self.recorder.records = []
        if rel not in self.good:
            return None
        snapshot = self.store.snapshots[rel]
        content = loads_sharing(snapshot.data, self.shared)
        self.taken += 1
        replay(snapshot.records)
        self.recorder.records = []
        return content

    def keep(self, rel: str, content) -> None:
        path = os.path.abspath(os.path.join(self.generator.path, rel))
        settle(content, self.generator.settings)
        stamp, data = stamp_of(path), dumps(content, self.shared)
        if stamp is None or data is None:
            self.store.snapshots.pop(rel, None)
        else:
            self.store.snapshots[rel] = Snapshot(stamp, data, self.recorder.records)
        self.recorder.records = []

    def finish(self) -> None:
        """The generator has read everything: files it no longer has are forgotten."""
        logging.getLogger().removeHandler(self.recorder)
        if self.asked:
            logger.info("Kept %d of %d %s from the run before", self.taken, len(self.asked),
                        type(self.generator).__name__.replace("Generator", "").lower())
        for rel in [rel for rel in self.store.snapshots if rel not in self.asked]:
            del self.store.snapshots[rel]


KEEPER = "kept_contents_keeper"  # attribute of a generator: its Keeper


def start_run(_pelican=None) -> None:
    """`get_generators` (the start of every run): the recorders of a run that stopped with an
    exception, before its generators finished, are taken off the root logger."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _Recorder)]:
        root.removeHandler(handler)


def install(generator) -> None:
    """`generator_init`."""
    kind = type(generator).__name__
    if kind not in KINDS or not applies(generator.settings):
        return
    store = _stores.get(kind)
    if store is None or store.settings is not generator.settings:
        store = _stores[kind] = Store(generator.settings)
    keeper = Keeper(generator, store)
    setattr(generator, KEEPER, keeper)
    intercept_generator_cache(generator, keeper.take, keeper.keep)


def finish(generator) -> None:
    """`article_generator_finalized` / `page_generator_finalized`."""
    keeper = getattr(generator, KEEPER, None)
    if keeper is not None:
        keeper.finish()


def register():
    signals.initialized.connect(apply_settings)
    signals.get_generators.connect(start_run)
    signals.generator_init.connect(install)
    signals.article_generator_finalized.connect(finish)
    signals.page_generator_finalized.connect(finish)
