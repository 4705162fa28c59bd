"""Emit stage: graph/index.html (the site map, template graph.html) and the exports; paths.html."""

from __future__ import annotations

import os

from pelican.generators import Generator

from output_files import keep
from site_page import write_site_page

from . import cache

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
                dates = [a.get("date", "") for _, a in site.graph.nodes(data=True)]
                target = os.path.join(self.output_path, folder)
                os.makedirs(target, exist_ok=True)
                date = max((d for d in dates if d), default="2000-01-01")
                key = getattr(site, "input_key", "")
                sizes = cache.exports_unchanged(target, key, date)
                if sizes is None:  # not the files written last time from the same input
                    sizes = site.write_exports(target, date)
                    cache.exports_written(target, key, date, sizes)
                else:
                    for name in sizes:
                        keep(os.path.join(target, name))
            exports = [(name, f"{folder}/{name}" if folder else name, size) for name, size in sorted(sizes.items())]
            write_site_page(self, writer, save_as, "graph", exports=exports)


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
