"""The site-wide map: topic clusters as regions, the most central posts as dots, hubs labelled.

Stays light on large sites: at most `max_clusters` regions (smaller clusters pooled in one
region), at most `max_dots` post dots in all (each a link), `labels` hub labels, and the
strongest `max_edges` links between clusters. Every other post is counted in its region.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import escape

from .layout import cluster_positions, sunflower
from .metrics import Metrics
from .network import Network
from .settings import DEFAULTS
from .svg_local import dom_id, fmt, href, short

WIDTH, HEIGHT = 1000, 640


@dataclass
class MapRegion:
    id: int
    label: str
    size: int
    x: float
    y: float
    r: float
    clusters: list[int]
    anchor: str = ""  # id of the element listing this region on the map page

    @property
    def number(self) -> str:
        """The number shown on the map (the cluster's number in the list; "+" for the pool)."""
        return self.anchor.rsplit("-", 1)[1] if self.anchor.startswith("cluster-") else "+"


def build_map(
    net: Network, m: Metrics, seed: int = DEFAULTS["CONCEPT_GRAPH_SEED"],
    max_clusters: int = DEFAULTS["CONCEPT_GRAPH_MAP_MAX_CLUSTERS"],
    max_dots: int = DEFAULTS["CONCEPT_GRAPH_MAP_MAX_DOTS"],
    labels: int = DEFAULTS["CONCEPT_GRAPH_MAP_LABELS"], max_edges: int = 120,
) -> tuple[str, list[MapRegion]]:
    clusters = [c for c in m.clusters if c.members]
    main = [c for c in clusters if not c.other][:max_clusters]
    main_ids = {c.id for c in main}
    pooled = [c for c in clusters if c.id not in main_ids]
    region_of: dict[int, int] = {c.id: c.id for c in main}
    sizes = {c.id: len(c.members) for c in main}
    other_id = 0
    if pooled:
        other_id = max((c.id for c in clusters), default=0) + 1
        for c in pooled:
            region_of[c.id] = other_id
        sizes[other_id] = sum(len(c.members) for c in pooled)
    weights: dict[tuple[int, int], float] = {}
    for p in net.content:
        a = region_of[m.cluster_of[p]]
        for q, count in net.out_links[p].items():
            b = region_of[m.cluster_of[q]]
            if a != b:
                key = (a, b) if a < b else (b, a)
                weights[key] = weights.get(key, 0.0) + 1.0
    pos = cluster_positions(sizes, weights, seed, WIDTH, HEIGHT)
    regions = []
    for c in main:
        x, y, r = pos[c.id]
        regions.append(MapRegion(c.id, c.label, len(c.members), x, y, r, [c.id], f"cluster-{c.id}"))
    if pooled:
        x, y, r = pos[other_id]
        label = pooled[0].label if len(pooled) == 1 else "Smaller clusters and unlinked posts"
        anchor = f"cluster-{pooled[0].id}" if len(pooled) == 1 else "clusters-heading"
        regions.append(MapRegion(other_id, label, sizes[other_id], x, y, r, [c.id for c in pooled], anchor))

    # Dots: each region gets a share of max_dots proportional to its size (at least one).
    total = max(sum(sizes.values()), 1)
    members_of = {c.id: c.members for c in clusters}
    labels = min(labels, max(5, len(net.content) // 10))
    hubs = sorted(net.content, key=lambda p: (-m.pagerank.get(p, 0.0), -m.in_degree[p], p))[:labels]
    hub_set = set(hubs)
    dots: list[tuple[str, float, float, float, int]] = []  # (id, x, y, r, region)
    pr_max = max(m.pagerank.values(), default=1.0) or 1.0
    for reg in regions:
        pool = sorted((p for cid in reg.clusters for p in members_of[cid]),
                      key=lambda p: (-m.pagerank.get(p, 0.0), -m.in_degree[p], p))
        share = max(1, round(max_dots * reg.size / total))
        chosen = pool[:share] + [p for p in pool[share:] if p in hub_set]
        for p, (x, y) in zip(chosen, sunflower(reg.x, reg.y, reg.r, len(chosen))):
            rad = 2.0 + 5.0 * math.sqrt(m.pagerank.get(p, 0.0) / pr_max)
            dots.append((p, x, y, rad, reg.id))

    uid = dom_id("cgmap", str(len(net.content)))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="site-map-svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{uid}-t {uid}-d">',
        f'<title id="{uid}-t">Map of the site: {len(net.content)} posts in {len(regions)} topic regions</title>',
        f'<desc id="{uid}-d">Each circle is a topic cluster, sized by its number of posts; dots are its most '
        f'central posts; lines join clusters that link to each other. The lists below the map give the '
        f'same information in words.</desc>',
        '<g class="cg-map-edges">',
    ]
    centre = {reg.id: (reg.x, reg.y) for reg in regions}
    strongest = sorted(weights.items(), key=lambda kw: (-kw[1], kw[0]))[:max_edges]
    wmax = max((w for _, w in strongest), default=1.0)
    for (a, b), w in sorted(strongest):
        (x1, y1), (x2, y2) = centre[a], centre[b]
        out.append(
            f'<line class="cg-map-edge" x1="{fmt(x1)}" y1="{fmt(y1)}" x2="{fmt(x2)}" y2="{fmt(y2)}" '
            f'stroke-width="{fmt(0.5 + 3.5 * w / wmax)}"/>'
        )
    out.append('</g><g class="cg-regions">')
    for reg in regions:
        tone = reg.id % 6
        out.append(
            f'<a href="#{reg.anchor}" class="cg-region-link"><g class="cg-region cg-tone-{tone}">'
            f'<title>{reg.number}. {escape(reg.label)}: {reg.size} posts</title>'
            f'<circle cx="{fmt(reg.x)}" cy="{fmt(reg.y)}" r="{fmt(reg.r)}"/>'
            f'<text class="cg-region-number" x="{fmt(reg.x - reg.r * 0.72)}" y="{fmt(reg.y - reg.r * 0.55)}" '
            f'text-anchor="middle">{reg.number}</text></g></a>'
        )
    out.append('</g><g class="cg-dots">')
    for p, x, y, rad, region in dots:
        label = net.label(p)
        out.append(
            f'<a href="{href(net.url(p))}"><circle class="cg-dot" cx="{fmt(x)}" cy="{fmt(y)}" r="{fmt(rad)}">'
            f'<title>{escape(label)}</title></circle></a>'
        )
    out.append('</g><g class="cg-region-labels">')
    boxes: list[tuple[float, float, float, float]] = []
    # Largest regions first; a label that would overlap one already placed (above or below its
    # region) is left out: the region keeps its <title> and its entry in the lists below.
    for reg in sorted(regions, key=lambda r: (-r.size, r.id))[:10]:  # the rest: numbers only
        text = f"{reg.number}. {short(reg.label, 24)} ({reg.size})"
        w = 8.6 * len(text)
        spot = _first_free(boxes, [(y, (reg.x - w / 2, y - 15, reg.x + w / 2, y + 4))
                                   for y in (reg.y - reg.r - 5, reg.y + reg.r + 18)])
        if spot is not None:
            out.append(
                f'<text class="cg-region-label" x="{fmt(reg.x)}" y="{fmt(spot)}" text-anchor="middle">'
                f'{escape(text)}</text>'
            )
    out.append('</g><g class="cg-hub-labels">')
    placed = {p: (x, y, rad) for p, x, y, rad, _ in dots}
    for p in hubs:
        if p not in placed:
            continue
        x, y, rad = placed[p]
        text = short(net.label(p), 26)
        w = 7.8 * len(text)
        spot = _first_free(boxes, [
            (("start", x + rad + 3, y + 5), (x + rad + 3, y - 9, x + rad + 3 + w, y + 6)),
            (("end", x - rad - 3, y + 5), (x - rad - 3 - w, y - 9, x - rad - 3, y + 6)),
            (("middle", x, y - rad - 4), (x - w / 2, y - rad - 18, x + w / 2, y - rad - 3)),
            (("middle", x, y + rad + 15), (x - w / 2, y + rad + 1, x + w / 2, y + rad + 16)),
        ])
        if spot is not None:
            anchor, tx, ty = spot
            out.append(
                f'<a href="{href(net.url(p))}"><text class="cg-hub-label" x="{fmt(tx)}" y="{fmt(ty)}" '
                f'text-anchor="{anchor}">{escape(text)}</text></a>'
            )
    out.append("</g></svg>")
    return "".join(out), regions


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _first_free(boxes: list, candidates: list):
    """The first candidate (value, box) whose box lies inside the map and overlaps no placed
    box; its box is then placed. None when every candidate collides."""
    for value, box in candidates:
        inside = box[0] >= 0 and box[2] <= WIDTH and box[1] >= 0 and box[3] <= HEIGHT
        if inside and not any(_overlap(box, b) for b in boxes):
            boxes.append(box)
            return value
    return None


def _hits(box: tuple[float, float, float, float], reg: MapRegion) -> bool:
    """Does the box cut into the region's circle?"""
    nx_ = min(max(reg.x, box[0]), box[2])
    ny_ = min(max(reg.y, box[1]), box[3])
    return (nx_ - reg.x) ** 2 + (ny_ - reg.y) ** 2 < reg.r ** 2
