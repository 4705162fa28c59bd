"""Small inline SVG "ego" maps: one node on top, its neighbours in two columns below it.

Used for the local graph of every post and the concept map of every concept page. Two drawings
per map, one for wide and one for narrow screens (CSS shows one), deterministic, coordinates
with one decimal, labels wrapped between words with the kit's text metrics, every neighbour
with a page a link, every piece of text escaped. Links carry a placeholder for SITEURL, filled at render time, so the
same SVG works at any depth with relative URLs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup

from svgkit import LINE_HEIGHT, Box, esc, fmt
from svgkit import textmetrics as tm

SITEURL_TOKEN = "<@SITEURL@>"  # cannot occur in escaped text ("<" is always escaped there)


@dataclass(frozen=True)
class EgoStyle:
    """One drawing of an ego map: designed for a width, read at a font size.

    Labels never go under 9 CSS px: the wide drawing is shown from 760 px of viewport up (the
    column is then >= 700 px: 13 * 700 / 720 = 12.6 px), the narrow one below it, never wider
    than 30rem (12.5 * 288 / 340 = 10.6 px at a 320 px viewport; graph.css)."""

    name: str  # css class: cg-wide | cg-narrow
    width: float
    font: float
    label_width: float  # room for a neighbour's wrapped label beside its dot


WIDE = EgoStyle("cg-wide", 720.0, 13.0, 230.0)
NARROW = EgoStyle("cg-narrow", 340.0, 12.5, 122.0)
STYLES = (WIDE, NARROW)
MARGIN = 6.0
DOT_R = 6.0
ROW_GAP = 9.0


@dataclass
class EgoNode:
    id: str
    kind: str  # post, page, tag, category, diagram, source
    label: str
    url: str = ""
    relation: str = ""  # in words: "links here", "links to it", "concept", ...


def dom_id(prefix: str, key: str) -> str:
    return f"{prefix}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:8]}"


def href(url: str) -> str:
    return f"{SITEURL_TOKEN}/{esc(url)}"


def fill_siteurl(svg: str, siteurl: str) -> Markup:
    return Markup(svg.replace(SITEURL_TOKEN, str(esc(siteurl or "."))))


@lru_cache(maxsize=4096)
def _wrapped(text: str, width: float, size: float, bold: bool = False) -> tuple[tuple[str, ...], float, float]:
    """Wrapped lines (whole words kept whole where they fit) and the block's width and height."""
    lines = tuple(tm.wrap(text, width, size, bold))
    w, h = tm.block_size(list(lines), size, LINE_HEIGHT, bold)
    return lines, w, h


def _text(lines, x: float, y: float, size: float, anchor: str) -> str:
    """Lines centred vertically on y."""
    lh = size * LINE_HEIGHT
    first = y - (len(lines) - 1) * lh / 2 + size * 0.35
    spans = "".join(f'<tspan x="{fmt(x)}" y="{fmt(first + i * lh)}">{esc(line)}</tspan>'
                    for i, line in enumerate(lines))
    return f'<text x="{fmt(x)}" y="{fmt(first)}" text-anchor="{anchor}">{spans}</text>'


def render_ego(center: EgoNode, neighbours: list[EgoNode], title: str, desc: str,
               css_class: str = "ego-graph") -> str:
    """Two drawings (wide, narrow; graph.css shows one), with the SITEURL placeholder."""
    uid = dom_id("cg", center.id + css_class)
    return "".join(_ego_svg(center, neighbours, title, desc, css_class, f"{uid}-{style.name[3]}", style)
                   for style in STYLES)


def _ego_svg(center: EgoNode, neighbours: list[EgoNode], title: str, desc: str, css_class: str,
             uid: str, style: EgoStyle) -> str:
    """The centre as a titled box on top, its neighbours in two columns below, each joined to
    the box by a line that starts at the box's edge (no line crosses the centre's label).

    role="group", not "img": the dots are links (for the mouse), kept out of the tab order
    because the same links follow in the text version; each has the full label as its name."""
    w, size = style.width, style.font
    lines, tw, th = _wrapped(center.label, w - 2 * MARGIN - 24, size + 1, True)
    box = Box(w / 2, MARGIN + th / 2 + 9, tw + 24, th + 18)
    x_left = MARGIN + style.label_width + DOT_R + 5
    x_right = w - x_left
    column_y = [box.bottom + 26.0, box.bottom + 26.0]
    items = []
    for i, nb in enumerate(neighbours):
        col = i % 2  # 0: right, 1: left
        nlines, _, nh = _wrapped(nb.label, style.label_width, size)
        h = max(nh, 2 * DOT_R)
        y = column_y[col] + h / 2
        column_y[col] += h + ROW_GAP
        items.append((nb, x_right if col == 0 else x_left, y, nlines, col))
    height = max(column_y + [box.bottom + 10]) + MARGIN
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class} {style.name}" '
        f'viewBox="0 0 {fmt(w)} {fmt(height)}" role="group" aria-labelledby="{uid}-t {uid}-d" '
        f'font-family="{esc(tm.FONT_FAMILY)}" font-size="{fmt(size)}">',
        f'<title id="{uid}-t">{esc(title)}</title><desc id="{uid}-d">{esc(desc)}</desc>',
        '<g class="cg-edges">',
    ]
    spokes = {"link": [], "concept": []}
    for nb, x, y, _, _ in items:
        sx, sy = box.border_toward((x, y), 2.0)
        spokes["concept" if nb.kind in ("tag", "category") else "link"].append(
            f"M{fmt(sx)} {fmt(sy)}L{fmt(x)} {fmt(y)}")
    for kind in ("concept", "link"):
        if spokes[kind]:
            parts.append(f'<path class="cg-edge cg-edge-{kind}" d="{"".join(spokes[kind])}"/>')
    parts.append('</g><g class="cg-nodes">')
    # The page's own node: not a link (it would lead to the page it is on).
    parts.append(
        f'<g class="cg-node cg-{center.kind} cg-center"><rect x="{fmt(box.left)}" y="{fmt(box.top)}" '
        f'width="{fmt(box.w)}" height="{fmt(box.h)}" rx="8"/>'
        f'{_text(lines, box.cx, box.cy, size + 1, "middle")}</g>')
    for nb, x, y, nlines, col in items:
        parts.append(_node(nb, x, y, nlines, col, size))
    parts.append("</g></svg>")
    return "".join(parts)


def _node(node: EgoNode, x: float, y: float, lines, col: int, size: float) -> str:
    cls = f"cg-node cg-{node.kind}"
    if node.kind in ("tag", "category"):
        shape = (f'<rect x="{fmt(x - DOT_R)}" y="{fmt(y - DOT_R)}" width="{fmt(2 * DOT_R)}" '
                 f'height="{fmt(2 * DOT_R)}" rx="2"/>')
    else:
        shape = f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="{fmt(DOT_R)}"/>'
    tx = x + DOT_R + 5 if col == 0 else x - DOT_R - 5
    text = _text(lines, tx, y, size, "start" if col == 0 else "end")
    full = esc(node.label + (f" ({node.relation})" if node.relation else ""))
    body = f'<g class="{cls}"><title>{full}</title>{shape}{text}</g>'
    if node.url:
        return f'<a href="{href(node.url)}" tabindex="-1" aria-label="{full}">{body}</a>'
    return body
