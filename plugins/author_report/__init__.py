"""Author report: every author error and warning of a build, listed, counted, and fatal when strict.

Other plugins call `report(settings, source_path, line, level, message)`; Pelican's own
errors and warnings are counted too. At the end of the build (`finalized`) the whole list
is printed with a summary line `N errors, M warnings`; with `AUTHOR_REPORT_STRICT = True`
(publish, check) the build then fails if there was any error.
"""

from __future__ import annotations

import logging
import os
import sys

from pelican import signals

from .collector import Collector, Problem
from .pelican_checks import check_generator
from .settings import apply as apply_settings

__all__ = ["report", "Problem", "COLLECTOR", "AuthorErrors", "register"]

logger = logging.getLogger(__name__)
COLLECTOR = Collector()


class AuthorErrors(Exception):
    """Raised at the end of a strict build that had author errors (Pelican exits 1)."""

    exitcode = 1


def relpath(settings, source_path: str) -> str:
    base = settings.get("PATH", "") if settings else ""
    try:
        rel = os.path.relpath(source_path, base) if base else source_path
    except ValueError:
        rel = source_path
    return rel.replace(os.sep, "/")


def report(settings, source_path: str, line: int, level: str, message: str) -> None:
    """Record one author problem and log it once, as `path:line: level: message`."""
    problem = COLLECTOR.add(relpath(settings, source_path), line, level, message)
    if problem is None:
        return
    # Each message is unique (path and line in it), so Pelican's log limiter never drops one.
    (logger.error if level == "error" else logger.warning)(str(problem))


class _PelicanLogCounter(logging.Handler):
    """Counts Pelican's own errors and warnings (not ours: those are recorded directly)."""

    def __init__(self):
        super().__init__(level=logging.WARNING)

    def emit(self, record):
        if record.name.startswith(__name__) or record.name.startswith(("crosslinks", "diagrams", "concept_graph")):
            return
        level = "error" if record.levelno >= logging.ERROR else "warning"
        try:
            message = record.getMessage().strip().splitlines()[0]
        except Exception:  # a malformed log call must not break the build
            message = str(record.msg)
        COLLECTOR.add("(pelican)", 0, level, message)


_HANDLER = _PelicanLogCounter()


def start(sender=None):
    COLLECTOR.clear()
    pelican_logger = logging.getLogger("pelican")
    if _HANDLER not in pelican_logger.handlers:
        pelican_logger.addHandler(_HANDLER)


def finish(pelican):
    settings = getattr(pelican, "settings", {})
    if COLLECTOR.problems:
        print("\n" + COLLECTOR.listing(), file=sys.stderr)
    print(COLLECTOR.summary(), file=sys.stderr)
    errors = list(COLLECTOR.errors)
    COLLECTOR.clear()
    if errors and settings["AUTHOR_REPORT_STRICT"]:
        raise AuthorErrors(f"{len(errors)} author error(s); see the list above")


def register():
    signals.initialized.connect(apply_settings)
    signals.initialized.connect(start)
    signals.get_generators.connect(_restart)
    signals.finalized.connect(finish)
    signals.article_generator_finalized.connect(check_generator)
    signals.page_generator_finalized.connect(check_generator)


def _restart(pelican):
    # get_generators fires at the start of every run(), including devserver rebuilds.
    start()
    return None
