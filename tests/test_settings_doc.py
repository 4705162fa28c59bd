"""docs/settings.md and the code agree: every setting, its default, one way to read it."""

from __future__ import annotations

import ast
import importlib
import os
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "settings.md"
BASE_TEMPLATE = ROOT / "themes" / "network" / "templates" / "base.html"
PREFIXES = ("AUTHOR_REPORT_", "STAGE_TIMER_", "CROSSLINKS_", "DIAGRAMS_", "CONCEPT_GRAPH_", "COMMENTS_",
            "START_HERE_", "GRAPHICS_", "SEARCH_", "JOBS")

BACKTICKS = re.compile(r"`([^`]*)`")


def table_rows(*header: str) -> list[list[str]]:
    """The cells of every row of the docs/settings.md tables with this header (not the header)."""
    rows, in_table = [], False
    for line in DOC.read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if tuple(cells[: len(header)]) == header:
            in_table = True
        elif not cells:
            in_table = False
        elif in_table and not set(cells[0]) <= {"-", " "}:
            rows.append(cells)
    return rows


def documented() -> dict[str, object]:
    """{setting: default} from the tables `setting | default | meaning` (first backticked values)."""
    found: dict[str, object] = {}
    for cells in table_rows("setting", "default", "meaning"):
        name, literal = BACKTICKS.search(cells[0]).group(1), BACKTICKS.search(cells[1]).group(1)
        assert name not in found, f"docs/settings.md lists {name} twice"
        found[name] = ast.literal_eval(literal)
    return found


def plugin_defaults() -> dict[str, dict]:
    """{plugin: DEFAULTS} of every plugins/<plugin>/settings.py."""
    out = {}
    for path in sorted((ROOT / "plugins").glob("*/settings.py")):
        module = importlib.import_module(f"{path.parent.name}.settings")
        out[path.parent.name] = module.DEFAULTS
    return out


def theme_defaults() -> dict[str, object]:
    """The theme's settings, defaulted in base.html as `NAME|default(LITERAL, true)`."""
    text = BASE_TEMPLATE.read_text("utf-8")
    return {name: ast.literal_eval(value)
            for name, value in re.findall(r"\b([A-Z][A-Z0-9_]+)\|default\(([^,()]+), true\)", text)}


def code_defaults() -> dict[str, object]:
    merged: dict[str, object] = {}
    for defaults in [*plugin_defaults().values(), theme_defaults()]:
        for name, value in defaults.items():
            assert name not in merged, f"{name} is declared twice"
            merged[name] = value
    return merged


def test_every_plugin_with_settings_declares_them():
    assert set(plugin_defaults()) == {"author_report", "stage_timer", "crosslinks", "diagrams", "concept_graph",
                                    "comments", "graphics", "search", "workers", "kept_contents"}
    assert theme_defaults() == {"START_HERE_SLUG": "start-here"}


def test_document_and_code_list_the_same_settings():
    doc, code = documented(), code_defaults()
    assert sorted(set(code) - set(doc)) == [], "declared in the code, missing from docs/settings.md"
    assert sorted(set(doc) - set(code)) == [], "in docs/settings.md, declared nowhere in the code"


@pytest.mark.parametrize("name", sorted(code_defaults()))
def test_documented_default_is_the_code_default(name):
    value = code_defaults()[name]
    assert documented()[name] == value
    assert type(documented()[name]) is type(value)


def _reads(tree: ast.AST):
    """(kind, name, line) of every read of one of our settings: settings["X"] or settings.get("X", …)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            key = node.slice.value
            if isinstance(key, str) and key.startswith(PREFIXES):
                yield "subscript", key, node.lineno
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
              and node.args and isinstance(node.args[0], ast.Constant)):
            key = node.args[0].value
            if isinstance(key, str) and key.startswith(PREFIXES):
                yield "get", key, node.lineno


def test_code_reads_only_declared_settings_and_one_way():
    declared = code_defaults()
    reads = []
    for path in sorted((ROOT / "plugins").rglob("*.py")):
        if path.name == "settings.py":
            continue
        for kind, key, line in _reads(ast.parse(path.read_text("utf-8"))):
            reads.append((path.relative_to(ROOT).as_posix(), line, kind, key))
    assert reads, "no setting reads found: the scan is broken"
    assert [r for r in reads if r[3] not in declared] == [], "reads of settings that no DEFAULTS declares"
    # A default given at the call site (settings.get("X", default)) is a second source of truth.
    assert [r for r in reads if r[2] == "get"] == []


def test_pelican_applies_the_defaults_and_a_site_value_wins(tmp_path):
    from pelican import Pelican
    from pelican.settings import read_settings

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        settings = read_settings(str(ROOT / "pelicanconf.py"), override={
            "PATH": str(ROOT / "content"), "OUTPUT_PATH": str(tmp_path), "CROSSLINKS_CONTEXT_CHARS": 120})
        site_values = dict(settings)
        Pelican(settings)  # registers the plugins and sends `initialized`
    finally:
        os.chdir(cwd)
    assert settings["CROSSLINKS_CONTEXT_CHARS"] == 120
    assert "DIAGRAMS_MAX_NODES" not in site_values  # so the next loop checks defaults being applied
    for defaults in plugin_defaults().values():
        for name, value in defaults.items():
            assert settings[name] == site_values.get(name, value), name


def test_pure_functions_get_the_same_defaults():
    from plugin_settings import with_defaults

    from concept_graph.settings import DEFAULTS

    merged = with_defaults({"CONCEPT_GRAPH_SEED": 7}, DEFAULTS)
    assert merged["CONCEPT_GRAPH_SEED"] == 7
    assert {k: v for k, v in merged.items() if k != "CONCEPT_GRAPH_SEED"} == {
        k: v for k, v in DEFAULTS.items() if k != "CONCEPT_GRAPH_SEED"}
    assert with_defaults(None, DEFAULTS) == DEFAULTS
    merged["CONCEPT_GRAPH_SEED"] = 1
    assert DEFAULTS["CONCEPT_GRAPH_SEED"] == 42  # a copy: callers cannot change the defaults


# ---------------------------------------------------------------- Pelican settings we set


def conf(name: str) -> tuple[dict, set[str]]:
    """(settings over Pelican's defaults, names the file sets) of pelicanconf.py or publishconf.py."""
    from pelican.settings import DEFAULT_CONFIG

    path = ROOT / name
    namespace: dict = {"__file__": str(path), "__name__": name[:-3]}
    # publishconf.py does `from pelicanconf import *`: a module left by an earlier build in this
    # process may hold MARKDOWN with that build's extension objects appended; read a fresh one.
    earlier = sys.modules.pop("pelicanconf", None)
    try:
        exec(compile(path.read_text("utf-8"), str(path), "exec"), namespace)  # noqa: S102
    finally:
        sys.modules.pop("pelicanconf", None)
        if earlier is not None:
            sys.modules["pelicanconf"] = earlier
    values = {k: v for k, v in namespace.items() if k.isupper()}
    return {**{k: v for k, v in DEFAULT_CONFIG.items() if k not in values}, **values}, set(values)


def pelican_rows():
    """(names, pelicanconf cell, publishconf cell) of the table `setting | pelicanconf.py | publishconf.py | why`."""
    return [([n for n in BACKTICKS.findall(cells[0]) if re.fullmatch(r"[A-Z][A-Z0-9_]*", n)], cells[1], cells[2])
            for cells in table_rows("setting", "pelicanconf.py", "publishconf.py")]


def literals(cell: str) -> list:
    out = []
    for text in BACKTICKS.findall(cell):
        try:
            out.append(ast.literal_eval(text))
        except (ValueError, SyntaxError):
            return []  # prose in backticks: no value to compare
    return out


def test_pelican_settings_table_matches_the_configuration_files():
    develop, develop_set = conf("pelicanconf.py")
    publish, publish_set = conf("publishconf.py")
    rows = pelican_rows()
    assert len(rows) > 15
    compared = 0
    for names, develop_cell, publish_cell in rows:
        assert names, develop_cell
        for name in names:
            assert name in develop_set | publish_set, f"{name} is documented but set in neither file"
        for cell, values in ((develop_cell, develop), (publish_cell, publish)):
            expected = literals(cell)
            if not cell:  # publishconf.py keeps pelicanconf.py's value
                assert [publish.get(n) for n in names] == [develop.get(n) for n in names], names
            elif len(expected) == len(names) or len(expected) == 1:
                for name, value in zip(names, expected * len(names) if len(expected) == 1 else expected):
                    assert values.get(name) == value, (name, cell)  # unset: None to Pelican
                    compared += 1
    assert compared > 25


def test_configuration_files_set_only_declared_plugin_settings():
    declared = code_defaults()
    for name in ("pelicanconf.py", "publishconf.py"):
        _, set_here = conf(name)
        ours = {k for k in set_here if k.startswith(PREFIXES)}
        assert ours - set(declared) == set(), name
