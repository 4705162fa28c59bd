"""Concept map: concepts in layers read top-down, the linking phrases on the arrows (pure).

A small Sugiyama layout: cycles broken by reversing back edges (DFS in declaration order),
longest-path layers, dummy points on long edges, barycentre ordering sweeps, then x positions
pulled toward neighbours with a minimum separation. Deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import svgkit as sk

from .spec import Spec

CONCEPT_WIDTH = 140.0
PHRASE_WIDTH = 112.0
H_GAP = 44.0
DUMMY_W = 24.0


@dataclass
class _Layout:
    """The layered drawing: rows of vertices (concepts and dummy points), their x and y."""

    rows: list
    chains: list  # per proposition: vertex ids from src to dst (in drawing direction)
    label_at: dict  # proposition index -> dummy vertex that carries its phrase (long edges)
    up: dict = field(default_factory=dict)  # vertex -> [neighbours in the layer above]
    down: dict = field(default_factory=dict)
    width: dict = field(default_factory=dict)
    x: dict = field(default_factory=dict)
    y: dict = field(default_factory=dict)


def render(spec: Spec, id_prefix: str, desc: str, loops=None) -> str:
    keys = list(spec.nodes)
    edges = [(p.src, p.dst) for p in spec.propositions]
    back = _back_edges(keys, edges)
    dag = [((b, a) if (a, b) in back else (a, b)) for a, b in edges]
    layer = _layers(keys, dag)
    labels = {k: sk.make_label(spec.node(k).label, CONCEPT_WIDTH) for k in keys}
    boxes = {k: sk.node_box(labels[k], min_w=80) for k in keys}
    phrase_labels = [sk.make_label(p.phrase, PHRASE_WIDTH, sk.LABEL_SIZE, max_lines=3) for p in spec.propositions]
    lay = _with_dummies(keys, edges, dag, layer, boxes, phrase_labels)
    _order_rows(lay)
    _x_positions(lay)
    _y_positions(lay, boxes, phrase_labels)
    for k in keys:
        boxes[k].cx, boxes[k].cy = lay.x[k], lay.y[k]
    canvas = sk.Canvas()
    _draw_propositions(canvas, spec, lay, boxes, phrase_labels)
    for k in keys:
        node = spec.node(k)
        cls = "dg-node dg-concept" + (f" dg-color-{node.color}" if node.color else "")
        canvas.add("nodes", sk.node(boxes[k], labels[k], cls, node.description, radius=16), boxes[k])
    return canvas.render(id_prefix, spec.title, desc, "dg-concept-map")


def _back_edges(keys, edges) -> set:
    """Edges that close a cycle (DFS in declaration order): reversed to make the graph acyclic."""
    succ = {k: [] for k in keys}
    for a, b in edges:
        succ[a].append(b)
    state, back = {}, set()
    for root in keys:
        if root in state:
            continue
        stack = [(root, iter(succ[root]))]
        state[root] = 1
        while stack:
            v, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[v] = 2
                stack.pop()
                continue
            if state.get(nxt) == 1:
                back.add((v, nxt))
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(succ[nxt])))
    return back


def _layers(keys, dag) -> dict:
    """Longest-path layers; sources sit just above their highest child (shorter edges)."""
    preds = {k: [] for k in keys}
    dsucc = {k: [] for k in keys}
    for a, b in dag:
        preds[b].append(a)
        dsucc[a].append(b)
    layer = {}

    def depth(v):
        if v in layer:
            return layer[v]
        layer[v] = 0  # guards against (impossible) residual cycles
        layer[v] = max((depth(u) + 1 for u in preds[v]), default=0)
        return layer[v]

    for k in keys:
        depth(k)
    for k in keys:
        if not preds[k] and dsucc[k]:
            layer[k] = max(layer[k], min(layer[c] for c in dsucc[k]) - 1)
    return layer


def _with_dummies(keys, edges, dag, layer, boxes, phrase_labels) -> _Layout:
    """Rows per layer, with a dummy point wherever an edge crosses a layer."""
    index = {k: i for i, k in enumerate(keys)}
    nlayers = max(layer.values(), default=0) + 1
    rows: list[list[str]] = [[] for _ in range(nlayers)]
    for k in sorted(keys, key=lambda k: (layer[k], index[k])):
        rows[layer[k]].append(k)
    lay = _Layout(rows, [], {})
    for k in keys:
        lay.width[k] = boxes[k].w
    for n_edge, ((a, b), (da, db)) in enumerate(zip(edges, dag)):
        chain = [da]
        levels = list(range(layer[da] + 1, layer[db]))
        for level in levels:
            d = f"\x00d{n_edge}-{level}"
            rows[level].append(d)
            lay.width[d] = DUMMY_W
            chain.append(d)
        if levels:
            carrier = chain[1 + len(levels) // 2]
            lay.width[carrier] = phrase_labels[n_edge].w + 16
            lay.label_at[n_edge] = carrier
        chain.append(db)
        for u, w in zip(chain, chain[1:]):
            lay.down.setdefault(u, []).append(w)
            lay.up.setdefault(w, []).append(u)
        lay.chains.append(chain if (a, b) == (da, db) else list(reversed(chain)))
    return lay


def _order_rows(lay: _Layout) -> None:
    """Order each row to minimise crossings: barycentre sweeps down and up from the declared
    order and from its mirror image, keeping the best order seen, then swaps of neighbours in
    a row while they remove crossings."""
    start = [list(row) for row in lay.rows]
    best, best_count = [list(row) for row in start], _crossings(lay)
    for initial in (start, [row[::-1] for row in start]):
        lay.rows[:] = [list(row) for row in initial]
        for rows, count in _sweeps(lay):
            if count < best_count:
                best, best_count = rows, count
    lay.rows[:] = best
    for _ in range(8):  # transpose: a few rounds are plenty at diagram sizes
        improved = False
        for row in lay.rows:
            for i in range(len(row) - 1):
                row[i], row[i + 1] = row[i + 1], row[i]
                count = _crossings(lay)
                if count < best_count:
                    best_count, improved = count, True
                else:
                    row[i], row[i + 1] = row[i + 1], row[i]
        if not improved or not best_count:
            break


def _sweeps(lay: _Layout):
    """Barycentre ordering sweeps, alternately down and up; yields (rows, crossings) after each."""
    rows, nlayers = lay.rows, len(lay.rows)
    pos = {v: i for row in rows for i, v in enumerate(row)}
    for sweep in range(12):
        rng = range(1, nlayers) if sweep % 2 == 0 else range(nlayers - 2, -1, -1)
        for li in rng:
            nb = lay.up if sweep % 2 == 0 else lay.down
            row = rows[li]

            def bary(v, nb=nb):
                ns = nb.get(v, [])
                return sum(pos[u] for u in ns) / len(ns) if ns else pos[v]

            row.sort(key=lambda v: (bary(v), pos[v]))
            for i, v in enumerate(row):
                pos[v] = i
        yield [list(row) for row in rows], _crossings(lay)


def _crossings(lay: _Layout) -> int:
    """Edge crossings between neighbouring rows (every edge joins neighbouring rows)."""
    pos = {v: i for row in lay.rows for i, v in enumerate(row)}
    total = 0
    for row in lay.rows:
        pairs = [(pos[u], pos[v]) for u in row for v in lay.down.get(u, [])]
        total += sum(1 for i, (a1, b1) in enumerate(pairs) for a2, b2 in pairs[i + 1:]
                     if (a1 - a2) * (b1 - b2) < 0)
    return total


def _x_positions(lay: _Layout) -> None:
    """Rows centred, then each vertex pulled toward its neighbours (keeping the separation)."""
    x, width = lay.x, lay.width
    for row in lay.rows:
        cur = 0.0
        for v in row:
            x[v] = cur + width[v] / 2
            cur += width[v] + H_GAP
        shift = (cur - H_GAP) / 2
        for v in row:
            x[v] -= shift
    for _ in range(24):
        for row in lay.rows:
            want = {}
            for v in row:
                ns = lay.up.get(v, []) + lay.down.get(v, [])
                want[v] = sum(x[u] for u in ns) / len(ns) if ns else x[v]
            _settle(row, want, width, x)


def _y_positions(lay: _Layout, boxes, phrase_labels) -> None:
    """Rows top-down, each as tall as its tallest box, gaps with room for two phrases."""
    ph = max((lab.h for lab in phrase_labels), default=16.0)
    gap = max(92.0, 2 * ph + 56.0)
    cur = 0.0
    for row in lay.rows:
        hmax = max([boxes[v].h for v in row if v in boxes]
                   + [phrase_labels[i].h + 6 for i, v in lay.label_at.items() if v in row] or [30.0])
        for v in row:
            lay.y[v] = cur + hmax / 2
        cur += hmax + gap


def _draw_propositions(canvas, spec: Spec, lay: _Layout, boxes, phrase_labels) -> None:
    """Each proposition's arrow along its chain, and its linking phrase on the arrow."""
    x, y = lay.x, lay.y
    obstacles = list(boxes.values())
    placed = []
    # Two propositions between the same pair of concepts: side by side, 9 px apart.
    pair_index: dict = {}
    for i, prop in enumerate(spec.propositions):
        pair_index.setdefault(frozenset((prop.src, prop.dst)), []).append(i)
    shift = {}
    for group in pair_index.values():
        if len(group) == 2:
            shift[group[0]], shift[group[1]] = -9.0, 9.0
    lines = []
    for i, chain in enumerate(lay.chains):
        dx = shift.get(i, 0.0)
        pts = [(x[v] + dx, y[v]) for v in chain]
        a, b = boxes[chain[0]], boxes[chain[-1]]
        pts[0] = a.border_toward(pts[1], 3.0)
        pts[-1] = b.border_toward(pts[-2], 3.0)
        if dx:
            pts[0] = (pts[0][0] + dx, pts[0][1])
            pts[-1] = (pts[-1][0] + dx, pts[-1][1])
        lines.append(pts)
    # Points along each line: a phrase sits on its own line, clear of the others where it can.
    along = [[(p[0] + (q[0] - p[0]) * k / 12, p[1] + (q[1] - p[1]) * k / 12) for p, q in zip(pts, pts[1:])
              for k in range(13)] for pts in lines]
    for i, (pts, lab) in enumerate(zip(lines, phrase_labels)):
        dx = shift.get(i, 0.0)
        canvas.add("edges", _spline(pts))
        canvas.extend_points(pts)
        canvas.add("edges", sk.arrowhead(pts[-1], (pts[-1][0] - pts[-2][0], pts[-1][1] - pts[-2][1]), 11.0))
        if i in lay.label_at:
            d = lay.label_at[i]
            spot = (x[d], y[d])
        else:
            others = [q for j, pl in enumerate(along) if j != i for q in pl]
            spot = _phrase_spot(pts, lab, dx, obstacles + placed, others)
        placed.append(sk.Box(spot[0], spot[1], lab.w + 6, lab.h + 2))
        canvas.add("labels", sk.edge_label(lab, spot[0], spot[1], "dg-edge-label dg-phrase"), placed[-1])


def _phrase_spot(pts, lab, dx, obstacles, other_lines=()):
    """The phrase in the gap below the upper end of a short edge, clear of boxes and phrases
    and, where it can be, of the other lines."""
    top, nxt = (pts[0], pts[1]) if pts[0][1] <= pts[-1][1] else (pts[-1], pts[-2])
    side = (lab.w / 2 + 6) * (1 if dx > 0 else -1) if dx else 0.0
    cands = [(top[0] + (nxt[0] - top[0]) * t + side, top[1] + (nxt[1] - top[1]) * t)
             for t in (0.5, 0.4, 0.6, 0.32, 0.68, 0.25, 0.75)]
    return (sk.free_spot(lab.w + 6, lab.h + 2, cands, obstacles, other_lines, margin=2.0)
            or sk.free_spot(lab.w + 6, lab.h + 2, cands, obstacles) or cands[0])


def _settle(row, want, width, x):
    """Move a row toward wanted positions, keeping order and the minimum separation."""
    n = len(row)
    if not n:
        return
    new = [want[v] for v in row]
    for i in range(1, n):
        sep = (width[row[i - 1]] + width[row[i]]) / 2 + H_GAP
        new[i] = max(new[i], new[i - 1] + sep)
    # Pull back left to balance the push (keep the mean offset from the wanted positions at zero).
    offset = sum(new[i] - want[row[i]] for i in range(n)) / n
    for i in range(n):
        x[row[i]] = new[i] - offset


def _spline(pts) -> str:
    f = sk.f
    d = f"M{f(pts[0][0])} {f(pts[0][1])}"
    if len(pts) == 2:
        d += f"L{f(pts[1][0])} {f(pts[1][1])}"
    else:
        ext = [pts[0]] + pts + [pts[-1]]
        for i in range(1, len(ext) - 2):
            p0, p1, p2, p3 = ext[i - 1], ext[i], ext[i + 1], ext[i + 2]
            c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
            c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
            d += f"C{f(c1[0])} {f(c1[1])} {f(c2[0])} {f(c2[1])} {f(p2[0])} {f(p2[1])}"
    return f'<path class="dg-flow" d="{d}" fill="none" stroke="#222" stroke-width="1.6"/>'
