"""Build stage, step 5 (with CROSSLINKS_CURATION_WARNINGS): orphan posts and unlinked mentions of
other posts' titles, reported as author warnings (the finding itself is curation.py's)."""

from __future__ import annotations

from collections import Counter

from pelican_internals import raw_content

from .curation import MentionFinder, find_line, unlinked_text
from .extension import HEADER_KEY
from .resolver import Entry


def curation_warnings(settings, entries: list[Entry], inbound: Counter, outlinks_of) -> None:
    """Orphan posts and unlinked mentions of other posts' titles, as author warnings."""
    from author_report import report  # noqa: PLC0415 (plugins load from PLUGIN_PATHS)

    listed = [e for e in entries if e.listed]
    for entry in listed:
        if type(entry.obj).__name__ == "Article" and not inbound.get(id(entry.obj)):
            header = getattr(entry.obj, HEADER_KEY, None) or {}
            report(settings, entry.obj.source_path, int(header.get("title", 0) or 0), "warning",
                   f"orphan post: no other post links to '{entry.title}'")
    finder = MentionFinder(((id(e.obj), e.title) for e in listed), min_words=int(
        settings["CROSSLINKS_MENTION_MIN_WORDS"]))
    by_id = {id(e.obj): e for e in listed}
    for entry in listed:
        linked = outlinks_of.get(id(entry.obj), {})
        found = [k for k in finder.find(unlinked_text(raw_content(entry.obj)))
                 if k != id(entry.obj) and k not in linked]
        if not found:
            continue
        try:
            with open(entry.obj.source_path, encoding="utf-8") as fh:
                lines = fh.read().split("\n")
        except OSError:
            lines = []
        header = getattr(entry.obj, HEADER_KEY, None) or {}
        body_start = max(header.values()) if header else 0
        for key in found:
            other = by_id[key]
            line = find_line(lines, other.title, body_start)
            report(settings, entry.obj.source_path, line, "warning",
                   f"unlinked mention of '{other.title}' ({other.source}): link it?")
