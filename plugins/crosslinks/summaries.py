"""Summaries whose links are right on every page they are shown on.

Pelican resolves the links of a `Summary` given in metadata (by the author, or made by the
diagrams plugin without the diagrams) only once, for the site root, and keeps the result: with
`RELATIVE_URLS` a link in such a summary breaks on every listing below the root (tag, category
and year pages). A summary cut from the content does not have the problem, since Pelican
resolves it for each page. This module gives each content whose metadata summary holds links a
`get_summary` that does what Pelican does for content: resolve the summary's links for the page
it is rendered on (once per page depth).
"""

from __future__ import annotations

# Pelican's intrasite markers ({filename}, |filename|, {static}, {tag}, …).
_MARKERS = ("{", "|")


class PageSummary:
    """`content.get_summary(siteurl)`: the metadata summary, links resolved for `siteurl`.

    A plain class (not a closure) so that content objects stay picklable for Pelican's
    generator-level cache.
    """

    def __init__(self, content, raw: str):
        self.content = content
        self.raw = raw
        self.resolved: dict[str, str] = {}

    def __call__(self, siteurl: str) -> str:
        hit = self.resolved.get(siteurl)
        if hit is None:
            hit = self.resolved[siteurl] = self.content._update_content(self.raw, siteurl)
        return hit


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
        if content._get_intrasite_link_regex().search(raw) is None:
            continue
        content.get_summary = PageSummary(content, raw)
        count += 1
    return count
