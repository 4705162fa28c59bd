"""SVG elements for the diagrams: wrapped labels, nodes, arrowheads, paths and the canvas.

Numbers are rounded to one decimal, so the same input always gives byte-identical SVG. Colours
are never written as values a theme must override: elements carry classes (styled by
css/diagrams.css through CSS custom properties) and plain black/white presentation attributes
as the fallback for readers without the stylesheet (feed readers, print).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from . import textmetrics as tm
from .geometry import Box, Point, union
from .markup import clean, esc
from .markup import fmt as f

NODE_SIZE = 14.0
LABEL_SIZE = 12.5
LINE_HEIGHT = 1.25
PAD_X = 12.0
PAD_Y = 9.0


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


def node(box: Box, label: Label, cls: str, tooltip: str | None = None, radius: float = 8.0) -> str:
    """A node: its shape and its centred text.

    Never a link: links inside an SVG of role "img" are nested interactive controls (axe), and
    the figure's text version, right under the drawing, links every node that has a link."""
    if box.shape == "ellipse":
        shape = (f'<ellipse class="dg-shape" cx="{f(box.cx)}" cy="{f(box.cy)}" rx="{f(box.w / 2)}" '
                 f'ry="{f(box.h / 2)}" fill="#fff" stroke="#222" stroke-width="1.5"/>')
    else:
        shape = (f'<rect class="dg-shape" x="{f(box.left)}" y="{f(box.top)}" width="{f(box.w)}" '
                 f'height="{f(box.h)}" rx="{f(radius)}" fill="#fff" stroke="#222" stroke-width="1.5"/>')
    text = text_lines(label.lines, box.cx, box.cy, label.size, "dg-node-text", bold=label.bold)
    title = f"<title>{esc(tooltip)}</title>" if tooltip else ""
    return f'<g class="{cls}">{title}{shape}{text}</g>'


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

    def render(self, id_prefix: str, title: str, desc: str, type_class: str, variant: str = "dg-wide") -> str:
        """The SVG. `variant`: dg-wide or dg-narrow, the drawing for wide or narrow screens
        (css/diagrams.css shows one); the caller gives each its own `id_prefix`."""
        x0, y0, x1, y1 = union(self.boxes)
        x0, y0, x1, y1 = x0 - self.margin, y0 - self.margin, x1 + self.margin, y1 + self.margin
        w, h = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
        body = "".join(self.layers["edges"]) + "".join(self.layers["nodes"]) + "".join(self.layers["labels"])
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="dg-svg {type_class} {variant}" role="img" '
            f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" '
            f'viewBox="{f(x0)} {f(y0)} {f(w)} {f(h)}" width="{f(w)}" height="{f(h)}" '
            f'font-family="{esc(tm.FONT_FAMILY)}">'
            f'<title id="{id_prefix}-title">{esc(title)}</title>'
            f'<desc id="{id_prefix}-desc">{esc(desc)}</desc>'
            f"{body}</svg>"
        )


def quad_path(p0: Point, c: Point, p1: Point, cls: str, dashed: bool = False, width: float = 1.6) -> str:
    dash = ' stroke-dasharray="5 4"' if dashed else ""
    return (f'<path class="{cls}" d="M{f(p0[0])} {f(p0[1])}Q{f(c[0])} {f(c[1])} {f(p1[0])} {f(p1[1])}" '
            f'fill="none" stroke="#222" stroke-width="{f(width)}"{dash}/>')


def line_path(p0: Point, p1: Point, cls: str, dashed: bool = False, width: float = 1.6) -> str:
    dash = ' stroke-dasharray="5 4"' if dashed else ""
    return (f'<path class="{cls}" d="M{f(p0[0])} {f(p0[1])}L{f(p1[0])} {f(p1[1])}" '
            f'fill="none" stroke="#222" stroke-width="{f(width)}"{dash}/>')
