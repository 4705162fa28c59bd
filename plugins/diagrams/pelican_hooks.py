"""Pelican signal receivers of the diagrams plugin (wired in __init__.register)."""

from __future__ import annotations

from .settings import apply as apply_settings


def add_extension(pelican):
    """Append our Markdown extension (configured from the settings) to settings["MARKDOWN"]."""
    from .extension import DiagramsExtension  # noqa: PLC0415

    apply_settings(pelican)  # first: blinker calls a signal's receivers in no set order
    settings = pelican.settings
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
                current[name] = file_digest(settings.get("PATH", ""), settings["DIAGRAMS_DIR"], name)
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


def get_generators(pelican):
    from .index_page import DiagramsIndexGenerator  # noqa: PLC0415

    return DiagramsIndexGenerator
