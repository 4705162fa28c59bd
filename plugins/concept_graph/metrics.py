"""Network measures, computed once per build.

* PageRank on the link graph of posts and pages (weighted by link count): "start here" hubs.
* Betweenness centrality on the undirected link graph: bridge posts joining topics. Exact for
  small sites; above `samples` posts it is estimated from `samples` seeded source nodes
  (Brandes' sampling, networkx `k=`), which keeps it linear in the size of the site. Large
  graphs run the accumulation as sparse matrix products (all sources of a batch at once).
* Communities (Louvain, seeded) on posts, pages and tags together (link edges weight 1,
  tagged edges weighted by the tag's rarity): topic clusters. networkx's implementation up to
  1,500 nodes, our array-based Louvain above (same method, several times faster). Clusters
  smaller than `min_cluster` posts are pooled as "Other posts".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import math
import random

import networkx as nx

from .network import Network
from .settings import DEFAULTS


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


def _brandes_sparse(nbrs: list[set[int]], sources: list[int], batch: int = 64) -> list[float]:
    """Brandes' accumulation, level by level, as sparse matrix products (numpy/scipy): the
    same numbers as `_brandes`, for many sources at once."""
    import numpy as np
    from scipy import sparse

    n = len(nbrs)
    rows = [i for i, nb in enumerate(nbrs) for _ in nb]
    cols = [j for nb in nbrs for j in sorted(nb)]
    a = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    bc = np.zeros(n)
    for start in range(0, len(sources), batch):
        src = np.array(sources[start:start + batch])
        b = len(src)
        cols_b = np.arange(b)
        dist = np.full((n, b), -1, dtype=np.int32)
        sigma = np.zeros((n, b))
        dist[src, cols_b] = 0
        sigma[src, cols_b] = 1.0
        frontier = sigma.copy()
        level = 0
        while True:
            reach = a @ frontier
            new = (dist < 0) & (reach > 0)
            if not new.any():
                break
            level += 1
            dist[new] = level
            sigma[new] = reach[new]
            frontier = np.where(new, sigma, 0.0)
        delta = np.zeros((n, b))
        safe = np.where(sigma > 0, sigma, 1.0)
        for d in range(level, 0, -1):
            coef = np.where(dist == d, (1.0 + delta) / safe, 0.0)
            back = a @ coef
            delta += np.where(dist == d - 1, sigma * back, 0.0)
        delta[src, cols_b] = 0.0
        bc += delta.sum(axis=1)
    return bc.tolist()


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
    exact = n <= samples
    if exact:
        sources = list(range(n))
    else:
        sources = sorted(random.Random(seed).sample(range(n), samples))
    if n < 300:
        raw = _brandes([sorted(s) for s in adj], sources)
    else:
        raw = _brandes_sparse(adj, sources)
    # Same normalisation as networkx: undirected pairs, rescaled from k sources to n.
    scale = (n / len(sources)) / ((n - 1) * (n - 2))
    for p, i in index.items():
        result[p] = round(raw[i] * scale, 12)
    return result, exact


def _weighted_edges(net: Network):
    """The undirected weighted graph Louvain works on: link edges between content nodes
    (weight = number of link directions), tagged edges content -> tag (weight = the tag's
    rarity). ({(a, b): weight} with a < b for links, [(post, tag, weight)] for tags)."""
    links: dict[tuple[str, str], float] = {}
    get = links.get
    for p in net.content:
        for q in net.out_links[p]:
            key = (p, q) if p < q else (q, p)
            links[key] = get(key, 0.0) + 1.0
    tagged = []
    for t in sorted(net.members):
        w = net.rarity(len(net.members[t]))
        tagged.extend((p, t, w) for p in net.members[t])
    return links, tagged


def communities(net: Network, seed: int, exact_max: int = 1500) -> list[set[str]]:
    """Louvain on posts+tags: networkx up to `exact_max` nodes, our array version above."""
    n_nodes = len(net.content) + len(net.members)
    if n_nodes <= exact_max:
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
        return [set(c) for c in nx.community.louvain_communities(u, weight="weight", seed=seed)]
    # Large sites: Louvain run here on integer arrays (several times faster than networkx, and
    # the weighted graph is built straight from the network's indexes, not as a networkx graph):
    # local moving, then aggregation of each community into one node, repeated until no node
    # moves. Same method and seed every build, so the same result.
    links, tagged = _weighted_edges(net)
    if not links and not tagged:
        return [{p} for p in net.content]
    nodes = sorted(set(net.content) | set(net.members))
    index = {x: i for i, x in enumerate(nodes)}
    adj: list[dict[int, float]] = [{} for _ in nodes]
    for (a, b), w in links.items():
        ia, ib = index[a], index[b]
        adj[ia][ib] = w
        adj[ib][ia] = w
    for p, t, w in tagged:
        ip, it = index[p], index[t]
        adj[ip][it] = w
        adj[it][ip] = w
    adj = [dict(sorted(nb.items())) for nb in adj]  # aggregation sums in a fixed order
    member_of = list(range(len(nodes)))  # original node -> current super-node
    self_w = [0.0] * len(nodes)
    for level in range(20):
        lists = [sorted(nb.items()) for nb in adj]
        labels = _local_moving(lists, self_w, seed + level)
        if len(set(labels)) == len(labels):
            break
        renum = {c: i for i, c in enumerate(sorted(set(labels)))}
        new_adj: list[dict[int, float]] = [{} for _ in renum]
        new_self = [0.0] * len(renum)
        for i, nb in enumerate(adj):
            ci = renum[labels[i]]
            new_self[ci] += self_w[i]
            for j, w in nb.items():
                cj = renum[labels[j]]
                if ci == cj:
                    new_self[ci] += w  # each internal edge seen from both ends: 2w, as k counts it
                else:
                    new_adj[ci][cj] = new_adj[ci].get(cj, 0.0) + w
        member_of = [renum[labels[c]] for c in member_of]
        adj, self_w = new_adj, new_self
    parts: dict[int, set[str]] = {}
    for x, i in index.items():
        parts.setdefault(member_of[i], set()).add(x)
    return [parts[c] for c in sorted(parts)]


def _local_moving(adj: list[list[tuple[int, float]]], self_w: list[float], seed: int,
                  max_passes: int = 8) -> list[int]:
    """One level of Louvain: move nodes to the neighbouring community with the best modularity
    gain (resolution 1). `self_w[i]`: weight inside node i (counted twice, as in its degree).
    Stops when a pass moves fewer than 1% of the nodes or after `max_passes` passes."""
    n = len(adj)
    k = [sum(w for _, w in nb) + self_w[i] for i, nb in enumerate(adj)]
    m2 = sum(k)
    if m2 == 0:
        return list(range(n))
    label = list(range(n))
    tot = k[:]
    order = [i for i in range(n) if adj[i]]
    random.Random(seed).shuffle(order)
    for _ in range(max_passes):
        moved = 0
        for i in order:
            ki = k[i]
            links: dict[int, float] = {}
            get = links.get
            for j, w in adj[i]:
                c = label[j]
                links[c] = get(c, 0.0) + w
            own = label[i]
            tot[own] -= ki
            scale = ki / m2
            best, best_gain = own, get(own, 0.0) - tot[own] * scale
            for c, w in links.items():
                gain = w - tot[c] * scale
                if gain > best_gain + 1e-12:
                    best, best_gain = c, gain
            tot[best] += ki
            if best != own:
                label[i] = best
                moved += 1
        if moved < max(1, n // 100):
            break
    return label


def compute(
    net: Network,
    seed: int = DEFAULTS["CONCEPT_GRAPH_SEED"],
    samples: int = DEFAULTS["CONCEPT_GRAPH_BETWEENNESS_SAMPLES"],
    min_cluster: int = DEFAULTS["CONCEPT_GRAPH_MIN_CLUSTER"],
    hubs: int = DEFAULTS["CONCEPT_GRAPH_HUBS"],
    bridges: int = DEFAULTS["CONCEPT_GRAPH_BRIDGES"],
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
