"""graphics on a real blog (../shared/corpora/ludochaordic, skipped when absent): every image is
a node, reused pictures are found, and each missing file is reported at the line that shows it.

The corpus ships without most of its images, so most local images are missing files: errors,
each with the path and line of the image in its post."""

from __future__ import annotations

import json
import re

import pytest

from conftest import build_site
from test_crosslinks_corpus import CORPUS, SETTINGS

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus folder absent")

PLUGINS = ["stage_timer", "author_report", "crosslinks", "graphics", "concept_graph"]
MISSING = re.compile(r"^(.+):(\d+): error: missing image file '(.+)' \(no static file '(.+)'\)$")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    from graphics import build as graphics_build

    out = tmp_path_factory.mktemp("corpus-graphics")
    records = build_site(CORPUS, out, **{**SETTINGS, "PLUGINS": PLUGINS})
    graph = json.loads((out / "graph" / "graph.json").read_text("utf-8"))
    return out, [r.getMessage() for r in records], graph, dict(graphics_build.LAST_RUN)


def test_every_missing_image_is_reported_at_its_line(corpus):
    _, messages, _, run = corpus
    missing = [MISSING.match(m) for m in messages if "missing image file" in m]
    assert len(missing) > 500 and all(missing)
    for m in missing:
        lines = (CORPUS / m.group(1)).read_text("utf-8").split("\n")
        src = m.group(3)
        line = lines[int(m.group(2)) - 1]
        assert src in line or src.replace("&", "&amp;") in line, (m.group(0), line)
    assert run["uses"] >= len(missing)


def test_every_image_is_a_node_with_embeds_edges(corpus):
    _, _, graph, run = corpus
    images = {n["id"]: n for n in graph["nodes"] if n["kind"] == "image"}
    assert len(images) > 500
    embedded = {e["target"] for e in graph["links"] if e["kind"] == "embeds"}
    assert set(images) <= embedded
    for node in images.values():
        assert node["label"] and node["uses"] >= 1 and node["variants"]


def test_reused_pictures_are_found(corpus):
    _, _, graph, _ = corpus
    reused = [n for n in graph["nodes"] if n["kind"] == "image" and n["uses"] > 1]
    assert len(reused) >= 20
    assert max(n["uses"] for n in reused) >= 4
