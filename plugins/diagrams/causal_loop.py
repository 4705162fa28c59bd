"""Causal loop diagram: variables placed so loops come out round, curved links bulging out of
their loop, +/- at the arrowheads, || delay marks, and an R/B marker with a circular arrow
turning the loop's way inside each loop (pure: spec + loops in, SVG out)."""

from __future__ import annotations

import math

import networkx as nx

import svgkit as sk

from .spec import Spec

VAR_WIDTH = 124.0
MARGIN = 46.0  # between variable boxes: room for curves and signs
MARKER_R = 17.0
CLEARANCE = 3.0  # free space kept around polarity signs and loop markers, so none touch


def layout(spec: Spec, loops) -> dict[str, tuple[float, float]]:
    """Unit-free positions: a stress layout per component, seeded with loops on circles."""
    keys = list(spec.nodes)
    graph = nx.Graph()
    graph.add_nodes_from(keys)
    graph.add_edges_from((lk.src, lk.dst) for lk in spec.links)
    pos = {}
    x_off = 0.0
    for comp in sorted(nx.connected_components(graph), key=lambda c: min(keys.index(k) for k in c)):
        members = [k for k in keys if k in comp]
        sub = graph.subgraph(members)
        order = []
        for lp in sorted(loops, key=lambda lp: -len(lp.nodes)):
            for k in lp.nodes:
                if k in comp and k not in order:
                    order.append(k)
        order += [k for k in members if k not in order]
        n = len(order)
        if n == 1:
            local = {order[0]: (0.0, 0.0)}
        elif n <= 3:
            local = _circle(order)
        else:
            local = _best_layout(sub, order, members)
        # Normalise: median edge length 1.
        lengths = sorted(math.dist(local[a], local[b]) for a, b in sub.edges()) or [1.0]
        med = lengths[len(lengths) // 2] or 1.0
        local = {k: (p[0] / med, p[1] / med) for k, p in local.items()}
        # Main loop clockwise on screen (y down).
        main = next((lp.nodes for lp in sorted(loops, key=lambda lp: -len(lp.nodes)) if lp.nodes[0] in comp), None)
        if main and len(main) >= 3 and _signed_area([local[k] for k in main]) < 0:
            local = {k: (-p[0], p[1]) for k, p in local.items()}
        xs = [p[0] for p in local.values()]
        shift = x_off - min(xs)
        for k, p in local.items():
            pos[k] = (p[0] + shift, p[1])
        x_off = max(p[0] for p in pos.values()) + 1.6
    return pos


def _circle(order):
    n = len(order)
    return {k: (math.cos(2 * math.pi * i / n - math.pi / 2), math.sin(2 * math.pi * i / n - math.pi / 2))
            for i, k in enumerate(order)}


def _crossings(pos, edges) -> int:
    def ccw(a, b, c):
        return (c[1] - a[1]) * (b[0] - a[0]) - (b[1] - a[1]) * (c[0] - a[0])

    count = 0
    for i in range(len(edges)):
        a, b = edges[i]
        for j in range(i + 1, len(edges)):
            c, d = edges[j]
            if len({a, b, c, d}) < 4:
                continue
            p1, p2, p3, p4 = pos[a], pos[b], pos[c], pos[d]
            if (ccw(p1, p3, p4) > 0) != (ccw(p2, p3, p4) > 0) and (ccw(p1, p2, p3) > 0) != (ccw(p1, p2, p4) > 0):
                count += 1
    return count


def _graph_distances(sub, members):
    import numpy as np  # noqa: PLC0415

    index = {k: i for i, k in enumerate(members)}
    dist = np.zeros((len(members), len(members)))
    for src, lengths in nx.all_pairs_shortest_path_length(sub):
        for dst, d in lengths.items():
            dist[index[src], index[dst]] = d
    return dist


def _stress_layout(members, dist, init, iterations: int = 200):
    """Stress majorization (SMACOF, weights 1/d²): the layout Kamada-Kawai aims at, without
    a general-purpose solver (a few milliseconds for the sizes diagrams have)."""
    import numpy as np  # noqa: PLC0415

    n = len(members)
    x = np.array([init[k] for k in members], dtype=float)
    with np.errstate(divide="ignore"):
        w = np.where(dist > 0, 1.0 / np.maximum(dist, 1e-9) ** 2, 0.0)
    v = -w
    np.fill_diagonal(v, w.sum(axis=1))
    v_pinv = np.linalg.pinv(v)

    def stress(pos):
        diff = pos[:, None, :] - pos[None, :, :]
        d = np.sqrt((diff ** 2).sum(axis=2))
        return float((w * (d - dist) ** 2).sum() / 2), d

    current, d = stress(x)
    for _ in range(iterations):
        with np.errstate(divide="ignore", invalid="ignore"):
            b = np.where(d > 1e-9, -w * dist / d, 0.0)
        np.fill_diagonal(b, 0.0)
        np.fill_diagonal(b, -b.sum(axis=1))
        x = v_pinv @ (b @ x)
        new, d = stress(x)
        if current - new < 1e-5 * max(current, 1e-9):
            break
        current = new
    x -= x.mean(axis=0)
    return {k: (float(x[i, 0]), float(x[i, 1])) for i, k in enumerate(members)}


def _best_layout(sub, order, members):
    """Stress layouts from several deterministic starts; the one with fewest crossings wins."""
    import random  # noqa: PLC0415

    starts = [_circle(order), _circle(members)]
    bfs = list(nx.bfs_tree(sub, members[0]))
    starts.append(_circle(bfs + [k for k in members if k not in bfs]))
    tries = 4 if len(members) <= 16 else 1
    rng = random.Random(len(members))
    for _ in range(tries):
        shuffled = list(order)
        rng.shuffle(shuffled)
        starts.append(_circle(shuffled))
    edges = list(sub.edges())
    best, best_score = None, None
    dist = _graph_distances(sub, members)
    for init in starts:
        local = _stress_layout(members, dist, init)
        pts = list(local.values())
        closest = min(math.dist(pts[i], pts[j]) for i in range(len(pts)) for j in range(i + 1, len(pts)))
        score = (_crossings(local, edges), -round(closest, 3))
        if best_score is None or score < best_score:
            best, best_score = local, score
        if score[0] == 0:
            break  # no crossing: good enough, and each try costs a solver run
    return best


def _signed_area(pts) -> float:
    """Positive when the points run clockwise on screen (y down)."""
    return sum(pts[i][0] * pts[(i + 1) % len(pts)][1] - pts[(i + 1) % len(pts)][0] * pts[i][1]
               for i in range(len(pts))) / 2


def render(spec: Spec, id_prefix: str, desc: str, loops=None) -> str:
    loops = loops or []
    keys = list(spec.nodes)
    labels = {k: sk.make_label(spec.node(k).label, VAR_WIDTH) for k in keys}
    boxes = {k: sk.node_box(labels[k], min_w=70) for k in keys}
    _place(spec, boxes, layout(spec, loops))
    canvas = sk.Canvas()
    obstacles = [boxes[k] for k in keys]
    geometry = _link_geometry(spec, boxes, loops)
    curve_pts: list = []
    sign_boxes: list = []
    for n_link, (lk, geo) in enumerate(zip(spec.links, geometry)):
        others = [q for j, g in enumerate(geometry) if j != n_link for q in g[5]]
        _draw_link(canvas, lk, geo, others, obstacles, sign_boxes)
        curve_pts.extend(geo[5])
    markers: list = []
    for lp in loops:
        _draw_loop_marker(canvas, spec, lp, boxes, obstacles + sign_boxes + markers, curve_pts, markers)
    for k in keys:
        node = spec.node(k)
        cls = "dg-node dg-variable" + (f" dg-color-{node.color}" if node.color else "")
        canvas.add("nodes", sk.node(boxes[k], labels[k], cls, node.description, radius=10), boxes[k])
    canvas.extend_bounds(*sign_boxes)
    canvas.extend_points(curve_pts)
    return canvas.render(id_prefix, spec.title, desc, "dg-causal-loop")


def _place(spec: Spec, boxes, unit) -> None:
    """Scale the unit layout up until boxes keep MARGIN apart and every link has room."""
    keys = list(spec.nodes)
    pairs = {(lk.src, lk.dst) for lk in spec.links}
    scale = 185.0 + 8 * max(0, len(keys) - 4)
    for _ in range(80):
        for k in keys:
            boxes[k].cx, boxes[k].cy = unit[k][0] * scale, unit[k][1] * scale
        bl = [boxes[k] for k in keys]
        crowded = any(bl[i].overlaps(bl[j], MARGIN) for i in range(len(bl)) for j in range(i + 1, len(bl)))
        if not crowded and all(_gap(boxes[a], boxes[b]) >= (120.0 if (b, a) in pairs else 80.0) for a, b in pairs):
            break
        scale *= 1.06


def _link_geometry(spec: Spec, boxes, loops) -> list:
    """Per link: (bend, p0, c, p1, tangent at the end, points along the curve).

    The smallest loop of each link decides which way it bulges (out of that loop)."""
    smallest = {}
    for lp in sorted(loops, key=lambda lp: len(lp.nodes)):
        for a, b in zip(lp.nodes, lp.nodes[1:] + lp.nodes[:1]):
            smallest.setdefault((a, b), lp)
    geometry = []
    for lk in spec.links:
        a, b = boxes[lk.src], boxes[lk.dst]
        lp = smallest.get((lk.src, lk.dst))
        if lp is None:
            bend = 0.12
        else:
            cx = sum(boxes[k].cx for k in lp.nodes) / len(lp.nodes)
            cy = sum(boxes[k].cy for k in lp.nodes) / len(lp.nodes)
            dx, dy = b.cx - a.cx, b.cy - a.cy
            side = dx * (cy - a.cy) - dy * (cx - a.cx)  # > 0: centre to the right of travel (screen)
            mag = 0.46 if len(lp.nodes) == 2 else (0.24 if len(lp.nodes) == 3 else 0.18)
            bend = mag if side >= 0 else -mag
            if len(lp.nodes) == 2 or abs(side) < 1e-6:
                bend = mag  # each link of a two-variable loop bulges to its own left
        p0, c, p1, tan_end, _ = sk.edge_between(a, b, bend, 4.0, 4.0)
        geometry.append((bend, p0, c, p1, tan_end, sk.curve_points(p0, c, p1, 16)))
    return geometry


def _draw_link(canvas, lk, geo, others, obstacles, sign_boxes) -> None:
    """One causal link: its curve and arrowhead, polarity sign, delay mark and label."""
    bend, p0, c, p1, tan_end, _pts = geo
    cls = "dg-causal dg-neg" if lk.polarity == "-" else "dg-causal dg-pos"
    canvas.add("edges", sk.quad_path(p0, c, p1, cls, width=1.7))
    canvas.add("edges", sk.arrowhead(p1, tan_end, 11.0))
    side_sign = 1 if bend >= 0 else -1
    sx, sy = _sign_spot(p1, tan_end, side_sign, others, obstacles, sign_boxes)
    text = {"+-": {"+": "+", "-": "\u2212"}, "so": {"+": "s", "-": "o"}}[lk.notation][lk.polarity]
    sign = sk.Box(sx, sy, 16 + 2 * CLEARANCE, 18 + 2 * CLEARANCE)  # kept clear of other signs and markers
    sign_boxes.append(sign)
    canvas.add("labels", sk.text_lines([text], sx, sy, 17.0, f"dg-polarity {cls.split()[1]}", bold=True,
                                       halo=True), sign)
    if lk.delay:
        mid = sk.quad_point(p0, c, p1, 0.5)
        tan = sk.quad_tangent(p0, c, p1, 0.5)
        nrm = (-tan[1], tan[0])
        for off in (-3.0, 3.0):
            ox, oy = mid[0] + tan[0] * off, mid[1] + tan[1] * off
            canvas.add("labels",
                       f'<path class="dg-delay" d="M{sk.f(ox - nrm[0] * 8)} {sk.f(oy - nrm[1] * 8)}'
                       f'L{sk.f(ox + nrm[0] * 8)} {sk.f(oy + nrm[1] * 8)}" stroke="#222" stroke-width="2.2"/>')
    if lk.label:
        lab = sk.make_label(lk.label, 110.0, sk.LABEL_SIZE, max_lines=2)
        mid = sk.quad_point(p0, c, p1, 0.5)
        tan = sk.quad_tangent(p0, c, p1, 0.5)
        nrm = (tan[1] * side_sign, -tan[0] * side_sign)
        off = lab.h / 2 + 8
        cands = [(mid[0] + nrm[0] * off * k, mid[1] + nrm[1] * off * k) for k in (1.0, 1.6, -1.0, 2.2)]
        spot = sk.free_spot(lab.w + 4, lab.h + 2, cands, obstacles + sign_boxes) or cands[0]
        box = sk.Box(spot[0], spot[1], lab.w + 4, lab.h + 2)
        sign_boxes.append(box)
        canvas.add("labels", sk.edge_label(lab, spot[0], spot[1]), box)


def _sign_spot(p1, tan_end, side_sign, others, obstacles, sign_boxes):
    """Polarity sign beside the arrowhead: the outer side of the bend first, then other spots
    near the head, away from nodes, other signs and other links."""
    cands = []
    for back_d, off, sd in ((19, 12, 1), (19, 12, -1), (27, 13, 1), (27, 13, -1), (36, 14, 1), (36, 14, -1)):
        back = (p1[0] - tan_end[0] * back_d, p1[1] - tan_end[1] * back_d)
        normal = (tan_end[1] * side_sign * sd, -tan_end[0] * side_sign * sd)
        cands.append((back[0] + normal[0] * off, back[1] + normal[1] * off))
    near_nodes = [o for o in obstacles if abs(o.cx - p1[0]) < 200 and abs(o.cy - p1[1]) < 200]
    near_pts = [q for q in others if abs(q[0] - p1[0]) < 60 and abs(q[1] - p1[1]) < 60]
    return (sk.free_spot(14, 16, cands, near_nodes + sign_boxes, near_pts, margin=1.0)
            or sk.free_spot(14, 16, cands, near_nodes + sign_boxes, margin=1.0) or cands[0])


def _draw_loop_marker(canvas, spec: Spec, lp, boxes, taken, curve_pts, markers) -> None:
    """The loop's R/B marker (and its name, when there is room) near the loop's centre."""
    pts = [(boxes[k].cx, boxes[k].cy) for k in lp.nodes]
    cx = sum(p[0] for p in pts) / len(pts)
    cy = sum(p[1] for p in pts) / len(pts)
    clockwise = _signed_area(pts) >= 0 if len(pts) >= 3 else _two_loop_clockwise(spec, lp, boxes)
    size = 2 * MARKER_R + 10
    name = sk.make_label(lp.name, 104.0, 11.5, max_lines=2) if lp.name else None
    w = max(size, name.w + 6) if name else size
    h = size + (name.h + 2 if name else 0)
    reach = 200.0  # the spiral stays within about 160 px of the centre
    near = [o for o in taken if abs(o.cx - cx) < reach + o.w / 2 and abs(o.cy - cy) < reach + o.h / 2]
    near_pts = [p for p in curve_pts if abs(p[0] - cx) < reach and abs(p[1] - cy) < reach]
    spot = sk.free_spot(w, h, sk.spiral(cx, cy, 5.0, 150), near, near_pts, margin=2.0)
    if spot is None and name:
        # No room for the name near the centre: the marker alone (the name is in the text).
        name, w, h = None, size, size
    if spot is None:
        spot = sk.free_spot(w, h, sk.spiral(cx, cy, 5.0, 400), near, near_pts, margin=2.0) or (cx, cy)
    markers.append(sk.Box(spot[0], spot[1], w + 2 * CLEARANCE, h + 2 * CLEARANCE))  # clear of the next marker
    ring = (spot[0], spot[1] - h / 2 + size / 2)
    svg = loop_marker(ring, lp.ident, clockwise, lp.kind)
    if name:
        svg += sk.text_lines(name.lines, ring[0], ring[1] + size / 2 + name.h / 2, name.size, "dg-loop-name")
    canvas.add("labels", svg, markers[-1])


def _gap(a, b) -> float:
    """Free distance between two boxes along the line joining their centres."""
    return math.dist(a.border_toward((b.cx, b.cy)), b.border_toward((a.cx, a.cy)))


def _two_loop_clockwise(spec, lp, boxes) -> bool:
    # Two links bulging to their own left: the pair turns counter-clockwise on screen... when
    # drawn left-bending; both curves bend to the left of travel, so the loop runs clockwise.
    return True


def loop_marker(center, ident: str, clockwise: bool, kind: str) -> str:
    cx, cy = center
    r = MARKER_R
    # An arc of 290 degrees, open at the top-right, arrowhead at its end.
    start = -math.pi / 2 + 0.55 if clockwise else -math.pi / 2 - 0.55
    sweep = math.radians(290) * (1 if clockwise else -1)
    end = start + sweep
    p0 = (cx + r * math.cos(start), cy + r * math.sin(start))
    p1 = (cx + r * math.cos(end), cy + r * math.sin(end))
    flag = 1 if clockwise else 0
    d = (f"M{sk.f(p0[0])} {sk.f(p0[1])}A{sk.f(r)} {sk.f(r)} 0 1 {flag} {sk.f(p1[0])} {sk.f(p1[1])}")
    direction = (-math.sin(end), math.cos(end)) if clockwise else (math.sin(end), -math.cos(end))
    tip = (p1[0] + direction[0] * 3, p1[1] + direction[1] * 3)
    return (f'<g class="dg-loop-marker dg-loop-{kind}">'
            f'<path class="dg-loop-arc" d="{d}" fill="none" stroke="#222" stroke-width="1.8"/>'
            + sk.arrowhead(tip, direction, 8.0, "dg-arrowhead dg-loop-arrow")
            + sk.text_lines([ident], cx, cy, 13.0, "dg-loop-label", bold=True)
            + "</g>")
