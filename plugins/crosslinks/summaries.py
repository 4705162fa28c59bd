"""Summaries given in metadata whose links are right on every page they are shown on.

Pelican resolves the links of a `Summary` given in metadata (by the author, or by a plugin)
only once, for the site root, and keeps the result: with
`RELATIVE_URLS` a link in such a summary breaks on every listing below the root (tag, category
and year pages). Automatic summaries cut from the content do not have the problem, since Pelican
resolves them for each page. This module gives each content whose metadata summary holds links
the `get_summary` of `compute_once` (a sibling module, used whether or not that plugin is
enabled): the summary's links resolved for the page it is rendered on, once per page depth.
"""

from __future__ import annotations

from compute_once import PageSummary
from pelican_internals import has_intrasite_link

# Pelican's intrasite markers ({filename}, |filename|, {static}, {tag}, …).
_MARKERS = ("{", "|")


def resolve_per_page(contents) -> int:
    """Install a PageSummary on each content whose metadata summary links with a marker.

    Must run before Pelican's `refresh_metadata_intersite_links` (it does: that comes right after
    `all_generators_finalized`), while the summary still holds the markers. Returns the count.
    """
    count = 0
    for content in contents:
        raw = getattr(content, "metadata", {}).get("summary")
        if not isinstance(raw, str) or not any(m in raw for m in _MARKERS):
            continue
        if not has_intrasite_link(content, raw):
            continue
        content.get_summary = PageSummary(content, raw)
        count += 1
    return count
