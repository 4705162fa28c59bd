"""search.html and a-z.html: the site-wide pages of the search plugin (emit stage)."""

from __future__ import annotations

from collections import Counter

from pelican.generators import Generator

from site_page import write_site_page

from .az import AZEntry, group, sort_key

try:
    from stage_timer import timed
except ImportError:  # pragma: no cover
    from contextlib import nullcontext as timed  # type: ignore

BUNDLE_DIR = "pagefind"  # Pagefind's bundle, under the output folder (index.py writes it)


def backlink_count(content) -> int:
    return len(getattr(content, "backlinks", None) or ())


def az_entries(articles, pages, tags) -> list[AZEntry]:
    """One entry per concept (tag as written, with its number of posts), post and page."""
    entries = [AZEntry(str(tag.name), tag.url, "concept", len(posts)) for tag, posts in tags]
    entries += [AZEntry(str(a.title), a.url, "post", backlink_count(a), a.date.year) for a in articles]
    entries += [AZEntry(str(p.title), p.url, "page", backlink_count(p)) for p in pages]
    return entries


def concept_options(tags) -> list[tuple[str, int]]:
    """(concept as written, posts) for the concept filter, in A-Z order."""
    return sorted(((str(tag.name), len(posts)) for tag, posts in tags), key=lambda o: (sort_key(o[0]), o[0]))


def year_options(articles) -> list[tuple[int, int]]:
    """(year, posts) for the year filter, newest first."""
    return sorted(Counter(a.date.year for a in articles).items(), reverse=True)


class _SitePage(Generator):
    """A page written once from the shared context, at the path of a *_SAVE_AS setting."""

    save_as_setting = ""
    template = ""

    def generate_context(self):
        pass

    def page_context(self) -> dict:
        raise NotImplementedError

    def generate_output(self, writer):
        save_as = self.settings[self.save_as_setting]
        if not save_as:
            return
        with timed("emit"):
            write_site_page(self, writer, save_as, self.template, **self.page_context())


class SearchPage(_SitePage):
    """SEARCH_SAVE_AS (default search.html) with search.html: the form, the filters, the script."""

    save_as_setting = "SEARCH_SAVE_AS"
    template = "search"

    def page_context(self) -> dict:
        articles, tags = self.context.get("articles", ()), self.context.get("tags", ())
        return {"search_concepts": concept_options(tags), "search_years": year_options(articles),
                "search_bundle": BUNDLE_DIR + "/"}


class AZPage(_SitePage):
    """SEARCH_AZ_SAVE_AS (default a-z.html) with a_z.html: every concept, post and page title."""

    save_as_setting = "SEARCH_AZ_SAVE_AS"
    template = "a_z"

    def page_context(self) -> dict:
        articles, pages, tags = (self.context.get(k, ()) for k in ("articles", "pages", "tags"))
        entries = az_entries(articles, pages, tags)
        kinds = Counter(e.kind for e in entries)
        return {"az_groups": group(entries), "az_concepts": kinds["concept"], "az_posts": kinds["post"],
                "az_pages": kinds["page"]}
