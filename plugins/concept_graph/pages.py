"""Emit stage: graph/index.html (the site map, template graph.html) and the exports; paths.html."""

from __future__ import annotations

import os

from pelican.generators import Generator

from output_files import keep
from site_page import write_site_page

from . import cache
from .settings import workers_pool

try:
    from stage_timer import timed
except ImportError:  # pragma: no cover
    from contextlib import nullcontext as timed  # type: ignore


class ConceptGraphPages(Generator):
    """Writes the map page with the theme's graph.html, and the export files next to it."""

    def generate_context(self):
        pass  # the graph is built in all_generators_finalized, once every post is read

    def generate_output(self, writer):
        site = self.context.get("concept_graph")
        if site is None:
            return
        with timed("emit"):
            save_as = self.settings["CONCEPT_GRAPH_SAVE_AS"]
            folder = os.path.dirname(save_as)
            sizes = {}
            if self.settings["CONCEPT_GRAPH_EXPORTS"]:
                sizes = finish_exports(site, self.settings, self.output_path)
            exports = [(name, f"{folder}/{name}" if folder else name, size) for name, size in sorted(sizes.items())]
            write_site_page(self, writer, save_as, "graph", exports=exports)


# target folder -> (input key, date, handle) of the export files being written for this run
_STARTED: dict[str, tuple] = {}


def _target(settings, output_path) -> str:
    return os.path.join(output_path, os.path.dirname(settings["CONCEPT_GRAPH_SAVE_AS"]))


def _date(site) -> str:
    dates = [a.get("date", "") for _, a in site.graph.nodes(data=True)]
    return max((d for d in dates if d), default="2000-01-01")


def start_exports(site, settings, output_path) -> None:
    """Build stage, once the graph is built: when the export files must be written again, they
    are written in a worker process (the workers plugin's `start`, JOBS > 1) while this process
    goes on asking for pages; the map page, which lists their sizes, waits for them
    (`finish_exports`). At 2,000 posts they take about 0.3 s, before the first page otherwise."""
    _STARTED.clear()
    pool = workers_pool(settings)
    if not settings["CONCEPT_GRAPH_EXPORTS"] or pool is None:
        return
    target, key, date = _target(settings, output_path), getattr(site, "input_key", ""), _date(site)
    if cache.exports_unchanged(target, key, date) is not None:
        return
    os.makedirs(target, exist_ok=True)
    handle = pool.start(lambda folder: site.write_exports(folder, date), target, settings,
                        describe=lambda folder: f"the graph exports in {folder}")
    _STARTED[target] = (key, date, handle)


def finish_exports(site, settings, output_path) -> dict[str, int]:
    """{name: size} of the export files, on disk when this returns: the ones `start_exports`
    began, or the ones written last time from the same input, or written now."""
    target = _target(settings, output_path)
    started = _STARTED.pop(target, None)
    _STARTED.clear()
    if started is not None:
        key, date, handle = started
        sizes, written = handle.result(), True
    else:
        key, date = getattr(site, "input_key", ""), _date(site)
        sizes = cache.exports_unchanged(target, key, date)
        written = sizes is None
        if written:
            os.makedirs(target, exist_ok=True)
            sizes = site.write_exports(target, date)
    for name in sizes:  # written in this process, in a worker or before: recorded as this build's
        keep(os.path.join(target, name))
    if written:
        cache.exports_written(target, key, date, sizes)
    return sizes


class ReadingPathsPage(Generator):
    """Writes CONCEPT_GRAPH_PATHS_SAVE_AS (template paths.html): one reading path per topic cluster."""

    def generate_context(self):
        pass  # the paths are computed in all_generators_finalized with the rest of the graph

    def generate_output(self, writer):
        site = self.context.get("concept_graph")
        save_as = self.settings["CONCEPT_GRAPH_PATHS_SAVE_AS"]
        if site is None or not save_as:
            return
        with timed("emit"):
            write_site_page(self, writer, save_as, "paths")
