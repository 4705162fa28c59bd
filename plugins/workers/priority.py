"""Which pages a rebuild renders first: those of the posts the author just saved, and every page
that shows one of them (order never changes bytes, only when each page is on disk).

A post is *edited* when its source file is newer than its page on disk (or it has no page yet).
A page *shows* an edited post when it is that post's page; a post's page whose links, backlinks
or related posts (the build stage's `outlinks`, `backlinks`, `related`) name it; a listing page
(`articles_page`) that lists it; a redirect from an old URL (`target`) to it; or a site-wide
page (archives, tags, the map, search, A–Z…), which is rendered first in every rebuild: there
are few of them.
"""

from __future__ import annotations

import os

# attribute of a content object -> the field of each item that holds another content object
NEIGHBOURS = {"outlinks": "target", "backlinks": "source", "related": "post"}


def content_of(localcontext):
    """The post or page a job renders as its own page, or None (listings, site pages)."""
    content = localcontext.get("article") or localcontext.get("page")
    if content is None or getattr(content, "save_as", None) != localcontext.get("output_file"):
        return None
    return content


def is_edited(content, page_path: str) -> bool:
    try:
        return os.path.getmtime(content.source_path) > os.path.getmtime(page_path)
    except (OSError, TypeError, AttributeError):
        return True


def edited_contents(jobs) -> set[int]:
    """ids of the contents whose own page, among `jobs`, is older than their source."""
    return {id(c) for job in jobs if (c := content_of(job.localcontext)) is not None and is_edited(c, job.path)}


def shows(localcontext, edited: set[int]) -> bool:
    content = content_of(localcontext)
    if content is not None:
        if id(content) in edited:
            return True
        return any(id(getattr(item, field, None)) in edited
                   for name, field in NEIGHBOURS.items() for item in getattr(content, name, None) or ())
    listing = localcontext.get("articles_page")
    if listing is not None:
        return any(id(article) in edited for article in listing.object_list)
    target = localcontext.get("target")  # crosslinks' redirect pages: one per alias of a post
    if target is not None and hasattr(target, "source_path"):
        return id(target) in edited
    return "article" not in localcontext and "page" not in localcontext  # a site-wide page


def first_and_rest(jobs: list, edited: set[int]) -> tuple[list, list]:
    """(the jobs that show an edited post, the others), each in the order asked for except that the
    edited posts' own pages lead the first list; all in the first list's place when nothing was
    edited (a cold build has no page on disk: everything is)."""
    if not edited:
        return jobs, []
    first = [job for job in jobs if shows(job.localcontext, edited)]
    chosen = {id(job) for job in first}
    # the edited posts' own pages before the pages that show them (the page the author watches)
    first.sort(key=lambda job: id(content_of(job.localcontext)) not in edited)
    return first, [job for job in jobs if id(job) not in chosen]
