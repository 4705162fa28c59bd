"""Walk every list of content objects Pelican's generators hold, each object once, with its status.

Pelican's ArticlesGenerator keeps `articles`, `translations`, `hidden_articles`,
`hidden_translations`, `drafts`, `drafts_translations`; its PagesGenerator keeps `pages`,
`translations`, `hidden_pages`, `hidden_translations`, `draft_pages`, `draft_translations`
(pelican/generators.py, 4.12). Every plugin that needs "all the posts" walks them here, and
chooses which statuses it wants, so no feature misses a list by accident.

Imported by name (pelicanconf.py puts the plugins folder on sys.path); not a Pelican plugin.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

PUBLISHED, HIDDEN, DRAFT = "published", "hidden", "draft"

# (attribute, status, is a translation). The order is the order items come out in, within each
# generator: the cross-links index is built in this order, so it must not change.
LISTS = (
    ("articles", PUBLISHED, False),
    ("translations", PUBLISHED, True),
    ("hidden_articles", HIDDEN, False),
    ("hidden_translations", HIDDEN, True),
    ("pages", PUBLISHED, False),
    ("hidden_pages", HIDDEN, False),
    ("drafts", DRAFT, False),
    ("drafts_translations", DRAFT, True),
    ("draft_pages", DRAFT, False),
    ("draft_translations", DRAFT, True),
)


class Item(NamedTuple):
    content: object  # a pelican.contents.Article or Page
    status: str  # PUBLISHED, HIDDEN or DRAFT
    translation: bool


def walk(generators: Iterable) -> Iterator[Item]:
    """Every content object of `generators` once (the first list it is in decides its status)."""
    seen: set[int] = set()
    for generator in generators:
        for attr, status, translation in LISTS:
            for content in getattr(generator, attr, None) or ():
                if id(content) not in seen:
                    seen.add(id(content))
                    yield Item(content, status, translation)


def published(generators: Iterable) -> list:
    """The published articles and pages in the default language (what listings show)."""
    return [item.content for item in walk(generators) if item.status == PUBLISHED and not item.translation]
