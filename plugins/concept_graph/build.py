"""The whole build stage on plain records: graph, measures, related posts, views, map, exports."""

from __future__ import annotations

import gc
import io
import os
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

import networkx as nx
from output_files import open_if_changed
from plugin_settings import with_defaults

from . import exports, metrics, paths, related, views
from .graph import build_graph
from .metrics import Cluster, Metrics
from .model import Record
from .network import Network
from .settings import DEFAULTS
from .svg_local import fill_siteurl
from .svg_map import MapRegion, build_map

@dataclass
class Role:
    """A post's place in the network, for templates."""

    cluster: Cluster | None
    hub: bool
    bridge: bool
    pagerank: float
    betweenness: float


@dataclass
class CategoryView:
    concepts: list  # (EgoNode, number of posts)
    central: list[views.PostRef]


@dataclass
class SiteGraph:
    """Everything the templates and the map page need (`context["concept_graph"]`)."""

    graph: nx.MultiDiGraph
    net: Network
    metrics: Metrics
    related: dict[str, list[related.Related]]
    local: dict[str, views.LocalGraph]
    concepts: dict[str, views.ConceptView]  # by tag slug
    roles: dict[str, Role]
    map_text: str = ""
    regions: list[MapRegion] = field(default_factory=list)
    hubs: list[views.PostRef] = field(default_factory=list)
    bridges: list[tuple[views.PostRef, list[Cluster]]] = field(default_factory=list)
    clusters: list[tuple[Cluster, list[views.PostRef], list]] = field(default_factory=list)
    categories: dict[str, "CategoryView"] = field(default_factory=dict)  # by category slug
    cluster_paths: list[tuple[Cluster, paths.ReadingPath, list]] = field(default_factory=list)  # paths page: (cluster, path, concepts)
    map_url: str = "graph/index.html"  # site-relative URL of the map page
    paths_url: str = "paths.html"  # site-relative URL of the reading paths page ("" when not written)
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    input_key: str = ""  # hash of the input records and settings (cache.py), "" when not cached

    # The parts of the site graph a post's, page's or listing's template reads (the theme's
    # `concept_graph.…` and `cg.…`; tests/test_page_inputs.py keeps this list in step with it).
    PAGE_PARTS = ("map_url", "paths_url", "concepts", "categories")

    def page_inputs(self, localcontext: dict):
        """What a page rendered with `localcontext` reads from the site graph, for the workers
        plugin's page digests: the map's and the paths page's URLs, and its tag's concept or its
        category's view (a post's or page's own page reads only the two URLs). None for a
        site-wide page (the map, the paths page): all of it."""
        own = localcontext.get("article") or localcontext.get("page")
        tag, category = localcontext.get("tag"), localcontext.get("category")
        if own is not None:
            return self.map_url, self.paths_url
        if tag is None and category is None:
            return None
        return (self.map_url, self.paths_url,
                self.concepts.get(tag.slug) if tag is not None else None,
                self.categories.get(category.slug) if category is not None else None)

    def map_svg(self, siteurl: str = ""):
        return fill_siteurl(self.map_text, siteurl)

    def exports(self, date: str = "2000-01-01") -> dict[str, bytes]:
        """The four export files as bytes (tests; pages.py writes them with write_exports)."""
        files = {}
        for name, write in self._writers(date):
            buf = io.BytesIO()
            write(buf)
            files[name] = buf.getvalue()
        return files

    def write_exports(self, folder: str, date: str = "2000-01-01") -> dict[str, int]:
        """Write the export files into `folder`, one at a time, streamed (a file whose bytes did not
        change is left alone); {name: size}."""
        sizes = {}
        with no_cyclic_gc():
            for name, write in self._writers(date):
                path = os.path.join(folder, name)
                with open_if_changed(path) as fh:
                    write(fh)
                sizes[name] = os.path.getsize(path)
        return sizes

    def _writers(self, date: str):
        m = self.metrics
        extra = {}
        for p in self.net.content:
            c = m.cluster_of.get(p)
            cl = self._cluster_by_id.get(c)
            extra[p] = {
                "pagerank": round(m.pagerank.get(p, 0.0), 8),
                "betweenness": round(m.betweenness.get(p, 0.0), 8),
                "cluster": c or 0,
                "cluster_label": cl.label if cl else "",
            }
        h = exports.plain_graph(self.graph, extra)
        yield "graph.gexf", lambda fh: exports.to_gexf(h, date, fh)
        yield "graph.graphml", lambda fh: exports.to_graphml(h, fh)
        yield "graph.json", lambda fh: exports.write_node_link_json(h, fh)
        yield "kumu.json", lambda fh: exports.write_kumu_json(h, fh)

    @property
    def _cluster_by_id(self) -> dict[int, Cluster]:
        return {c.id: c for c in self.metrics.clusters}


@contextmanager
def no_cyclic_gc():
    """Pause the cyclic garbage collector (restored afterwards). The build allocates many
    small objects that live on (nodes, lists, views) and makes no garbage cycles; in a Pelican
    process the heap also holds every post read, and each full collection triggered by these
    allocations would scan all of it again (about a quarter of the build's time, more on
    large sites)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def concept_paths(net: Network, m: Metrics, concepts: dict[str, views.ConceptView], steps: int,
                  min_posts: int) -> None:
    """Each concept view's computed reading path (`computed_path`, and `path` until an author's
    pin replaces it): for concepts with at least `min_posts` posts, as their page lists them."""
    for cv in concepts.values():
        members = [p for p in net.members.get(cv.id, []) if net.kinds[p] == "post"]
        if len(members) >= min_posts:
            cv.computed_path = paths.ReadingPath(paths.reading_path(net, members, m.pagerank, steps))
        cv.path = cv.computed_path


def build_all(records: list[Record], settings=None, timings: bool = False, structure=None, mapper=None) -> SiteGraph:
    """The whole build stage. `structure`: `(metrics, related)` of an earlier result whose records
    differed from these only in post titles and URLs (cache.py): its measures and the posts and
    scores of its related lists are taken instead of computed again (they depend on neither);
    titles, URLs and reasons come from these records (`related.relabel`). `mapper`: how the
    related lists are spread over processes (`related.related_all`); the result is the same."""
    with no_cyclic_gc():
        return _build_all(records, settings, timings, structure, mapper)


def reusable(structure) -> bool:
    """Whether an earlier result's measures hold no post title: a cluster without concepts is
    named after its first post."""
    m, _rel = structure
    return all(c.other or c.tags for c in m.clusters)


def _build_all(records: list[Record], settings=None, timings: bool = False, structure=None,
               mapper=None) -> SiteGraph:
    s = with_defaults(settings, DEFAULTS)
    clock: dict[str, float] = {}
    t = time.process_time()  # CPU time: meaningful on a busy machine too

    def lap(name: str) -> None:
        nonlocal t
        now = time.process_time()
        clock[name] = now - t
        t = now

    g = build_graph(records)
    lap("graph")
    net = Network(g)
    lap("index")
    seed = s["CONCEPT_GRAPH_SEED"]
    if structure is not None and reusable(structure):
        m, earlier = structure
        rel = related.relabel(net, earlier)
        lap("metrics and related, reused")
    else:
        m = metrics.compute(net, seed=seed, samples=s["CONCEPT_GRAPH_BETWEENNESS_SAMPLES"],
                            min_cluster=s["CONCEPT_GRAPH_MIN_CLUSTER"], hubs=s["CONCEPT_GRAPH_HUBS"],
                            bridges=s["CONCEPT_GRAPH_BRIDGES"])
        lap("metrics")
        rel = related.related_all(net, s["CONCEPT_GRAPH_RELATED_COUNT"], s["CONCEPT_GRAPH_CANDIDATE_CAP"], m.pagerank,
                                  mapper=mapper)
        lap("related")
    local = {p: views.local_graph(net, m, p, s["CONCEPT_GRAPH_LOCAL_MAX_NODES"]) for p in net.content}
    lap("local graphs")
    concepts = views.concept_views(net, m)
    by_id = {c.id: c for c in m.clusters}
    for cv in concepts.values():
        cv.cluster = by_id.get(cv.cluster)
    lap("concept pages")
    concept_paths(net, m, concepts, s["CONCEPT_GRAPH_PATH_STEPS"], s["CONCEPT_GRAPH_PATH_MIN_POSTS"])
    lap("reading paths")
    map_text, regions = build_map(net, m, seed, s["CONCEPT_GRAPH_MAP_MAX_CLUSTERS"],
                                  s["CONCEPT_GRAPH_MAP_MAX_DOTS"], s["CONCEPT_GRAPH_MAP_LABELS"])
    lap("map")

    def ref(p: str) -> views.PostRef:
        return views.PostRef(p, net.label(p), net.url(p))

    hub_set, bridge_set = set(m.hubs), set(m.bridges)
    roles = {
        p: Role(by_id.get(m.cluster_of.get(p)), p in hub_set, p in bridge_set,
                m.pagerank.get(p, 0.0), m.betweenness.get(p, 0.0))
        for p in net.content
    }
    bridges = []
    for p in m.bridges:
        joined = sorted({m.cluster_of[q] for q in net.neighbours(p)} | {m.cluster_of[p]})
        bridges.append((ref(p), [by_id[c] for c in joined]))
    clusters = []
    top = s["CONCEPT_GRAPH_CLUSTER_POSTS"]
    for c in m.clusters:
        tags = [views._node(net, t) for t in c.tags[:6]]
        clusters.append((c, [ref(p) for p in c.members[:top]], tags))
    steps = s["CONCEPT_GRAPH_PATH_STEPS"]
    cluster_paths = [(c, paths.ReadingPath(paths.reading_path(net, c.members, m.pagerank, steps, "this topic")), tags)
                     for c, _, tags in clusters if not c.other]  # the pool of small clusters has no topic
    result = SiteGraph(g, net, m, rel, local, concepts, roles, map_text, regions,
                       [ref(p) for p in m.hubs], bridges, clusters, cluster_paths=cluster_paths)
    for cid, members in net.cat_members.items():
        co = Counter(t for p in members for t in net.concepts[p])
        top_tags = sorted(co.items(), key=lambda tc: (-tc[1], net.label(tc[0]), tc[0]))[:8]
        central = sorted(members, key=lambda p: (-m.pagerank.get(p, 0.0), -m.in_degree[p], p))[:5]
        result.categories[cid.split(":", 1)[1]] = CategoryView(
            [(views._node(net, t), c) for t, c in top_tags], [ref(p) for p in central])
    lap("lists")
    from .graph import count_by_kind

    nodes, edges = count_by_kind(g)
    result.counts = {"nodes": dict(sorted(nodes.items())), "edges": dict(sorted(edges.items()))}
    if timings:
        result.timings = clock
    return result
