"""Build stage, step 4: rewrite a post's HTML (and its metadata Summary) so Pelican resolves every
internal link per page: wiki-link placeholders and internal links written as URLs become
Pelican's markers (`{filename}/<source>`, `{tag}name`, `{category}name`)."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote, urlsplit

from markupsafe import escape

from pelican_internals import raw_content, set_metadata_summary, set_raw_content

from .extension import WIKI_PREFIX
from .resolver import Index, Resolution

WIKI_A_RE = re.compile(r'<a\b[^>]*?\bhref="\{wiki\}([^"]*)"[^>]*>(.*?)</a>', re.S)
# The href of an <a> tag (HTML or SVG) in a post's HTML, either quote.
A_HREF_RE = re.compile(r"""(<a\b[^>]*?\shref=)(["'])(.*?)\2""", re.S)


def rewrite_post(content, wiki: dict[str, Resolution], as_marker: dict[str, str], index: Index) -> bool:
    """Both rewrites on one post; True if its HTML or Summary changed."""
    summary = content.metadata.get("summary")
    changed = False
    if wiki or (isinstance(summary, str) and WIKI_PREFIX in summary):
        changed = rewrite_wiki(content, wiki, index)
    if as_marker:
        changed = rewrite_as_markers(content, as_marker) or changed
    return changed


def rewrite_wiki(content, resolutions: dict[str, Resolution], index: Index) -> bool:
    """Wiki placeholders -> `{filename}` links, or `<span class="broken-link">`."""
    def replace(m, resolutions=resolutions):
        key = m.group(1)
        res = resolutions.get(key)
        if res is None:
            res = index.resolve_wiki(unquote(key))
        inner = m.group(2)
        if res.kind == "content":
            href = "{filename}/" + res.target.source + res.fragment
            return f'<a class="wikilink" href="{escape(href)}">{inner}</a>'
        return f'<span class="broken-link" title="{escape(res.message())}">{inner}</span>'

    return _sub_content_and_summary(content, WIKI_A_RE, replace)


def _sub_content_and_summary(content, pattern: re.Pattern, replace) -> bool:
    """`pattern.sub(replace, …)` on the post's HTML and on its metadata Summary; True if either changed."""
    changed = False
    text = raw_content(content) or ""
    new = pattern.sub(replace, text)
    if new != text:
        set_raw_content(content, new)
        changed = True
    summary = content.metadata.get("summary")
    if isinstance(summary, str):
        new = pattern.sub(replace, summary)
        if new != summary:
            set_metadata_summary(content, new)
            changed = True
    return changed


def marker_href(href: str, res: Resolution) -> str | None:
    """Pelican's own form (`{filename}/<source>`, `{tag}name`, `{category}name`, with the query and
    fragment kept) of an internal link written as a URL; None if it is already a marker.

    Pelican adjusts marker links to the page each rendering goes on (the post, an index, a tag
    page), but leaves URLs as written: a relative link that works on the post breaks in its
    summary on a page at another depth, and a link to a legacy host leaves the site.
    """
    if href.startswith(("{", "|")):  # {filename}, |filename|, {tag}…, and our {wiki} placeholders
        return None
    parts = urlsplit(href)
    query = parts.query if not res.by_query else ""  # "/?p=123" names the post; it is not a query of its page
    tail = ("?" + query if query else "") + ("#" + parts.fragment if parts.fragment else "")
    if res.kind == "content" and res.target is not None:
        return "{filename}/" + res.target.source + tail
    if res.kind == "concept" and res.concept is not None:
        kind, name = res.concept
        return "{" + kind + "}" + name + tail
    return None


def rewrite_as_markers(content, as_marker: dict[str, str]) -> bool:
    """Rewrite every <a href> of the post (and of its Summary) that is a key of `as_marker`."""
    def replace(m):
        marker = as_marker.get(html.unescape(m.group(3)).strip())
        if marker is None:
            return m.group(0)
        return f"{m.group(1)}{m.group(2)}{escape(marker)}{m.group(2)}"

    return _sub_content_and_summary(content, A_HREF_RE, replace)
