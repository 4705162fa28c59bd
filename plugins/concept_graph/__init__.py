"""Concept graph: one networkx graph of posts, pages, concepts, categories, diagrams and cited
sites drives related posts, local graphs, concept pages, the site map and the exports.

Build stage (`all_generators_finalized`, after crosslinks): records -> graph -> measures ->
views and reading paths, attached to each post (`related`, `local_graph`, `graph_role`,
`reading_path` where an author pinned one) and to the shared context (`concept_graph`).
Emit stage: `graph/index.html` and `graph/graph.*`, `paths.html` (pages.py).
See docs/concept_graph.md.
"""

from __future__ import annotations

from pelican import signals

try:
    from stage_timer import timed
except ImportError:  # pragma: no cover
    from contextlib import nullcontext as timed  # type: ignore

from .adapter import forget, to_record
from .cache import cached_build
from .pages import ConceptGraphPages, ReadingPathsPage, start_exports
from .pinned import pin_paths
from .settings import apply as apply_settings
from .settings import workers_pool


def build(generators):
    from pelican.generators import ArticlesGenerator, PagesGenerator

    from content_walk import published  # noqa: PLC0415 (a sibling module, on sys.path)

    with timed("build"):
        readers = [g for g in generators if isinstance(g, (ArticlesGenerator, PagesGenerator))]
        if not readers:
            return
        context, settings = readers[-1].context, readers[-1].settings
        contents = published(readers)  # published articles and pages; no drafts, hidden or translations
        by_id = {}
        records = []
        for content in contents:
            record = to_record(content, settings)
            if record.id in by_id:
                continue
            by_id[record.id] = content
            records.append(record)
        forget()  # the memo of node ids holds content objects: only for this build
        site, _reused = cached_build(records, settings, mapper=_mapper(settings, len(records)))  # the same input: the last result
        forget()
        for nid, content in by_id.items():
            items = site.related.get(nid, [])
            for item in items:
                item.post = by_id.get(item.id)
            content.related = items
            content.local_graph = site.local.get(nid)
            content.graph_role = site.roles.get(nid)
        for cv in site.concepts.values():
            for ref in cv.posts:
                ref.post = by_id.get(ref.id)
        for ref in site.hubs:
            ref.post = by_id.get(ref.id)
        for cat in site.categories.values():
            for ref in cat.central:
                ref.post = by_id.get(ref.id)
        site.map_url = settings["CONCEPT_GRAPH_SAVE_AS"]
        site.paths_url = settings["CONCEPT_GRAPH_PATHS_SAVE_AS"]
        pin_paths(contents, context, settings, site)
        context["concept_graph"] = site
        start_exports(site, settings, readers[-1].output_path)


SPREAD_FROM = 5000  # posts; below, forking costs what it saves (2,000: 0.57 s here, 0.62 s on 2 cores)


def _mapper(settings, posts: int):
    """The workers plugin's fork_map over JOBS processes, when that plugin is there and the site
    has SPREAD_FROM posts or more: the related lists, the largest part of the graph's build, are
    computed post by post (20,000 synthetic posts: the whole graph build 9.3 s -> 8.0 s on 2 cores)."""
    pool = workers_pool(settings) if posts >= SPREAD_FROM else None
    if pool is None:
        return None
    n = pool.jobs(settings)
    return (lambda function, items: pool.fork_map(function, items, n, describe=str)) if n > 1 else None


def pages_generator(pelican):
    return ConceptGraphPages


def paths_generator(pelican):
    return ReadingPathsPage


def register():
    signals.initialized.connect(apply_settings)
    signals.all_generators_finalized.connect(build)
    signals.get_generators.connect(pages_generator)
    signals.get_generators.connect(paths_generator)
