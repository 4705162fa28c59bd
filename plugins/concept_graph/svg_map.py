"""The site-wide map: topic clusters as regions, the most central posts as dots, hubs labelled.

Stays light on large sites: at most `max_clusters` regions (smaller clusters pooled in one
region), at most `max_dots` post dots in all (each a link), `labels` hub labels, and the
strongest `max_edges` links between clusters. Every other post is counted in its region.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from svgkit import LINE_HEIGHT, esc, fmt
from svgkit import textmetrics as tm

from .layout import cluster_positions, sunflower
from .metrics import Metrics
from .network import Network
from .settings import DEFAULTS
from .svg_local import OUT_OF_TAB_ORDER, dom_id, href

WIDTH, HEIGHT = 1000, 640
# role="group" (links inside an SVG of role "img" are nested-interactive); the links are for the
# pointer (svg_local.OUT_OF_TAB_ORDER): the lists under the map hold each of them in words.


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
    members: list[str] = field(default_factory=list, repr=False)  # post ids, pooled clusters included

    @property
    def number(self) -> str:
        """The number shown on the map (the cluster's number in the list; "+" for the pool)."""
        return self.anchor.rsplit("-", 1)[1] if self.anchor.startswith("cluster-") else "+"


Dot = tuple[str, float, float, float, int]  # (post id, x, y, radius, region id)


def build_map(
    net: Network, m: Metrics, seed: int = DEFAULTS["CONCEPT_GRAPH_SEED"],
    max_clusters: int = DEFAULTS["CONCEPT_GRAPH_MAP_MAX_CLUSTERS"],
    max_dots: int = DEFAULTS["CONCEPT_GRAPH_MAP_MAX_DOTS"],
    labels: int = DEFAULTS["CONCEPT_GRAPH_MAP_LABELS"], max_edges: int = 120,
) -> tuple[str, list[MapRegion]]:
    """Two drawings of the map, for wide and for narrow screens (graph.css shows one)."""
    regions, weights = _regions(net, m, seed, max_clusters)
    labels = min(labels, max(5, len(net.content) // 10))
    hubs = sorted(net.content, key=lambda p: (-m.pagerank.get(p, 0.0), -m.in_degree[p], p))[:labels]
    dots = _dots(m, regions, set(hubs), max_dots)
    uid = dom_id("cgmap", str(len(net.content)))
    wide = _wide_map(net, regions, weights, hubs, dots, f"{uid}-w", max_edges)
    return wide + _narrow_map(net, regions, hubs, dots, f"{uid}-n"), regions


def _svg_open(uid: str, variant: str, viewbox: tuple[float, float, float, float], n_posts: int,
              n_regions: int, desc: str) -> str:
    x, y, w, h = viewbox
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="site-map-svg {variant}" '
        f'viewBox="{fmt(x)} {fmt(y)} {fmt(w)} {fmt(h)}" role="group" aria-labelledby="{uid}-t {uid}-d" '
        f'font-family="{esc(tm.FONT_FAMILY)}">'
        f'<title id="{uid}-t">Map of the site: {n_posts} posts in {n_regions} topic regions</title>'
        f'<desc id="{uid}-d">{desc} The lists below the map give the same information in words.</desc>'
    )


def _wide_map(net: Network, regions, weights, hubs, dots, uid: str, max_edges: int) -> str:
    """Regions where the layout put them, their names and the hubs' titles in full (wrapped),
    the viewBox cropped to what is drawn (no empty margins)."""
    boxes: list[tuple[float, float, float, float]] = []
    region_labels = _region_labels(regions, boxes)
    hub_labels = _hub_labels(net, hubs, dots, boxes)
    x0 = min([r.x - r.r for r in regions] + [b[0] for b in boxes], default=0.0) - 8
    y0 = min([r.y - r.r for r in regions] + [b[1] for b in boxes], default=0.0) - 8
    x1 = max([r.x + r.r for r in regions] + [b[2] for b in boxes], default=WIDTH) + 8
    y1 = max([r.y + r.r for r in regions] + [b[3] for b in boxes], default=HEIGHT) + 8
    out = [_svg_open(uid, "cg-wide", (x0, y0, x1 - x0, y1 - y0), len(net.content), len(regions),
                     "Each circle is a topic cluster, sized by its number of posts; dots are its most central "
                     "posts; lines join clusters that link to each other."),
           '<g class="cg-map-edges">']
    out += _edge_lines(regions, weights, max_edges)
    out.append('</g><g class="cg-regions">')
    out += _region_circles(regions)
    out.append('</g><g class="cg-dots">')
    out += [_dot(net, p, x, y, rad) for p, x, y, rad, _region in dots]
    out.append('</g><g class="cg-region-labels">')
    out += region_labels
    out.append('</g><g class="cg-hub-labels">')
    out += hub_labels
    out.append("</g></svg>")
    return "".join(out)


def _dot(net: Network, p: str, x: float, y: float, rad: float) -> str:
    return (f'<a href="{href(net.url(p))}"{OUT_OF_TAB_ORDER}>'
            f'<circle class="cg-dot" cx="{fmt(x)}" cy="{fmt(y)}" r="{fmt(rad)}">'
            f'<title>{esc(net.label(p))}</title></circle></a>')


def _lines(cls: str, lines, x: float, top: float, size: float, anchor: str) -> str:
    """Wrapped lines, the first line's box starting at `top`."""
    lh = size * LINE_HEIGHT
    spans = "".join(f'<tspan x="{fmt(x)}" y="{fmt(top + size + i * lh)}">{esc(line)}</tspan>'
                    for i, line in enumerate(lines))
    return (f'<text class="{cls}" x="{fmt(x)}" y="{fmt(top + size)}" font-size="{fmt(size)}" '
            f'text-anchor="{anchor}">{spans}</text>')


NARROW_WIDTH = 340.0
NARROW_TEXT = 12.5  # 12.5 * 288 / 340 = 10.6 px at a 320 px viewport


def _narrow_map(net: Network, regions, hubs, dots, uid: str) -> str:
    """For phones: one row per region, its circle (sized by its posts, with its dots) on the
    left and, beside it, its name and the titles of its hub posts, in full."""
    hub_set = set(hubs)
    biggest = max((reg.size for reg in regions), default=1)
    body, y = [], 0.0
    for reg in regions:
        rr = 12.0 + 34.0 * math.sqrt(reg.size / biggest)
        text_x = 2 * 46.0 + 12
        title = tm.wrap(f"{reg.number}. {reg.label} ({reg.size} post{'s' if reg.size != 1 else ''})",
                        NARROW_WIDTH - text_x, NARROW_TEXT + 0.5, True)
        parts = [_lines("cg-region-label", title, text_x, y, NARROW_TEXT + 0.5, "start")]
        ty = y + len(title) * (NARROW_TEXT + 0.5) * LINE_HEIGHT + 4
        mine = [d for d in dots if d[4] == reg.id]
        for p, *_ in mine:
            if p in hub_set:
                lines = tm.wrap(net.label(p), NARROW_WIDTH - text_x - 10, NARROW_TEXT)
                parts.append(f'<a href="{href(net.url(p))}"{OUT_OF_TAB_ORDER}>'
                             + _lines("cg-hub-label", lines, text_x + 10, ty, NARROW_TEXT, "start") + "</a>")
                ty += len(lines) * NARROW_TEXT * LINE_HEIGHT + 3
        cy = y + max(rr, (ty - y) / 2)
        body.append(f'<a href="#{reg.anchor}" class="cg-region-link"{OUT_OF_TAB_ORDER}>'
                    f'<g class="cg-region cg-tone-{reg.id % 6}"><circle cx="46" cy="{fmt(cy)}" r="{fmt(rr)}"/></g></a>')
        scale = rr / reg.r if reg.r else 1.0
        for p, (x, yy) in zip([d[0] for d in mine], sunflower(46.0, cy, rr, len(mine))):
            rad = next(d[3] for d in mine if d[0] == p)
            body.append(_dot(net, p, x, yy, max(1.5, min(rad, rad * scale * 1.6))))
        body += parts
        y = max(cy + rr, ty) + 14
    head = _svg_open(uid, "cg-narrow", (0.0, -4.0, NARROW_WIDTH, y + 4), len(net.content), len(regions),
                     "Each circle is a topic cluster, sized by its number of posts, with its most central "
                     "posts as dots; beside it, its name and its hub posts.")
    return head + "".join(body) + "</svg>"


def _regions(net: Network, m: Metrics, seed: int, max_clusters: int):
    """At most `max_clusters` regions (the smaller clusters pooled in one), laid out by the
    links between them; (regions, link count per pair of regions)."""
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
        for q in net.out_links[p]:
            b = region_of[m.cluster_of[q]]
            if a != b:
                key = (a, b) if a < b else (b, a)
                weights[key] = weights.get(key, 0.0) + 1.0
    pos = cluster_positions(sizes, weights, seed, WIDTH, HEIGHT)
    regions = []
    for c in main:
        x, y, r = pos[c.id]
        regions.append(MapRegion(c.id, c.label, len(c.members), x, y, r, [c.id], f"cluster-{c.id}", c.members))
    if pooled:
        x, y, r = pos[other_id]
        label = pooled[0].label if len(pooled) == 1 else "Smaller clusters and unlinked posts"
        anchor = f"cluster-{pooled[0].id}" if len(pooled) == 1 else "clusters-heading"
        members = [p for c in pooled for p in c.members]
        regions.append(MapRegion(other_id, label, sizes[other_id], x, y, r, [c.id for c in pooled], anchor,
                                 members))
    return regions, weights


def _dots(m: Metrics, regions: list[MapRegion], hub_set: set, max_dots: int) -> list[Dot]:
    """Each region gets a share of max_dots proportional to its size (at least one), plus its hubs."""
    total = max(sum(reg.size for reg in regions), 1)
    pr_max = max(m.pagerank.values(), default=1.0) or 1.0
    dots: list[Dot] = []
    for reg in regions:
        pool = sorted(reg.members, key=lambda p: (-m.pagerank.get(p, 0.0), -m.in_degree[p], p))
        share = max(1, round(max_dots * reg.size / total))
        chosen = pool[:share] + [p for p in pool[share:] if p in hub_set]
        for p, (x, y) in zip(chosen, sunflower(reg.x, reg.y, reg.r, len(chosen))):
            rad = 2.0 + 5.0 * math.sqrt(m.pagerank.get(p, 0.0) / pr_max)
            dots.append((p, x, y, rad, reg.id))
    return dots


def _edge_lines(regions: list[MapRegion], weights, max_edges: int) -> list[str]:
    """The strongest links between regions, as lines as thick as their weight."""
    centre = {reg.id: (reg.x, reg.y) for reg in regions}
    strongest = sorted(weights.items(), key=lambda kw: (-kw[1], kw[0]))[:max_edges]
    wmax = max((w for _, w in strongest), default=1.0)
    out = []
    for (a, b), w in sorted(strongest):
        (x1, y1), (x2, y2) = centre[a], centre[b]
        out.append(
            f'<line class="cg-map-edge" x1="{fmt(x1)}" y1="{fmt(y1)}" x2="{fmt(x2)}" y2="{fmt(y2)}" '
            f'stroke-width="{fmt(0.5 + 3.5 * w / wmax)}"/>'
        )
    return out


def _region_circles(regions: list[MapRegion]) -> list[str]:
    out = []
    for reg in regions:
        tone = reg.id % 6
        out.append(
            f'<a href="#{reg.anchor}" class="cg-region-link"{OUT_OF_TAB_ORDER}><g class="cg-region cg-tone-{tone}">'
            f'<title>{reg.number}. {esc(reg.label)}: {reg.size} posts</title>'
            f'<circle cx="{fmt(reg.x)}" cy="{fmt(reg.y)}" r="{fmt(reg.r)}"/>'
            f'<text class="cg-region-number" x="{fmt(reg.x - reg.r * 0.72)}" y="{fmt(reg.y - reg.r * 0.55)}" '
            f'font-size="15" text-anchor="middle">{reg.number}</text></g></a>'
        )
    return out


REGION_LABEL_SIZE = 15.0  # graph.css: .cg-region-label
HUB_LABEL_SIZE = 14.0  # graph.css: .cg-hub-label


def _region_labels(regions: list[MapRegion], boxes: list) -> list[str]:
    """Largest regions first, names in full (wrapped): above the region, else below, else
    beside it; a name that finds no free place is left out (the region keeps its <title>, its
    number and its entry in the lists below)."""
    out = []
    for reg in sorted(regions, key=lambda r: (-r.size, r.id))[:12]:  # the rest: numbers only
        text = f"{reg.number}. {reg.label} ({reg.size})"
        lines = tm.wrap(text, max(220.0, 1.6 * reg.r), REGION_LABEL_SIZE, True)
        w, h = tm.block_size(lines, REGION_LABEL_SIZE, LINE_HEIGHT, True)
        x, r = reg.x, reg.r
        spot = _first_free(boxes, [
            (("middle", x, reg.y - r - 4 - h), (x - w / 2, reg.y - r - 4 - h, x + w / 2, reg.y - r - 4)),
            (("middle", x, reg.y + r + 4), (x - w / 2, reg.y + r + 4, x + w / 2, reg.y + r + 4 + h)),
            (("start", x + r + 6, reg.y - h / 2), (x + r + 6, reg.y - h / 2, x + r + 6 + w, reg.y + h / 2)),
            (("end", x - r - 6, reg.y - h / 2), (x - r - 6 - w, reg.y - h / 2, x - r - 6, reg.y + h / 2)),
        ])
        if spot is not None:
            anchor, tx, top = spot
            out.append(_lines("cg-region-label", lines, tx, top, REGION_LABEL_SIZE, anchor))
    return out


def _hub_labels(net: Network, hubs: list[str], dots: list[Dot], boxes: list) -> list[str]:
    """The hubs' titles in full (wrapped) beside their dots, wherever one fits without
    overlapping another label."""
    out = []
    placed = {p: (x, y, rad) for p, x, y, rad, _ in dots}
    for p in hubs:
        if p not in placed:
            continue
        x, y, rad = placed[p]
        lines = tm.wrap(net.label(p), 190.0, HUB_LABEL_SIZE)
        w, h = tm.block_size(lines, HUB_LABEL_SIZE, LINE_HEIGHT)
        g = rad + 3
        spot = _first_free(boxes, [
            (("start", x + g, y - h / 2), (x + g, y - h / 2, x + g + w, y + h / 2)),
            (("end", x - g, y - h / 2), (x - g - w, y - h / 2, x - g, y + h / 2)),
            (("middle", x, y - g - h), (x - w / 2, y - g - h, x + w / 2, y - g)),
            (("middle", x, y + g), (x - w / 2, y + g, x + w / 2, y + g + h)),
        ])
        if spot is not None:
            anchor, tx, top = spot
            out.append(f'<a href="{href(net.url(p))}"{OUT_OF_TAB_ORDER}>'
                       + _lines("cg-hub-label", lines, tx, top, HUB_LABEL_SIZE, anchor) + "</a>")
    return out


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

