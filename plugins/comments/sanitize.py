"""Comment HTML sanitiser (pure): untrusted text from strangers -> plain formatting and safe links.

Used by the importer when it writes the comments data files, and again by the comments plugin
when it reads them (a data file may have been edited by hand since).
"""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {"a", "b", "strong", "i", "em", "u", "s", "p", "br", "blockquote", "q", "code", "pre",
                "ul", "ol", "li", "sub", "sup"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https"}
LINK_REL = "nofollow ugc"


def sanitize_comment(html: str) -> str:
    """Keep plain formatting and http(s) links (rel="nofollow ugc"); drop everything else."""
    return nh3.clean(html or "", tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel=LINK_REL, strip_comments=True).strip()


def safe_url(url: str) -> str:
    """An author's web address, kept only when it is http(s)."""
    url = (url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) and not any(c in url for c in "\"'<> ") else ""
