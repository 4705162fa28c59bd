"""Small inline SVG "ego" maps: one node in the middle, its neighbours around it.

Used for the local graph of every post and the concept map of every concept page. Radial and
deterministic (no force simulation per page), coordinates with one decimal, every node a link,
every piece of text escaped. Links carry a placeholder for SITEURL, filled at render time, so the
same SVG works at any depth with relative URLs.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup

from svgkit import esc, fmt

SITEURL_TOKEN = "<@SITEURL@>"  # cannot occur in escaped text ("<" is always escaped there)
WIDTH, HEIGHT = 720, 330
CX, CY = WIDTH / 2, HEIGHT / 2
RX, RY = 175, 125
LABEL_CHARS = 22


@dataclass
class EgoNode:
    id: str
    kind: str  # post, page, tag, category, diagram, source
    label: str
    url: str = ""
    relation: str = ""  # in words: "links here", "links to it", "concept", ...


def short(label: str, limit: int = LABEL_CHARS) -> str:
    label = " ".join(label.split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def dom_id(prefix: str, key: str) -> str:
    return f"{prefix}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:8]}"


def href(url: str) -> str:
    return f"{SITEURL_TOKEN}/{esc(url)}"


def fill_siteurl(svg: str, siteurl: str) -> Markup:
    return Markup(svg.replace(SITEURL_TOKEN, str(esc(siteurl or "."))))


@lru_cache(maxsize=64)
def _slots(n: int) -> tuple[tuple[str, ...], ...]:
    """Per position around the centre: formatted x, y, text anchor, label x, label y, and the
    edge from the centre. Cached by number of neighbours: pages only format their labels."""
    out = []
    for i in range(n):
        angle = -math.pi / 2 + 2 * math.pi * i / max(n, 1)
        x, y = CX + RX * math.cos(angle), CY + RY * math.sin(angle)
        anchor = "middle" if abs(x - CX) < 40 else ("start" if x > CX else "end")
        r = 7
        if anchor == "middle":
            tx, ty = x, (y - r - 5 if y < CY else y + r + 13)
        else:
            tx, ty = (x + r + 4 if anchor == "start" else x - r - 4), y + 4
        out.append((fmt(x), fmt(y), anchor, fmt(tx), fmt(ty), fmt(x - r), fmt(y - r)))
    return tuple(out)


def render_ego(
    center: EgoNode,
    neighbours: list[EgoNode],
    extra_edges: list[tuple[int, int]],
    title: str,
    desc: str,
    css_class: str = "ego-graph",
) -> str:
    """SVG text (with the SITEURL placeholder). `extra_edges`: pairs of neighbour indexes."""
    slots = _slots(len(neighbours))
    uid = dom_id("cg", center.id + css_class)
    cx, cy = fmt(CX), fmt(CY)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{uid}-t {uid}-d">',
        f'<title id="{uid}-t">{esc(title)}</title><desc id="{uid}-d">{esc(desc)}</desc>',
        '<g class="cg-edges">',
    ]
    # All spokes of one kind in one path (smaller pages than one <line> each).
    spokes = {"link": [], "concept": []}
    for slot, nb in zip(slots, neighbours):
        spokes["concept" if nb.kind in ("tag", "category") else "link"].append(f"M{cx} {cy}L{slot[0]} {slot[1]}")
    for kind in ("concept", "link"):
        if spokes[kind]:
            parts.append(f'<path class="cg-edge cg-edge-{kind}" d="{"".join(spokes[kind])}"/>')
    if extra_edges:
        d = "".join(f"M{slots[a][0]} {slots[a][1]}L{slots[b][0]} {slots[b][1]}" for a, b in extra_edges)
        parts.append(f'<path class="cg-edge cg-edge-side" d="{d}"/>')
    parts.append('</g><g class="cg-nodes">')
    r = 11
    parts.append(_node(center, (cx, cy, "middle", cx, fmt(CY + r + 14), fmt(CX - r), fmt(CY - r)), r, True))
    for slot, nb in zip(slots, neighbours):
        parts.append(_node(nb, slot, 7, False))
    parts.append("</g></svg>")
    return "".join(parts)


def _node(node: EgoNode, slot: tuple[str, ...], r: int, center: bool) -> str:
    x, y, anchor, tx, ty, x0, y0 = slot
    kind = node.kind
    cls = f"cg-node cg-{kind}" + (" cg-center" if center else "")
    if kind in ("tag", "category"):
        shape = f'<rect x="{x0}" y="{y0}" width="{2 * r}" height="{2 * r}" rx="2"/>'
    else:
        shape = f'<circle cx="{x}" cy="{y}" r="{r}"/>'
    label = esc(short(node.label, 30 if center else LABEL_CHARS))
    full = esc(node.label + (f" ({node.relation})" if node.relation else ""))
    body = (
        f'<g class="{cls}"><title>{full}</title>{shape}'
        f'<text x="{tx}" y="{ty}" text-anchor="{anchor}">{label}</text></g>'
    )
    if node.url:
        return f'<a href="{href(node.url)}">{body}</a>'
    return body
