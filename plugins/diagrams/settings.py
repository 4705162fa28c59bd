"""The diagrams plugin's settings and their defaults (listed in docs/settings.md)."""

from __future__ import annotations

from plugin_settings import receiver

DEFAULTS = {
    # Feedback loops listed per causal-loop diagram; more gives a warning.
    "DIAGRAMS_MAX_LOOPS": 50,
    # Longest loop searched, in links.
    "DIAGRAMS_MAX_LOOP_LENGTH": 12,
    # Nodes per diagram; more is an error.
    "DIAGRAMS_MAX_NODES": 60,
    # Folder of reusable diagrams (NAME.yaml or NAME.yml), inside the content folder; keep it in
    # ARTICLE_EXCLUDES.
    "DIAGRAMS_DIR": "diagrams",
    # Where the diagram index is written; "" turns it off.
    "DIAGRAMS_INDEX_SAVE_AS": "diagrams/index.html",
}

# `initialized` receiver (module level: blinker keeps weak references).
apply = receiver(DEFAULTS)
