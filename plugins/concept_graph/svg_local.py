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
_DOT_R, _DOT_D = fmt(DOT_R), fmt(2 * DOT_R)


@dataclass
class EgoNode:
    id: str
    kind: str  # post, page, tag, category, diagram, source
    label: str
    url: str = ""
    relation: str = ""  # in words: "links here", "links to it", "concept", ...


# A drawing's links are for the pointer: out of the tab order and hidden from screen readers, since the
# words next to the drawing (its text version, the lists of its section) hold the same links. A named
# link here would be announced twice, and axe's label-content-name-mismatch flags wrapped labels.
OUT_OF_TAB_ORDER = ' tabindex="-1" aria-hidden="true"'


def dom_id(prefix: str, key: str) -> str:
    return f"{prefix}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:8]}"


def href(url: str) -> str:
    return f"{SITEURL_TOKEN}/{esc(url)}"


def fill_siteurl(svg: str, siteurl: str) -> Markup:
    return Markup(svg.replace(SITEURL_TOKEN, str(esc(siteurl or "."))))


_FONT_FAMILY = esc(tm.FONT_FAMILY)


@lru_cache(maxsize=16384)
def _wrapped(text: str, width: float, size: float, bold: bool = False) -> tuple[tuple[str, ...], float, float]:
    """Wrapped lines, escaped (whole words kept whole where they fit), and the block's width
    and height. Cached: the same titles recur on many pages."""
    lines = tm.wrap(text, width, size, bold)
    w, h = tm.block_size(lines, size, LINE_HEIGHT, bold)
    return tuple(esc(line) for line in lines), w, h


@lru_cache(maxsize=16384)
def _name(label: str, relation: str) -> str:
    """A neighbour's full name, escaped: its tooltip and its link's accessible name."""
    return esc(label + (f" ({relation})" if relation else ""))


def _text(lines, x: float, y: float, size: float, anchor: str, size_attr: str = "") -> str:
    """Escaped lines centred vertically on y."""
    lh = size * LINE_HEIGHT
    first = y - (len(lines) - 1) * lh / 2 + size * 0.35
    fx = fmt(x)
    spans = "".join(f'<tspan x="{fx}" y="{fmt(first + i * lh)}">{line}</tspan>' for i, line in enumerate(lines))
    return f'<text x="{fx}" y="{fmt(first)}"{size_attr} text-anchor="{anchor}">{spans}</text>'


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
        head, tail, h = _node(nb.kind, nb.label, nb.url, nb.relation, col, style)
        y = column_y[col] + h / 2
        column_y[col] += h + ROW_GAP
        items.append((nb, x_right if col == 0 else x_left, y, head, tail))
    height = max(column_y + [box.bottom + 10]) + MARGIN
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class} {style.name}" '
        f'viewBox="0 0 {fmt(w)} {fmt(height)}" role="group" aria-labelledby="{uid}-t {uid}-d" '
        f'font-family="{_FONT_FAMILY}" font-size="{fmt(size)}">',
        f'<title id="{uid}-t">{esc(title)}</title><desc id="{uid}-d">{esc(desc)}</desc>',
        '<g class="cg-edges">',
    ]
    spokes = {"link": [], "concept": []}
    for nb, x, y, *_ in items:
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
        + _text(lines, box.cx, box.cy, size + 1, "middle", f' font-size="{fmt(size + 1)}"') + "</g>")
    for _nb, x, y, head, tail in items:
        parts.append(f"{head}{fmt(x)} {fmt(y)}{tail}")
    parts.append("</g></svg>")
    return "".join(parts)


@lru_cache(maxsize=32768)
def _node(kind: str, label: str, url: str, relation: str, col: int, style: EgoStyle) -> tuple[str, str, float]:
    """A neighbour drawn at (0, 0), as the markup before and after its "translate(x y)", and
    its height. Cached: a post is a neighbour on many pages, always drawn the same."""
    size = style.font
    if kind in ("tag", "category"):
        shape = f'<rect x="{fmt(-DOT_R)}" y="{fmt(-DOT_R)}" width="{_DOT_D}" height="{_DOT_D}" rx="2"/>'
    else:
        shape = f'<circle cx="0" cy="0" r="{_DOT_R}"/>'
    lines, _, text_h = _wrapped(label, style.label_width, size)
    tx = DOT_R + 5 if col == 0 else -DOT_R - 5
    text = _text(lines, tx, 0.0, size, "start" if col == 0 else "end")
    full = _name(label, relation)
    head = f'<g class="cg-node cg-{kind}" transform="translate('
    tail = f')"><title>{full}</title>{shape}{text}</g>'
    if url:
        head = f'<a href="{href(url)}"{OUT_OF_TAB_ORDER}>{head}'
        tail += "</a>"
    return head, tail, max(text_h, 2 * DOT_R)
