"""Diagrams: spec validation, loop classification, and every renderer on fixtures (pure, no Pelican)."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from diagrams import figure, loops, spec
from diagrams.spec import SpecError

FIXTURES = Path(__file__).parent / "fixtures" / "diagrams"
SVG = "{http://www.w3.org/2000/svg}"


def load_fixture(path: Path):
    text = "".join(line for line in path.read_text("utf-8").splitlines(True) if not line.startswith("expect:"))
    return spec.load(text, None)


def render(s) -> tuple[ET.Element, figure.Built]:
    built = figure.build(s)
    assert not built.problems, built.problems
    root = ET.fromstring(built.svg.replace(figure.ID_TOKEN, "dgtest"))  # well-formed XML or it raises
    return root, built


def node_boxes(root: ET.Element):
    """(x0, y0, x1, y1) of every node shape in the SVG."""
    boxes = []
    for g in root.iter(f"{SVG}g"):
        if "dg-node" not in g.get("class", "").split():
            continue
        for shape in g.iter():
            if shape.tag == f"{SVG}rect":
                x, y, w, h = (float(shape.get(k)) for k in ("x", "y", "width", "height"))
                boxes.append((x, y, x + w, y + h))
            elif shape.tag == f"{SVG}ellipse":
                cx, cy, rx, ry = (float(shape.get(k)) for k in ("cx", "cy", "rx", "ry"))
                boxes.append((cx - rx, cy - ry, cx + rx, cy + ry))
    return boxes


def assert_no_overlap(boxes):
    for a, b in itertools.combinations(boxes, 2):
        apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
        assert apart, f"nodes overlap: {a} {b}"


ALL_FIXTURES = sorted(FIXTURES.glob("*.yaml")) + sorted((FIXTURES / "archetypes").glob("*.yaml"))


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: p.stem)
def test_fixture_renders_well_formed_svg_without_overlaps(path):
    s = load_fixture(path)
    root, built = render(s)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == s.title
    assert desc is not None and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    boxes = node_boxes(root)
    assert len(boxes) == len(s.nodes)
    assert_no_overlap(boxes)
    # viewBox contains every node
    vx, vy, vw, vh = (float(v) for v in root.get("viewBox").split())
    for x0, y0, x1, y1 in boxes:
        assert vx <= x0 and vy <= y0 and x1 <= vx + vw and y1 <= vy + vh


def path_points(d: str):
    """Points along an SVG path of M/L/Q/C/A commands (absolute), sampled."""
    import re

    tokens = re.findall(r"[MLQCAZ]|-?\d+(?:\.\d+)?", d)
    points, i, cur, cmd = [], 0, (0.0, 0.0), None
    while i < len(tokens):
        if tokens[i] in "MLQCAZ":
            cmd = tokens[i]
            i += 1
            if cmd == "Z":
                continue
        nums = {"M": 2, "L": 2, "Q": 4, "C": 6, "A": 7}[cmd]
        v = [float(t) for t in tokens[i:i + nums]]
        i += nums
        if cmd in "ML":
            cur = (v[0], v[1])
            points.append(cur)
        elif cmd == "Q":
            for k in range(11):
                t = k / 10
                points.append(((1 - t) ** 2 * cur[0] + 2 * (1 - t) * t * v[0] + t * t * v[2],
                               (1 - t) ** 2 * cur[1] + 2 * (1 - t) * t * v[1] + t * t * v[3]))
            cur = (v[2], v[3])
        elif cmd == "C":
            for k in range(11):
                t = k / 10
                points.append(tuple((1 - t) ** 3 * c0 + 3 * (1 - t) ** 2 * t * c1 + 3 * (1 - t) * t * t * c2 + t ** 3 * c3
                                    for c0, c1, c2, c3 in zip(cur, v[0:2], v[2:4], v[4:6])))
            cur = (v[4], v[5])
        else:  # arc: endpoints only (loop markers are small)
            cur = (v[5], v[6])
            points.append(cur)
    return points


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: p.stem)
def test_every_line_is_inside_the_viewbox(path):
    root, _ = render(load_fixture(path))
    vx, vy, vw, vh = (float(v) for v in root.get("viewBox").split())
    for el in root.iter(f"{SVG}path"):
        for x, y in path_points(el.get("d")):
            assert vx - 0.5 <= x <= vx + vw + 0.5 and vy - 0.5 <= y <= vy + vh + 0.5, (el.get("class"), x, y)


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.yaml")), ids=lambda p: p.stem)
def test_rendering_is_deterministic(path):
    s1, s2 = load_fixture(path), load_fixture(path)
    assert figure.build(s1).svg == figure.build(s2).svg


ARCHETYPES = sorted((FIXTURES / "archetypes").glob("*.yaml"))


@pytest.mark.parametrize("path", ARCHETYPES, ids=lambda p: p.stem)
def test_archetype_loops_are_classified(path):
    expected = yaml.safe_load(path.read_text("utf-8"))["expect"]
    s = load_fixture(path)
    built = figure.build(s)
    assert sorted(lp.kind for lp in built.loops) == sorted(expected)
    # numbering: R1..Rn and B1..Bm, each once
    for kind in "RB":
        idents = [lp.ident for lp in built.loops if lp.kind == kind]
        assert sorted(idents) == [f"{kind}{i}" for i in range(1, len(idents) + 1)]
    # each loop is listed in words with data-loop, and marked in the SVG
    from bs4 import BeautifulSoup

    html = figure.figure_html(s, built, "dgx", "diagram-1")
    soup = BeautifulSoup(html, "html.parser")
    listed = [li["data-loop"] for li in soup.select("details.diagram-text [data-loop]")]
    assert sorted(listed) == sorted(lp.ident for lp in built.loops)
    markers = [t.get_text() for t in soup.select("svg .dg-loop-marker text")]
    assert sorted(markers) == sorted(listed)


def test_loop_parity_and_names():
    s = spec.load(
        "title: t\nlinks:\n  - A -> B (+)\n  - B -> A (o)\n  - B -> C (s)\n  - C -> B (s)\n"
        "loops:\n  Pull together: [C, B]\n", "causal-loop")
    found, truncated = loops.find_loops(list(s.nodes), [(lk.src, lk.dst, lk.polarity, lk.delay) for lk in s.links])
    assert not truncated
    kinds = {frozenset(lp.nodes): lp.kind for lp in found}
    assert kinds == {frozenset({"a", "b"}): "B", frozenset({"b", "c"}): "R"}
    assert loops.match_names(found, s.loop_names) == []
    assert [lp.name for lp in found if lp.kind == "R"] == ["Pull together"]


def test_unknown_loop_name_is_an_error():
    s = spec.load("title: t\nlinks:\n  - A -> B (+)\n  - B -> A (+)\n  - B -> C (+)\nloops:\n  Ghost: [A, C]\n",
                  "causal-loop")
    built = figure.build(s)
    assert built.problems and built.problems[0][0] == 7
    assert "Ghost" in built.problems[0][1]


def test_dense_diagram_is_capped_and_warned():
    names = [f"V{i}" for i in range(10)]
    links = [f"  - {a} -> {b} (+)" for a, b in itertools.permutations(names, 2)]
    s = spec.load("title: dense\nlinks:\n" + "\n".join(links) + "\n", "causal-loop")
    built = figure.build(s, max_loops=25, max_length=8)
    assert len(built.loops) == 25
    assert built.warnings and "only the first 25" in built.warnings[0][1]


def test_labels_are_escaped_in_svg_and_text():
    tricky = 'Kids & "families" <under 18> \'o\''
    s = spec.load(yaml.safe_dump({"title": "A < B & C", "steps": [tricky, "Plan", "Act"]}), "cycle")
    root, built = render(s)
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert any("Kids &" in t for t in texts)
    assert root.find(f"{SVG}title").text == "A < B & C"
    assert "<under" not in built.svg and "&lt;under" in built.svg
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(figure.figure_html(s, built, "dgx", "d1"), "html.parser")
    assert tricky.split()[0] in soup.select_one("details.diagram-text").get_text()
    assert soup.select_one("details.diagram-text").find("under") is None  # no tag injected


def test_wrapping_keeps_text_inside_boxes():
    from diagrams import textmetrics as tm

    long = "Businesses universities hospitals faith groups and philanthropies of the region"
    s = spec.load(yaml.safe_dump({"title": "t", "steps": [long, "Short"]}), "cycle")
    root, _ = render(s)
    for g in root.iter(f"{SVG}g"):
        if "dg-node" not in g.get("class", ""):
            continue
        rect = g.find(f"{SVG}rect")
        width = float(rect.get("width"))
        for tspan in g.iter(f"{SVG}tspan"):
            assert tm.text_width(tspan.text, 14.0) <= width - 2 * 10


@pytest.mark.parametrize("text,dtype,message,line", [
    ("", "cycle", "empty diagram block", 0),
    ("steps: [a, b]", "cycle", "title is missing", 0),
    ("title: t\nsteps: [a]", "cycle", "fewer than two steps", 2),
    ("title: t\nhub: H\ngroups: [A]\nflows:\n  - A -> Nobody: x", "intermediary", "unknown node 'Nobody'", 5),
    ("title: t\ntype: pie\n", None, "unknown diagram type 'pie'", 2),
    ("title: t\nlinks:\n  - A -> B\n", "causal-loop", "needs a polarity", 3),
    ("title: t\nlinks:\n  - A -> B (x)\n", "causal-loop", "one polarity", 3),
    ("title: t\nstepz: [a, b]\n", "cycle", "unknown field 'stepz'", 2),
    ("title: t\nsteps:\n  - label: a\n    link: javascript:alert(1)\n  - b\n", "cycle", "refused", 4),
    ("title: t\nsteps:\n  - label: a\n    link: data:text/html,x\n  - b\n", "cycle", "refused", 4),
    ("title: [unclosed\n", "cycle", "invalid YAML", 2),
    ("title: !!python/object/apply:os.system ['echo hi']\nsteps: [a, b]\n", "cycle", "not allowed", 1),
    ("propositions:\n  - A -> B\ntitle: t\n", "concept-map", "must be 'Concept -> linking phrase -> Concept'", 2),
])
def test_schema_errors_have_lines(text, dtype, message, line):
    with pytest.raises(SpecError) as info:
        spec.load(text, dtype)
    problems = info.value.problems
    assert any(message in p.message for p in problems), problems
    assert any(p.line == line for p in problems if message in p.message), problems


def test_alias_expansion_is_bounded():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    prev = "a"
    for i in range(8):
        bomb += f"l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        prev = f"l{i}"
    with pytest.raises(SpecError) as info:
        spec.load("title: t\n" + bomb, "cycle")
    assert "aliases" in str(info.value)


def test_recursive_alias_refused():
    with pytest.raises(SpecError):
        spec.load("title: t\nsteps: &s [a, *s]\n", "cycle")


def test_scalars_stay_as_written():
    s = spec.load("title: 1.10\nsteps: [No, 'yes', 2016-10-01, ~x]\n", "cycle")
    assert s.title == "1.10"
    assert [s.node(k).label for k in s.steps] == ["No", "yes", "2016-10-01", "~x"]


def test_colon_in_flow_and_mapping_forms():
    s = spec.load(
        "title: t\nhub: {label: Hub, link: 'https://example.org'}\nbeneficiary: Youth\n"
        "groups: [A, {label: B, color: accent-2, description: bee}]\n"
        "flows:\n  - 'A -> hub: money: lots'\n  - {from: hub, to: B, label: help, both: yes}\n  - B <-> beneficiary\n",
        "intermediary")
    assert [(f.src, f.dst, f.label, f.both) for f in s.flows] == [
        ("a", "hub", "money: lots", False), ("hub", "b", "help", True), ("b", "youth", "", True)]
    assert s.node("hub").link == "https://example.org"
    assert s.node("b").color == "accent-2"


@pytest.mark.parametrize("dtype,body,css_type", [
    ("intermediary", "hub: H\ngroups: [A, B, C]", "diagram-intermediary"),
    ("causal-loop", "links:\n  - A -> B (+)\n  - B -> A (-, delay)", "diagram-causal-loop"),
    ("concept-map", "propositions:\n  - A -> has -> B", "diagram-concept-map"),
    ("cycle", "steps: [A, B, C]", "diagram-cycle"),
])
def test_figure_structure(dtype, body, css_type):
    from bs4 import BeautifulSoup

    s = spec.load(f"title: T & t\n{body}\n", dtype)
    built = figure.build(s)
    soup = BeautifulSoup(figure.figure_html(s, built, "dg1-abc", "diagram-1"), "html.parser")
    fig = soup.select_one("figure.diagram")
    assert css_type in fig["class"] and fig["id"] == "diagram-1"
    svg = fig.select_one("svg[role=img]")
    ids = svg["aria-labelledby"].split()
    assert [soup.find(id=i).name for i in ids] == ["title", "desc"]
    assert fig.select_one("figcaption").get_text().endswith("T & t")
    details = fig.select_one("details.diagram-text")
    assert details.select("li"), "every relationship listed in words"
    # No hard-coded colours that CSS could not override: style comes from classes.
    assert all(el.get("class") for el in svg.select("rect, ellipse, path, text"))


def test_error_html_escapes():
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(figure.error_html(["bad <script>x</script>"]), "html.parser")
    div = soup.select_one("div.diagram-error[role=alert]")
    assert div.find("script") is None and "<script>" in div.get_text()
