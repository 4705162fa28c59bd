"""Cycle diagram: steps on a ring, clockwise from the top, joined by curved arrows (pure)."""

from __future__ import annotations

import math

import svgkit as sk

from .spec import Spec

STEP_WIDTH = 128.0
GAP = 26.0


def render(spec: Spec, id_prefix: str, desc: str, loops=None) -> str:
    keys = spec.steps
    n = len(keys)
    labels = [sk.make_label(spec.node(k).label, STEP_WIDTH, sk.NODE_SIZE) for k in keys]
    boxes = [sk.node_box(lab, min_w=92) for lab in labels]
    angles = [-math.pi / 2 + 2 * math.pi * i / n for i in range(n)]
    maxd = max(math.hypot(b.w, b.h) for b in boxes)
    r = max(110.0, (maxd + GAP + 34) / (2 * math.sin(math.pi / n)))
    center = None
    if spec.center:
        center = sk.make_label(spec.center, 150.0, 15.0, bold=True)
        r = max(r, (center.w / 2 + max(b.w for b in boxes) / 2 + 40))
    for _ in range(80):
        for b, a in zip(boxes, angles):
            b.cx, b.cy = r * math.cos(a) * 1.12, r * math.sin(a)
        crowded = any(boxes[i].overlaps(boxes[j], GAP) for i in range(n) for j in range(i + 1, n))
        cbox = sk.Box(0, 0, center.w + 24, center.h + 24) if center else None
        if not crowded and not (cbox and any(cbox.overlaps(b, 10) for b in boxes)) and _arcs_fit(boxes, r):
            break
        r *= 1.05
    canvas = sk.Canvas()
    for i in range(n):
        a0, a1 = angles[i], angles[i] + 2 * math.pi / n
        arc = _arc(boxes[i], boxes[(i + 1) % n], r, a0, a1)
        if arc:
            canvas.add("edges", arc)
    canvas.extend_points(_point(r, angles[0] + 2 * math.pi * k / 64) for k in range(64))
    for key, box, lab, i in zip(keys, boxes, labels, range(n)):
        node = spec.node(key)
        cls = "dg-node dg-step" + (f" dg-color-{node.color}" if node.color else "")
        canvas.add("nodes", sk.node(box, lab, cls, node.description, radius=14), box)
        # Step number on the box's outer side (away from the ring's centre, clear of the arrows).
        bx, by = box.border_toward((box.cx * 3, box.cy * 3) if (box.cx or box.cy) else (0, -1), 8.0)
        badge = sk.Box(bx, by, 22, 22)
        canvas.add("labels",
                   f'<circle class="dg-badge" cx="{sk.f(badge.cx)}" cy="{sk.f(badge.cy)}" r="11" fill="#222"/>'
                   + sk.text_lines([str(i + 1)], badge.cx, badge.cy, 11.5, "dg-badge-text", bold=True)
                   .replace('fill="#111"', 'fill="#fff"'), badge)
    if center:
        canvas.add("labels", sk.text_lines(center.lines, 0, 0, center.size, "dg-center-text", bold=True),
                   sk.Box(0, 0, center.w, center.h))
    return canvas.render(id_prefix, spec.title, desc, "dg-cycle")


def _point(r, a):
    return (r * math.cos(a) * 1.12, r * math.sin(a))


def _arc_ends(b0, b1, r, a0, a1, gap=4.0):
    """Angles where the ring leaves box b0 and reaches box b1 (binary search along the ring)."""

    def search(box, lo, hi):
        for _ in range(22):
            mid = (lo + hi) / 2
            if box.contains(_point(r, mid), gap):
                lo = mid
            else:
                hi = mid
        return (lo + hi) / 2

    start = search(b0, a0, (a0 + a1) / 2)
    end = search(b1, a1, (a0 + a1) / 2)
    return start, end


def _arcs_fit(boxes, r) -> bool:
    n = len(boxes)
    step = 2 * math.pi / n
    for i in range(n):
        a0 = -math.pi / 2 + step * i
        s, e = _arc_ends(boxes[i], boxes[(i + 1) % n], r, a0, a0 + step)
        length = (e - s) * r
        if length < 34:
            return False
    return True


def _arc(b0, b1, r, a0, a1) -> str | None:
    s, e = _arc_ends(b0, b1, r, a0, a1)
    if e - s <= 0.01:
        return None
    # An elliptical ring (x stretched): sample it as a smooth polyline of cubic pieces.
    pts = [_point(r, s + (e - s) * k / 16) for k in range(17)]
    d = f"M{sk.f(pts[0][0])} {sk.f(pts[0][1])}"
    for k in range(1, len(pts)):
        d += f"L{sk.f(pts[k][0])} {sk.f(pts[k][1])}"
    tip = pts[-1]
    prev = _point(r, e - 0.01)
    direction = (tip[0] - prev[0], tip[1] - prev[1])
    return (f'<path class="dg-flow dg-ring" d="{d}" fill="none" stroke="#222" stroke-width="2.2" '
            f'stroke-linejoin="round"/>' + sk.arrowhead(tip, direction, 12.0))
