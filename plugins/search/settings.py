"""The search plugin's settings and their defaults (listed in docs/settings.md)."""

from __future__ import annotations

from plugin_settings import receiver

DEFAULTS = {
    # Build the full-text search index (Pagefind, over posts and pages) into OUTPUT_PATH/pagefind/
    # at the end of every build; False skips it (search.html then finds nothing).
    "SEARCH_INDEX": True,
    # Where the search page is written; "" turns it off (and the search field in the header).
    "SEARCH_SAVE_AS": "search.html",
    # Where the A-Z index is written; "" turns it off (and its link in the navigation).
    "SEARCH_AZ_SAVE_AS": "a-z.html",
}

# `initialized` receiver (module level: blinker keeps weak references).
apply = receiver(DEFAULTS)
