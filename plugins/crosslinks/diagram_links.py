"""Build stage: the internal links of each post's diagrams, resolved through the index
(`"targets"` of each diagram record, for the graph); a broken one is an author error where it is
written: the post's line, or the diagram file's own line for a `use:`d file."""

from __future__ import annotations

import os

from .resolver import Entry, Index


def link_location(settings, content, link: dict) -> tuple[str, int]:
    """(source path, line) where a diagram link is written: in the post, or in the used file
    the diagrams plugin found when it read the post (`file`, `file_line`)."""
    if link.get("file"):
        return os.path.join(settings.get("PATH", ""), link["file"]), int(link.get("file_line", 0) or 0)
    return content.source_path, int(link.get("line", 0) or 0)


def report_broken(settings, content, link: dict, message: str) -> None:
    from author_report import report  # noqa: PLC0415 (plugins load from PLUGIN_PATHS)

    path, line = link_location(settings, content, link)
    report(settings, path, line, "error", message)


def resolve_diagrams(entry: Entry, index: Index, settings) -> None:
    content = entry.obj
    for diagram in getattr(content, "diagrams", None) or ():
        if not isinstance(diagram, dict):
            continue
        targets = []
        for link in diagram.get("links", ()) or ():
            link = link if isinstance(link, dict) else {"href": str(link)}
            res = index.resolve(link.get("href", ""), entry)
            if res.kind == "content":
                if res.target.obj not in targets:
                    targets.append(res.target.obj)
            elif res.is_error:
                report_broken(settings, content, link, res.message())
        diagram["targets"] = targets
