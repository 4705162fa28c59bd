"""Related posts: candidates from neighbourhoods and an inverted index, scored, with reasons.

Like Hugo's related content, nothing is computed over all pairs of posts. For each post p the
candidates are the posts reachable in two hops:
  * direct links, both directions;
  * co-citation: other posts linked from a post that links to p;
  * bibliographic coupling: other posts linking to a post that p links to;
  * shared concepts: other posts under one of p's tags (through the inverted index tag -> posts);
  * shared graphics: other posts showing one of p's pictures (graphics plugin: the same picture
    under any file name or size is one image node).
A hop through a node with more than `cap` neighbours (a tag on most posts, a hub linked from
everywhere) is not expanded: it says little and would make the work quadratic. The best
`2 * count + 5` candidates by this partial score are then scored exactly (the partial score
plus what the skipped hubs contribute, by membership tests) and explained.

Score = 3 per link direction + 1.5 x rarity per co-citing post + 1.5 x rarity per shared
target + 1 x rarity per shared tag + 1.5 x rarity per shared graphic + 0.25 x rarity for the
same category, where
rarity(d) = log(1 + N/d) / log(1 + N) (1 for something only two posts share, near 0 for
something every post has). Posts with fewer than `count` scored candidates are filled with the
most central posts of their category ("also in X").
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any

from .network import Network
from .settings import DEFAULTS

W_LINK = 3.0
W_COCITE = 1.5
W_COUPLE = 1.5
W_TAG = 1.0
W_GRAPHIC = 1.5  # a picture two posts both show says as much as a post citing both
W_CATEGORY = 0.25
MAX_REASONS = 3


@dataclass
class Related:
    id: str
    score: float
    reasons: list[str]
    title: str = ""
    url: str = ""
    post: Any = field(default=None, repr=False, compare=False)


def _quote(text: str, limit: int = 0) -> str:
    """“text”, cut at a word to `limit` characters (0: whole) with an ellipsis."""
    if limit and len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return f"“{text}”"


class _Weights:
    """Per-node weights, computed once: what sharing this node is worth."""

    def __init__(self, net: Network):
        self.cocite = {r: W_COCITE * net.rarity(len(t)) for r, t in net.out_links.items()}
        self.couple = {s: W_COUPLE * net.rarity(len(f)) for s, f in net.in_links.items()}
        self.tag = {t: W_TAG * net.rarity(len(m)) for t, m in net.members.items()}
        self.cat = {c: W_CATEGORY * net.rarity(len(m)) for c, m in net.cat_members.items()}
        self.graphic = {g: W_GRAPHIC * net.rarity(len(m)) for g, m in net.graphic_members.items()}


def _score(net: Network, wt: _Weights, p: str, q: str) -> float:
    out_p, in_p = net.out_links[p], net.in_links[p]
    score = (W_LINK if q in out_p else 0.0) + (W_LINK if q in in_p else 0.0)
    in_q, out_q = net.in_links[q], net.out_links[q]
    if in_q and in_p:
        score += sum(wt.cocite[r] for r in (in_p.keys() & in_q.keys()))
    if out_q and out_p:
        score += sum(wt.couple[s] for s in (out_p.keys() & out_q.keys()))
    q_tags = net.concepts[q]
    for t in net.concepts[p]:
        if t in q_tags:
            score += wt.tag[t]
    q_graphics = net.graphic_sets[q]
    for g in net.graphics[p]:
        if g in q_graphics:
            score += wt.graphic[g]
    c = net.category[p]
    if c is not None and c == net.category[q]:
        score += wt.cat[c]
    return score


def _reasons(net: Network, wt: _Weights, p: str, q: str) -> list[str]:
    """Why q is related to p, strongest reason first."""
    parts: list[tuple[float, str]] = []
    out_p, in_p = net.out_links[p], net.in_links[p]
    to_q, from_q = q in out_p, q in in_p
    if to_q and from_q:
        parts.append((2 * W_LINK, "links both ways"))
    elif to_q:
        parts.append((W_LINK, "linked from this post"))
    elif from_q:
        parts.append((W_LINK, "links here"))
    for shared, weights, prefix, limit in (
        (in_p.keys() & net.in_links[q].keys(), wt.cocite, "both linked from ", 0),
        (out_p.keys() & net.out_links[q].keys(), wt.couple, "both link to ", 0),
        # a graphic's label is its alt text: a sentence, shortened
        (net.graphic_sets[p] & net.graphic_sets[q], wt.graphic, "both show the graphic ", 48),
    ):
        if shared:
            ranked = sorted(shared, key=lambda x: (-weights[x], x))
            text = prefix + _quote(net.label(ranked[0]), limit)
            if len(ranked) > 1:
                text += f" and {len(ranked) - 1} more"
            parts.append((sum(weights[x] for x in ranked), text))
    q_tags = net.concepts[q]
    for t in net.concepts[p]:
        if t in q_tags:
            parts.append((wt.tag[t], "shares " + net.label(t)))
    c = net.category[p]
    if c is not None and c == net.category[q]:
        parts.append((wt.cat[c], "also in " + net.label(c)))
    parts.sort(key=lambda cr: (-cr[0], cr[1]))
    return [text for _, text in parts[:MAX_REASONS]]


def _candidates(net: Network, wt: _Weights, p: str, cap: int) -> tuple[dict[str, float], list]:
    """Partial scores of every candidate for p (two hops, hubs over `cap` not expanded), and
    the hubs that were skipped, as (weights, membership, node) to add back for the shortlist."""
    acc: dict[str, float] = {}
    skipped: list = []
    get = acc.get
    out_p, in_p = net.out_links[p], net.in_links[p]
    for q in out_p:
        acc[q] = get(q, 0.0) + W_LINK
    for q in in_p:
        acc[q] = get(q, 0.0) + W_LINK
    # (hubs of p, their members, weight of each hub, where a candidate q lists its hubs):
    # co-citation (r links to p and q), coupling (p and q link to s), shared concepts, shared
    # graphics.
    hops = (
        (in_p, net.out_links, wt.cocite, net.in_links),
        (out_p, net.in_links, wt.couple, net.out_links),
        (net.concepts[p], net.members, wt.tag, net.concept_sets),
        (net.graphics[p], net.graphic_members, wt.graphic, net.graphic_sets),
    )
    for hubs, members_of, weight, membership in hops:
        for h in hubs:
            members = members_of[h]
            w = weight[h]
            if len(members) <= cap:
                for q in members:
                    acc[q] = get(q, 0.0) + w
            else:
                skipped.append((w, membership, h))  # q shares h if h is in membership[q]
    acc.pop(p, None)
    c = net.category[p]
    if c is not None:
        skipped.append((wt.cat[c], net.category_sets, c))
    return acc, skipped


def fallback_order(net: Network, centrality: dict[str, float] | None) -> dict[str, list[str]]:
    """Members of each category, most central first (for filling short related lists)."""
    centrality = centrality or {}
    return {
        c: sorted(members, key=lambda m: (-centrality.get(m, 0.0), m))
        for c, members in net.cat_members.items()
    }


def related_for(
    net: Network,
    p: str,
    count: int = 5,
    cap: int = 200,
    fallback: dict[str, list[str]] | None = None,
    weights: _Weights | None = None,
) -> list[Related]:
    if count <= 0:
        return []
    wt = weights or _Weights(net)
    acc, skipped = _candidates(net, wt, p, cap)
    # Posts that link to p are listed above Related, under "Linked from": not listed twice.
    for q in net.in_links[p]:
        acc.pop(q, None)
    if len(acc) > 2 * count + 5:
        pool = heapq.nlargest(2 * count + 5, acc, key=acc.__getitem__)
    else:
        pool = list(acc)
    # Exact score of the shortlist: the partial score plus what the skipped hubs contribute.
    exact = []
    for q in pool:
        score = acc[q]
        for w, membership, hub in skipped:
            if hub in membership[q]:
                score += w
        exact.append((round(score, 6), q))
    scored = sorted(exact, key=lambda s: (-s[0], s[1]))
    result = [
        Related(q, score, _reasons(net, wt, p, q), net.label(q), net.url(q))
        for score, q in scored[:count]
        if score > 0
    ]
    if len(result) < count and fallback is not None:
        c = net.category[p]
        taken = {r.id for r in result} | {p} | set(net.in_links[p])
        for q in fallback.get(c, ()) if c else ():
            if len(result) >= count:
                break
            if q not in taken:
                taken.add(q)
                result.append(Related(q, 0.0, ["also in " + net.label(c)], net.label(q), net.url(q)))
    return result


def related_all(
    net: Network,
    count: int = DEFAULTS["CONCEPT_GRAPH_RELATED_COUNT"],
    cap: int = DEFAULTS["CONCEPT_GRAPH_CANDIDATE_CAP"],
    centrality: dict[str, float] | None = None,
    mapper=None,
) -> dict[str, list[Related]]:
    """Every post's related list. `mapper(function, items) -> [function(item) …]`, in order: how
    the posts are spread (the Pelican glue hands the workers' fork_map; default, this process)."""
    fallback = fallback_order(net, centrality)
    wt = _Weights(net)
    posts = list(net.content)

    def one(p: str) -> list[Related]:
        return related_for(net, p, count, cap, fallback, wt)

    lists = mapper(one, posts) if mapper is not None else [one(p) for p in posts]
    return dict(zip(posts, lists))


def relabel(net: Network, earlier: dict[str, list[Related]]) -> dict[str, list[Related]]:
    """`earlier` (related_all's result for a network with the same links, concepts, categories
    and graphics) for `net`, whose post titles or URLs differ: the same posts and scores, with
    the titles, URLs and reasons (which name posts, and are ordered by their words) of `net`."""
    wt = _Weights(net)
    out = {}
    for p, items in earlier.items():
        c = net.category[p]
        out[p] = [Related(r.id, r.score,
                          _reasons(net, wt, p, r.id) if r.score > 0 else ["also in " + net.label(c)],
                          net.label(r.id), net.url(r.id))
                  for r in items]
    return out
