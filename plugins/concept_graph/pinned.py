"""Reading paths pinned by authors: a post or page's `Path:` metadata, resolved like its links.

`Path: articles/a.md, {filename}/articles/b.md, [[Title of c]], /2016/10/d.html` lists the steps;
`Concept: name` (else the page's own `Tags`) says which concept pages show it instead of the
computed path. A bare file name is a source path from the content folder (`{filename}/…`).
Every entry is resolved through the crosslinks index (`context["crosslinks_index"]`, the one
resolver of the site); one that names no post or page is an author error at the line of the
`Path:` header, and is left out.
"""

from __future__ import annotations

import re

from .paths import ReadingPath, Step

# A source file written without a link marker: "articles/x.md" (from the content folder).
_BARE_SOURCE = re.compile(r"^[^{}\[\]:?#/][^{}\[\]:?#]*\.(md|markdown|mkd|rst)$", re.IGNORECASE)


def split_entries(value) -> list[str]:
    """The entries of a `Path:` value (a string with commas, or a list of them), in order."""
    if not value:
        return []
    items = value if isinstance(value, (list, tuple)) else [value]
    return [e.strip() for item in items for e in str(item).split(",") if e.strip()]


def as_href(entry: str) -> str:
    """The link an entry stands for: `[[Title]]` a wiki link, a bare source path `{filename}/…`,
    anything else as written (a `{filename}` link or a URL, resolved as a link in the page)."""
    if entry.startswith("[[") and entry.endswith("]]"):
        return "{wiki}" + entry[2:-2].strip()
    if _BARE_SOURCE.match(entry):
        return "{filename}/" + entry
    return entry


def pinned_concepts(content, tag_slug) -> list[str]:
    """Slugs of the concepts `content` pins its path for: `Concept:` names, else its tags."""
    named = split_entries(getattr(content, "metadata", {}).get("concept"))
    if named:
        return [tag_slug(name) for name in named]
    return [t.slug for t in getattr(content, "tags", None) or []]


def resolve_path(content, entries: list[str], links, problem) -> ReadingPath:
    """The steps `entries` name, resolved from `content` through `links` (SiteLinks);
    `problem(message)` is called for each entry that names no post or page."""
    steps = []
    for entry in entries:
        res = links.resolve(content, as_href(entry))
        if res.kind != "content" or res.target is None:
            message = res.message() if res.is_error else f"broken link to '{entry}': not a post or page"
            problem(f"reading path: {message}")
            continue
        target = res.target.obj
        date = getattr(target, "date", None)
        steps.append(Step(f"{res.target.source}", str(res.target.title), res.target.url,
                          date.strftime("%Y-%m-%d") if date else "", ("chosen by the authors",)))
    return ReadingPath(steps, content, str(getattr(content, "title", "")), str(getattr(content, "url", "")))


def pin_paths(contents, context, settings, site) -> int:
    """Build-stage glue: every content with `Path:` gets `reading_path`; the concepts it pins
    show it instead of their computed path (reset each build: the SiteGraph may be reused).
    Returns how many paths were pinned."""
    from author_report import report  # noqa: PLC0415 (sibling plugins, on sys.path)
    from crosslinks.extension import HEADER_KEY  # noqa: PLC0415
    from crosslinks.site_index import site_links  # noqa: PLC0415
    from pelican.urlwrappers import Tag  # noqa: PLC0415

    for cv in site.concepts.values():
        cv.path = cv.computed_path
    links = site_links(context)
    pinned = 0
    for content in sorted(contents, key=lambda c: str(c.source_path)):
        entries = split_entries(getattr(content, "metadata", {}).get("path"))
        if not entries:
            continue
        lines = getattr(content, HEADER_KEY, None) or {}

        def problem(message, key="path", level="error"):
            report(settings, content.source_path, int(lines.get(key, 0) or 0), level, message)

        if links is None:
            problem("reading path: not checked (the crosslinks plugin is not enabled)", level="warning")
            continue
        path = resolve_path(content, entries, links, problem)
        content.reading_path = path
        for slug in pinned_concepts(content, lambda name: Tag(name, settings).slug):
            cv = site.concepts.get(slug)
            if cv is None:
                problem(f"reading path: no concept '{slug}' on the site", "concept")
            elif cv.path is not cv.computed_path and cv.path is not None:
                problem(f"reading path for '{cv.name}' already pinned by {cv.path.pinned_title!r}", "concept")
            elif path:
                cv.path = path
                pinned += 1
    return pinned
