"""Safe YAML loading with line numbers, and validation into typed diagram specs (pure).

YAML is only *composed* (PyYAML's node graph, never constructed), so no tag can run code;
every scalar stays the string the author wrote ("No" stays "No", "1.10" stays "1.10").
Aliases are allowed but their expansion is bounded, and input size is capped.

Lines in SpecError / Problem are 1-based lines of the YAML text; the caller adds the
offset of the block in the post.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import yaml

from .settings import DEFAULTS

TYPES = ("intermediary", "causal-loop", "concept-map", "cycle")
MAX_BYTES = 64 * 1024
MAX_YAML_NODES = 5000
MAX_TEXT = 400
MAX_LINKS = 200  # links, flows or propositions in one diagram  # characters in one label
DEFAULT_MAX_NODES = DEFAULTS["DIAGRAMS_MAX_NODES"]
COLORS = ("accent", "accent-2", "accent-3", "muted")
_STD_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_STD_TAG + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp",
                                         "merge", "value", "binary", "omap", "pairs", "set")} | {"!"}
ARROW = re.compile(r"\s*(?:<->|↔|->|→)\s*")
LINK_RE = re.compile(r"^(\{filename\}\S+|https?://[^\s/?#]+\S*)$")


@dataclass(frozen=True)
class Problem:
    line: int  # 1-based line of the YAML text (0: no line)
    message: str


class SpecError(Exception):
    """One or more problems that stop the diagram from rendering."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


@dataclass
class NodeSpec:
    label: str
    line: int
    link: str | None = None
    description: str | None = None
    color: str | None = None

    @property
    def key(self) -> str:
        return norm(self.label)


@dataclass
class Flow:
    src: str  # node key ("" hub is stored as its key)
    dst: str
    label: str
    line: int
    both: bool = False


@dataclass
class CausalLink:
    src: str
    dst: str
    polarity: str  # "+" or "-"
    notation: str  # "+-" or "so": how the author wrote it, shown the same way
    delay: bool
    label: str | None
    line: int


@dataclass
class Proposition:
    src: str
    phrase: str
    dst: str
    line: int


@dataclass
class Spec:
    type: str
    title: str
    description: str | None
    line: int = 1
    nodes: dict[str, NodeSpec] = field(default_factory=dict)  # key -> node, in order of appearance
    # intermediary
    hub: str | None = None
    beneficiary: str | None = None
    groups: list[str] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)
    # causal-loop
    links: list[CausalLink] = field(default_factory=list)
    loop_names: list[tuple[str, list[str], int]] = field(default_factory=list)
    # concept-map
    propositions: list[Proposition] = field(default_factory=list)
    # cycle
    steps: list[str] = field(default_factory=list)
    center: str | None = None

    def node(self, key: str) -> NodeSpec:
        return self.nodes[key]

    def canonical(self) -> str:
        """A stable text form of everything that affects rendering (for hashing)."""
        import json  # noqa: PLC0415
        from dataclasses import asdict  # noqa: PLC0415

        return json.dumps(asdict(self), sort_keys=True, ensure_ascii=True)


def norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


# --- YAML ----------------------------------------------------------------------------


class _CountingLoader(yaml.SafeLoader):
    """SafeLoader that counts composed nodes (a huge document stops early)."""

    def __init__(self, stream):
        super().__init__(stream)
        self.node_count = 0

    def compose_node(self, parent, index):
        self.node_count += 1
        if self.node_count > MAX_YAML_NODES:
            raise SpecError([Problem(0, f"diagram YAML too large (more than {MAX_YAML_NODES} values)")])
        return super().compose_node(parent, index)


# libyaml's parser when PyYAML has it (about 10x faster). It composes the same node graph;
# the size of that graph is bounded by MAX_BYTES and checked, with aliases expanded, below.
_FastLoader = getattr(yaml, "CSafeLoader", None)


def compose(text: str) -> yaml.Node | None:
    """Compose YAML text into a node graph, checking size, tags and alias expansion."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise SpecError([Problem(1, f"diagram YAML too large (more than {MAX_BYTES // 1024} KiB)")])
    loader = None
    try:
        loader = _FastLoader(text) if _FastLoader else _CountingLoader(text)
        node = loader.get_single_node()
    except SpecError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        what = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        if "mapping values are not allowed" in what:
            what += " (put text that contains ': ' in quotes)"
        raise SpecError([Problem(line, f"invalid YAML: {what}")]) from None
    except yaml.reader.ReaderError as exc:
        line = text[: max(0, exc.position)].count("\n") + 1
        raise SpecError([Problem(line, f"invalid YAML: character #x{exc.character:04x} is not allowed")]) from None
    except yaml.YAMLError as exc:
        raise SpecError([Problem(0, f"invalid YAML: {' '.join(str(exc).split())}")]) from None
    except (ValueError, RecursionError) as exc:  # includes UnicodeError (e.g. lone surrogates)
        raise SpecError([Problem(0, f"invalid YAML: {exc}")]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if node is not None:
        _check_expansion(node)
    return node


def _check_expansion(root: yaml.Node) -> None:
    """Bound the size of the document once aliases are expanded; refuse recursive aliases."""
    sizes: dict[int, int] = {}
    on_stack: set[int] = set()

    def size(node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in on_stack:
            raise SpecError([Problem(node.start_mark.line + 1, "recursive YAML alias")])
        if node.tag not in _ALLOWED_TAGS:
            raise SpecError([Problem(node.start_mark.line + 1,
                                     f"YAML tag {node.tag!r} is not allowed in diagrams")])
        on_stack.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        on_stack.discard(key)
        sizes[key] = total
        if total > MAX_YAML_NODES:
            raise SpecError([Problem(node.start_mark.line + 1,
                                     f"diagram YAML too large once aliases are expanded (more than {MAX_YAML_NODES} values)")])
        return total

    import sys  # noqa: PLC0415

    limit = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(max(limit, 5000))
        size(root)
    except RecursionError:
        raise SpecError([Problem(1, "diagram YAML nested too deeply")]) from None
    finally:
        sys.setrecursionlimit(limit)


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


# --- validation ------------------------------------------------------------------------


class _V:
    """Validation context: collects problems instead of stopping at the first."""

    def __init__(self, max_nodes: int):
        self.problems: list[Problem] = []
        self.max_nodes = max_nodes

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message))

    def scalar(self, node, what: str, required: bool = True) -> str | None:
        if node is None:
            if required:
                self.error(0, f"{what} is missing")
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.error(line_of(node), f"{what} must be text, not a {'list' if isinstance(node, yaml.SequenceNode) else 'mapping'}")
            return None
        value = " ".join(str(node.value).split())
        if value in ("~", "null", "Null", "NULL") and node.style is None:
            value = ""
        if not value:
            if required:
                self.error(line_of(node), f"{what} is empty")
            return None
        if len(value) > MAX_TEXT:
            self.error(line_of(node), f"{what} is too long ({len(value)} characters; at most {MAX_TEXT})")
            return None
        return value

    def mapping(self, node, what: str) -> list[tuple[str, yaml.Node, int]] | None:
        if not isinstance(node, yaml.MappingNode):
            self.error(line_of(node), f"{what} must be a mapping of fields (`name: value`)")
            return None
        items = []
        seen = set()
        for k, v in node.value:
            if not isinstance(k, yaml.ScalarNode):
                self.error(line_of(k), f"{what}: field names must be text")
                continue
            name = str(k.value).strip()
            if name in seen:
                self.error(line_of(k), f"{what}: field '{name}' given twice")
                continue
            seen.add(name)
            items.append((name, v, line_of(k)))
        return items

    def sequence(self, node, what: str) -> list[yaml.Node] | None:
        if node is None:
            return None
        if isinstance(node, yaml.ScalarNode) and node.value.strip() in ("", "~", "null"):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.error(line_of(node), f"{what} must be a list (lines starting with '- ')")
            return None
        return list(node.value)


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(name.casefold(), [k.casefold() for k in known], n=1, cutoff=0.6)
        close = [k for k in known if k.casefold() in close][:1]
    return f" (did you mean '{close[0]}'?)" if close else ""


def check_link(v: _V, value: str, line: int) -> str | None:
    if not LINK_RE.match(value) or any(ch in value for ch in "\"'<>`"):
        v.error(line, f"link '{value}' refused: use an internal link ({{filename}}/articles/post.md) "
                      "or an http:// or https:// URL")
        return None
    return value


def _node_item(v: _V, node, what: str) -> NodeSpec | None:
    """A node given as text, or as a mapping with label/link/description/color."""
    if isinstance(node, yaml.ScalarNode):
        label = v.scalar(node, what)
        return NodeSpec(label, line_of(node)) if label else None
    fields = v.mapping(node, what)
    if fields is None:
        return None
    known = {"label", "link", "description", "color", "colour"}
    got = {}
    for name, value, line in fields:
        if name not in known:
            v.error(line, f"{what}: unknown field '{name}' (expected one of: label, link, description, color)")
            continue
        got[name] = (value, line)
    if "label" not in got:
        v.error(line_of(node), f"{what}: 'label' is missing")
        return None
    label = v.scalar(got["label"][0], f"{what} label")
    if not label:
        return None
    spec = NodeSpec(label, got["label"][1])
    if "link" in got:
        link = v.scalar(got["link"][0], f"link of '{label}'", required=False)
        if link:
            spec.link = check_link(v, link, got["link"][1])
    if "description" in got:
        spec.description = v.scalar(got["description"][0], f"description of '{label}'", required=False)
    for key in ("color", "colour"):
        if key in got:
            color = v.scalar(got[key][0], f"color of '{label}'", required=False)
            if color and color not in COLORS:
                v.error(got[key][1], f"color '{color}' of '{label}' is not one of: {', '.join(COLORS)}")
            elif color:
                spec.color = color
    return spec


def _arrow_text(v: _V, node, what: str) -> tuple[str, int] | None:
    """An item written as text, or as a one-field mapping `A -> B: label` (YAML reads a colon so)."""
    if isinstance(node, yaml.ScalarNode):
        text = v.scalar(node, what)
        return (text, line_of(node)) if text else None
    if isinstance(node, yaml.MappingNode) and len(node.value) == 1:
        k, val = node.value[0]
        if isinstance(k, yaml.ScalarNode) and ARROW.search(str(k.value)) and isinstance(val, yaml.ScalarNode):
            value = " ".join(str(val.value).split())
            text = f"{' '.join(str(k.value).split())}: {value}" if value else " ".join(str(k.value).split())
            return text, line_of(node)
    return None


def _register(v: _V, spec: Spec, item: NodeSpec) -> str | None:
    """Add a declared node; a second declaration of the same label is an error."""
    if item.key in spec.nodes:
        v.error(item.line, f"'{item.label}' is declared twice")
        return None
    if len(spec.nodes) >= v.max_nodes:
        v.error(item.line, f"too many nodes (at most {v.max_nodes}; setting DIAGRAMS_MAX_NODES)")
        return None
    spec.nodes[item.key] = item
    return item.key


def _implicit(v: _V, spec: Spec, label: str, line: int) -> str | None:
    key = norm(label)
    if key not in spec.nodes:
        if len(spec.nodes) >= v.max_nodes:
            v.error(line, f"too many nodes (at most {v.max_nodes}; setting DIAGRAMS_MAX_NODES)")
            return None
        spec.nodes[key] = NodeSpec(" ".join(label.split()), line)
    return key


FIELDS = {
    "intermediary": {"hub", "beneficiary", "groups", "flows"},
    "causal-loop": {"links", "loops", "variables"},
    "concept-map": {"propositions", "concepts"},
    "cycle": {"steps", "center", "centre"},
}
COMMON = {"title", "description", "type"}


def validate(root, dtype: str | None, max_nodes: int = DEFAULT_MAX_NODES, allow_use: bool = False):
    """Validate a composed YAML node into a Spec, or a ('use', name, line) tuple for `use:` blocks.

    `dtype` is the fence's type (None for ```diagram blocks and files, which need `type:`).
    Raises SpecError with every problem found.
    """
    v = _V(max_nodes)
    if root is None or (isinstance(root, yaml.ScalarNode) and not str(root.value).strip()):
        raise SpecError([Problem(0, "empty diagram block")])
    fields = v.mapping(root, "diagram")
    if fields is None:
        raise SpecError(v.problems)
    got = {name: (value, line) for name, value, line in fields}
    if "use" in got:
        if not allow_use:
            raise SpecError([Problem(got["use"][1], "'use:' only works in a ```diagram block")])
        others = sorted(set(got) - {"use"})
        if others:
            v.error(got[others[0]][1], f"a 'use:' block takes no other fields (found '{others[0]}'); "
                                       "edit the file in content/diagrams/ instead")
        name = v.scalar(got["use"][0], "use")
        if v.problems or not name:
            raise SpecError(v.problems or [Problem(got["use"][1], "use: needs a diagram name")])
        return ("use", name, got["use"][1])
    if "type" in got:
        written = v.scalar(got["type"][0], "type")
        if written and dtype and written != dtype:
            v.error(got["type"][1], f"type '{written}' does not match the block's type '{dtype}'")
        dtype = dtype or written
    if not dtype:
        raise SpecError(v.problems or [Problem(0, "diagram type missing: add 'type:' "
                                                  f"({', '.join(TYPES)}) or 'use: NAME'")])
    if dtype not in TYPES:
        raise SpecError([Problem(got.get("type", (None, 0))[1],
                                 f"unknown diagram type '{dtype}'{_suggest(dtype, list(TYPES))} "
                                 f"(known: {', '.join(TYPES)})")])
    for name, (value, line) in got.items():
        if name not in COMMON and name not in FIELDS[dtype]:
            allowed = ", ".join(sorted(COMMON | FIELDS[dtype]))
            v.error(line, f"unknown field '{name}' for a {dtype} diagram{_suggest(name, sorted(COMMON | FIELDS[dtype]))} "
                          f"(fields: {allowed})")
    title = v.scalar(got["title"][0], "title") if "title" in got else None
    if "title" not in got:
        v.error(0, "title is missing (every diagram needs 'title:')")
    description = v.scalar(got["description"][0], "description", required=False) if "description" in got else None
    spec = Spec(dtype, title or "", description)
    {"intermediary": _intermediary, "causal-loop": _causal, "concept-map": _concept, "cycle": _cycle}[dtype](v, spec, got)
    if v.problems:
        raise SpecError(sorted(v.problems, key=lambda p: p.line))
    return spec


def _ref(v: _V, spec: Spec, name: str, line: int, extra: dict[str, str]) -> str | None:
    key = norm(name)
    if key in extra:
        return extra[key]
    if key in spec.nodes:
        return key
    known = [n.label for n in spec.nodes.values()]
    v.error(line, f"unknown node '{name}'{_suggest(name, known)} (known: {', '.join(known)})")
    return None


def _intermediary(v: _V, spec: Spec, got) -> None:
    if "hub" not in got:
        v.error(0, "hub is missing (the intermediary at the centre)")
        return
    hub = _node_item(v, got["hub"][0], "hub")
    if hub is None:
        return
    spec.hub = _register(v, spec, hub)
    if "beneficiary" in got:
        ben = _node_item(v, got["beneficiary"][0], "beneficiary")
        if ben:
            spec.beneficiary = _register(v, spec, ben)
    groups = v.sequence(got.get("groups", (None,))[0], "groups") if "groups" in got else None
    if not groups:
        v.error(got.get("groups", (None, 0))[1], "groups is missing or empty (the stakeholder groups around the hub)")
        groups = []
    for item in groups:
        node = _node_item(v, item, "group")
        if node:
            key = _register(v, spec, node)
            if key:
                spec.groups.append(key)
    extra = {"hub": spec.hub}
    if spec.beneficiary:
        extra["beneficiary"] = spec.beneficiary
    flows = (v.sequence(got["flows"][0], "flows") or []) if "flows" in got else []
    if len(flows) > MAX_LINKS:
        v.error(line_of(flows[MAX_LINKS]), f"too many flows ({len(flows)}; at most {MAX_LINKS})")
        return
    for item in flows:
        _flow(v, spec, item, extra)


def _flow(v: _V, spec: Spec, item, extra) -> None:
    if isinstance(item, yaml.MappingNode) and not _arrow_text(_V(0), item, "flow"):
        fields = {name: (val, line) for name, val, line in v.mapping(item, "flow") or []}
        for name in fields:
            if name not in ("from", "to", "label", "both"):
                v.error(fields[name][1], f"flow: unknown field '{name}' (expected from, to, label, both)")
        if "from" not in fields or "to" not in fields:
            v.error(line_of(item), "flow needs 'from' and 'to'")
            return
        src = v.scalar(fields["from"][0], "flow 'from'")
        dst = v.scalar(fields["to"][0], "flow 'to'")
        label = v.scalar(fields["label"][0], "flow label", required=False) if "label" in fields else ""
        both = v.scalar(fields["both"][0], "both", required=False) in ("true", "yes", "True", "Yes") if "both" in fields else False
        line = line_of(item)
    else:
        got = _arrow_text(v, item, "flow")
        if not got:
            if not isinstance(item, yaml.ScalarNode):
                v.error(line_of(item), "flow must be 'A -> B: label' or a mapping with from/to/label")
            return
        text, line = got
        m = re.match(r"^(.*?)\s*(<->|↔|->|→)\s*(.*)$", text)
        if not m or not m.group(1) or not m.group(3):
            v.error(line, f"flow '{text}' must look like 'A -> B: label' (or 'A <-> B: label')")
            return
        src, arrow, rest = m.group(1), m.group(2), m.group(3)
        both = arrow in ("<->", "↔")
        dst, _, label = rest.partition(":")
        dst, label = dst.strip(), label.strip()
        if not dst:
            v.error(line, f"flow '{text}' has no target")
            return
    if not src or not dst:
        return
    a = _ref(v, spec, src, line, extra)
    b = _ref(v, spec, dst, line, extra)
    if a and b:
        if a == b:
            v.error(line, f"flow from '{src}' to itself")
            return
        spec.flows.append(Flow(a, b, label or "", line, both))


POLARITY = {"+": ("+", "+-"), "-": ("-", "+-"), "\u2212": ("-", "+-"), "s": ("+", "so"), "o": ("-", "so")}


def _causal(v: _V, spec: Spec, got) -> None:
    for item in (v.sequence(got["variables"][0], "variables") or []) if "variables" in got else []:
        node = _node_item(v, item, "variable")
        if node:
            _register(v, spec, node)
    items = v.sequence(got["links"][0], "links") if "links" in got else None
    if not items:
        v.error(got.get("links", (None, 0))[1], "links is missing or empty (causal links like 'A -> B (+)')")
        return
    if len(items) > MAX_LINKS:
        v.error(line_of(items[MAX_LINKS]), f"too many links ({len(items)}; at most {MAX_LINKS})")
        return
    seen = {}
    for item in items:
        link = _causal_link(v, spec, item)
        if link:
            pair = (link.src, link.dst)
            if pair in seen:
                v.error(link.line, f"link from '{spec.nodes[link.src].label}' to '{spec.nodes[link.dst].label}' "
                                   f"given twice (first on line {seen[pair]})")
                continue
            seen[pair] = link.line
            spec.links.append(link)
    if "loops" in got:
        fields = v.mapping(got["loops"][0], "loops")
        for name, value, line in fields or []:
            if not name:
                v.error(line, "loop name is empty")
                continue
            members = v.sequence(value, f"loop '{name}'")
            if members is None:
                continue
            keys = []
            for m in members:
                label = v.scalar(m, f"variable in loop '{name}'")
                if label:
                    key = _ref(v, spec, label, line_of(m), {})
                    if key:
                        keys.append(key)
            if len(keys) < 2 and not any(p.line >= line for p in v.problems):
                v.error(line, f"loop '{name}' needs at least two variables, in loop order")
                continue
            spec.loop_names.append((" ".join(name.split()), keys, line))


def _causal_link(v: _V, spec: Spec, item) -> CausalLink | None:
    label = None
    if isinstance(item, yaml.MappingNode) and not _arrow_text(_V(0), item, "link"):
        fields = {name: (val, line) for name, val, line in v.mapping(item, "link") or []}
        for name in fields:
            if name not in ("from", "to", "polarity", "delay", "label"):
                v.error(fields[name][1], f"link: unknown field '{name}' (expected from, to, polarity, delay, label)")
        if not all(k in fields for k in ("from", "to", "polarity")):
            v.error(line_of(item), "link needs 'from', 'to' and 'polarity'")
            return None
        src = v.scalar(fields["from"][0], "link 'from'")
        dst = v.scalar(fields["to"][0], "link 'to'")
        pol = v.scalar(fields["polarity"][0], "polarity")
        delay = (v.scalar(fields["delay"][0], "delay", required=False) or "").lower() in ("true", "yes", "on", "1") if "delay" in fields else False
        label = v.scalar(fields["label"][0], "label", required=False) if "label" in fields else None
        line = line_of(item)
        if not (src and dst and pol):
            return None
        if pol not in POLARITY:
            v.error(line, f"polarity '{pol}' must be +, -, s or o")
            return None
    else:
        got = _arrow_text(v, item, "link")
        if not got:
            if not isinstance(item, yaml.ScalarNode):
                v.error(line_of(item), "link must be 'CAUSE -> EFFECT (+)' or a mapping with from/to/polarity")
            return None
        text, line = got
        text, _, after = text.partition("):")
        if after:
            text, label = text + ")", after.strip() or None
        m = re.match(r"^(.*?)\s*(?:->|→)\s*(.*?)\s*\(([^()]*)\)\s*$", text)
        if not m:
            if ARROW.search(text):
                v.error(line, f"link '{text}' needs a polarity in brackets, e.g. 'A -> B (+)' or 'A -> B (-, delay)'")
            else:
                v.error(line, f"link '{text}' must look like 'CAUSE -> EFFECT (+)'")
            return None
        src, dst = m.group(1).strip(), m.group(2).strip()
        tokens = [t.strip() for t in m.group(3).split(",") if t.strip()]
        pols = [t for t in tokens if t in POLARITY]
        rest = [t for t in tokens if t not in POLARITY]
        delay = any(t.lower() in ("delay", "||") for t in rest)
        bad = [t for t in rest if t.lower() not in ("delay", "||")]
        if len(pols) != 1 or bad:
            v.error(line, f"link '{text}': write one polarity (+, -, s or o), optionally ', delay' "
                          f"(found '{m.group(3).strip()}')")
            return None
        pol = pols[0]
        if not src or not dst:
            v.error(line, f"link '{text}' needs a cause and an effect")
            return None
    a = _implicit(v, spec, src, line)
    b = _implicit(v, spec, dst, line)
    if not a or not b:
        return None
    if a == b:
        v.error(line, f"'{src}' cannot cause itself directly; add the variable in between")
        return None
    sign, notation = POLARITY[pol]
    return CausalLink(a, b, sign, notation, delay, label, line)


def _concept(v: _V, spec: Spec, got) -> None:
    for item in (v.sequence(got["concepts"][0], "concepts") or []) if "concepts" in got else []:
        node = _node_item(v, item, "concept")
        if node:
            _register(v, spec, node)
    items = v.sequence(got["propositions"][0], "propositions") if "propositions" in got else None
    if not items:
        v.error(got.get("propositions", (None, 0))[1],
                "propositions is missing or empty ('Concept -> linking phrase -> Concept')")
        return
    if len(items) > MAX_LINKS:
        v.error(line_of(items[MAX_LINKS]), f"too many propositions ({len(items)}; at most {MAX_LINKS})")
        return
    seen = set()
    for item in items:
        if isinstance(item, yaml.MappingNode) and not _arrow_text(_V(0), item, "proposition"):
            fields = {name: (val, line) for name, val, line in v.mapping(item, "proposition") or []}
            for name in fields:
                if name not in ("from", "to", "phrase"):
                    v.error(fields[name][1], f"proposition: unknown field '{name}' (expected from, phrase, to)")
            if not all(k in fields for k in ("from", "phrase", "to")):
                v.error(line_of(item), "proposition needs 'from', 'phrase' and 'to'")
                continue
            src = v.scalar(fields["from"][0], "proposition 'from'")
            phrase = v.scalar(fields["phrase"][0], "linking phrase")
            dst = v.scalar(fields["to"][0], "proposition 'to'")
            line = line_of(item)
        else:
            got_text = _arrow_text(v, item, "proposition")
            if not got_text:
                if not isinstance(item, yaml.ScalarNode):
                    v.error(line_of(item), "proposition must be 'Concept -> linking phrase -> Concept'")
                continue
            text, line = got_text
            parts = [p.strip() for p in re.split(r"\s*(?:->|→)\s*", text)]
            if len(parts) != 3 or not all(parts):
                v.error(line, f"proposition '{text}' must be 'Concept -> linking phrase -> Concept'")
                continue
            src, phrase, dst = parts
        if not (src and phrase and dst):
            continue
        a = _implicit(v, spec, src, line)
        b = _implicit(v, spec, dst, line)
        if not a or not b:
            continue
        if a == b:
            v.error(line, f"proposition links '{src}' to itself")
            continue
        if (a, b) in seen:
            v.error(line, f"'{src}' and '{dst}' are already linked; put both phrases in one proposition")
            continue
        seen.add((a, b))
        spec.propositions.append(Proposition(a, phrase, b, line))


def _cycle(v: _V, spec: Spec, got) -> None:
    items = v.sequence(got["steps"][0], "steps") if "steps" in got else None
    if not items or len(items) < 2:
        v.error(got.get("steps", (None, 0))[1], "steps is missing or has fewer than two steps")
        items = items or []
    for item in items:
        node = _node_item(v, item, "step")
        if node:
            key = _register(v, spec, node)
            if key:
                spec.steps.append(key)
    for key in ("center", "centre"):
        if key in got:
            spec.center = v.scalar(got[key][0], key, required=False)


def load(text: str, dtype: str | None, max_nodes: int = DEFAULT_MAX_NODES, allow_use: bool = False):
    """YAML text -> Spec (or ('use', name, line)). Raises SpecError."""
    return validate(compose(text), dtype, max_nodes=max_nodes, allow_use=allow_use)
