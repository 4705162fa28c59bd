"""Deterministic layout of the site map: clusters first, then their members.

The cluster-level graph (one node per topic cluster, edges weighted by the links between
clusters) is laid out with a seeded spring layout; overlapping regions are then pushed apart.
Members are placed inside their region on a sunflower (Vogel) spiral, most central in the
middle. Cost: spring layout on at most a few hundred clusters, then linear in the posts shown.
"""

from __future__ import annotations

import math

import networkx as nx

GOLDEN = math.pi * (3 - math.sqrt(5))


def cluster_positions(
    sizes: dict[int, int], weights: dict[tuple[int, int], float], seed: int,
    width: float = 1000.0, height: float = 640.0, margin: float = 40.0,
) -> dict[int, tuple[float, float, float]]:
    """(x, y, radius) per cluster, inside the box, regions not overlapping."""
    ids = sorted(sizes)
    if not ids:
        return {}
    g = nx.Graph()
    g.add_nodes_from(ids)
    for (a, b), w in sorted(weights.items()):
        if a != b:
            g.add_edge(a, b, weight=math.log1p(w))  # damped: a few heavy links do not crush the map
    if len(ids) == 1:
        pos = {ids[0]: (0.0, 0.0)}
    else:
        raw = nx.spring_layout(g, seed=seed, weight="weight", iterations=100, k=2.0 / math.sqrt(len(ids)))
        pos = {c: (float(raw[c][0]), float(raw[c][1])) for c in ids}
    total = sum(sizes.values())
    # Region area proportional to the number of posts.
    base = math.sqrt(width * height * 0.35 / max(total, 1) / math.pi)
    radius = {c: max(12.0, base * math.sqrt(sizes[c])) for c in ids}
    # Scale positions to roughly the box, then separate overlapping circles.
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    spanx = (max(xs) - min(xs)) or 1.0
    spany = (max(ys) - min(ys)) or 1.0
    pts = {c: [(pos[c][0] - min(xs)) / spanx * width, (pos[c][1] - min(ys)) / spany * height] for c in ids}
    order = sorted(ids)
    for _ in range(80):
        moved = False
        for i, a in enumerate(order):
            for b in order[i + 1:]:
                dx = pts[b][0] - pts[a][0]
                dy = pts[b][1] - pts[a][1]
                dist = math.hypot(dx, dy)
                need = radius[a] + radius[b] + 6
                if dist < need:
                    if dist < 1e-9:
                        dx, dy, dist = 1.0, 0.0, 1.0
                    push = (need - dist) / 2
                    ux, uy = dx / dist, dy / dist
                    pts[a][0] -= ux * push
                    pts[a][1] -= uy * push
                    pts[b][0] += ux * push
                    pts[b][1] += uy * push
                    moved = True
        if not moved:
            break
    # Fit into the box (uniform scale keeps circles round; radii scale too).
    minx = min(pts[c][0] - radius[c] for c in ids)
    maxx = max(pts[c][0] + radius[c] for c in ids)
    miny = min(pts[c][1] - radius[c] for c in ids)
    maxy = max(pts[c][1] + radius[c] for c in ids)
    scale = min((width - 2 * margin) / max(maxx - minx, 1e-9), (height - 2 * margin) / max(maxy - miny, 1e-9))
    ox = margin + ((width - 2 * margin) - (maxx - minx) * scale) / 2
    oy = margin + ((height - 2 * margin) - (maxy - miny) * scale) / 2
    return {
        c: ((pts[c][0] - minx) * scale + ox, (pts[c][1] - miny) * scale + oy, radius[c] * scale)
        for c in ids
    }


def sunflower(cx: float, cy: float, r: float, n: int) -> list[tuple[float, float]]:
    """n points spread evenly inside a circle, the first ones nearest the centre."""
    out = []
    for i in range(n):
        rho = r * 0.85 * math.sqrt((i + 0.5) / max(n, 1))
        theta = i * GOLDEN
        out.append((cx + rho * math.cos(theta), cy + rho * math.sin(theta)))
    return out
