"""The workers plugin's settings and their defaults (listed in docs/settings.md)."""

from __future__ import annotations

from plugin_settings import receiver

DEFAULTS = {
    # Worker processes that read posts and render pages (`make html JOBS=N`); 0: one per core this
    # process may use; 1: everything in one process. Any value builds the same bytes.
    "JOBS": 0,
}

# `initialized` receiver (module level: blinker keeps weak references).
apply = receiver(DEFAULTS)
