"""The build stage depends on the order of `all_generators_finalized`'s receivers: crosslinks' index
first, then graphics (resolves images through it), then concept_graph (reads both), then the diagram
index's hook. Blinker 1.9 iterates a *set* of receiver ids (`Signal.receivers_for`), which today
follows connection order (PLUGINS order); this test fails loudly if a Pelican or blinker upgrade
changes that, before a build silently computes related posts without links."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import sys
sys.path[:0] = ["plugins", "."]
from pelican import Pelican
from pelican.plugins import signals
from pelican.settings import read_settings
Pelican(read_settings("pelicanconf.py", override={"PATH": "content", "OUTPUT_PATH": sys.argv[1]}))
for receiver in getattr(signals, sys.argv[2]).receivers_for(None):
    print(receiver.__module__.split(".")[0])
"""


def test_build_stage_receivers_run_in_plugin_order(tmp_path):
    for seed in ("0", "7"):  # in a fresh process each time, as `make html` runs
        out = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path), "all_generators_finalized"], cwd=ROOT, check=True,
                             capture_output=True, text=True, env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout
        order = out.split()
        assert "crosslinks" in order and "graphics" in order and "concept_graph" in order, order
        assert order.index("crosslinks") < order.index("graphics") < order.index("concept_graph"), order
        assert order.index("crosslinks") < order.index("diagrams"), order


def test_pages_are_written_before_the_author_report_closes_the_build(tmp_path):
    """workers renders the pages it kept back at `finalized`; what the workers log and report must
    reach author_report before its receiver prints the summary (and fails a strict build)."""
    for seed in ("0", "7"):
        out = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path), "finalized"], cwd=ROOT, check=True,
                             capture_output=True, text=True, env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout
        order = out.split()
        assert order[0] == "workers", order
        assert "author_report" in order and "stage_timer" in order, order
