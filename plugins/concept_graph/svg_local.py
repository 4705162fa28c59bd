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

from markupsafe import Markup, escape

SITEURL_TOKEN = "<@SITEURL@>"  # cannot occur in escaped text ("<" is always escaped there)
WIDTH, HEIGHT = 640, 330
CX, CY = WIDTH / 2, HEIGHT / 2
RX, RY = 175, 125
LABEL_CHARS = 24


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


def fmt(x: float) -> str:
    s = f"{x:.1f}"
    return s[:-2] if s.endswith(".0") else s


def dom_id(prefix: str, key: str) -> str:
    return f"{prefix}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:8]}"


def href(url: str) -> str:
    return f"{SITEURL_TOKEN}/{escape(url)}"


def fill_siteurl(svg: str, siteurl: str) -> Markup:
    return Markup(svg.replace(SITEURL_TOKEN, str(escape(siteurl or "."))))


def ego_positions(n: int) -> list[tuple[float, float]]:
    out = []
    for i in range(n):
        angle = -math.pi / 2 + 2 * math.pi * i / max(n, 1)
        out.append((CX + RX * math.cos(angle), CY + RY * math.sin(angle)))
    return out


def render_ego(
    center: EgoNode,
    neighbours: list[EgoNode],
    extra_edges: list[tuple[int, int]],
    title: str,
    desc: str,
    css_class: str = "ego-graph",
) -> str:
    """SVG text (with the SITEURL placeholder). `extra_edges`: pairs of neighbour indexes."""
    pos = ego_positions(len(neighbours))
    uid = dom_id("cg", center.id + css_class)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{uid}-t {uid}-d">',
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>',
        '<g class="cg-edges">',
    ]
    for (x, y), nb in zip(pos, neighbours):
        kind = "concept" if nb.kind in ("tag", "category") else "link"
        parts.append(
            f'<line class="cg-edge cg-edge-{kind}" x1="{fmt(CX)}" y1="{fmt(CY)}" x2="{fmt(x)}" y2="{fmt(y)}"/>'
        )
    for a, b in extra_edges:
        (x1, y1), (x2, y2) = pos[a], pos[b]
        parts.append(f'<line class="cg-edge cg-edge-side" x1="{fmt(x1)}" y1="{fmt(y1)}" x2="{fmt(x2)}" y2="{fmt(y2)}"/>')
    parts.append("</g><g class=\"cg-nodes\">")
    parts.append(_node(center, CX, CY, "middle", 11, True))
    for (x, y), nb in zip(pos, neighbours):
        anchor = "middle" if abs(x - CX) < 40 else ("start" if x > CX else "end")
        parts.append(_node(nb, x, y, anchor, 7, False))
    parts.append("</g></svg>")
    return "".join(parts)


def _node(node: EgoNode, x: float, y: float, anchor: str, r: float, center: bool) -> str:
    kind = node.kind
    cls = f"cg-node cg-{kind}" + (" cg-center" if center else "")
    if kind in ("tag", "category"):
        shape = f'<rect x="{fmt(x - r)}" y="{fmt(y - r)}" width="{fmt(2 * r)}" height="{fmt(2 * r)}" rx="2"/>'
    else:
        shape = f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="{fmt(r)}"/>'
    if center:
        tx, ty = x, y + r + 14
    elif anchor == "middle":
        tx, ty = x, (y - r - 5 if y < CY else y + r + 13)
    else:
        tx, ty = (x + r + 4 if anchor == "start" else x - r - 4), y + 4
    label = escape(short(node.label, 30 if center else LABEL_CHARS))
    full = escape(node.label + (f" ({node.relation})" if node.relation else ""))
    body = (
        f'<g class="{cls}"><title>{full}</title>{shape}'
        f'<text x="{fmt(tx)}" y="{fmt(ty)}" text-anchor="{anchor}">{label}</text></g>'
    )
    if node.url:
        return f'<a href="{href(node.url)}">{body}</a>'
    return body
