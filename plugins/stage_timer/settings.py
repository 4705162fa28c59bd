"""The stage_timer plugin's settings and their defaults (listed in docs/settings.md)."""

from __future__ import annotations

from plugin_settings import receiver

DEFAULTS = {
    # A file path: write the plugins' time per stage (read, build, emit; wall and CPU time) there
    # as JSON at the end of the build (`make bench` sets it). None: nothing is written.
    "STAGE_TIMER_OUTPUT": None,
}

# `initialized` receiver (module level: blinker keeps weak references).
apply = receiver(DEFAULTS)
