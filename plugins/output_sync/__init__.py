"""output_sync: a rebuild leaves the output folder as a cold build would, touching only what changed.

Any stage's end (docs/architecture.md): a devserver (`pelican -r`) builds again in the same
process after each change; a post deleted, or whose slug, date or tags changed, leaves its old
page, tag page or archive page behind, where a cold build would not have it. This plugin
records every file a build produces (`runs.py`) and, once the build has produced them all,
deletes the files of the previous build of the same output folder that this one did not produce
(`stale.py`). It never deletes a file it did not see a build produce, nothing outside
OUTPUT_PATH, and nothing after the first build of a process (a cold build into a folder with the
author's other files in it leaves them; Pelican's DELETE_OUTPUT_DIRECTORY is the way to clean
that). The theme's static files are copied only when their bytes changed (Pelican copies them
on every build), so they keep their modification time like every other unchanged output.
`register()` only wires signals.
"""

from __future__ import annotations

from pelican import signals

from .runs import build_finished, build_started, file_written, static_files_known, theme_static_if_changed


def register():
    signals.get_generators.connect(build_started)
    signals.content_written.connect(file_written)
    signals.feed_written.connect(file_written)
    signals.static_generator_init.connect(theme_static_if_changed)
    signals.static_generator_finalized.connect(static_files_known)
    signals.finalized.connect(build_finished)
