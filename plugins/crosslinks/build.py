"""Build stage (once per build, `all_generators_finalized`): resolve every link, attach the data.

1. Build the index once (sources, URL paths, aliases, wiki keys, tags and categories).
2. Resolve each post's read-stage links (`ln_links`) and diagram links; report broken ones.
3. Attach `outlinks`, `backlinks`, `concept_links`, `citations` (see model.py) to every
   content object; rewrite wiki-link placeholders into `{filename}` links (Pelican then
   makes them relative/absolute URLs as usual) or `<span class="broken-link">`.
4. With CROSSLINKS_CURATION_WARNINGS: orphan posts and unlinked mentions, as warnings.

Linear in posts + links: every step is a loop over posts or links with dictionary
look-ups; only broken links pay for a suggestion search.
"""

from __future__ import annotations

import fnmatch
import html
import logging
import os
import re
from collections import Counter, defaultdict
from datetime import datetime
from urllib.parse import unquote, urlsplit

from markupsafe import Markup, escape

from . import summaries
from .curation import MentionFinder, find_line, unlinked_text
from .extension import HEADER_KEY, KEY, WIKI_PREFIX, html_links
from .model import Backlink, Citation, OutLink
from .resolver import Concept, Entry, Index, Resolution
from .urls import UrlScheme, site_of

logger = logging.getLogger(__name__)

CONTEXT_REDIRECTS = "crosslinks_redirects"  # context key: [(site path, content), ...]
LAST_RUN: dict = {}  # statistics of the last build (tests, corpus report)

LISTED_ATTRS = ("articles", "translations", "hidden_articles", "hidden_translations",
                "pages", "hidden_pages")
DRAFT_ATTRS = ("drafts", "drafts_translations", "draft_pages", "draft_translations")
WIKI_ATTRS = ("articles", "hidden_articles", "pages", "hidden_pages")

WIKI_A_RE = re.compile(r'<a\b[^>]*?\bhref="\{wiki\}([^"]*)"[^>]*>(.*?)</a>', re.S)
# The href of an <a> tag (HTML or SVG) in a post's HTML, either quote.
A_HREF_RE = re.compile(r"""(<a\b[^>]*?\shref=)(["'])(.*?)\2""", re.S)


class _SilencePelicanDuplicates(logging.Filter):
    """Drop Pelican's "Unable to find '…'" for the {filename} links we reported ourselves."""

    values: set[str] = set()

    def filter(self, record):
        if isinstance(record.msg, str) and record.msg.startswith("Unable to find") and record.args:
            return str(record.args[0]) not in self.values
        return True


_FILTER = _SilencePelicanDuplicates()
logging.getLogger("pelican.contents").addFilter(_FILTER)


# ---------------------------------------------------------------------------------------------
def _report(settings, path, line, level, message):
    from author_report import report  # noqa: PLC0415 (plugins load from PLUGIN_PATHS)

    report(settings, path, line, level, message)


def split_aliases(value) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    return tuple(a.strip() for item in value for a in str(item).split(",") if a.strip())


def _collect(generators):
    """(content, listed, wiki) for every content object, each once."""
    seen: dict[int, list] = {}
    order = []
    for gen in generators:
        for attr in LISTED_ATTRS + DRAFT_ATTRS:
            for content in getattr(gen, attr, ()) or ():
                key = id(content)
                if key not in seen:
                    seen[key] = [content, False, False]
                    order.append(key)
                if attr in LISTED_ATTRS:
                    seen[key][1] = True
                if attr in WIKI_ATTRS:
                    seen[key][2] = True
    return [tuple(seen[k]) for k in order]


def _format_regex(fmt: str) -> str:
    out, pos = [], 0
    for m in re.finditer(r"\{[^{}]*\}", fmt):
        out.append(re.escape(fmt[pos:m.start()]))
        out.append(r"[^/]+")
        pos = m.end()
    out.append(re.escape(fmt[pos:]))
    return "".join(out)


def known_pages(settings) -> tuple[list[str], list[str]]:
    """Site paths of generated pages that are not posts, and regexes for the rest."""
    paths = ["", "index.html", settings.get("INDEX_SAVE_AS") or "index.html"]
    for name in settings.get("DIRECT_TEMPLATES", ()) or ():
        paths.append(settings.get(f"{name.upper()}_SAVE_AS") or f"{name}.html")
    paths += list((settings.get("TEMPLATE_PAGES") or {}).values())
    for key in ("TAGS_SAVE_AS", "CATEGORIES_SAVE_AS", "AUTHORS_SAVE_AS", "ARCHIVES_SAVE_AS"):
        if settings.get(key):
            paths.append(settings[key])
    patterns = []
    for key in ("YEAR_ARCHIVE", "MONTH_ARCHIVE", "DAY_ARCHIVE"):
        for suffix in ("_SAVE_AS", "_URL"):
            fmt = settings.get(key + suffix)
            if fmt:
                patterns.append(_format_regex(fmt))
                if fmt.endswith("index.html"):
                    patterns.append(_format_regex(fmt[: -len("index.html")]))
    for glob in settings["CROSSLINKS_KNOWN_PATHS"]:
        patterns.append(fnmatch.translate(glob))
    return [p for p in paths if p is not None], patterns


def _sort_date(content):
    date = getattr(content, "date", None)
    if isinstance(date, datetime):
        try:
            return (0, date.timestamp())
        except (OverflowError, OSError, ValueError):
            return (0, 0.0)
    return (1, 0.0)


def backlink_key(backlink: Backlink, sources: dict | None = None):
    """(date, title, source path): oldest first, undated pages last."""
    src = backlink.source
    path = sources.get(id(src), "") if sources is not None else str(getattr(src, "source_path", ""))
    return (*_sort_date(src), str(getattr(src, "title", "")), path)


def _href_kind(href: str) -> str:
    """How a link was written, for statistics: filename, wiki, relative, root, absolute …"""
    if href.startswith(WIKI_PREFIX):
        return "wiki"
    if href.startswith(("{", "|")):
        return href[1:].split("}", 1)[0].split("|", 1)[0]
    if href.startswith(("http://", "https://", "//")):
        return "absolute"
    if href.startswith("/"):
        return "root-relative"
    return "relative"


# ---------------------------------------------------------------------------------------------
def build(generators) -> dict:
    generators = list(generators)
    if not generators:
        return {}
    settings = generators[0].settings
    context = generators[0].context
    path_root = settings.get("PATH", "")

    collected = _collect(generators)
    _reread_stale(collected, settings, generators)
    entries: list[Entry] = []
    by_obj: dict[int, Entry] = {}
    for content, listed, wiki in collected:
        header = getattr(content, HEADER_KEY, None) or {}
        entry = Entry(
            obj=content,
            source=content.get_relative_source_path(),
            url=getattr(content, "url", "") or "",
            save_as=getattr(content, "save_as", "") or "",
            title=str(getattr(content, "title", "") or ""),
            slug=str(getattr(content, "slug", "") or ""),
            aliases=split_aliases(content.metadata.get("aliases")),
            listed=listed,
            wiki=wiki,
            alias_line=int(header.get("aliases", 0) or 0),
        )
        entries.append(entry)
        by_obj[id(content)] = entry

    concepts: dict[tuple[str, str], Concept] = {}  # tag/category pages that are written
    tags_on, categories_on = bool(settings.get("TAG_SAVE_AS")), bool(settings.get("CATEGORY_SAVE_AS"))
    for entry in entries:
        if not entry.listed:
            continue
        content = entry.obj
        for tag in (getattr(content, "tags", None) or ()) if tags_on else ():
            if ("tag", tag.name) not in concepts:  # Pelican computes slug and url on each access
                concepts[("tag", tag.name)] = Concept("tag", tag.name, tag.slug, tag.url)
        category = getattr(content, "category", None) if categories_on else None
        if category is not None and hasattr(category, "slug") and ("category", category.name) not in concepts:
            concepts[("category", category.name)] = Concept("category", category.name, category.slug,
                                                            category.url)

    static = context.get("static_content", {}) or {}
    known, patterns = known_pages(settings)
    scheme = UrlScheme(settings.get("SITEURL", "") or "",
                       tuple(settings["CROSSLINKS_LEGACY_HOSTS"]),
                       bool(settings["CROSSLINKS_RELATIVE_TO_SITEURL"]))
    generated = context.get("generated_content", {}) or {}
    index = Index(
        entries, scheme, concepts=concepts.values(),
        static_sources=[k for k, v in static.items() if v is not None],
        static_paths=[getattr(v, "url", "") for v in static.values() if v is not None],
        known_paths=known, known_patterns=patterns,
        failed_sources=[k for k, v in generated.items() if v is None],
    )
    for entry, line, message in index.problems:
        _report(settings, entry.obj.source_path, line, "error", message)

    context_chars = settings["CROSSLINKS_CONTEXT_CHARS"]
    stats = Counter()
    unresolved = []  # (source, line, href, message) of every broken link
    kinds = defaultdict(Counter)  # how links were written -> resolution kind
    backlinks: dict[int, list[Backlink]] = defaultdict(list)
    inbound: Counter = Counter()
    outlinks_of: dict[int, dict[int, list]] = {}
    rewritten: list = []

    for entry in entries:
        content = entry.obj
        links = getattr(content, KEY, None) or ()
        per_target: dict[int, list] = {}
        concept_links: set[tuple[str, str]] = set()
        cites: dict[str, list] = {}
        wiki_res: dict[str, Resolution] = {}
        as_marker: dict[str, str] = {}  # href written as a URL -> Pelican's marker for its target
        for link in links:
            href = link.get("href", "")
            res = index.resolve(href, entry)
            stats["links"] += 1
            stats[res.kind] += 1
            kinds[_href_kind(href)][res.kind] += 1
            if href.startswith(WIKI_PREFIX):
                wiki_res[href[len(WIKI_PREFIX):]] = res
            marker = marker_href(href, res)  # a post, page, tag or category written as a URL
            if marker is not None:
                as_marker[href] = marker
            line = int(link.get("line", 0) or 0)
            if res.is_error:
                message = res.message()
                _report(settings, content.source_path, line, "error", message)
                unresolved.append((entry.source, line, href, message))
                if href.startswith(("{filename}", "|filename|")):
                    value = href[len("{filename}"):]
                    _FILTER.values.add(value)
                    _FILTER.values.add(urlsplit(value).geturl())
            elif res.kind == "content":
                target = res.target
                if target is entry or not target.listed:
                    continue
                agg = per_target.get(id(target.obj))
                context_text = _trim(link.get("context", ""), context_chars)
                if agg is None:
                    per_target[id(target.obj)] = [target, [line], context_text]
                else:
                    agg[1].append(line)
            elif res.kind == "concept":
                concept_links.add(res.concept)
            elif res.kind == "external":
                site = site_of(href)
                if site:
                    bucket = cites.setdefault(site, [[], 0])
                    if href not in bucket[0]:
                        bucket[0].append(href)
                    bucket[1] += 1

        outlinks = [OutLink(target=t.obj, count=len(lines), line=lines[0], lines=tuple(lines), context=ctx,
                            url=t.url)
                    for t, lines, ctx in per_target.values()]
        outlinks.sort(key=lambda o: by_obj[id(o.target)].source)
        content.outlinks = outlinks
        content.concept_links = sorted(concept_links)
        content.citations = [Citation(site=s, urls=tuple(v[0]), count=v[1]) for s, v in sorted(cites.items())]
        if entry.listed and outlinks:
            title = Markup(entry.title).striptags()  # once per source, not once per backlink shown
            for out in outlinks:
                backlinks[id(out.target)].append(
                    Backlink(source=content, count=out.count, line=out.line, context=out.context,
                             url=entry.url, title=title))
                inbound[id(out.target)] += 1
        outlinks_of[id(content)] = per_target

        summary = content.metadata.get("summary")
        changed = False
        if wiki_res or (isinstance(summary, str) and WIKI_PREFIX in summary):
            changed = _rewrite_wiki(content, wiki_res, index)
        if as_marker:
            changed = _rewrite_as_markers(content, as_marker) or changed
        if changed:
            rewritten.append(content)
        _resolve_diagrams(content, entry, index, settings, path_root)

    _forget_memoized(*rewritten)
    summaries.resolve_per_page(e.obj for e in entries)
    source_of = {id(e.obj): e.source for e in entries}
    for entry in entries:
        items = backlinks.get(id(entry.obj), [])
        items.sort(key=lambda b: backlink_key(b, source_of))
        entry.obj.backlinks = items

    redirects = sorted(((path, e.obj) for path, e in index.redirects.items()), key=lambda x: x[0])
    context[CONTEXT_REDIRECTS] = redirects

    if settings["CROSSLINKS_CURATION_WARNINGS"]:
        curation_warnings(settings, entries, inbound, outlinks_of)

    LAST_RUN.clear()
    LAST_RUN.update({"stats": dict(stats), "by_form": {k: dict(v) for k, v in kinds.items()},
                     "unresolved": unresolved, "redirects": [p for p, _ in redirects],
                     "posts": len(entries)})
    return LAST_RUN


MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown")


def _reread_stale(collected, settings, generators=()) -> None:
    """Re-read Markdown posts that came from a content cache written without our extension.

    Pelican's reader cache does not know about plugins: a cache written before the
    cross-links plugin was enabled holds no `ln_links`. Those posts (only those) are
    converted again, so their links and wiki links are right; `make clean` refreshes the cache.
    """
    for content, _, _ in collected:
        path = str(getattr(content, "source_path", ""))
        if not hasattr(content, KEY) and path.lower().endswith((".html", ".htm")):
            try:
                with open(path, encoding="utf-8") as fh:
                    lines = fh.read().split("\n")
            except (OSError, UnicodeDecodeError):
                lines = []
            setattr(content, KEY, html_links(content._content, lines,
                                             int(settings["CROSSLINKS_CONTEXT_CHARS"])))
    stale = [c for c, _, _ in collected
             if not hasattr(c, KEY) and str(getattr(c, "source_path", "")).endswith(MARKDOWN_EXTENSIONS)]
    if not stale:
        return
    from markdown import Markdown
    from pelican.utils import pelican_open

    readers = [r for r in (getattr(g, "readers", None) for g in generators) if r is not None]
    touched = set()
    for content in stale:
        md = Markdown(**settings["MARKDOWN"])
        md.post_data = {"source_path": content.source_path}
        try:
            with pelican_open(content.source_path) as text:
                html = md.convert(text)
        except OSError:
            continue
        content._content = html
        data = {k: v for k, v in md.post_data.items() if k != "source_path"}
        for key in (KEY, HEADER_KEY):
            if key in data:
                setattr(content, key, data[key])
        for r in readers:  # refresh the cache entry, so the next build reads it right
            cached = r.get_cached_data(content.source_path, None) if hasattr(r, "get_cached_data") else None
            if cached:
                r.cache_data(content.source_path, (html, {**cached[1], **data}))
                touched.add(id(r))
    _forget_memoized(*stale)
    for r in readers:
        if id(r) in touched:
            r.save_cache()
    logger.warning("crosslinks: %d post(s) came from a content cache written without the "
                   "cross-links extension and were read again (`make clean` refreshes the cache)",
                   len(stale))


def _trim(text: str, limit) -> str:
    if limit and len(text) > int(limit):
        return text[: int(limit) - 1].rstrip() + "\u2026"
    return text


def _rewrite_wiki(content, resolutions: dict[str, Resolution], index: Index) -> bool:
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
    text = content._content or ""
    new = pattern.sub(replace, text)
    if new != text:
        content._content = new
        changed = True
    summary = content.metadata.get("summary")
    if isinstance(summary, str):
        new = pattern.sub(replace, summary)
        if new != summary:
            content.metadata["summary"] = new
            if hasattr(content, "_summary"):
                content._summary = new
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
    tail = ("?" + parts.query if parts.query else "") + ("#" + parts.fragment if parts.fragment else "")
    if res.kind == "content" and res.target is not None:
        return "{filename}/" + res.target.source + tail
    if res.kind == "concept" and res.concept is not None:
        kind, name = res.concept
        return "{" + kind + "}" + name + tail
    return None


def _rewrite_as_markers(content, as_marker: dict[str, str]) -> bool:
    """Rewrite every <a href> of the post (and of its Summary) that is a key of `as_marker`."""
    def replace(m):
        marker = as_marker.get(html.unescape(m.group(3)).strip())
        if marker is None:
            return m.group(0)
        return f"{m.group(1)}{m.group(2)}{escape(marker)}{m.group(2)}"

    return _sub_content_and_summary(content, A_HREF_RE, replace)


def _forget_memoized(*contents) -> None:
    """Drop Pelican's memoized get_content/get_summary results for `contents`, if any.

    The caches are normally empty at this stage (nothing has rendered yet); one pass over
    each cache, whatever the number of contents.
    """
    if not contents:
        return
    ids = {id(c) for c in contents}
    seen = set()
    for content in contents:
        for klass in type(content).__mro__:
            if klass in seen:
                continue
            seen.add(klass)
            for name in ("get_content", "get_summary"):
                cache = getattr(klass.__dict__.get(name), "cache", None)
                if cache:
                    for key in [k for k in cache if k and id(k[0]) in ids]:
                        del cache[key]


def _resolve_diagrams(content, entry: Entry, index: Index, settings, path_root: str) -> None:
    diagrams = getattr(content, "diagrams", None)
    if not diagrams:
        return
    for diagram in diagrams:
        if not isinstance(diagram, dict):
            continue
        # A `use:`d diagram file (diagrams plugin: its path in DIAGRAMS_DIR, its links' lines in it)
        where = os.path.join(path_root, diagram["file"]) if diagram.get("file") else content.source_path
        targets = []
        for link in diagram.get("links", ()) or ():
            href = link.get("href", "") if isinstance(link, dict) else str(link)
            res = index.resolve(href, entry)
            if res.kind == "content":
                if res.target.obj not in targets:
                    targets.append(res.target.obj)
            elif res.is_error:
                _report(settings, where, int(link.get("line", 0) or 0) if isinstance(link, dict) else 0,
                        "error", res.message())
        diagram["targets"] = targets


def curation_warnings(settings, entries: list[Entry], inbound: Counter, outlinks_of) -> None:
    """Orphan posts and unlinked mentions of other posts' titles, as author warnings."""
    listed = [e for e in entries if e.listed]
    for entry in listed:
        if type(entry.obj).__name__ == "Article" and not inbound.get(id(entry.obj)):
            header = getattr(entry.obj, HEADER_KEY, None) or {}
            _report(settings, entry.obj.source_path, int(header.get("title", 0) or 0), "warning",
                    f"orphan post: no other post links to '{entry.title}'")
    finder = MentionFinder(((id(e.obj), e.title) for e in listed), min_words=int(
        settings["CROSSLINKS_MENTION_MIN_WORDS"]))
    by_id = {id(e.obj): e for e in listed}
    for entry in listed:
        linked = outlinks_of.get(id(entry.obj), {})
        found = [k for k in finder.find(unlinked_text(entry.obj._content))
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
            _report(settings, entry.obj.source_path, line, "warning",
                    f"unlinked mention of '{other.title}' ({other.source}): link it?")
