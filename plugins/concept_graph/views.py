"""What the templates show, computed once from the network: local graphs and concept pages."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

try:
    from stage_timer import timed
except ImportError:  # the pure core runs without Pelican's plugin path
    from contextlib import nullcontext as timed  # type: ignore

from .metrics import Metrics
from .network import Network
from .settings import DEFAULTS
from .svg_local import EgoNode, fill_siteurl, render_ego

RELATION_WORDS = {
    "both": "links both ways",
    "out": "this post links to it",
    "in": "links to this post",
}


@dataclass
class LocalGraph:
    """An ego map; the SVG text is made when a page asks for it (emit), not held in memory."""

    center: EgoNode
    nodes: list[EgoNode]  # the neighbours shown, in drawing order
    hidden: int  # neighbours left out (hub posts)
    title: str = ""
    desc: str = ""
    css_class: str = "local-graph-svg"

    @property
    def svg_text(self) -> str:
        return render_ego(self.center, self.nodes, self.title, self.desc, self.css_class)

    def render(self, siteurl: str = "") -> Markup:
        # Called by the templates while pages are written: counted as emit time.
        with timed("emit"):
            return fill_siteurl(self.svg_text, siteurl)

    @property
    def svg(self) -> Markup:
        return self.render("")


@dataclass
class PostRef:
    id: str
    title: str
    url: str
    post: Any = field(default=None, repr=False, compare=False)


@dataclass
class ConceptView:
    id: str
    slug: str
    name: str
    url: str
    posts: list[PostRef]  # most central first
    central: list[PostRef]
    related: list[tuple[EgoNode, int]]  # (concept, number of posts shared)
    cluster: Any
    map: LocalGraph | None = None
    computed_path: Any = None  # paths.ReadingPath or None (too few posts); cached between builds
    path: Any = None  # what the page shows: a pinned path (set per build by the glue) or computed_path


def _node(net: Network, nid: str, relation: str = "") -> EgoNode:
    return EgoNode(nid, net.kinds[nid], net.labels.get(nid, nid), net.urls.get(nid, ""), relation)


def local_graph(net: Network, m: Metrics, p: str,
                max_nodes: int = DEFAULTS["CONCEPT_GRAPH_LOCAL_MAX_NODES"]) -> LocalGraph:
    concepts = list(net.concepts[p])
    if net.category[p]:
        concepts.append(net.category[p])
    concepts = concepts[: max(2, max_nodes // 3)]
    out_p, in_p = net.out_links[p], net.in_links[p]
    neighbours = sorted(
        out_p.keys() | in_p.keys(),
        key=lambda q: (
            -((q in out_p) + (q in in_p)),
            -(out_p.get(q, 0) + in_p.get(q, 0)),
            -m.pagerank.get(q, 0.0),
            q,
        ),
    )
    room = max(max_nodes - len(concepts), 0)
    shown, hidden = neighbours[:room], max(len(neighbours) - room, 0)
    nodes = [
        _node(net, c, "category" if net.kinds[c] == "category" else "concept") for c in concepts
    ]
    for q in shown:
        rel = "both" if (q in out_p and q in in_p) else ("out" if q in out_p else "in")
        nodes.append(_node(net, q, RELATION_WORDS[rel]))
    center = _node(net, p, "this post")
    n_posts = len(shown)
    desc = (
        f"{center.label} is connected to {n_posts} post{'s' if n_posts != 1 else ''}"
        + (f" (and {hidden} more not shown)" if hidden else "")
        + f" and {len(concepts)} concept{'s' if len(concepts) != 1 else ''}."
    )
    return LocalGraph(center, nodes, hidden, f"Local graph of {center.label}", desc, "local-graph-svg")


def concept_views(net: Network, m: Metrics, central_count: int = 5, related_count: int = 8,
                  map_posts: int = 6, map_concepts: int = 6) -> dict[str, ConceptView]:
    """Keyed by tag slug (what tag.html has: `tag.slug`)."""
    views: dict[str, ConceptView] = {}
    for t in sorted(net.members):
        members = sorted(net.members[t], key=lambda p: (-m.pagerank.get(p, 0.0), -m.in_degree[p], p))
        refs = [PostRef(p, net.label(p), net.url(p)) for p in members]
        co = Counter(u for p in members for u in net.concepts[p] if u != t)
        ranked = sorted(co.items(), key=lambda uc: (-uc[1], net.label(uc[0]), uc[0]))[:related_count]
        related = [(_node(net, u, f"{c} shared post{'s' if c != 1 else ''}"), c) for u, c in ranked]
        center = _node(net, t, "concept")
        shown_concepts = [n for n, _ in related[:map_concepts]]
        shown_posts = [_node(net, p, "post") for p in members[:map_posts]]
        nodes = shown_concepts + shown_posts
        desc = (
            f"{center.label}: {len(members)} post{'s' if len(members) != 1 else ''}; "
            f"most central shown with the concepts that most often appear alongside."
        )
        slug = t.split(":", 1)[1]
        views[slug] = ConceptView(
            t, slug, center.label, net.url(t), refs, refs[:central_count], related,
            m.cluster_of.get(t),
            LocalGraph(center, nodes, 0, f"Concept map of {center.label}", desc, "concept-map-svg"),
        )
    return views
