"""Property-based: any YAML input yields SVG or a clear error, never an exception."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown import Markdown

from diagrams import figure, spec
from diagrams.extension import DiagramsExtension
from diagrams.spec import SpecError

SVG = "{http://www.w3.org/2000/svg}"
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

label = st.text(st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=30)
scalar = st.one_of(label, st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))
value = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=5),
                                                       st.dictionaries(label, inner, max_size=4)), max_leaves=12)
FIELDS = ["title", "description", "type", "hub", "beneficiary", "groups", "flows", "links", "loops",
          "variables", "propositions", "concepts", "steps", "center", "use"]
doc = st.dictionaries(st.one_of(st.sampled_from(FIELDS), label), value, max_size=6)
dtype = st.sampled_from([None, *spec.TYPES])


def outcome(text: str, kind):
    """Load and build; return 'svg' or 'error' (any other exception fails the test)."""
    try:
        result = spec.load(text, kind, allow_use=kind is None)
    except SpecError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
        return "error"
    if isinstance(result, tuple):
        return "use"
    built = figure.build(result, max_loops=20, max_length=8)
    if built.problems:
        return "error"
    ET.fromstring(built.svg.replace(figure.ID_TOKEN, "p"))
    return "svg"


@FAST
@given(st.text(max_size=300), dtype)
def test_any_text_gives_svg_or_error(text, kind):
    outcome(text, kind)


@FAST
@given(doc, dtype)
def test_any_yaml_document_gives_svg_or_error(data, kind):
    outcome(yaml.safe_dump(data, allow_unicode=True), kind)


names = st.lists(st.text("abcdefghij &<>\"'", min_size=1, max_size=12).map(str.strip).filter(bool),
                 min_size=2, max_size=9, unique_by=lambda s: spec.norm(s))


def assert_lines_in_view(root):
    """Every path of the SVG lies inside its viewBox."""
    from test_diagrams import path_points

    vx, vy, vw, vh = (float(v) for v in root.get("viewBox").split())
    for el in root.iter(f"{SVG}path"):
        for x, y in path_points(el.get("d")):
            assert vx - 0.5 <= x <= vx + vw + 0.5 and vy - 0.5 <= y <= vy + vh + 0.5


def node_boxes(root):
    """Bounding boxes of the diagram's nodes (rectangles or ellipses)."""
    boxes = []
    for g in root.iter(f"{SVG}g"):
        if "dg-node" in g.get("class", "").split():
            shape = g.find(f".//{SVG}rect")
            if shape is None:
                shape = g.find(f".//{SVG}ellipse")
                cx, cy, rx, ry = (float(shape.get(k)) for k in ("cx", "cy", "rx", "ry"))
                boxes.append((cx - rx, cy - ry, cx + rx, cy + ry))
            else:
                x, y, w, h = (float(shape.get(k)) for k in ("x", "y", "width", "height"))
                boxes.append((x, y, x + w, y + h))
    return boxes


def assert_disjoint(boxes):
    for a, b in itertools.combinations(boxes, 2):
        assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names, st.data())
def test_random_causal_diagrams_render_and_classify(variables, data):
    pairs = [(a, b) for a, b in itertools.permutations(variables, 2)]
    chosen = data.draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=14, unique=True))
    links = [{"from": a, "to": b, "polarity": data.draw(st.sampled_from(["+", "-"]))} for a, b in chosen]
    s = spec.load(yaml.safe_dump({"title": "random", "links": links}), "causal-loop")
    built = figure.build(s)
    root = ET.fromstring(built.svg.replace(figure.ID_TOKEN, "p"))
    # loops: each one is a real cycle, with kind from the parity of its negative links
    sign = {(spec.norm(lk["from"]), spec.norm(lk["to"])): lk["polarity"] for lk in links}
    for lp in built.loops:
        ring = list(zip(lp.nodes, lp.nodes[1:] + lp.nodes[:1]))
        negatives = sum(sign[p] == "-" for p in ring)
        assert lp.kind == ("R" if negatives % 2 == 0 else "B")
    assert_lines_in_view(root)
    assert_disjoint(node_boxes(root))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["intermediary", "causal-loop", "concept-map", "cycle", "diagram"]),
       st.text(max_size=200))
def test_markdown_blocks_never_raise(kind, body):
    md = Markdown(extensions=[DiagramsExtension(content_path="/nonexistent"), "markdown.extensions.extra"])
    md.post_data = {}
    fence = "`" * 3
    html = md.convert(f"Before.\n\n{fence}{kind}\n{body.replace(fence, '')}\n{fence}\n\nAfter.\n")
    assert "After." in html
    assert ('class="diagram-error"' in html) or ('<figure class="diagram' in html)


long_names = st.lists(st.text("abcdefghij klmnop&<>", min_size=1, max_size=60).map(lambda s: " ".join(s.split()))
                      .filter(bool), min_size=2, max_size=10, unique_by=lambda s: spec.norm(s))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["intermediary", "concept-map", "cycle"]), long_names, st.data())
def test_random_valid_diagrams_have_no_overlaps_and_stay_in_view(kind, labels, data):
    from test_diagrams import path_points

    if kind == "cycle":
        doc = {"title": "t", "steps": labels}
    elif kind == "intermediary":
        groups = labels[1:]
        flows = data.draw(st.lists(st.tuples(st.sampled_from(["hub", *groups]), st.sampled_from(groups)),
                                   max_size=6, unique=True))
        doc = {"title": "t", "hub": labels[0], "groups": groups,
               "flows": [{"from": a, "to": b, "label": "x y z"} for a, b in flows if spec.norm(a) != spec.norm(b)]}
    else:
        pairs = [(a, b) for a, b in itertools.permutations(labels, 2)]
        chosen = data.draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=12, unique=True))
        doc = {"title": "t", "propositions": [{"from": a, "phrase": "relates to", "to": b} for a, b in chosen]}
    s = spec.load(yaml.safe_dump(doc), kind)
    built = figure.build(s)
    root = ET.fromstring(built.svg.replace(figure.ID_TOKEN, "p"))
    assert_lines_in_view(root)
    boxes = node_boxes(root)
    assert len(boxes) == len(s.nodes)
    assert_disjoint(boxes)
