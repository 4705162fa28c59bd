"""The figure around a diagram: inline SVG, caption, and the text alternative in words (pure).

`build(spec, ...)` validates loop names, renders the SVG with the type's renderer and wraps
it in `<figure class="diagram diagram-TYPE">` with `<details class="diagram-text">` listing
every node, relationship and feedback loop (with `data-loop="R1"`), links included.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape

from . import causal_loop, concept_map, cycle, intermediary, narrow
from . import loops as loops_mod
from .spec import Spec

RENDERERS = {
    "intermediary": intermediary.render,
    "causal-loop": causal_loop.render,
    "concept-map": concept_map.render,
    "cycle": cycle.render,
}
TYPE_NAMES = {
    "intermediary": "Intermediary diagram",
    "causal-loop": "Causal loop diagram",
    "concept-map": "Concept map",
    "cycle": "Cycle diagram",
}
ID_TOKEN = "dgIDTOKEN"  # replaced per page so cached SVG can be reused with unique ids


@dataclass
class Built:
    svg: str  # with ID_TOKEN in place of the id prefix
    details: str  # HTML of the text alternative (no ids)
    loops: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # (yaml line, message) errors
    warnings: list = field(default_factory=list)  # (yaml line, message)
    narrow: str = ""  # the drawing for narrow screens (narrow.py), ID_TOKEN too


def analyse(spec: Spec, max_loops: int, max_length: int):
    """Feedback loops of a causal-loop spec, with names; (loops, problems, warnings)."""
    if spec.type != "causal-loop":
        return [], [], []
    links = [(lk.src, lk.dst, lk.polarity, lk.delay) for lk in spec.links]
    loops, truncated = loops_mod.find_loops(list(spec.nodes), links, max_loops, max_length)
    problems = loops_mod.match_names(loops, spec.loop_names)
    warnings = []
    if truncated:
        warnings.append((0, f"more than {max_loops} feedback loops (of up to {max_length} links): only the "
                            f"first {max_loops} are listed (settings DIAGRAMS_MAX_LOOPS, DIAGRAMS_MAX_LOOP_LENGTH)"))
    return loops, problems, warnings


def build(spec: Spec, max_loops: int = loops_mod.DEFAULT_MAX_LOOPS,
          max_length: int = loops_mod.DEFAULT_MAX_LOOP_LENGTH) -> Built:
    loops, problems, warnings = analyse(spec, max_loops, max_length)
    if problems:
        return Built("", "", loops, problems, warnings)
    # Two drawings: for wide and for narrow screens (css/diagrams.css shows one of them).
    desc = summary(spec, loops)
    svg = RENDERERS[spec.type](spec, ID_TOKEN, desc, loops)
    return Built(svg, details(spec, loops), loops, [], warnings, narrow.render(spec, f"{ID_TOKEN}-n", desc, loops))


def summary(spec: Spec, loops) -> str:
    """The SVG's <desc>: what kind of diagram, its size, and where the full text is."""
    n = len(spec.nodes)
    if spec.type == "intermediary":
        text = (f"Intermediary diagram: {spec.node(spec.hub).label} at the centre, connecting "
                f"{len(spec.groups)} stakeholder group{'s' if len(spec.groups) != 1 else ''}")
        if spec.beneficiary:
            text += f" for {spec.node(spec.beneficiary).label}"
        text += f", with {len(spec.flows)} labelled flow{'s' if len(spec.flows) != 1 else ''}."
    elif spec.type == "causal-loop":
        idents = ", ".join(lp.ident for lp in loops)
        text = (f"Causal loop diagram: {n} variables, {len(spec.links)} causal links, "
                f"{len(loops)} feedback loop{'s' if len(loops) != 1 else ''}{f' ({idents})' if idents else ''}.")
    elif spec.type == "concept-map":
        text = f"Concept map: {n} concepts joined by {len(spec.propositions)} propositions, read top-down."
    else:
        text = (f"Cycle diagram of {len(spec.steps)} steps: "
                + ", then ".join(spec.node(k).label for k in spec.steps) + ", and round again.")
    if spec.description:
        text += " " + spec.description
    return text + " The diagram is described in words after it."


def _name(spec: Spec, key: str) -> Markup:
    node = spec.node(key)
    label = escape(node.label)
    if node.link:
        label = Markup('<a href="{}">{}</a>').format(node.link, node.label)
    return label


def _node_notes(spec: Spec, keys) -> str:
    items = [Markup("<li><strong>{}</strong>: {}</li>").format(_name(spec, k), spec.node(k).description)
             for k in keys if spec.node(k).description]
    if not items:
        return ""
    return Markup("<p>Notes:</p><ul>{}</ul>").format(Markup("").join(items))


def details(spec: Spec, loops) -> str:
    parts: list[Markup] = []
    if spec.description:
        parts.append(Markup("<p>{}</p>").format(spec.description))
    if spec.type == "intermediary":
        parts.append(Markup("<p>At the centre: <strong>{}</strong>, the intermediary.</p>").format(_name(spec, spec.hub)))
        if spec.beneficiary:
            parts.append(Markup("<p>Beneficiary: <strong>{}</strong>.</p>").format(_name(spec, spec.beneficiary)))
        parts.append(Markup("<p>Stakeholder groups around it:</p><ul>{}</ul>").format(
            Markup("").join(Markup("<li>{}</li>").format(_name(spec, k)) for k in spec.groups)))
        if spec.flows:
            items = []
            for fl in spec.flows:
                arrow = " \u2194 " if fl.both else " \u2192 "
                text = Markup("{}{}{}").format(_name(spec, fl.src), arrow, _name(spec, fl.dst))
                if fl.label:
                    text += Markup(": {}").format(fl.label)
                items.append(Markup('<li class="diagram-relation">{}</li>').format(text))
            parts.append(Markup("<p>Flows:</p><ul>{}</ul>").format(Markup("").join(items)))
        unconnected = [k for k in spec.groups if not any(k in (fl.src, fl.dst) for fl in spec.flows)]
        if spec.flows and unconnected:
            parts.append(Markup("<p>Also connected to the hub: {}.</p>").format(
                Markup(", ").join(_name(spec, k) for k in unconnected)))
        parts.append(_node_notes(spec, list(spec.nodes)))
    elif spec.type == "causal-loop":
        items = []
        for lk in spec.links:
            a, b = _name(spec, lk.src), _name(spec, lk.dst)
            sign = {"+-": {"+": "+", "-": "\u2212"}, "so": {"+": "s", "-": "o"}}[lk.notation][lk.polarity]
            if lk.polarity == "+":
                meaning = Markup("more {} leads to more {} (same direction)").format(spec.node(lk.src).label,
                                                                                     spec.node(lk.dst).label)
            else:
                meaning = Markup("more {} leads to less {} (opposite direction)").format(spec.node(lk.src).label,
                                                                                         spec.node(lk.dst).label)
            text = Markup("{} \u2192 {} ({}): {}").format(a, b, sign, meaning)
            if lk.delay:
                text += Markup(", after a delay")
            if lk.label:
                text += Markup(" \u2014 {}").format(lk.label)
            items.append(Markup('<li class="diagram-relation">{}.</li>').format(text))
        parts.append(Markup("<p>Causal links:</p><ul>{}</ul>").format(Markup("").join(items)))
        if loops:
            litems = []
            for lp in loops:
                kind = "reinforcing" if lp.kind == "R" else "balancing"
                path = Markup(" \u2192 ").join(_name(spec, k) for k in lp.nodes + lp.nodes[:1])
                name = Markup(" {}").format(lp.name) if lp.name else Markup("")
                neg = (f"{lp.negatives} negative link{'s' if lp.negatives != 1 else ''}"
                       if lp.negatives else "no negative links")
                delays = f", {lp.delays} with a delay" if lp.delays else ""
                litems.append(Markup('<li data-loop="{}"><strong>{}{}</strong> ({} loop, {}{}): {}.</li>').format(
                    lp.ident, lp.ident, name, kind, neg, delays, path))
            parts.append(Markup("<p>Feedback loops:</p><ul>{}</ul>").format(Markup("").join(litems)))
        else:
            parts.append(Markup("<p>This diagram has no feedback loop.</p>"))
        parts.append(_node_notes(spec, list(spec.nodes)))
    elif spec.type == "concept-map":
        items = [Markup('<li class="diagram-relation">{} \u2014 <em>{}</em> \u2192 {}</li>').format(
            _name(spec, p.src), p.phrase, _name(spec, p.dst)) for p in spec.propositions]
        parts.append(Markup("<p>Propositions:</p><ul>{}</ul>").format(Markup("").join(items)))
        parts.append(_node_notes(spec, list(spec.nodes)))
    else:
        items = [Markup('<li class="diagram-relation">{}{}</li>').format(
            _name(spec, k),
            Markup(" \u2014 {}").format(spec.node(k).description) if spec.node(k).description else "")
            for k in spec.steps]
        parts.append(Markup("<p>Steps, in order:</p><ol>{}</ol>").format(Markup("").join(items)))
        first = spec.node(spec.steps[0]).label
        parts.append(Markup("<p>After the last step the cycle starts again with {}.</p>").format(first))
        if spec.center:
            parts.append(Markup("<p>At the centre: {}.</p>").format(spec.center))
    return str(Markup("").join(parts))


def figure_html(spec: Spec, built: Built, id_prefix: str, anchor: str, used: str | None = None) -> str:
    svg = (built.svg + built.narrow).replace(ID_TOKEN, id_prefix)
    caption = Markup('<figcaption><span class="diagram-kind">{}:</span> {}</figcaption>').format(
        TYPE_NAMES[spec.type], spec.title)
    data_use = Markup(' data-diagram="{}"').format(used) if used else Markup("")
    return str(Markup(
        '<figure class="diagram diagram-{}" id="{}"{}>{}{}'
        '<details class="diagram-text"><summary>The diagram in words</summary>{}</details></figure>'
    ).format(spec.type, anchor, data_use, Markup(svg), caption, Markup(built.details)))


def error_html(messages: list[str]) -> str:
    items = Markup("").join(Markup("<li>{}</li>").format(m) for m in messages)
    return str(Markup('<div class="diagram-error" role="alert"><p><strong>This diagram could not be drawn.'
                      '</strong></p><ul>{}</ul></div>').format(items))
