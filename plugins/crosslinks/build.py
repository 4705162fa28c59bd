"""Build stage (once per build, `all_generators_finalized`): resolve every link, attach the data.

The steps, one module each:

0. `html_posts`: links of posts written in HTML (the Markdown extension read the rest).
1. `site_index`: the index (sources, URL paths, aliases, wiki keys, tags and categories), built
   once and published in the context (`CONTEXT_INDEX`) for every plugin that resolves a link.
2. `link_resolution`: each post's links resolved, broken ones reported; `outlinks`,
   `concept_links`, `citations` attached (model.py). `diagram_links`: the diagrams' links.
3. `backlinks`: the outlinks turned around, attached as `backlinks`; `timeline`: when each
   post was cited, year by year, attached as `citation_timeline`; `previews`: the previews
   of the posts each post links to, attached as `link_previews` (JSON made at emit).
4. `rewrite`: wiki-link placeholders and internal URLs rewritten into Pelican's markers (Pelican then
   writes relative or absolute URLs per page) or `<span class="broken-link">`.
5. `curation_report` (CROSSLINKS_CURATION_WARNINGS): orphan posts and unlinked mentions.

Linear in posts + links: every step is a loop over posts or links with dictionary look-ups; only
broken links pay for a suggestion search.
"""

from __future__ import annotations

from pelican_internals import forget_memoized

from . import previews, summaries
from .backlinks import Backlinks
from .curation_report import curation_warnings
from .diagram_links import resolve_diagrams
from .html_posts import scan_html_posts
from .link_resolution import Tally, attach, resolve_post
from .log_filter import FILTER
from .rewrite import rewrite_post
from .site_index import CONTEXT_INDEX, build_site_links
from .timeline import timeline_of

CONTEXT_REDIRECTS = "crosslinks_redirects"  # context key: [(site path, content), ...]
CONTEXT_QUERY_REDIRECTS = "crosslinks_query_redirects"  # {"p=123": site-relative URL}: home page script
LAST_RUN: dict = {}  # statistics of the last build (tests, corpus report)


def _report_index_problems(settings, links) -> None:
    from author_report import report  # noqa: PLC0415 (plugins load from PLUGIN_PATHS)

    for entry, line, message in links.index.problems:
        report(settings, entry.obj.source_path, line, "error", message)


def build(generators) -> dict:
    generators = list(generators)
    if not generators:
        return {}
    settings, context = generators[0].settings, generators[0].context
    FILTER.reset()
    links = build_site_links(generators)
    scan_html_posts((e.obj for e in links.entries), settings)
    context[CONTEXT_INDEX] = links
    _report_index_problems(settings, links)

    tally, backlinks = Tally(), Backlinks()
    source_of = {id(e.obj): e.source for e in links.entries}
    outlinks_of, rewritten = {}, []
    for entry in links.entries:
        post = resolve_post(entry, links.index, settings, tally)
        backlinks.add(entry, attach(entry, post, source_of))
        outlinks_of[id(entry.obj)] = post.per_target
        if rewrite_post(entry.obj, post.wiki, post.as_marker, links.index):
            rewritten.append(entry.obj)
        resolve_diagrams(entry, links.index, settings)
    forget_memoized(*rewritten)
    summaries.resolve_per_page(e.obj for e in links.entries)
    backlinks.attach(links.entries, source_of)
    for entry in links.entries:
        entry.obj.citation_timeline = timeline_of(entry.obj)
    previews.attach(links.entries)

    redirects = sorted(((path, e.obj) for path, e in links.index.redirects.items()), key=lambda x: x[0])
    context[CONTEXT_REDIRECTS] = redirects
    context[CONTEXT_QUERY_REDIRECTS] = {query: e.url for query, e in sorted(links.index.query_redirects.items())}
    if settings["CROSSLINKS_CURATION_WARNINGS"]:
        curation_warnings(settings, links.entries, backlinks.inbound, outlinks_of)

    LAST_RUN.clear()
    LAST_RUN.update({"stats": dict(tally.stats), "by_form": {k: dict(v) for k, v in tally.by_form.items()},
                     "unresolved": tally.unresolved, "redirects": [p for p, _ in redirects],
                     "posts": len(links.entries)})
    return LAST_RUN
