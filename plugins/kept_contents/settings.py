"""The kept_contents plugin's settings and their defaults (listed in docs/settings.md)."""

from __future__ import annotations

from plugin_settings import receiver

DEFAULTS = {
    # A rebuild in the same process (make devserver) takes the content objects of unchanged posts
    # from the run before; only with the reader cache on (CACHE_CONTENT). None: when Pelican runs
    # with --autoreload (-r; make devserver), where there are rebuilds. Every value builds the same bytes.
    "KEEP_CONTENTS": None,
}

# `initialized` receiver (module level: blinker keeps weak references).
apply = receiver(DEFAULTS)
