"""Pelican signal receivers of the diagrams plugin (wired in __init__.register)."""

from __future__ import annotations

SETTINGS_DEFAULTS = {
    "DIAGRAMS_MAX_LOOPS": 50,
    "DIAGRAMS_MAX_LOOP_LENGTH": 12,
    "DIAGRAMS_MAX_NODES": 60,
    "DIAGRAMS_DIR": "diagrams",
    "DIAGRAMS_INDEX_SAVE_AS": "diagrams/index.html",
}


def add_extension(pelican):
    """Append our Markdown extension (configured from the settings) to settings["MARKDOWN"]."""
    from .extension import DiagramsExtension  # noqa: PLC0415

    settings = pelican.settings
    for key, value in SETTINGS_DEFAULTS.items():
        settings.setdefault(key, value)
    md = settings.setdefault("MARKDOWN", {})
    exts = md.setdefault("extensions", [])
    exts[:] = [e for e in exts if not isinstance(e, DiagramsExtension)]
    exts.append(DiagramsExtension(
        content_path=settings.get("PATH", "content"),
        diagrams_dir=settings["DIAGRAMS_DIR"],
        max_loops=int(settings["DIAGRAMS_MAX_LOOPS"]),
        max_loop_length=int(settings["DIAGRAMS_MAX_LOOP_LENGTH"]),
        max_nodes=int(settings["DIAGRAMS_MAX_NODES"]),
    ))


def invalidate_cache(readers):
    """Drop cached posts whose diagram files (content/diagrams/*.yaml) changed since they were read.

    Pelican's reader cache only checks each post's own file; a post that `use:`s a diagram
    file recorded the file's digest in its metadata (`diagram_files`).
    """
    from .extension import file_digest  # noqa: PLC0415

    cache = getattr(readers, "_cache", None)
    if not cache:
        return
    settings = readers.settings
    current: dict[str, str] = {}
    for path, entry in list(cache.items()):
        try:
            _stamp, (_content, metadata) = entry
            used = (metadata or {}).get("diagram_files") or {}
        except (TypeError, ValueError, AttributeError):
            continue
        for name, digest in used.items():
            if name not in current:
                current[name] = file_digest(settings.get("PATH", ""), settings.get("DIAGRAMS_DIR", "diagrams"), name)
            if current[name] != digest:
                del cache[path]
                break


def invalidate_generator_cache(generator):
    # generator_init fires once the generator's Readers (and their cache) exist.
    readers = getattr(generator, "readers", None)
    if readers is not None:
        invalidate_cache(readers)


def summary_without_diagrams(content):
    """A post without a Summary gets one from its text, not from its diagrams' SVG.

    Pelican truncates the content to SUMMARY_MAX_LENGTH words, which would cut an SVG in
    half on index pages. A post with diagrams gets compute_once's `PageSummary` with a cut that
    leaves diagram figures and error boxes out; like Pelican's own summary, its links are
    resolved for each page it is shown on.
    """
    from compute_once import PageSummary  # noqa: PLC0415

    from .summary import has_diagrams, summary_without_diagrams as cut  # noqa: PLC0415

    if "summary" in getattr(content, "metadata", {}) or not has_diagrams(getattr(content, "_content", None)):
        return
    content.get_summary = PageSummary(content, cut=cut)


def remember_contents(generators):
    """Build stage: the published articles and pages, for the diagram index written at emit."""
    from content_walk import published  # noqa: PLC0415 (a sibling module, on sys.path)

    from .index_page import CONTEXT_CONTENTS  # noqa: PLC0415

    generators = list(generators)
    if generators:
        generators[0].context[CONTEXT_CONTENTS] = published(generators)


def get_generators(pelican):
    from .index_page import DiagramsIndexGenerator  # noqa: PLC0415

    return DiagramsIndexGenerator
