"""Pelican signal receivers of the diagrams plugin (wired in __init__.register)."""

from __future__ import annotations

from .settings import apply as apply_settings


def add_extension(pelican):
    """Append our Markdown extension (configured from the settings) to settings["MARKDOWN"]."""
    from .extension import DiagramsExtension  # noqa: PLC0415

    apply_settings(pelican)  # first: blinker calls a signal's receivers in no set order
    from post_data import use_extension  # noqa: PLC0415

    settings = pelican.settings
    use_extension(settings, DiagramsExtension(
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
    from pelican_internals import cached_reads, drop_cached_read  # noqa: PLC0415

    from .extension import file_digest  # noqa: PLC0415

    settings = readers.settings
    current: dict[str, str] = {}
    for path, metadata in cached_reads(readers):
        used = metadata.get("diagram_files") if isinstance(metadata, dict) else None
        for name, digest in (used or {}).items():
            if name not in current:
                current[name] = file_digest(settings.get("PATH", ""), settings["DIAGRAMS_DIR"], name)
            if current[name] != digest:
                drop_cached_read(readers, path)
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
    from pelican_internals import raw_content  # noqa: PLC0415

    from .summary import has_diagrams, summary_without_diagrams as cut  # noqa: PLC0415

    if "summary" in getattr(content, "metadata", {}) or not has_diagrams(raw_content(content)):
        return
    content.get_summary = PageSummary(content, cut=cut)


def remember_contents(generators):
    """Build stage: the published articles and pages, for the diagram index written at emit, and
    the index its links are resolved with (crosslinks', built here if that plugin is off)."""
    from content_walk import published  # noqa: PLC0415 (a sibling module, on sys.path)

    from .index_page import CONTEXT_CONTENTS  # noqa: PLC0415

    from crosslinks.site_index import CONTEXT_INDEX, build_site_links  # noqa: PLC0415

    generators = list(generators)
    if generators:
        context = generators[0].context
        context[CONTEXT_CONTENTS] = published(generators)
        if CONTEXT_INDEX not in context:  # the crosslinks plugin is off: the same index, unchecked
            context[CONTEXT_INDEX] = build_site_links(generators)


def get_generators(pelican):
    from .index_page import DiagramsIndexGenerator  # noqa: PLC0415

    return DiagramsIndexGenerator
