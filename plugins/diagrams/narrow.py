"""Narrow drawings for phones: every diagram type stacked in one column (pure: spec in, SVG out).

The wide drawings (a ring, a loop layout, layers side by side) need 550-860 units; scaled into
a phone's column their text would shrink under 9 px. These layouts are at most WIDTH units
wide and css/diagrams.css shows them instead of the wide ones below 47.5em of viewport, never
wider than 30rem: at 320 px of viewport the column is 288 px, so 11.5-unit text (the smallest
here) renders at 11.5 * 288 / 340 = 9.7 px.
"""

from __future__ import annotations

import svgkit as sk

from . import concept_map
from .causal_loop import loop_marker
from .intermediary import ring_order
from .spec import Spec

WIDTH = 340.0
LEFT = -WIDTH / 2 + 6  # the canvas adds its 6-unit margin around the content
ROW_GAP = 14.0
SMALL = 11.5  # the smallest text drawn here


def render(spec: Spec, id_prefix: str, desc: str, loops=None) -> str:
    canvas = sk.Canvas(margin=6.0)
    RENDERERS[spec.type](canvas, spec, loops or [])
    return canvas.render(id_prefix, spec.title, desc, f"dg-{spec.type}", "dg-narrow")


def _cls(base: str, node) -> str:
    return base + (f" dg-color-{node.color}" if node.color else "")


def _arrow(canvas, points, cls: str = "dg-flow", dashed: bool = False) -> None:
    """A polyline with an arrowhead at its last point."""
    d = "M" + "L".join(f"{sk.f(x)} {sk.f(y)}" for x, y in points)
    dash = ' stroke-dasharray="5 4"' if dashed else ""
    canvas.add("edges", f'<path class="{cls}" d="{d}" fill="none" stroke="#222" stroke-width="1.6"{dash}/>')
    (x0, y0), (x1, y1) = points[-2], points[-1]
    canvas.add("edges", sk.arrowhead((x1, y1), (x1 - x0, y1 - y0), 9.0))
    canvas.extend_points(points)


def _start_text(canvas, lab: sk.Label, x: float, top: float, cls: str) -> float:
    """Left-aligned wrapped text with its top at `top`; returns its bottom."""
    canvas.add("labels", sk.text_lines(lab.lines, x, top + lab.h / 2, lab.size, cls, anchor="start"),
               sk.Box(x + lab.w / 2, top + lab.h / 2, lab.w, lab.h))
    return top + lab.h


# --- cycle ----------------------------------------------------------------------------


def _cycle(canvas, spec: Spec, loops) -> None:
    """Steps top-down, numbered, an arrow between each, and one arrow back up to the first."""
    labels = [sk.make_label(spec.node(k).label, 196.0) for k in spec.steps]
    width = max(max(lab.w for lab in labels) + 2 * sk.PAD_X, 150.0)
    y = 0.0
    if spec.center:
        centre = sk.make_label(spec.center, 290.0, 14.0, bold=True)
        canvas.add("labels", sk.text_lines(centre.lines, 0, centre.h / 2, 14.0, "dg-center-text", bold=True),
                   sk.Box(0, centre.h / 2, centre.w, centre.h))
        y = centre.h + ROW_GAP
    boxes = []
    for i, (key, lab) in enumerate(zip(spec.steps, labels)):
        box = sk.node_box(lab, min_w=width)
        box.cx, box.cy = 0.0, y + box.h / 2
        y = box.bottom + 30.0
        boxes.append(box)
        node = spec.node(key)
        canvas.add("nodes", sk.node(box, lab, _cls("dg-node dg-step", node), node.description, radius=14), box)
        badge = sk.Box(box.left - 16, box.cy, 22, 22)
        canvas.add("labels",
                   f'<circle class="dg-badge" cx="{sk.f(badge.cx)}" cy="{sk.f(badge.cy)}" r="11" fill="#222"/>'
                   + sk.text_lines([str(i + 1)], badge.cx, badge.cy, SMALL, "dg-badge-text", bold=True)
                   .replace('fill="#111"', 'fill="#fff"'), badge)
    for a, b in zip(boxes, boxes[1:]):
        _arrow(canvas, [(0.0, a.bottom + 3), (0.0, b.top - 3)], "dg-flow dg-ring")
    if len(boxes) > 1:
        back = width / 2 + 26
        first, last = boxes[0], boxes[-1]
        _arrow(canvas, [(last.right + 3, last.cy), (back, last.cy), (back, first.cy), (first.right + 4, first.cy)],
               "dg-flow dg-ring")


# --- intermediary ---------------------------------------------------------------------

TRUNK_X = LEFT + 14
BOX_LEFT = -20.0
BOX_WIDTH = 170.0


def _intermediary(canvas, spec: Spec, loops) -> None:
    """The hub on top, a trunk down its left side, each group (then the beneficiary) in a row
    joined to the trunk by its flows, each flow's label on its own connector."""
    hub = spec.node(spec.hub)
    hub_label = sk.make_label(hub.label, 280.0, 15.0, bold=True)
    hub_box = sk.node_box(hub_label, min_w=WIDTH - 12)
    hub_box.cx, hub_box.cy = 0.0, hub_box.h / 2
    canvas.add("nodes", sk.node(hub_box, hub_label, _cls("dg-node dg-hub", hub), hub.description, radius=18),
               hub_box)
    keys = ring_order(spec) + ([spec.beneficiary] if spec.beneficiary else [])
    y = hub_box.bottom + 22.0
    trunk_end = y
    for key in keys:
        y, connector_ys = _intermediary_row(canvas, spec, key, y)
        trunk_end = max([trunk_end] + connector_ys)
    canvas.add("edges", sk.line_path((TRUNK_X, hub_box.bottom), (TRUNK_X, trunk_end), "dg-spoke dg-trunk", width=2.2))


def _intermediary_row(canvas, spec: Spec, key: str, top: float):
    """One group's row: its flows with the hub as labelled connectors, flows to other nodes as
    a labelled arrow under the box; returns the next row's top and the connectors' heights."""
    node = spec.node(key)
    lab = sk.make_label(node.label, BOX_WIDTH - 2 * sk.PAD_X)
    to_hub = [fl for fl in spec.flows if {fl.src, fl.dst} == {key, spec.hub}]
    onward = [fl for fl in spec.flows if fl.src == key and spec.hub != fl.dst]
    connectors = []
    y = top
    for fl in to_hub:
        text = sk.make_label(fl.label, BOX_LEFT - TRUNK_X - 16, sk.LABEL_SIZE, max_lines=4) if fl.label else None
        y = _start_text(canvas, text, TRUNK_X + 8, y, "dg-edge-label") + 9 if text else y + 9
        connectors.append((fl, y))
        y += 12
    box = sk.node_box(lab, min_w=BOX_WIDTH)
    box.h = max(box.h, y - top - 6)
    box.cx, box.cy = BOX_LEFT + box.w / 2, top + box.h / 2
    cls = "dg-node dg-beneficiary" if key == spec.beneficiary else "dg-node dg-group"
    canvas.add("nodes", sk.node(box, lab, _cls(cls, node), node.description), box)
    if not any(key in (fl.src, fl.dst) for fl in spec.flows):  # no flow: joined to the hub all the same
        connectors.append((None, box.cy))
        canvas.add("edges", sk.line_path((TRUNK_X, box.cy), (box.left - 2, box.cy), "dg-spoke", width=1.4))
    for fl, cy in connectors:
        if fl is None:
            continue
        ends = [(TRUNK_X, cy), (box.left - 3, cy)]
        _arrow(canvas, ends if fl.src == spec.hub else ends[::-1])
        if fl.both:
            canvas.add("edges", sk.arrowhead(ends[0] if fl.src == spec.hub else ends[1],
                                             (-1.0, 0.0) if fl.src == spec.hub else (1.0, 0.0), 9.0))
    bottom = box.bottom
    for fl in onward:
        target = spec.node(fl.dst).label
        text = sk.make_label(f"to {target}" + (f": {fl.label}" if fl.label else ""), BOX_WIDTH - 20,
                             sk.LABEL_SIZE, max_lines=5)
        top_text = bottom + 8
        end = _start_text(canvas, text, box.left + 18, top_text, "dg-edge-label")
        _arrow(canvas, [(box.left + 8, bottom + 2), (box.left + 8, end + 2)])
        bottom = end + 4
    return bottom + ROW_GAP, [cy for _, cy in connectors]


# --- concept map ----------------------------------------------------------------------


def _concept_map(canvas, spec: Spec, loops) -> None:
    """An outline, layer by layer: each concept, and under it each of its propositions as
    "linking phrase" then the concept it leads to, joined by an arrow."""
    keys = list(spec.nodes)
    edges = [(p.src, p.dst) for p in spec.propositions]
    back = concept_map._back_edges(keys, edges)
    layer = concept_map._layers(keys, [((b, a) if (a, b) in back else (a, b)) for a, b in edges])
    order = sorted(keys, key=lambda k: (layer[k], keys.index(k)))
    targets = {p.dst for p in spec.propositions}
    y = 0.0
    for key in order:
        props = [p for p in spec.propositions if p.src == key]
        if not props and key in targets:
            continue  # shown under the concepts that lead to it
        y = _concept_section(canvas, spec, key, props, y) + ROW_GAP + 4


def _concept_section(canvas, spec: Spec, key: str, props, top: float) -> float:
    node = spec.node(key)
    lab = sk.make_label(node.label, 220.0)
    box = sk.node_box(lab)
    box.cx, box.cy = LEFT + box.w / 2, top + box.h / 2
    canvas.add("nodes", sk.node(box, lab, _cls("dg-node dg-concept", node), node.description, radius=16), box)
    trunk_x = LEFT + 14
    y = box.bottom + 6
    for prop in props:
        phrase = sk.make_label(prop.phrase, 270.0, sk.LABEL_SIZE, max_lines=3)
        y = _start_text(canvas, phrase, trunk_x + 16, y, "dg-edge-label dg-phrase") + 6
        target = spec.node(prop.dst)
        tlab = sk.make_label(target.label, 230.0)
        tbox = sk.node_box(tlab)
        tbox.cx, tbox.cy = trunk_x + 24 + tbox.w / 2, y + tbox.h / 2
        canvas.add("nodes", sk.node(tbox, tlab, _cls("dg-node dg-concept dg-target", target), None, radius=16),
                   tbox)
        _arrow(canvas, [(trunk_x, box.bottom + 1), (trunk_x, tbox.cy), (tbox.left - 3, tbox.cy)])
        y = tbox.bottom + 10
    return y - 10 if props else box.bottom


# --- causal loop ----------------------------------------------------------------------

VAR_WIDTH = 140.0


def _causal_loop(canvas, spec: Spec, loops) -> None:
    """Variables top-down (loop by loop), each link an arc beside the column (downward links on
    the right, upward ones on the left) with its sign at the arc's outer point; the loops
    listed under the column with their markers."""
    order = [k for lp in sorted(loops, key=lambda lp: -len(lp.nodes)) for k in lp.nodes]
    order = list(dict.fromkeys(order + list(spec.nodes)))
    labels = {k: sk.make_label(spec.node(k).label, VAR_WIDTH - 2 * sk.PAD_X) for k in order}
    width = max(max(lab.w for lab in labels.values()) + 2 * sk.PAD_X, 110.0)
    boxes, y = {}, 0.0
    for k in order:
        box = sk.node_box(labels[k], min_w=width)
        box.cx, box.cy = 0.0, y + box.h / 2
        boxes[k] = box
        y = box.bottom + 26.0
        node = spec.node(k)
        canvas.add("nodes", sk.node(box, labels[k], _cls("dg-node dg-variable", node), node.description,
                                    radius=10), box)
    index = {k: i for i, k in enumerate(order)}
    ends = _end_slots(spec, boxes, index)
    lanes = _lanes(spec, index)
    for n, lk in enumerate(spec.links):
        _arc_link(canvas, lk, boxes, index, ends[n], lanes[n])
    y = max(b.bottom for b in boxes.values()) + 22
    for lp in loops:
        y = _loop_legend(canvas, lp, y)


def _end_slots(spec: Spec, boxes, index) -> list:
    """Per link, the heights where it leaves its cause and reaches its effect: the ends on
    one side of one box spread over the box's height."""
    per_side: dict = {}
    for n, lk in enumerate(spec.links):
        side = 1 if index[lk.dst] > index[lk.src] else -1
        per_side.setdefault((lk.src, side), []).append((n, 0))
        per_side.setdefault((lk.dst, side), []).append((n, 1))
    ys = [[0.0, 0.0] for _ in spec.links]
    for (key, _side), items in per_side.items():
        box = boxes[key]
        step = min(10.0, box.h / (len(items) + 1))
        items.sort(key=lambda it: (it[1], it[0]))
        for i, (n, end) in enumerate(items):
            ys[n][end] = box.cy + (i - (len(items) - 1) / 2) * step
    return ys


def _lanes(spec: Spec, index) -> list[int]:
    """Per link, how far out its arc runs: links on one side whose spans overlap get different
    lanes (shorter spans inside), so no two arcs, and no two signs, lie on each other."""
    lanes = [0] * len(spec.links)
    taken: dict = {}  # (side, lane) -> [(top, bottom)]
    spans = []
    for n, lk in enumerate(spec.links):
        a, b = index[lk.src], index[lk.dst]
        spans.append((abs(a - b), 1 if b > a else -1, min(a, b), max(a, b), n))
    for _span, side, top, bottom, n in sorted(spans):
        lane = 0
        while any(top <= b2 and t2 <= bottom for t2, b2 in taken.get((side, lane), [])):
            lane += 1
        taken.setdefault((side, lane), []).append((top, bottom))
        lanes[n] = lane
    return lanes


def _arc_link(canvas, lk, boxes, index, ys, lane: int) -> None:
    a = boxes[lk.src]
    side = 1 if index[lk.dst] > index[lk.src] else -1
    edge = a.w / 2 + 3
    bulge = 16 + 22 * min(lane, 3)
    p0, p1 = (side * edge, ys[0]), (side * (edge + 1), ys[1])
    c0, c1 = (side * (edge + bulge * 1.33), ys[0]), (side * (edge + bulge * 1.33), ys[1])
    cls = "dg-causal dg-neg" if lk.polarity == "-" else "dg-causal dg-pos"
    canvas.add("edges", f'<path class="{cls}" d="M{sk.f(p0[0])} {sk.f(p0[1])}C{sk.f(c0[0])} {sk.f(c0[1])} '
                        f'{sk.f(c1[0])} {sk.f(c1[1])} {sk.f(p1[0])} {sk.f(p1[1])}" fill="none" stroke="#222" '
                        f'stroke-width="1.6"/>')
    canvas.add("edges", sk.arrowhead(p1, (-side, 0.0), 9.0))
    apex = (side * (edge + bulge), (ys[0] + ys[1]) / 2)
    text = {"+-": {"+": "+", "-": "\u2212"}, "so": {"+": "s", "-": "o"}}[lk.notation][lk.polarity]
    sign = sk.Box(apex[0] + side * 9, apex[1] - 6, 14, 18)
    canvas.add("labels", sk.text_lines([text], sign.cx, sign.cy, 16.0, f"dg-polarity {cls.split()[1]}", bold=True,
                                       halo=True), sign)
    if lk.delay:  # two strokes across the arc, under its sign
        for off in (8.0, 13.0):
            canvas.add("labels", f'<path class="dg-delay" d="M{sk.f(apex[0] - 6)} {sk.f(apex[1] + off)}'
                                 f'L{sk.f(apex[0] + 6)} {sk.f(apex[1] + off)}" stroke="#222" stroke-width="2"/>')
    canvas.extend_points([p0, p1, (apex[0] + side * 16, apex[1])])


def _loop_legend(canvas, lp, top: float) -> float:
    kind = "reinforcing" if lp.kind == "R" else "balancing"
    text = sk.make_label(f"{lp.name}: {kind} loop" if lp.name else f"A {kind} loop", 250.0, 12.5)
    size = 2 * 17.0
    h = max(size, text.h)
    cx = LEFT + size / 2 + 4
    canvas.add("labels", loop_marker((cx, top + h / 2), lp.ident, True, lp.kind),
               sk.Box(cx, top + h / 2, size + 8, size + 8))
    _start_text(canvas, text, cx + size / 2 + 10, top + (h - text.h) / 2, "dg-loop-name")
    return top + h + 10


RENDERERS = {
    "intermediary": _intermediary,
    "causal-loop": _causal_loop,
    "concept-map": _concept_map,
    "cycle": _cycle,
}
