"""Compute each post's and page's URL once.

Pelican formats `Content.url` and `Content.save_as` from the URL settings on every access
(copying the metadata, formatting the date, working out the source path). A build reads them
tens of thousands of times: every listing, every `{filename}` link in every rendering of a
post's content and summary, every backlink and related post. Once a generator has finished
reading, nothing can change them, so this plugin stores them with Pelican's own override
mechanism (`override_url` / `override_save_as`, the attributes the `URL:` and `Save_as:`
metadata set), and every later access is an attribute read.

Static files are left alone: Pelican's `{attach}` moves them while pages are written.
"""

from __future__ import annotations

from pelican import signals

# The lists of content objects each generator keeps (published, translations, hidden, drafts).
_ARTICLE_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations", "drafts",
                  "drafts_translations")
_PAGE_LISTS = ("pages", "translations", "hidden_pages", "hidden_translations", "draft_pages",
               "draft_translations")


def freeze(contents) -> int:
    """Store url and save_as of each content object as overrides; returns how many were frozen."""
    count = 0
    for content in contents:
        for key in ("url", "save_as"):
            if not hasattr(content, "override_" + key):
                setattr(content, "override_" + key, getattr(content, key))
        count += 1
    return count


def _freeze_lists(generator, names) -> None:
    for name in names:
        freeze(getattr(generator, name, ()) or ())


def freeze_articles(generator) -> None:
    _freeze_lists(generator, _ARTICLE_LISTS)


def freeze_pages(generator) -> None:
    _freeze_lists(generator, _PAGE_LISTS)


def register():
    signals.article_generator_finalized.connect(freeze_articles)
    signals.page_generator_finalized.connect(freeze_pages)
