"""The crosslinks plugin's settings and their defaults (listed in docs/settings.md)."""

from __future__ import annotations

from plugin_settings import receiver

DEFAULTS = {
    # Origins (optionally with a path, "https://old.example/blog") of former homes of the blog
    # whose paths match our URL scheme; links to them are internal links.
    "CROSSLINKS_LEGACY_HOSTS": [],
    # Report orphan posts and unlinked mentions as warnings (`make check` sets it).
    "CROSSLINKS_CURATION_WARNINGS": False,
    # Longest context sentence kept for a backlink, in characters (cut around the link with "…").
    "CROSSLINKS_CONTEXT_CHARS": 300,
    # Resolve relative URLs from the site root instead of the page's folder: for themes with
    # <base href="{{ SITEURL }}/"> (imported blogs written that way).
    "CROSSLINKS_RELATIVE_TO_SITEURL": False,
    # Glob patterns of more site paths generated outside the content, never reported as broken
    # (the enabled plugins' own pages, from their *_SAVE_AS settings, are known already).
    "CROSSLINKS_KNOWN_PATHS": [],
    # Shortest title, in words, looked for as an unlinked mention.
    "CROSSLINKS_MENTION_MIN_WORDS": 3,
}

CONTEXT_CHARS = DEFAULTS["CROSSLINKS_CONTEXT_CHARS"]  # for pure functions' keyword defaults

# `initialized` receiver (module level: blinker keeps weak references).
apply = receiver(DEFAULTS)
