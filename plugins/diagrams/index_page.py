"""diagrams/index.html: every diagram of the site, with the posts that use it (emit stage)."""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from pelican.generators import Generator

from . import figure
from .extension import ANCHOR_TOKEN

try:
    from stage_timer import timed
except ImportError:  # pragma: no cover
    from contextlib import nullcontext as timed  # type: ignore

_FILENAME_HREF = re.compile(r'href="\{filename\}([^"]*)"')


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
    items = list(context.get("articles", [])) + list(context.get("pages", []))
    return sorted(items, key=lambda c: (str(getattr(c, "date", "")), c.source_path))


def collect(contents) -> tuple[list[Entry], list[Entry]]:
    """(reused diagrams, inline diagrams), each sorted; every use listed (pure)."""
    entries: dict[str, Entry] = {}
    for content in contents:
        html_by_id = getattr(content, "diagram_html", None) or {}
        for d in getattr(content, "diagrams", None) or []:
            entry = entries.get(d["id"])
            if entry is None:
                entry = entries[d["id"]] = Entry(d["id"], d["type"], d["title"], d.get("use"))
            if not entry.html and d["id"] in html_by_id:
                entry.html = _resolve_links(html_by_id[d["id"]], content)
            entry.uses.append(Use(content, d.get("anchor", ""), d.get("line", 0)))
    reused = sorted((e for e in entries.values() if e.use), key=lambda e: (e.title.casefold(), e.ident))
    inline = sorted((e for e in entries.values() if not e.use), key=lambda e: (e.title.casefold(), e.ident))
    return reused, inline


def _resolve_links(html: str, content) -> str:
    """{filename} links of a figure shown outside its post: to site-relative URLs ("../" + url)."""
    generated = (getattr(content, "_context", None) or {}).get("generated_content", {})
    rel_dir = posixpath.dirname(content.relative_source_path.replace(os.sep, "/")) if getattr(
        content, "relative_source_path", None) else ""

    def repl(m):
        target = unquote(m.group(1))
        path, _, frag = target.partition("#")
        key = path[1:] if path.startswith("/") else posixpath.normpath(posixpath.join(rel_dir, path))
        linked = generated.get(key)
        if linked is None:
            return 'href="#"'
        url = "../" + linked.url + (f"#{frag}" if frag else "")
        return f'href="{url}"'

    return _FILENAME_HREF.sub(repl, html)


class DiagramsIndexGenerator(Generator):
    """Writes DIAGRAMS_INDEX_SAVE_AS (default diagrams/index.html) with diagrams_index.html."""

    def generate_context(self):
        pass

    def generate_output(self, writer):
        save_as = self.settings["DIAGRAMS_INDEX_SAVE_AS"]
        if not save_as:
            return
        with timed("emit"):
            reused, inline = collect(_published(self.context))
            for k, entry in enumerate(reused + inline, 1):
                entry.html = (entry.html.replace(figure.ID_TOKEN, f"dgi{k}")
                              .replace(ANCHOR_TOKEN, f"{entry.slug}-figure"))
            writer.write_file(
                save_as,
                self.get_template("diagrams_index"),
                self.context,
                relative_urls=self.settings.get("RELATIVE_URLS", False),
                override_output=True,
                url=save_as,
                reused_diagrams=reused,
                inline_diagrams=inline,
                diagram_count=len(reused) + len(inline),
            )
