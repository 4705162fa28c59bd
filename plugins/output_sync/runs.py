"""Pelican glue: the files each build of this process produced, per output folder; the removal
of the previous build's files that this build did not produce; the theme's static files copied
only when changed."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field

from output_files import copy_if_changed, take_produced
from pelican_internals import copy_theme_static_with, theme_static_outputs

from .stale import remove, stale_files

logger = logging.getLogger(__name__)


@dataclass
class Run:
    """One output folder's builds in this process."""

    previous: set[str] | None = None  # what the last finished build produced; None: no build finished
    current: set[str] = field(default_factory=set)  # what this build has produced so far
    static: list = field(default_factory=list)  # this build's StaticGenerator (its staticfiles)


_RUNS: dict[str, Run] = {}  # absolute OUTPUT_PATH -> its builds
_ACTIVE: list[str] = []  # the OUTPUT_PATH being built (one build at a time in a process)


def _relative(root: str, path: str) -> str | None:
    """`path` relative to the folder `root` (absolute, normalised), POSIX; None outside it. A
    string operation: it runs for every page of every build (`content_written`)."""
    path = os.fspath(path)
    if not os.path.isabs(path) or f"{os.sep}." in path:  # relative, or `.`/`..` parts
        path = os.path.abspath(path)
    prefix = root if root.endswith(os.sep) else root + os.sep
    if not path.startswith(prefix) or len(path) == len(prefix):
        return None
    rel = path[len(prefix):]
    return rel if os.sep == "/" else rel.replace(os.sep, "/")


def build_started(pelican):
    """`get_generators` (sent once at the start of every build): a new build of OUTPUT_PATH."""
    root = os.path.abspath(pelican.output_path)
    run = _RUNS.setdefault(root, Run())
    take_produced(root)
    if run.current:  # the last build stopped half-way: what it wrote is this process's to remove
        run.previous = (run.previous or set()) | run.current
    run.current, run.static = set(), []
    _ACTIVE[:] = [root]
    return None  # no generator


def file_written(path, **_kwargs):
    """`content_written` / `feed_written`: a file Pelican's writer produced."""
    if _ACTIVE:
        rel = _relative(_ACTIVE[0], path)
        if rel is not None:
            _RUNS[_ACTIVE[0]].current.add(rel)


def theme_static_if_changed(generator):
    """`static_generator_init`: the theme's static files are copied (and recorded) by
    output_files, which leaves a file with the same bytes alone."""
    copy_theme_static_with(generator, copy_if_changed)


def static_files_known(generator):
    """`static_generator_finalized`: the static files are read; their output paths are taken at
    removal time, since `{attach}` links move them while pages are written."""
    run = _RUNS.get(os.path.abspath(generator.output_path))
    if run is not None:
        run.static.append(generator)


def _produced(root: str, run: Run) -> set[str]:
    for path in take_produced(root):
        rel = _relative(root, path)
        if rel is not None:
            run.current.add(rel)
    for generator in run.static:  # not reported when copied: their paths are taken from the generator
        run.current.update(sc.save_as.replace(os.sep, "/") for sc in generator.staticfiles if sc.save_as)
        run.current.update(rel for rel in (_relative(root, p) for p in theme_static_outputs(generator)) if rel)
    return run.current


def remove_stale(output_path: str) -> list[str]:
    """Remove now the files of OUTPUT_PATH the previous build produced and this one has not
    (nothing on the first build); the output-relative paths removed."""
    root = os.path.abspath(output_path)
    run = _RUNS.get(root)
    if run is None or run.previous is None:
        return []
    removed = remove(root, stale_files(run.previous, _produced(root, run)))
    if removed:
        logger.info("output_sync: removed %d file(s) of the previous build: %s", len(removed),
                    ", ".join(removed[:5]) + (" …" if len(removed) > 5 else ""))
    run.previous -= set(removed)
    return removed


def build_finished(pelican):
    """`finalized`: the build's outputs are all produced; what it did not produce goes."""
    root = os.path.abspath(pelican.output_path)
    run = _RUNS.get(root)
    if run is None:
        return
    remove_stale(root)
    run.previous, run.current, run.static = _produced(root, run), set(), []
    _ACTIVE.clear()
