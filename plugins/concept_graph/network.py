"""Compact adjacency views of the concept graph, built once, shared by related/metrics/views."""

from __future__ import annotations

import math

import networkx as nx

from .graph import CONTENT_KINDS


class Network:
    """Link neighbourhoods and the inverted index concept -> posts, from the graph.

    content: sorted ids of posts and pages. out_links[p] / in_links[p]: {neighbour: count} among
    content nodes. concepts[p]: tag ids of p. members[t]: sorted content ids tagged t.
    category[p]: category id or None. cat_members[c]: sorted content ids in c.
    """

    def __init__(self, g: nx.MultiDiGraph):
        self.g = g
        kinds = dict(g.nodes(data="kind"))
        self.kinds = kinds
        self.content = sorted(n for n, k in kinds.items() if k in CONTENT_KINDS)
        self.is_content = set(self.content)
        self.out_links: dict[str, dict[str, int]] = {n: {} for n in self.content}
        self.in_links: dict[str, dict[str, int]] = {n: {} for n in self.content}
        self.concepts: dict[str, list[str]] = {n: [] for n in self.content}
        self.members: dict[str, list[str]] = {}
        self.category: dict[str, str | None] = {n: None for n in self.content}
        self.cat_members: dict[str, list[str]] = {}
        self.diagrams: dict[str, list[str]] = {n: [] for n in self.content}
        self.sources: dict[str, list[str]] = {n: [] for n in self.content}
        self.graphics: dict[str, list[str]] = {n: [] for n in self.content}  # image nodes shown
        self.graphic_members: dict[str, list[str]] = {}  # image node -> posts showing it
        for u, v, data in g.edges(data=True):
            kind = data["kind"]
            if u not in self.is_content:
                continue
            if kind == "links-to" and v in self.is_content:
                self.out_links[u][v] = data.get("count", 1)
                self.in_links[v][u] = data.get("count", 1)
            elif kind == "tagged":
                self.concepts[u].append(v)
                self.members.setdefault(v, []).append(u)
            elif kind == "in-category":
                self.category[u] = v
                self.cat_members.setdefault(v, []).append(u)
            elif kind == "embeds" and kinds.get(v) == "image":
                self.graphics[u].append(v)
                self.graphic_members.setdefault(v, []).append(u)
            elif kind == "embeds":
                self.diagrams[u].append(v)
            elif kind == "cites":
                self.sources[u].append(v)
        for lists in (self.concepts, self.members, self.cat_members, self.diagrams, self.sources,
                      self.graphics, self.graphic_members):
            for key in lists:
                lists[key].sort()
        # Membership tests (related.py): p's tags as a set; p's category as a one-item set.
        self.concept_sets = {p: frozenset(ts) for p, ts in self.concepts.items()}
        self.category_sets = {p: frozenset((c,)) if c else frozenset() for p, c in self.category.items()}
        self.graphic_sets = {p: frozenset(gs) for p, gs in self.graphics.items()}
        self.n = len(self.content)
        self.labels = {n: a.get("label", n) for n, a in g.nodes(data=True)}
        self.urls = {n: a.get("url", "") for n, a in g.nodes(data=True)}

    def label(self, nid: str) -> str:
        return self.labels.get(nid, nid)

    def url(self, nid: str) -> str:
        return self.urls.get(nid, "")

    def rarity(self, df: int) -> float:
        """1.0 for something shared by one post, towards 0 for something every post shares."""
        n = max(self.n, 1)
        return math.log(1 + n / max(df, 1)) / math.log(1 + n) if n > 1 else 1.0

    def neighbours(self, p: str) -> set[str]:
        return set(self.out_links[p]) | set(self.in_links[p])
