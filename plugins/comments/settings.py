"""The comments plugin's settings and their defaults (listed in docs/settings.md)."""

from __future__ import annotations

from plugin_settings import receiver

DEFAULTS = {
    # Folder of the comments data files written by `make import`, inside the content folder
    # (one JSON file per post, mirroring the post's source path).
    "COMMENTS_DIR": "comments",
}

# `initialized` receiver (module level: blinker keeps weak references).
apply = receiver(DEFAULTS)
