"""Network measures, computed once per build.

* PageRank on the link graph of posts and pages (weighted by link count): "start here" hubs.
* Betweenness centrality on the undirected link graph: bridge posts joining topics. Exact for
  small sites; above `samples` posts it is estimated from `samples` seeded source nodes
  (Brandes' sampling, networkx `k=`), which keeps it linear in the size of the site.
* Communities (Louvain, seeded) on posts, pages and tags together (link edges weight 1,
  tagged edges weighted by the tag's rarity): topic clusters. Clusters smaller than
  `min_cluster` posts are pooled as "Other posts".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import math
import random

import networkx as nx

from .network import Network


@dataclass
class Cluster:
    id: int  # 1-based, largest first
    label: str
    members: list[str]  # content ids, most central first
    tags: list[str]  # tag ids, most used in the cluster first
    other: bool = False  # the pool of small clusters


@dataclass
class Metrics:
    pagerank: dict[str, float]
    in_degree: dict[str, int]
    betweenness: dict[str, float]
    betweenness_exact: bool
    clusters: list[Cluster]
    cluster_of: dict[str, int]  # content or tag id -> cluster id
    hubs: list[str] = field(default_factory=list)
    bridges: list[str] = field(default_factory=list)


def link_digraph(net: Network) -> nx.DiGraph:
    d = nx.DiGraph()
    d.add_nodes_from(net.content)
    for u in net.content:
        for v, c in sorted(net.out_links[u].items()):
            d.add_edge(u, v, count=c)
    return d


def pagerank(net: Network, d: nx.DiGraph) -> dict[str, float]:
    if d.number_of_nodes() == 0:
        return {}
    if d.number_of_edges() == 0:
        return {n: 1.0 / d.number_of_nodes() for n in d}
    return nx.pagerank(d, alpha=0.85, weight="count", tol=1e-8, max_iter=200)


def _brandes(adj: list[list[int]], sources: list[int]) -> list[float]:
    """Brandes' accumulation from the given sources on an unweighted undirected graph."""
    n = len(adj)
    bc = [0.0] * n
    for s in sources:
        sigma = [0] * n
        sigma[s] = 1
        dist = [-1] * n
        dist[s] = 0
        order = [s]
        i = 0
        while i < len(order):
            v = order[i]
            i += 1
            dv = dist[v] + 1
            sv = sigma[v]
            for w in adj[v]:
                if dist[w] < 0:
                    dist[w] = dv
                    order.append(w)
                if dist[w] == dv:
                    sigma[w] += sv
        delta = [0.0] * n
        for w in reversed(order):
            dw = dist[w] - 1
            coeff = (1.0 + delta[w]) / sigma[w]
            for v in adj[w]:
                if dist[v] == dw:
                    delta[v] += sigma[v] * coeff
            if w != s:
                bc[w] += delta[w]
    return bc


def betweenness(net: Network, samples: int, seed: int) -> tuple[dict[str, float], bool]:
    """Normalised betweenness on the undirected link graph; sampled above `samples` posts."""
    nodes = [p for p in net.content if net.out_links[p] or net.in_links[p]]
    result = {p: 0.0 for p in net.content}
    n = len(nodes)
    if n < 3:
        return result, True
    index = {p: i for i, p in enumerate(nodes)}
    adj: list[set[int]] = [set() for _ in nodes]
    for p in nodes:
        a = index[p]
        for q in net.out_links[p]:
            b = index[q]
            adj[a].add(b)
            adj[b].add(a)
    adj_lists = [sorted(s) for s in adj]
    exact = n <= samples
    if exact:
        sources = list(range(n))
    else:
        sources = sorted(random.Random(seed).sample(range(n), samples))
    raw = _brandes(adj_lists, sources)
    # Same normalisation as networkx: undirected pairs, rescaled from k sources to n.
    scale = (n / len(sources)) / ((n - 1) * (n - 2))
    for p, i in index.items():
        result[p] = raw[i] * scale
    return result, exact


def communities(net: Network, seed: int, exact_max: int = 1500) -> list[set[str]]:
    """Louvain on posts+tags; above `exact_max` nodes, Louvain on a label-propagation coarsening."""
    u = nx.Graph()
    u.add_nodes_from(net.content)
    for p in net.content:
        for q in sorted(net.out_links[p]):
            a, b = (p, q) if p < q else (q, p)
            w = u[a][b]["weight"] + 1.0 if u.has_edge(a, b) else 1.0
            u.add_edge(a, b, weight=w)
    for t in sorted(net.members):
        w = net.rarity(len(net.members[t]))
        for p in net.members[t]:
            u.add_edge(p, t, weight=w)
    if u.number_of_edges() == 0:
        return [{p} for p in net.content]
    if u.number_of_nodes() <= exact_max:
        return [set(c) for c in nx.community.louvain_communities(u, weight="weight", seed=seed)]
    # Large sites: the first Louvain level (local moving) runs on integer arrays here, which is
    # several times faster than networkx; the levels above run networkx's Louvain on the much
    # smaller graph of first-level communities. Same method, same seed, same result every build.
    nodes = sorted(u)
    index = {x: i for i, x in enumerate(nodes)}
    adj: list[list[tuple[int, float]]] = [[] for _ in nodes]
    for a, b, w in u.edges(data="weight"):
        ia, ib = index[a], index[b]
        adj[ia].append((ib, w))
        adj[ib].append((ia, w))
    labels = _local_moving(adj, seed)
    groups: dict[int, list[str]] = {}
    for x, i in index.items():
        groups.setdefault(labels[i], []).append(x)
    q = nx.Graph()
    q.add_nodes_from(sorted(groups))
    weights: dict[tuple[int, int], float] = {}
    for a, b, w in u.edges(data="weight"):
        ga, gb = labels[index[a]], labels[index[b]]
        key = (ga, gb) if ga <= gb else (gb, ga)
        weights[key] = weights.get(key, 0.0) + w
    for (ga, gb), w in sorted(weights.items()):
        q.add_edge(ga, gb, weight=w)
    parts = nx.community.louvain_communities(q, weight="weight", seed=seed)
    return [{x for g in part for x in groups[g]} for part in parts]


def _local_moving(adj: list[list[tuple[int, float]]], seed: int, max_passes: int = 12) -> list[int]:
    """One level of Louvain: move nodes to the neighbouring community with the best gain."""
    n = len(adj)
    k = [sum(w for _, w in nb) for nb in adj]
    m2 = sum(k)
    if m2 == 0:
        return list(range(n))
    label = list(range(n))
    tot = k[:]
    order = list(range(n))
    random.Random(seed).shuffle(order)
    for _ in range(max_passes):
        moved = 0
        for i in order:
            ki = k[i]
            if ki == 0:
                continue
            links: dict[int, float] = {}
            for j, w in adj[i]:
                if j != i:
                    c = label[j]
                    links[c] = links.get(c, 0.0) + w
            own = label[i]
            tot[own] -= ki
            best, best_gain = own, links.get(own, 0.0) - tot[own] * ki / m2
            for c in sorted(links):
                gain = links[c] - tot[c] * ki / m2
                if gain > best_gain + 1e-12:
                    best, best_gain = c, gain
            tot[best] += ki
            if best != own:
                label[i] = best
                moved += 1
        if moved <= n // 1000:
            break
    return label


def compute(
    net: Network,
    seed: int = 42,
    samples: int = 50,
    min_cluster: int = 3,
    hubs: int = 20,
    bridges: int = 20,
) -> Metrics:
    d = link_digraph(net)
    pr = pagerank(net, d)
    indeg = {p: len(net.in_links[p]) for p in net.content}
    bc, exact = betweenness(net, samples, seed)

    def central(p: str):
        return (-pr.get(p, 0.0), -indeg[p], p)

    big, small = [], []
    for part in communities(net, seed):
        members = sorted((x for x in part if x in net.is_content), key=central)
        if not members:
            continue
        tags = sorted(x for x in part if x not in net.is_content)
        (big if len(members) >= min_cluster else small).append((members, tags))
    big.sort(key=lambda mt: (-len(mt[0]), mt[0][0]))
    clusters: list[Cluster] = []
    for i, (members, _tags) in enumerate(big, 1):
        clusters.append(Cluster(i, "", members, []))
    if small:
        members = sorted((m for ms, _ in small for m in ms), key=central)
        clusters.append(Cluster(len(clusters) + 1, "Other posts", members, [], other=True))
    cluster_of: dict[str, int] = {}
    used_labels: set[str] = set()
    n = max(net.n, 1)
    for c in clusters:
        for m in c.members:
            cluster_of[m] = c.id
        counts = Counter(t for m in c.members for t in net.concepts[m])
        # Most characteristic concepts first: frequent in the cluster, rare on the site (tf-idf).
        weight = {t: k * math.log(1 + n / len(net.members[t])) for t, k in counts.items()}
        c.tags = [t for t, _ in sorted(weight.items(), key=lambda tw: (-tw[1], tw[0]))]
        if not c.other:
            names = [net.label(t) for t in c.tags[:2]]
            label = " · ".join(names) if names else net.label(c.members[0])
            extra = 2
            while label in used_labels and extra < len(c.tags):
                label = " · ".join([net.label(t) for t in c.tags[:2]] + [net.label(c.tags[extra])])
                extra += 1
            if label in used_labels:
                label = f"{label} ({c.id})"
            used_labels.add(label)
            c.label = label
    # A tag belongs to the cluster holding most of its posts.
    for t, members in net.members.items():
        counts = Counter(cluster_of[m] for m in members)
        cluster_of[t] = sorted(counts.items(), key=lambda kc: (-kc[1], kc[0]))[0][0]
    hub_list = [p for p in sorted(net.content, key=central) if indeg[p] > 0][:hubs]
    bridge_list = [
        p for p in sorted(net.content, key=lambda p: (-bc.get(p, 0.0), p)) if bc.get(p, 0.0) > 0
    ][:bridges]
    return Metrics(pr, indeg, bc, exact, clusters, cluster_of, hub_list, bridge_list)
