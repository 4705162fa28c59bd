"""diagrams/index.html: every diagram of the site, with the posts that use it (emit stage)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from markupsafe import escape
from pelican.generators import Generator
from pelican.utils import get_relative_path, path_to_url

from site_page import write_site_page

from . import figure
from .extension import ANCHOR_TOKEN

try:
    from stage_timer import timed
except ImportError:  # pragma: no cover
    from contextlib import nullcontext as timed  # type: ignore

CONTEXT_CONTENTS = "diagrams_contents"  # the published articles and pages (remember_contents)
_FILENAME_HREF = re.compile(r'(\s)href="\{filename\}([^"]*)"')


@dataclass
class Use:
    content: object  # Article or Page
    anchor: str
    line: int


@dataclass
class Entry:
    ident: str
    type: str
    title: str
    use: str | None
    html: str = ""
    uses: list[Use] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return "d-" + re.sub(r"[^a-z0-9]+", "-", self.ident.lower()).strip("-")


def _published(context):
    items = context.get(CONTEXT_CONTENTS, ())
    return sorted(items, key=lambda c: (str(getattr(c, "date", "")), c.source_path))


def collect(contents, resolve=lambda html, content, diagram: html) -> tuple[list[Entry], list[Entry]]:
    """(reused diagrams, inline diagrams), each sorted; every use listed. `resolve(html, content,
    diagram)` gives a figure's HTML with its links resolved for the index page."""
    entries: dict[str, Entry] = {}
    for content in contents:
        html_by_id = getattr(content, "diagram_html", None) or {}
        for d in getattr(content, "diagrams", None) or []:
            entry = entries.get(d["id"])
            if entry is None:
                entry = entries[d["id"]] = Entry(d["id"], d["type"], d["title"], d.get("use"))
            if not entry.html and d["id"] in html_by_id:
                entry.html = resolve(html_by_id[d["id"]], content, d)
            entry.uses.append(Use(content, d.get("anchor", ""), d.get("line", 0)))
    reused = sorted((e for e in entries.values() if e.use), key=lambda e: (e.title.casefold(), e.ident))
    inline = sorted((e for e in entries.values() if not e.use), key=lambda e: (e.title.casefold(), e.ident))
    return reused, inline


def page_siteurl(save_as: str, settings) -> str:
    """SITEURL as Pelican's writer sets it for the page at `save_as` (relative with RELATIVE_URLS)."""
    if settings.get("RELATIVE_URLS"):
        return path_to_url(get_relative_path(save_as))
    return settings.get("SITEURL", "") or ""


def link_resolver(links, siteurl: str, settings):
    """`resolve(html, content, diagram)` for `collect`: every {filename} link of a figure shown
    outside its post, resolved through the crosslinks index (`links`, a SiteLinks) for a page at
    `siteurl`. A link to no post or page is an author error where it is written, and loses its
    href (the label stays, as text)."""
    from crosslinks.diagram_links import report_broken  # noqa: PLC0415

    def resolve(text: str, content, diagram) -> str:
        def repl(m):
            href = "{filename}" + html.unescape(m.group(2))
            url = links.url(content, href)
            if url is not None:
                return f'{m.group(1)}href="{escape(siteurl + "/" + url)}"'
            res = links.resolve(content, href)
            if res.is_error:  # reported by crosslinks' build stage too: the report keeps it once
                written = [k for k in diagram.get("links", ()) if isinstance(k, dict) and k.get("href") == href]
                report_broken(settings, content, written[0] if written else {}, res.message())
            return ""

        return _FILENAME_HREF.sub(repl, text)

    return resolve


class DiagramsIndexGenerator(Generator):
    """Writes DIAGRAMS_INDEX_SAVE_AS (default diagrams/index.html) with diagrams_index.html."""

    def generate_context(self):
        pass

    def generate_output(self, writer):
        save_as = self.settings["DIAGRAMS_INDEX_SAVE_AS"]
        if not save_as:
            return
        with timed("emit"):
            from crosslinks.site_index import site_links  # noqa: PLC0415

            resolve = link_resolver(site_links(self.context), page_siteurl(save_as, self.settings), self.settings)
            reused, inline = collect(_published(self.context), resolve)
            for k, entry in enumerate(reused + inline, 1):
                entry.html = (entry.html.replace(figure.ID_TOKEN, f"dgi{k}")
                              .replace(ANCHOR_TOKEN, f"{entry.slug}-figure"))
            write_site_page(
                self, writer, save_as, "diagrams_index",
                reused_diagrams=reused,
                inline_diagrams=inline,
                diagram_count=len(reused) + len(inline),
            )
