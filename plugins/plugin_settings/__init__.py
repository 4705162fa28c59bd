"""Plugin settings: give a settings mapping the defaults of the settings it leaves out.

Each plugin declares its settings once, in `plugins/<plugin>/settings.py` (`DEFAULTS`, one
commented line per key, listed in docs/settings.md). At Pelican's `initialized` signal the plugin
runs `apply_defaults(pelican.settings, DEFAULTS)` (the pelican-plugins convention,
`settings.setdefault`; `apply = receiver(DEFAULTS)` in the settings module), so the rest of its code reads `settings["X"]`. Pure functions that take
a settings dict without Pelican (tests, tools) call `with_defaults` once at their entry.

Not a Pelican plugin: a helper the plugins import by name (pelicanconf.py puts plugins/ on sys.path).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping

__all__ = ["apply_defaults", "receiver", "with_defaults"]


def apply_defaults(settings: dict, defaults: Mapping) -> None:
    """Set each default the settings lack, in place (a site's own value always wins).

    Values are copied, so a site that appends to a list setting never changes the default.
    """
    for key, value in defaults.items():
        settings.setdefault(key, copy.deepcopy(value))


def with_defaults(settings: Mapping | None, defaults: Mapping) -> dict:
    """A new dict: `settings` (may be None) over `defaults`, for pure functions called without Pelican."""
    merged = copy.deepcopy(dict(defaults))
    merged.update(settings or {})
    return merged


def receiver(defaults: Mapping):
    """An `initialized` receiver that applies `defaults` to the Pelican object's settings.

    Make it once, at module level: blinker keeps weak references, and one object per plugin
    means that connecting it again (Pelican calls `register()` for every build) is a no-op.
    """

    def apply(pelican) -> None:
        apply_defaults(pelican.settings, defaults)

    return apply
