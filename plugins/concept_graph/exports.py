"""The graph as files: node-link JSON, a Kumu blueprint, GEXF (Gephi) and GraphML (yEd).

Only plain attributes are exported (strings and numbers, never content objects); output is
sorted and byte-identical for the same content.
"""

from __future__ import annotations

import json
from functools import lru_cache
from xml.sax.saxutils import escape as xml_escape

import networkx as nx

KUMU_TYPES = {
    "post": "Post", "page": "Page", "tag": "Concept", "category": "Category",
    "diagram": "Diagram", "source": "Source",
}


class Plain:
    """The graph reduced to sorted plain data: nodes [(id, attrs)], edges [(u, v, key, attrs)]."""

    def __init__(self, nodes: list[tuple[str, dict]], edges: list[tuple[str, str, str, dict]]):
        self.node_list = nodes
        self.edge_list = edges
        self.attrs = dict(nodes)
        self.node_types = _types(a for _, a in nodes)
        self.edge_types = _types(e[3] for e in edges)


def _clean(attrs: dict) -> dict:
    out = {}
    for k, v in sorted(attrs.items()):
        if v is None:
            continue
        if isinstance(v, (list, tuple, set)):
            v = "|".join(str(x) for x in v)
        elif not isinstance(v, (str, int, float, bool)):
            v = str(v)
        out[k] = v
    return out


def plain_graph(g: nx.MultiDiGraph, extra: dict[str, dict] | None = None) -> Plain:
    """Only scalar attributes (lists joined with '|'), plus optional node extras; sorted."""
    nodes = []
    for n in sorted(g):
        attrs = g.nodes[n]
        if extra and n in extra:
            attrs = {**attrs, **extra[n]}
        nodes.append((n, _clean(attrs)))
    edges = sorted(((u, v, k, _clean(d)) for u, v, k, d in g.edges(keys=True, data=True)),
                   key=lambda e: (e[0], e[1], e[2]))
    return Plain(nodes, edges)


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
_dumps = _ENCODER.encode  # one encoder for every item (json.dumps with options makes one per call)


def _json_lists(fh, head: dict, lists: dict[str, object]) -> None:
    """Write {**head, **lists} as compact, key-sorted JSON; each list from an iterable, in
    batches (the same bytes as json.dumps(..., sort_keys=True) of the whole object)."""
    keys = sorted({**head, **{k: None for k in lists}})
    fh.write(b"{")
    for i, key in enumerate(keys):
        fh.write((("," if i else "") + _dumps(key) + ":").encode("utf-8"))
        if key in lists:
            fh.write(b"[")
            batch: list[str] = []
            first = True
            for item in lists[key]:
                batch.append(_dumps(item))
                if len(batch) >= 2000:
                    fh.write((("" if first else ",") + ",".join(batch)).encode("utf-8"))
                    first, batch = False, []
            if batch:
                fh.write((("" if first else ",") + ",".join(batch)).encode("utf-8"))
            fh.write(b"]")
        else:
            fh.write(_dumps(head[key]).encode("utf-8"))
    fh.write(b"}\n")


def write_node_link_json(h: Plain, fh) -> None:
    """The format of networkx's node_link_data(G, edges="links") for a MultiDiGraph."""
    _json_lists(
        fh,
        {"directed": True, "multigraph": True, "graph": {}},
        {
            "nodes": ({**a, "id": n} for n, a in h.node_list),
            "links": ({**d, "source": u, "target": v, "key": k} for u, v, k, d in h.edge_list),
        },
    )


def write_kumu_json(h: Plain, fh, siteurl: str = "") -> None:
    """Kumu blueprint: elements with unique labels; connections reference them by label."""
    taken: dict[str, str] = {}
    label_of: dict[str, str] = {}
    for n, a in h.node_list:
        base = a.get("label") or n
        label = base
        if label in taken:
            label = f"{base} [{a['kind']}]"
        if label in taken:
            label = f"{base} [{n}]"
        taken[label] = n
        label_of[n] = label

    def elements():
        for n, a in h.node_list:
            el = {"id": n, "label": label_of[n], "type": KUMU_TYPES.get(a["kind"], a["kind"])}
            if a.get("url"):
                el["url"] = f"{siteurl.rstrip('/')}/{a['url']}" if siteurl else a["url"]
            for key in ("cluster", "pagerank", "betweenness", "date", "source"):
                if key in a:
                    el[key] = a[key]
            if a.get("cluster_label"):
                el["tags"] = [a["cluster_label"]]
            yield el

    def connections():
        for u, v, k, d in h.edge_list:
            c = {"from": label_of[u], "to": label_of[v], "type": d.get("kind", k), "direction": "directed"}
            if "count" in d:
                c["count"] = d["count"]
            yield c

    _json_lists(fh, {}, {"elements": elements(), "connections": connections()})


def _types(items) -> dict[str, str]:
    """Attribute name -> "string" | "integer" | "double" | "boolean", over all items."""
    types: dict[str, str] = {}
    for attrs in items:
        for k, v in attrs.items():
            t = ("boolean" if isinstance(v, bool) else "integer" if isinstance(v, int)
                 else "double" if isinstance(v, float) else "string")
            old = types.get(k)
            if old is None or old == t:
                types[k] = t
            elif {old, t} == {"integer", "double"}:
                types[k] = "double"
            else:
                types[k] = "string"
    return dict(sorted(types.items()))


def _value(v, t: str) -> str:
    if t == "boolean":
        return "true" if v else "false"
    if t == "double":
        return repr(float(v))
    return str(v)


@lru_cache(maxsize=1 << 16)
def _attr(text: str) -> str:
    return xml_escape(str(text), {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


@lru_cache(maxsize=1 << 16)
def _text(text: str) -> str:
    return xml_escape(text)


class _Sink(list):
    """Collects lines; with a binary file, writes them out in batches (bounded memory)."""

    def __init__(self, fh=None):
        super().__init__()
        self.fh = fh

    def append(self, line: str) -> None:
        super().append(line)
        if self.fh is not None and len(self) >= 2000:
            self.flush()

    def flush(self) -> None:
        if self.fh is not None and self:
            self.fh.write(("\n".join(self) + "\n").encode("utf-8"))
            self.clear()

    def result(self) -> bytes:
        if self.fh is not None:
            self.flush()
            return b""
        return ("\n".join(self) + "\n").encode("utf-8")


def to_gexf(h: Plain, date: str = "2000-01-01", fh=None) -> bytes:
    """GEXF 1.2 (Gephi). Written directly: networkx's writer is slow on large sites.
    With `fh` (a binary file), written there in batches and b"" returned."""
    node_types = {k: t for k, t in h.node_types.items() if k != "label"}
    edge_types = h.edge_types
    nid = {k: str(i) for i, k in enumerate(node_types)}
    eid = {k: str(i) for i, k in enumerate(edge_types)}
    out = _Sink(fh)
    out += [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">',
        f'<meta lastmodifieddate="{_attr(date)}"><creator>concept_graph</creator></meta>',
        '<graph defaultedgetype="directed" mode="static">',
        '<attributes class="node" mode="static">',
    ]
    out += [f'<attribute id="{nid[k]}" title="{_attr(k)}" type="{t}"/>' for k, t in node_types.items()]
    out.append('</attributes><attributes class="edge" mode="static">')
    out += [f'<attribute id="{eid[k]}" title="{_attr(k)}" type="{t}"/>' for k, t in edge_types.items()]
    out.append("</attributes><nodes>")
    for n, a in h.node_list:
        vals = "".join(
            f'<attvalue for="{nid[k]}" value="{_attr(_value(v, node_types[k]))}"/>'
            for k, v in sorted(a.items()) if k != "label"
        )
        out.append(f'<node id="{_attr(n)}" label="{_attr(a.get("label", n))}"><attvalues>{vals}</attvalues></node>')
    out.append("</nodes><edges>")
    for i, (u, v, k, d) in enumerate(h.edge_list):
        vals = "".join(
            f'<attvalue for="{eid[x]}" value="{_attr(_value(y, edge_types[x]))}"/>' for x, y in sorted(d.items())
        )
        weight = f' weight="{d["count"]}"' if "count" in d else ""
        out.append(
            f'<edge id="{i}" source="{_attr(u)}" target="{_attr(v)}" label="{_attr(k)}"{weight}>'
            f"<attvalues>{vals}</attvalues></edge>"
        )
    out.append("</edges></graph></gexf>")
    return out.result()


def to_graphml(h: Plain, fh=None) -> bytes:
    """GraphML (yEd, Gephi, networkx). Edge ids are unique; the edge kind is an attribute.
    With `fh` (a binary file), written there in batches and b"" returned."""
    node_types, edge_types = h.node_types, h.edge_types
    out = _Sink(fh)
    out += [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    for prefix, scope, types in (("n", "node", node_types), ("e", "edge", edge_types)):
        for k, t in types.items():
            t = {"integer": "long", "double": "double", "boolean": "boolean"}.get(t, "string")
            out.append(f'<key id="{prefix}_{_attr(k)}" for="{scope}" attr.name="{_attr(k)}" attr.type="{t}"/>')
    out.append('<graph edgedefault="directed">')
    for n, a in h.node_list:
        data = "".join(
            f'<data key="n_{_attr(k)}">{_text(_value(v, node_types[k]))}</data>' for k, v in sorted(a.items())
        )
        out.append(f'<node id="{_attr(n)}">{data}</node>')
    for i, (u, v, k, d) in enumerate(h.edge_list):
        data = "".join(
            f'<data key="e_{_attr(x)}">{_text(_value(y, edge_types[x]))}</data>' for x, y in sorted(d.items())
        )
        out.append(f'<edge id="e{i}" source="{_attr(u)}" target="{_attr(v)}">{data}</edge>')
    out.append("</graph></graphml>")
    return out.result()
