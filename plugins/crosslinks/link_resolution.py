"""Build stage, step 2: resolve each post's read-stage links (`ln_links`) through the index, report
the broken ones, and attach `outlinks`, `concept_links` and `citations` (model.py)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .extension import KEY, WIKI_PREFIX
from .log_filter import FILTER
from .model import Citation, OutLink
from .resolver import Entry, Index, Resolution
from .rewrite import marker_href
from .urls import site_of


@dataclass
class Tally:
    """What the build saw, for LAST_RUN: counts per resolution kind, per way of writing, the broken."""

    stats: Counter = field(default_factory=Counter)
    by_form: dict = field(default_factory=lambda: defaultdict(Counter))  # how written -> kind -> count
    unresolved: list = field(default_factory=list)  # (source, line, href, message)


@dataclass
class PostLinks:
    """One post's links, resolved."""

    per_target: dict = field(default_factory=dict)  # id(target) -> [target Entry, [lines], context]
    concept_links: set = field(default_factory=set)  # ("tag" | "category", name)
    cites: dict = field(default_factory=dict)  # site -> [[urls], count]
    wiki: dict = field(default_factory=dict)  # wiki placeholder key -> Resolution
    as_marker: dict = field(default_factory=dict)  # href written as a URL -> Pelican's marker for it


def href_kind(href: str) -> str:
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


def trim(text: str, limit) -> str:
    if limit and len(text) > int(limit):
        return text[: int(limit) - 1].rstrip() + "\u2026"
    return text


def _broken(entry: Entry, link: dict, href: str, res: Resolution, settings, tally: Tally) -> None:
    from author_report import report  # noqa: PLC0415 (plugins load from PLUGIN_PATHS)

    line = int(link.get("line", 0) or 0)
    message = res.message()
    report(settings, entry.obj.source_path, line, "error", message)
    tally.unresolved.append((entry.source, line, href, message))
    if href.startswith(("{filename}", "|filename|")):
        FILTER.add(href)


def resolve_post(entry: Entry, index: Index, settings, tally: Tally) -> PostLinks:
    """Resolve every link of `entry`'s post; broken ones are reported at their line."""
    post = PostLinks()
    context_chars = settings["CROSSLINKS_CONTEXT_CHARS"]
    for link in getattr(entry.obj, KEY, None) or ():
        href = link.get("href", "")
        res = index.resolve(href, entry)
        tally.stats["links"] += 1
        tally.stats[res.kind] += 1
        tally.by_form[href_kind(href)][res.kind] += 1
        if href.startswith(WIKI_PREFIX):
            post.wiki[href[len(WIKI_PREFIX):]] = res
        marker = marker_href(href, res)  # a post, page, tag or category written as a URL
        if marker is not None:
            post.as_marker[href] = marker
        if res.is_error:
            _broken(entry, link, href, res, settings, tally)
        elif res.kind == "content":
            target = res.target
            if target is entry or not target.listed:
                continue
            line = int(link.get("line", 0) or 0)
            agg = post.per_target.get(id(target.obj))
            if agg is None:
                post.per_target[id(target.obj)] = [target, [line], trim(link.get("context", ""), context_chars)]
            else:
                agg[1].append(line)
        elif res.kind == "concept":
            post.concept_links.add(res.concept)
        elif res.kind == "external":
            site = site_of(href)
            if site:
                bucket = post.cites.setdefault(site, [[], 0])
                if href not in bucket[0]:
                    bucket[0].append(href)
                bucket[1] += 1
    return post


def attach(entry: Entry, post: PostLinks, source_of: dict[int, str]) -> list[OutLink]:
    """Set the post's `outlinks` (sorted by target source), `concept_links`, `citations`."""
    content = entry.obj
    outlinks = [OutLink(target=t.obj, count=len(lines), line=lines[0], lines=tuple(lines), context=ctx, url=t.url)
                for t, lines, ctx in post.per_target.values()]
    outlinks.sort(key=lambda o: source_of[id(o.target)])
    content.outlinks = outlinks
    content.concept_links = sorted(post.concept_links)
    content.citations = [Citation(site=s, urls=tuple(v[0]), count=v[1]) for s, v in sorted(post.cites.items())]
    return outlinks
