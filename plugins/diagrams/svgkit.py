"""A small SVG toolkit shared by the renderers: escaping, boxes, wrapped text, curves, arrows.

Everything here is pure and deterministic: numbers are rounded to one decimal, so the same
input always gives byte-identical SVG. Colours are never written as values a theme must
override: elements carry classes (styled by css/diagrams.css through CSS custom
properties) and plain black/white presentation attributes as the fallback for readers
without the stylesheet (feed readers, print).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from . import textmetrics as tm

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")

MIN_SCALE = 0.66
NODE_SIZE = 14.0
LABEL_SIZE = 12.5
LINE_HEIGHT = 1.25
PAD_X = 12.0
PAD_Y = 9.0


def clean(text) -> str:
    """Text safe to put in XML: characters XML 1.0 forbids removed, whitespace collapsed."""
    return " ".join(_INVALID_XML.sub("", str(text)).split())


def esc(text) -> str:
    """Escape text for an XML text node or a quoted attribute value."""
    return (
        clean(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def f(value: float) -> str:
    """A coordinate: one decimal, no trailing zeros, no negative zero."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# --- geometry -------------------------------------------------------------------------

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


# --- elements -------------------------------------------------------------------------


def arrowhead(tip: Point, direction: Point, size: float = 10.0, cls: str = "dg-arrowhead") -> str:
    dx, dy = direction
    n = math.hypot(dx, dy) or 1.0
    dx, dy = dx / n, dy / n
    bx, by = tip[0] - dx * size, tip[1] - dy * size
    half = size * 0.45
    left = (bx + dy * half, by - dx * half)
    right = (bx - dy * half, by + dx * half)
    return (
        f'<path class="{cls}" d="M{f(tip[0])} {f(tip[1])}L{f(left[0])} {f(left[1])}'
        f'L{f(right[0])} {f(right[1])}Z" fill="#222"/>'
    )


def text_lines(lines: list[str], cx: float, cy: float, size: float, cls: str, bold: bool = False,
               anchor: str = "middle", halo: bool = False) -> str:
    """Centred multi-line text (lines already wrapped)."""
    lh = size * LINE_HEIGHT
    first = cy - (len(lines) - 1) * lh / 2 + size * 0.35
    attrs = f'class="{cls}" x="{f(cx)}" y="{f(first)}" font-size="{f(size)}" text-anchor="{anchor}"'
    if bold:
        attrs += ' font-weight="bold"'
    if halo:
        attrs += ' stroke="#fff" stroke-width="4" stroke-linejoin="round" paint-order="stroke"'
    attrs += ' fill="#111"'
    parts = []
    for i, line in enumerate(lines):
        y = first + i * lh
        parts.append(f'<tspan x="{f(cx)}" y="{f(y)}">{esc(line)}</tspan>')
    return f"<text {attrs}>{''.join(parts)}</text>"


def edge_label(label: "Label", cx: float, cy: float, cls: str = "dg-edge-label") -> str:
    """A label on a line: a background plate (hides the line under the words) and the text."""
    w, h = label.w + 8, label.h + 3
    plate = (f'<rect class="dg-label-bg" x="{f(cx - w / 2)}" y="{f(cy - h / 2)}" width="{f(w)}" '
             f'height="{f(h)}" rx="3" fill="#fff"/>')
    return plate + text_lines(label.lines, cx, cy, label.size, cls)


@dataclass
class Label:
    """Wrapped text and the box it needs."""

    lines: list[str]
    w: float
    h: float
    size: float
    bold: bool = False


def make_label(text: str, max_width: float, size: float = NODE_SIZE, bold: bool = False,
               max_lines: int = 6) -> Label:
    lines = tm.wrap(clean(text), max_width, size, bold, max_lines=max_lines)
    w, h = tm.block_size(lines, size, LINE_HEIGHT, bold)
    return Label(lines, w, h, size, bold)


def node_box(label: Label, min_w: float = 0.0, shape: str = "rect") -> Box:
    w = max(label.w + 2 * PAD_X, min_w)
    h = label.h + 2 * PAD_Y
    if shape == "ellipse":
        w, h = w * 1.3, h * 1.35
    return Box(0.0, 0.0, w, h, shape)


def node(box: Box, label: Label, cls: str, href: str | None = None, tooltip: str | None = None,
         radius: float = 8.0) -> str:
    """A node: its shape and its centred text, inside a link when it has one."""
    if box.shape == "ellipse":
        shape = (f'<ellipse class="dg-shape" cx="{f(box.cx)}" cy="{f(box.cy)}" rx="{f(box.w / 2)}" '
                 f'ry="{f(box.h / 2)}" fill="#fff" stroke="#222" stroke-width="1.5"/>')
    else:
        shape = (f'<rect class="dg-shape" x="{f(box.left)}" y="{f(box.top)}" width="{f(box.w)}" '
                 f'height="{f(box.h)}" rx="{f(radius)}" fill="#fff" stroke="#222" stroke-width="1.5"/>')
    text = text_lines(label.lines, box.cx, box.cy, label.size, "dg-node-text", bold=label.bold)
    title = f"<title>{esc(tooltip)}</title>" if tooltip else ""
    inner = f"{title}{shape}{text}"
    if href:
        # Not in the tab order: role="img" hides the SVG's content from assistive technology,
        # so keyboard and screen-reader users get these links from the text version instead.
        inner = f'<a class="dg-link" href="{esc(href)}" tabindex="-1">{inner}</a>'
    return f'<g class="{cls}">{inner}</g>'


@dataclass
class Canvas:
    """Collects elements with the boxes they occupy and fits the viewBox around them."""

    margin: float = 16.0
    layers: dict = field(default_factory=lambda: {"edges": [], "nodes": [], "labels": []})
    boxes: list = field(default_factory=list)

    def add(self, layer: str, svg: str, *boxes: Box) -> None:
        self.layers[layer].append(svg)
        self.boxes.extend(boxes)

    def extend_bounds(self, *boxes: Box) -> None:
        self.boxes.extend(boxes)

    def extend_points(self, points, pad: float = 2.0) -> None:
        """Make room for lines (curves bulge beyond the nodes they join)."""
        points = list(points)
        if points:
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            x0, x1, y0, y1 = min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad
            self.boxes.append(Box((x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0))

    def render(self, id_prefix: str, title: str, desc: str, type_class: str) -> str:
        x0, y0, x1, y1 = union(self.boxes)
        x0, y0, x1, y1 = x0 - self.margin, y0 - self.margin, x1 + self.margin, y1 + self.margin
        w, h = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
        body = "".join(self.layers["edges"]) + "".join(self.layers["nodes"]) + "".join(self.layers["labels"])
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="dg-svg {type_class}" role="img" '
            f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" '
            f'viewBox="{f(x0)} {f(y0)} {f(w)} {f(h)}" width="{f(w)}" height="{f(h)}" '
            f'font-family="{esc(tm.FONT_FAMILY)}" '
            # Scales down with the column, but not below 2/3 of its size (text stays >= 9 px):
            # on a phone the figure scrolls sideways instead (css/diagrams.css).
            f'style="max-width:100%;min-width:{f(w * MIN_SCALE)}px;height:auto">'
            f'<title id="{id_prefix}-title">{esc(title)}</title>'
            f'<desc id="{id_prefix}-desc">{esc(desc)}</desc>'
            f"{body}</svg>"
        )


def text_box(label: Label, cx: float, cy: float, pad: float = 2.0) -> Box:
    return Box(cx, cy, label.w + 2 * pad, label.h + 2 * pad)


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


def quad_path(p0: Point, c: Point, p1: Point, cls: str, dashed: bool = False, width: float = 1.6) -> str:
    dash = ' stroke-dasharray="5 4"' if dashed else ""
    return (f'<path class="{cls}" d="M{f(p0[0])} {f(p0[1])}Q{f(c[0])} {f(c[1])} {f(p1[0])} {f(p1[1])}" '
            f'fill="none" stroke="#222" stroke-width="{f(width)}"{dash}/>')


def line_path(p0: Point, p1: Point, cls: str, dashed: bool = False, width: float = 1.6) -> str:
    dash = ' stroke-dasharray="5 4"' if dashed else ""
    return (f'<path class="{cls}" d="M{f(p0[0])} {f(p0[1])}L{f(p1[0])} {f(p1[1])}" '
            f'fill="none" stroke="#222" stroke-width="{f(width)}"{dash}/>')


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
