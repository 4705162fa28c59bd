"""Workers: a build on every core (JOBS), and pages rewritten only when their bytes change.

Two places where Pelican spends most of a build, both done by JOBS forked processes:
- reading: `reading.prime` reads a generator's posts in workers at its first preread and hands
  the results to Pelican through its reader cache;
- rendering: `writer.WorkersWriter` (from `get_writer`) records the pages the generators ask for
  and renders them all in workers at `finalized` (other plugins' work can run alongside:
  `before_rest`, `after_pages`). A file is written only when its bytes change.
JOBS=1 does both in this process; every JOBS gives the same output (tests/test_workers.py).
While a run builds, the cyclic garbage collector makes no full collections (`collector.py`).
When Pelican autoreloads, one file watcher serves every rebuild (`watch_between_runs`): a file
saved during a rebuild starts the next one as soon as it ends.
"""

from __future__ import annotations

from pelican import signals

from .settings import apply as apply_settings


def watch_between_runs(_pelican=None) -> None:
    """`initialized`, when Pelican autoreloads (`make devserver`): one file watcher for the whole
    session, so a post saved while a rebuild runs is built right after it
    (pelican_internals.use_persistent_watcher)."""
    import sys  # noqa: PLC0415

    from .settings import autoreloading  # noqa: PLC0415

    if autoreloading(sys.argv[1:]):
        from pelican_internals import use_persistent_watcher  # noqa: PLC0415 (a sibling module)

        use_persistent_watcher()


def get_writer(pelican):
    from .writer import WorkersWriter  # noqa: PLC0415

    return WorkersWriter


def register():
    from . import collector, reading, writer  # noqa: PLC0415

    signals.initialized.connect(apply_settings)
    signals.initialized.connect(watch_between_runs)
    signals.get_writer.connect(get_writer)
    signals.get_generators.connect(writer.start_run)
    signals.get_generators.connect(collector.start_run)
    signals.article_generator_preread.connect(reading.prime)
    signals.page_generator_preread.connect(reading.prime)
    signals.content_object_init.connect(reading.replay_logged)
    signals.finalized.connect(writer.flush_current)
    signals.finalized.connect(collector.end_run)
