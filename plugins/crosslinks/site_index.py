"""Build stage, step 1: the index of every post, page, tag and category of the site, made from
Pelican's generators once, and published in the context (`SiteLinks`) so that every plugin
resolves a link through it."""

from __future__ import annotations

import fnmatch
import posixpath
import re
from urllib.parse import urlsplit

from content_walk import DRAFT, walk
from plugin_settings import with_defaults

from .extension import HEADER_KEY
from .resolver import Concept, Entry, Index, Resolution
from .settings import DEFAULTS
from .urls import UrlScheme

CONTEXT_INDEX = "crosslinks_index"  # context key: the SiteLinks of this build

# Pages other plugins write: (setting, its default, whether the plugin writes the page's whole
# folder). Links to them are not broken. The concept graph writes its exports beside its map.
# (setting, whole folder?): set only when that plugin is enabled (its defaults are applied then).
PLUGIN_PAGES = (("CONCEPT_GRAPH_SAVE_AS", True), ("CONCEPT_GRAPH_PATHS_SAVE_AS", False),
                ("DIAGRAMS_INDEX_SAVE_AS", False),
                ("GRAPHICS_INDEX_SAVE_AS", True),  # the gallery, and its variants beside it
                ("SEARCH_SAVE_AS", False), ("SEARCH_AZ_SAVE_AS", False))


def split_aliases(value) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    return tuple(a.strip() for item in value for a in str(item).split(",") if a.strip())


def _format_regex(fmt: str) -> str:
    out, pos = [], 0
    for m in re.finditer(r"\{[^{}]*\}", fmt):
        out.append(re.escape(fmt[pos:m.start()]))
        out.append(r"[^/]+")
        pos = m.end()
    out.append(re.escape(fmt[pos:]))
    return "".join(out)


def plugin_page_globs(settings) -> list[str]:
    """Glob of each other plugin's pages: its page, or the page's folder (`graph/*`) for a plugin
    that writes the whole folder; then CROSSLINKS_KNOWN_PATHS, the author's own."""
    globs = []
    for key, whole_folder in PLUGIN_PAGES:
        save_as = settings.get(key)
        if save_as:
            folder = posixpath.dirname(save_as)
            globs.append(folder + "/*" if whole_folder and folder else save_as)
    return globs + list(settings["CROSSLINKS_KNOWN_PATHS"])


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
    patterns += [fnmatch.translate(glob) for glob in plugin_page_globs(settings)]
    return [p for p in paths if p is not None], patterns


def make_entries(generators) -> list[Entry]:
    """One Entry per content object: drafts are not listed, and neither drafts nor translations
    are found by wiki links."""
    entries = []
    for item in walk(generators):
        content = item.content
        header = getattr(content, HEADER_KEY, None) or {}
        entries.append(Entry(
            obj=content,
            source=content.get_relative_source_path(),
            url=getattr(content, "url", "") or "",
            save_as=getattr(content, "save_as", "") or "",
            title=str(getattr(content, "title", "") or ""),
            slug=str(getattr(content, "slug", "") or ""),
            aliases=split_aliases(content.metadata.get("aliases")),
            listed=item.status != DRAFT,
            wiki=item.status != DRAFT and not item.translation,
            alias_line=int(header.get("aliases", 0) or 0),
        ))
    return entries


def written_concepts(entries: list[Entry], settings) -> list[Concept]:
    """The tag and category pages that are written (of listed posts), each once."""
    concepts: dict[tuple[str, str], Concept] = {}
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
    return list(concepts.values())


class SiteLinks:
    """The index of this build, for every plugin: `resolve(content, href)` as written in `content`."""

    def __init__(self, entries: list[Entry], index: Index, static_urls: dict[str, str] | None = None):
        self.entries = entries
        self.index = index
        self.by_obj = {id(e.obj): e for e in entries}
        self.static_urls = static_urls or {}  # source path of each static file -> its URL

    def resolve(self, content, href: str) -> Resolution:
        return self.index.resolve(href, self.by_obj[id(content)])

    def static_file(self, content, href: str) -> tuple[str, str]:
        """Which static file an image or file reference in `content` names (Index.static_file):
        ("file", source path), ("missing", path), ("external", href) or ("other", href)."""
        return self.index.static_file(href, self.by_obj[id(content)])

    def url(self, content, href: str) -> str | None:
        """Site-relative URL (with the fragment as written) of the post, page or static file `href`
        points at from `content`; None when it points at none."""
        res = self.resolve(content, href)
        fragment = urlsplit(href).fragment
        if res.kind == "content":
            return res.target.url + ("#" + fragment if fragment else res.fragment)
        if res.kind == "static" and res.static_source in self.static_urls:
            return self.static_urls[res.static_source] + ("#" + fragment if fragment else "")
        return None


def build_site_links(generators) -> SiteLinks:
    """The index of every post and page of `generators` (alias conflicts in `index.problems`)."""
    generators = list(generators)
    # Also called by the diagrams and graphics plugins when crosslinks is off: then its defaults apply.
    settings = with_defaults(generators[0].settings, DEFAULTS)
    context = generators[0].context
    entries = make_entries(generators)
    static = context.get("static_content", {}) or {}
    generated = context.get("generated_content", {}) or {}
    known, patterns = known_pages(settings)
    scheme = UrlScheme(settings.get("SITEURL", "") or "",
                       tuple(settings["CROSSLINKS_LEGACY_HOSTS"]),
                       bool(settings["CROSSLINKS_RELATIVE_TO_SITEURL"]))
    index = Index.again(
        entries, scheme=scheme, concepts=written_concepts(entries, settings),
        static_sources=[k for k, v in static.items() if v is not None],
        static_paths=[getattr(v, "url", "") for v in static.values() if v is not None],
        known_paths=known, known_patterns=patterns,
        failed_sources=[k for k, v in generated.items() if v is None],
        static_files={getattr(v, "url", ""): k for k, v in sorted(static.items()) if v is not None},
    )
    # the index's own entries: the last run's when it is the last run's index (Index.again)
    return SiteLinks(index.entries, index, {k: getattr(v, "url", "") for k, v in static.items() if v is not None})


def site_links(context) -> SiteLinks | None:
    """The SiteLinks published for this build (None before the build stage)."""
    return context.get(CONTEXT_INDEX)
