"""Reading paths: an ordered walk through a set of posts (a concept's, a cluster's), foundations first.

`reading_path(net, members, pagerank, steps)` picks the posts the others in the set build on
(cited by most posts of the set, then PageRank, then the earliest) and orders them, best first,
except that a post comes after the earlier posts of the path it links to (a topological order
over the links that point back in time, depth-first in rank order). Each step says why it is
there. Work per set: its posts' links (one pass) plus sorting its posts, so all concepts
together cost about the posts times their tags.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .network import Network
from .settings import DEFAULTS


@dataclass
class Step:
    """One post of a path: where it goes and why it is there (reasons in words, best first)."""

    id: str
    title: str
    url: str
    date: str = ""
    reasons: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


@dataclass
class ReadingPath:
    """The steps through one concept or cluster; `pinned_by` is the page that chose them, if any."""

    steps: list[Step] = field(default_factory=list)
    pinned_by: object = None  # the content object whose `Path:` metadata gave the steps
    pinned_title: str = ""
    pinned_url: str = ""

    def __bool__(self) -> bool:
        return bool(self.steps)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def cited_within(net: Network, members: list[str]) -> dict[str, int]:
    """{post: number of other posts of `members` linking to it}; one pass over their links."""
    inside = set(members)
    cited = dict.fromkeys(members, 0)
    for p in members:
        for q in net.out_links[p]:
            if q in inside:
                cited[q] += 1
    return cited


def reading_path(net: Network, members: list[str], pagerank: dict[str, float],
                 steps: int = DEFAULTS["CONCEPT_GRAPH_PATH_STEPS"], where: str = "this concept") -> list[Step]:
    """Up to `steps` posts of `members` (pages are left out) in reading order, foundations
    first, each with its reasons."""
    posts = [p for p in members if net.kinds.get(p) == "post"]
    if not posts or steps <= 0:
        return []
    cited = cited_within(net, posts)
    date = {p: net.g.nodes[p].get("date", "") or "9999" for p in posts}

    def rank(p: str):
        return (-cited[p], -pagerank.get(p, 0.0), date[p], p)

    chosen = sorted(posts, key=rank)[:steps]
    order = _foundations_first(net, chosen, rank, date)
    earliest = min(posts, key=lambda p: (date[p], p))
    return [Step(p, net.label(p), net.url(p), net.g.nodes[p].get("date", ""),
                 _reasons(net, p, order[:i], cited[p], p == earliest, where))
            for i, p in enumerate(order)]


def _foundations_first(net: Network, chosen: list[str], rank, date: dict[str, str]) -> list[str]:
    """`chosen` (best-ranked first) in reading order: each post after the chosen posts it
    builds on, i.e. links to and is later than (a link from an old post to a newer one, added
    when the old post was edited, is not a foundation). Depth-first in rank order; the links
    kept always point back in time, so there is no cycle."""
    inside = set(chosen)
    placed: set[str] = set()
    order: list[str] = []

    def place(p: str) -> None:
        placed.add(p)
        earlier = [q for q in net.out_links[p] if q in inside and (date[q], q) < (date[p], p)]
        for q in sorted(earlier, key=rank):
            if q not in placed:
                place(q)
        order.append(p)

    for p in chosen:
        if p not in placed:
            place(p)
    return order


def _reasons(net: Network, p: str, before: list[str], cited: int, earliest: bool, where: str) -> tuple[str, ...]:
    reasons = []
    if cited:
        reasons.append(f"cited by {_plural(cited, 'other post')} on {where}")
    if earliest:
        reasons.append(f"the earliest post on {where}")
    builds_on = [str(i + 1) for i, q in enumerate(before) if q in net.out_links[p]]
    if builds_on:  # by step number: short, and the reader sees those steps just above
        steps = builds_on[0] if len(builds_on) == 1 else ", ".join(builds_on[:-1]) + " and " + builds_on[-1]
        reasons.append(f"builds on step{'s' if len(builds_on) > 1 else ''} {steps}")
    if not reasons:
        reasons.append(f"among the site’s most central posts on {where}")
    return tuple(reasons)
