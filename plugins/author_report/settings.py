"""The author_report plugin's settings and their defaults (listed in docs/settings.md)."""

from __future__ import annotations

from plugin_settings import receiver

DEFAULTS = {
    # Fail the build at the end (exit 1) if any author error was reported; every error is listed
    # first. publishconf.py and `make check` set it to True.
    "AUTHOR_REPORT_STRICT": False,
}

# `initialized` receiver (module level: blinker keeps weak references).
apply = receiver(DEFAULTS)
