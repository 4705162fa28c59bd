"""Automatic summaries without diagrams (pure)."""

from __future__ import annotations

import re

# A sibling module, used whether or not the compute_once plugin is enabled.
from compute_once import auto_summary, cut_summary
from pelican_internals import raw_content

DIAGRAM_HTML = re.compile(
    r'<figure class="diagram diagram-[^"]*"[^>]*>.*?</figure>|<div class="diagram-error" role="alert">.*?</div>',
    re.S,
)


def has_diagrams(html: str | None) -> bool:
    return bool(html) and DIAGRAM_HTML.search(html) is not None


def summary_without_diagrams(content) -> str:
    """The summary Pelican would cut from the post, with its diagram figures and error boxes left
    out (a `PageSummary` cut: called when a page first shows the summary, after every plugin
    has rewritten the post)."""
    html = raw_content(content)
    if not has_diagrams(html):
        return auto_summary(content)
    return cut_summary(DIAGRAM_HTML.sub("", html), content.settings)
