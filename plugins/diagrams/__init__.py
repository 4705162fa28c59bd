"""Diagrams: intermediary, causal-loop, concept-map and cycle diagrams from YAML, as accessible
inline SVG (docs/diagrams.md). `register()` only wires signals; the receivers are in
pelican_hooks.py (module-level functions: Pelican keeps weak references)."""

from __future__ import annotations

from pelican import signals

from .pelican_hooks import (
    add_extension,
    get_generators,
    invalidate_generator_cache,
    remember_contents,
    summary_without_diagrams,
)


def register():
    import post_data  # noqa: PLC0415

    post_data.register()
    signals.initialized.connect(add_extension)
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(invalidate_generator_cache)
    signals.content_object_init.connect(summary_without_diagrams)
    signals.all_generators_finalized.connect(remember_contents)
