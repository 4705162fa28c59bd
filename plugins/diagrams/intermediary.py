"""Intermediary diagram: the hub at the centre, the beneficiary on an inner ring below it,
the stakeholder groups on an outer ring, labelled flow arrows (pure: spec in, SVG out)."""

from __future__ import annotations

import math

import svgkit as sk

from .spec import Spec

GROUP_WIDTH = 124.0
HUB_WIDTH = 150.0
FLOW_LABEL_WIDTH = 96.0
NODE_MARGIN = 18.0
# A flow label sits on its arrow, on a plate that hides the line under the words; it may hide
# at most this share of the arrow, so the arrow always shows on both sides of its label.
MAX_HIDDEN = 0.6
MAX_LABEL_GROWTH = 8  # times the ring grows 6 % to make room for labels before the best spot is taken


def _color_cls(node) -> str:
    return f" dg-color-{node.color}" if node.color else ""


def render(spec: Spec, id_prefix: str, desc: str, loops=None) -> str:
    hub = spec.node(spec.hub)
    labels = {spec.hub: sk.make_label(hub.label, HUB_WIDTH, 15.0, bold=True)}
    boxes = {spec.hub: sk.node_box(labels[spec.hub], shape="ellipse")}
    if spec.beneficiary:
        ben = spec.node(spec.beneficiary)
        labels[spec.beneficiary] = sk.make_label(ben.label, GROUP_WIDTH, sk.NODE_SIZE, bold=True)
        boxes[spec.beneficiary] = sk.node_box(labels[spec.beneficiary], min_w=96)
    # Many groups: narrower boxes (more lines) keep the ring from growing too wide.
    group_width = GROUP_WIDTH if len(spec.groups) <= 8 else GROUP_WIDTH * 0.78
    for key in spec.groups:
        labels[key] = sk.make_label(spec.node(key).label, group_width)
        boxes[key] = sk.node_box(labels[key], min_w=96)
    flow_labels = [sk.make_label(fl.label, FLOW_LABEL_WIDTH, sk.LABEL_SIZE, max_lines=5) if fl.label else None
                   for fl in spec.flows]

    hb = boxes[spec.hub]
    groups = ring_order(spec)
    n = len(groups)
    gw = max((boxes[k].w for k in groups), default=100.0)
    gh = max((boxes[k].h for k in groups), default=40.0)
    lw = max((lb.w for lb in flow_labels if lb), default=0.0)
    lh = max((lb.h for lb in flow_labels if lb), default=0.0)
    inner = 0.0
    keep_free = 0.0  # half-angle of the sector below the hub kept free for the beneficiary
    if spec.beneficiary:
        bb = boxes[spec.beneficiary]
        inner = hb.h / 2 + bb.h / 2 + max(34.0, lh + 14.0)
        bb.cx, bb.cy = 0.0, inner
        keep_free = math.atan2(bb.w / 2 + 14.0, inner - bb.h / 2) + math.radians(6)
    # Visual angles (from the hub), clockwise; the first group at the top, or, with a
    # beneficiary, the groups spread evenly outside the sector below the hub.
    if keep_free:
        span = 2 * math.pi - 2 * keep_free
        angles = [math.pi / 2 + keep_free + span * (i + 0.5) / n for i in range(n)]
    else:
        angles = [-math.pi / 2 + 2 * math.pi * i / n for i in range(n)]
    ry = max(hb.h / 2 + gh / 2 + lh * 1.6 + 40.0,
             inner + (boxes[spec.beneficiary].h / 2 if spec.beneficiary else 0) + gh / 2 + 30.0,
             gh * n / (2 * math.pi) * 1.2)
    rx = max(ry * 1.35, hb.w / 2 + gw / 2 + lw * 0.8 + 30.0)
    label_growth = 0
    for _ in range(60):
        for i, (key, a) in enumerate(zip(groups, angles)):
            t = 1.0 / math.hypot(math.cos(a) / rx, math.sin(a) / ry)
            if n > 8 and i % 2:
                t *= 0.8  # many groups: every other one on a slightly inner ring
            boxes[key].cx, boxes[key].cy = t * math.cos(a), t * math.sin(a)
        nodes = list(boxes.values())
        crowded = any(nodes[i].overlaps(nodes[j], NODE_MARGIN)
                      for i in range(len(nodes)) for j in range(i + 1, len(nodes)))
        if not crowded:
            # Labels that find no free place grow the ring a little, then take the best spot left.
            drawn = _draw_edges(spec, boxes, flow_labels, force=label_growth >= MAX_LABEL_GROWTH)
            if drawn is not None:
                break
            label_growth += 1
        rx, ry = rx * 1.06, ry * 1.06
    else:  # pragma: no cover - the ring always ends up large enough
        drawn = _draw_edges(spec, boxes, flow_labels, force=True)

    canvas = sk.Canvas()
    edges, label_svgs, extra_boxes = drawn
    for svg in edges:
        canvas.add("edges", svg)
    for svg in label_svgs:
        canvas.add("labels", svg)
    canvas.extend_bounds(*extra_boxes)
    for key, box in boxes.items():
        node = spec.node(key)
        if key == spec.hub:
            cls = "dg-node dg-hub"
        elif key == spec.beneficiary:
            cls = "dg-node dg-beneficiary"
        else:
            cls = "dg-node dg-group"
        canvas.add("nodes", sk.node(box, labels[key], cls + _color_cls(node), node.description), box)
    return canvas.render(id_prefix, spec.title, desc, "dg-intermediary")


def ring_order(spec: Spec) -> list[str]:
    """The groups in ring order: as written, unless flows between groups get shorter by swapping.

    Local search over pair swaps minimising the ring distance of group-to-group flows
    (deterministic; the author's order wins ties).
    """
    groups = list(spec.groups)
    n = len(groups)
    pairs = [(f.src, f.dst) for f in spec.flows if f.src in groups and f.dst in groups]
    # Groups with flows to or from the beneficiary: near the bottom (both ends of the ring order).
    low = [k for f in spec.flows for k in (f.src, f.dst)
           if spec.beneficiary and spec.beneficiary in (f.src, f.dst) and k in groups]
    if not (pairs or low) or n < 4:
        return groups

    def cost(order):
        pos = {k: i for i, k in enumerate(order)}
        total = 0
        for a, b in pairs:
            d = abs(pos[a] - pos[b])
            total += min(d, n - d) ** 2
        for k in low:
            total += min(pos[k], n - 1 - pos[k]) ** 2
        return total

    best = cost(groups)
    improved = True
    rounds = 0
    while improved and rounds < 20:
        improved = False
        rounds += 1
        for i in range(n):
            for j in range(i + 1, n):
                trial = list(groups)
                trial[i], trial[j] = trial[j], trial[i]
                c = cost(trial)
                if c < best:
                    groups, best, improved = trial, c, True
    return groups


def _draw_edges(spec: Spec, boxes, flow_labels, force: bool = False):
    """Spokes and flows with their labels; None when a label finds no free place (grow the ring)."""
    edges, label_svgs, placed = [], [], []
    touched = {fl.src for fl in spec.flows} | {fl.dst for fl in spec.flows}
    hub = boxes[spec.hub]
    obstacles = list(boxes.values())
    for key in list(spec.groups) + ([spec.beneficiary] if spec.beneficiary else []):
        if key in touched:
            continue
        b = boxes[key]
        p0 = hub.border_toward((b.cx, b.cy), 2)
        p1 = b.border_toward((hub.cx, hub.cy), 2)
        edges.append(sk.line_path(p0, p1, "dg-spoke", width=1.4))
    curves = _flow_curves(spec, boxes)
    # Arrow tips stay visible: no label plate on them.
    tips = []
    for fl, (p0, c, p1, tan_end, tan_start, pts) in zip(spec.flows, curves):
        tips.append(sk.Box(p1[0] - tan_end[0] * 6, p1[1] - tan_end[1] * 6, 16, 16))
        if fl.both:
            tips.append(sk.Box(p0[0] + tan_start[0] * 6, p0[1] + tan_start[1] * 6, 16, 16))
    nodes = list(obstacles)
    obstacles = obstacles + tips
    for i, (fl, lab, (p0, c, p1, tan_end, tan_start, pts)) in enumerate(zip(spec.flows, flow_labels, curves)):
        edges.append(sk.quad_path(p0, c, p1, "dg-flow", width=1.7))
        edges.append(sk.arrowhead(p1, tan_end, 11.0))
        if fl.both:
            edges.append(sk.arrowhead(p0, (-tan_start[0], -tan_start[1]), 11.0))
        if lab is None:
            continue
        foreign = [p for j, cv in enumerate(curves) if j != i for p in cv[5]]
        cands = [pt for pt in _label_candidates(p0, c, p1, lab)
                 if _hidden_share(pt, lab, pts) <= MAX_HIDDEN]
        if not cands:
            if not force:
                return None
            cands = _label_candidates(p0, c, p1, lab)
        spot = sk.free_spot(lab.w + 6, lab.h + 4, cands, obstacles + placed, foreign)
        if spot is None:
            spot = sk.free_spot(lab.w + 6, lab.h + 4, cands, obstacles + placed)
        if spot is None:
            if not force:
                return None
            spot = _least_crowded(cands, lab, nodes, tips, placed)
        box = sk.Box(spot[0], spot[1], lab.w + 6, lab.h + 4)
        placed.append(box)
        label_svgs.append(sk.edge_label(lab, spot[0], spot[1]))
    curve_extent = [q for cv in curves for q in cv[5]]
    if curve_extent:
        xs, ys = [q[0] for q in curve_extent], [q[1] for q in curve_extent]
        placed = placed + [sk.Box((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2,
                                  max(xs) - min(xs) + 4, max(ys) - min(ys) + 4)]
    return edges, label_svgs, placed


def _flow_curves(spec: Spec, boxes) -> list:
    """Per flow: (p0, c, p1, tangent at the end, tangent at the start, points along the curve).

    Flows to or from the hub are straight (slightly bent when both directions are drawn);
    flows between groups bend around the hub and any other node, bulging away from the hub."""
    hub = boxes[spec.hub]
    pairs = {(fl.src, fl.dst) for fl in spec.flows}
    curves = []
    for fl in spec.flows:
        a, b = boxes[fl.src], boxes[fl.dst]
        reverse = (fl.dst, fl.src) in pairs
        others = [o for k, o in boxes.items() if k not in (fl.src, fl.dst)]
        if spec.hub in (fl.src, fl.dst):
            bends = [0.09 if reverse else 0.0]
        else:
            mx, my = (a.cx + b.cx) / 2, (a.cy + b.cy) / 2
            dx, dy = b.cx - a.cx, b.cy - a.cy
            away = -1 if (dy * (mx - hub.cx) - dx * (my - hub.cy)) < 0 else 1
            bends = [away * m for m in (0.12, 0.2, 0.3, 0.42, 0.56, 0.72)]
            if reverse:
                bends = [bd + 0.09 for bd in bends]
        for bend in bends:
            p0, c, p1, tan_end, tan_start = sk.edge_between(a, b, bend, 3.0, 3.0)
            pts = sk.curve_points(p0, c, p1, 24)
            if not any(o.contains(p, 4.0) for o in others for p in pts):
                break
        curves.append((p0, c, p1, tan_end, tan_start, pts))
    return curves


def _label_candidates(p0, c, p1, lab) -> list:
    """Where a flow label may go, best first: on the line, from its middle outwards."""
    return [sk.quad_point(p0, c, p1, t) for t in (0.5, 0.44, 0.56, 0.38, 0.62, 0.32, 0.68)]


def _hidden_share(pt, lab, curve_points) -> float:
    """The share of a curve that a label plate centred on pt would hide."""
    plate = sk.Box(pt[0], pt[1], lab.w + 8, lab.h + 3)
    return sum(1 for q in curve_points if plate.contains(q)) / max(len(curve_points), 1)


def _least_crowded(cands, lab, nodes, tips, placed):
    """The candidate whose label box covers the fewest nodes, arrow tips and labels."""
    w, h = lab.w + 6, lab.h + 4

    def crowding(pt):
        box = sk.Box(pt[0], pt[1], w, h)
        return (sum(10 for o in nodes if box.overlaps(o, 1.0)) + sum(2 for o in tips if box.overlaps(o, 1.0))
                + sum(2 for o in placed if box.overlaps(o, 1.0)))

    return min(cands, key=crowding)
