"""Geometry for SVG drawings: boxes, quadratic curves clipped at boxes, free spots for labels (pure)."""

from __future__ import annotations

import math
from dataclasses import dataclass

Point = tuple[float, float]


@dataclass
class Box:
    """An axis-aligned box given by its centre and size."""

    cx: float
    cy: float
    w: float
    h: float
    shape: str = "rect"  # rect | ellipse

    @property
    def left(self) -> float:
        return self.cx - self.w / 2

    @property
    def right(self) -> float:
        return self.cx + self.w / 2

    @property
    def top(self) -> float:
        return self.cy - self.h / 2

    @property
    def bottom(self) -> float:
        return self.cy + self.h / 2

    def overlaps(self, other: "Box", margin: float = 0.0) -> bool:
        return not (
            self.right + margin <= other.left
            or other.right + margin <= self.left
            or self.bottom + margin <= other.top
            or other.bottom + margin <= self.top
        )

    def contains(self, p: Point, margin: float = 0.0) -> bool:
        x, y = p
        if self.shape == "ellipse":
            rx, ry = self.w / 2 + margin, self.h / 2 + margin
            return ((x - self.cx) / rx) ** 2 + ((y - self.cy) / ry) ** 2 <= 1.0
        return (self.left - margin <= x <= self.right + margin) and (self.top - margin <= y <= self.bottom + margin)

    def border_toward(self, p: Point, gap: float = 0.0) -> Point:
        """Where the ray from the centre toward p leaves the box (plus `gap` px outside)."""
        dx, dy = p[0] - self.cx, p[1] - self.cy
        if abs(dx) < 1e-9 and abs(dy) < 1e-9:
            return (self.cx, self.cy)
        if self.shape == "ellipse":
            rx, ry = self.w / 2, self.h / 2
            t = 1.0 / math.sqrt((dx / rx) ** 2 + (dy / ry) ** 2)
        else:
            tx = (self.w / 2) / abs(dx) if dx else math.inf
            ty = (self.h / 2) / abs(dy) if dy else math.inf
            t = min(tx, ty)
        length = math.hypot(dx, dy)
        t += gap / length
        return (self.cx + dx * t, self.cy + dy * t)


def union(boxes) -> tuple[float, float, float, float]:
    boxes = list(boxes)
    if not boxes:
        return (0.0, 0.0, 0.0, 0.0)
    return (
        min(b.left for b in boxes),
        min(b.top for b in boxes),
        max(b.right for b in boxes),
        max(b.bottom for b in boxes),
    )


def quad_point(p0: Point, c: Point, p1: Point, t: float) -> Point:
    u = 1 - t
    return (
        u * u * p0[0] + 2 * u * t * c[0] + t * t * p1[0],
        u * u * p0[1] + 2 * u * t * c[1] + t * t * p1[1],
    )


def quad_tangent(p0: Point, c: Point, p1: Point, t: float) -> Point:
    dx = 2 * (1 - t) * (c[0] - p0[0]) + 2 * t * (p1[0] - c[0])
    dy = 2 * (1 - t) * (c[1] - p0[1]) + 2 * t * (p1[1] - c[1])
    n = math.hypot(dx, dy) or 1.0
    return (dx / n, dy / n)


def quad_sub(p0: Point, c: Point, p1: Point, t0: float, t1: float) -> tuple[Point, Point, Point]:
    """The part of a quadratic Bézier between t0 and t1 (by blossoming)."""

    def blossom(a, b):
        w0 = (1 - a) * (1 - b)
        w1 = (1 - a) * b + a * (1 - b)
        w2 = a * b
        return (w0 * p0[0] + w1 * c[0] + w2 * p1[0], w0 * p0[1] + w1 * c[1] + w2 * p1[1])

    return blossom(t0, t0), blossom(t0, t1), blossom(t1, t1)


def clip_quad(p0: Point, c: Point, p1: Point, start: Box, end: Box, gap: float = 3.0) -> tuple[float, float]:
    """Parameters where the curve leaves `start` and enters `end` (each `gap` px outside)."""

    def search(box, lo, hi, inside_at_lo):
        for _ in range(22):  # 1/4,000,000 of the curve: far below a pixel
            mid = (lo + hi) / 2
            if box.contains(quad_point(p0, c, p1, mid), gap) == inside_at_lo:
                lo = mid
            else:
                hi = mid
        return (lo + hi) / 2

    t0 = search(start, 0.0, 0.5, True)
    t1 = search(end, 1.0, 0.5, True)
    if t1 <= t0:
        return 0.4, 0.6
    return t0, t1


def control_point(p0: Point, p1: Point, bend: float) -> Point:
    """Control point of a curve from p0 to p1 bent sideways by `bend` × the chord (positive: to the left)."""
    mx, my = (p0[0] + p1[0]) / 2, (p0[1] + p1[1]) / 2
    dx, dy = p1[0] - p0[0], p1[1] - p0[1]
    return (mx + dy * bend, my - dx * bend)


def free_spot(w: float, h: float, candidates, obstacles, points=(), margin: float = 3.0):
    """The first candidate centre where a w×h box touches no obstacle box or point; None if none."""
    for cx, cy in candidates:
        box = Box(cx, cy, w, h)
        if any(box.overlaps(o, margin) for o in obstacles):
            continue
        if any(box.contains(p, margin) for p in points):
            continue
        return (cx, cy)
    return None


def spiral(cx: float, cy: float, step: float = 6.0, turns: int = 220):
    """Candidate points around (cx, cy), nearest first (deterministic)."""
    yield (cx, cy)
    for i in range(1, turns):
        r = step * math.sqrt(i) * 1.6
        a = i * 2.399963  # golden angle
        yield (cx + r * math.cos(a), cy + r * math.sin(a))


def curve_points(p0: Point, c: Point, p1: Point, n: int = 24) -> list[Point]:
    return [quad_point(p0, c, p1, i / n) for i in range(n + 1)]


def edge_between(a: Box, b: Box, bend: float, gap_start: float = 3.0, gap_end: float = 3.0):
    """A quadratic curve from box a to box b, clipped at their borders.

    Returns (p0, c, p1, tangent_at_end, tangent_at_start) of the visible part.
    """
    pa, pb = (a.cx, a.cy), (b.cx, b.cy)
    c = control_point(pa, pb, bend)
    t0, _ = clip_quad(pa, c, pb, a, b, gap_start)
    _, t1 = clip_quad(pa, c, pb, a, b, gap_end)
    q0, qc, q1 = quad_sub(pa, c, pb, t0, t1)
    return q0, qc, q1, quad_tangent(q0, qc, q1, 1.0), quad_tangent(q0, qc, q1, 0.0)
