"""Records in, one networkx MultiDiGraph out: the single source of every view of the network.

Nodes: ``post:<source>``, ``page:<source>``, ``tag:<slug>``, ``category:<slug>``,
``diagram:<id>``, ``source:<site>``, ``image:<key>``; attributes ``id``, ``kind``, ``label``, ``url`` (when the
node has a page on the site), ``source`` (posts and pages), ``date`` (posts and pages).
Edges (key = kind): ``links-to`` (with ``count``) post/page/diagram -> post/page, and
post/page -> tag/category for concepts linked in the text; ``tagged`` post/page -> tag;
``in-category`` post -> category; ``embeds`` post/page -> diagram or image (image nodes also carry ``uses`` and ``variants``); ``cites`` post/page -> source
(with ``count``).
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from .model import Record

NODE_KINDS = ("post", "page", "tag", "category", "diagram", "source", "image")
EDGE_KINDS = ("links-to", "tagged", "in-category", "embeds", "cites")
CONTENT_KINDS = ("post", "page")


def build_graph(records: Iterable[Record]) -> nx.MultiDiGraph:
    records = sorted(records, key=lambda r: r.id)
    nodes: dict[str, dict] = {}
    edges: dict[tuple[str, str, str], int] = {}

    def node(nid: str, kind: str, label: str, url: str = "", **extra) -> None:
        if nid in nodes:
            return
        attrs = {"id": nid, "kind": kind, "label": label}
        if url:
            attrs["url"] = url
        attrs.update({k: v for k, v in extra.items() if v not in (None, "")})
        nodes[nid] = attrs

    def edge(u: str, v: str, kind: str, count: int = 1) -> None:
        if u == v:
            return
        key = (u, v, kind)
        edges[key] = edges.get(key, 0) + max(int(count), 1)

    for r in records:
        node(r.id, r.kind, r.label, r.url, source=r.source, date=r.date)
    known = set(nodes)
    for r in records:
        for tag in r.tags:
            node(f"tag:{tag.slug}", "tag", tag.name, tag.url)
            edge(r.id, f"tag:{tag.slug}", "tagged")
        if r.category is not None and r.kind == "post":
            cat = r.category
            node(f"category:{cat.slug}", "category", cat.name, cat.url)
            edge(r.id, f"category:{cat.slug}", "in-category")
    for r in records:
        for target, count in r.outlinks:
            if target in known:
                edge(r.id, target, "links-to", count)
        for kind, slug in r.concept_links:
            target = f"{kind}:{slug}"
            if target in nodes:  # a concept that exists on the site
                edge(r.id, target, "links-to", 1)
        for site, count in r.citations:
            node(f"source:{site}", "source", site)
            edge(r.id, f"source:{site}", "cites", count)
        for d in r.diagrams:
            did = f"diagram:{d.id}"
            node(did, "diagram", d.title or d.id, d.url, diagram_type=d.type)
            edge(r.id, did, "embeds")
            for target in dict.fromkeys(d.targets):
                if target in known:
                    # A shared diagram (used by many posts) links once to each target.
                    edges.setdefault((did, target, "links-to"), 1)
        for image in r.images:
            node(image.id, "image", image.label, image.url, uses=image.uses, variants=list(image.variants))
            edge(r.id, image.id, "embeds")

    g = nx.MultiDiGraph()
    for nid in sorted(nodes):
        g.add_node(nid, **nodes[nid])
    # One string object per node id: every edge, adjacency dict and index built from the graph
    # then holds the same object, so lookups compare by identity instead of by content (ids
    # made per edge, "tag:x" for each tagged post, are otherwise equal but separate strings).
    canon = {nid: nid for nid in nodes}
    for (u, v, kind) in sorted(edges):
        u, v = canon[u], canon[v]
        if kind in ("links-to", "cites"):
            g.add_edge(u, v, key=kind, kind=kind, count=edges[(u, v, kind)])
        else:
            g.add_edge(u, v, key=kind, kind=kind)
    return g


def count_by_kind(g: nx.MultiDiGraph) -> tuple[dict[str, int], dict[str, int]]:
    nodes: dict[str, int] = {}
    for _, kind in g.nodes(data="kind"):
        nodes[kind] = nodes.get(kind, 0) + 1
    edges: dict[str, int] = {}
    for _, _, kind in g.edges(data="kind"):
        edges[kind] = edges.get(kind, 0) + 1
    return nodes, edges
