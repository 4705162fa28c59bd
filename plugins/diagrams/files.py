"""Where the diagram file of a `use:` name is: DIAGRAMS_DIR/NAME.yaml or NAME.yml under the content
folder. The one lookup, for the read stage (loading, cache digests) and for the posts' records."""

from __future__ import annotations

import os

EXTENSIONS = (".yaml", ".yml")


def stem(name: str) -> str:
    """`name` without a .yaml / .yml extension (authors may write either, or none)."""
    for ext in EXTENSIONS:
        if name.endswith(ext):
            return name[: -len(ext)]
    return name


def find(content_path: str, diagrams_dir: str, name: str) -> str | None:
    """The file `use: name` means (NAME.yaml first, then NAME.yml), or None."""
    base = os.path.join(content_path or ".", diagrams_dir)
    for ext in EXTENSIONS:
        path = os.path.join(base, stem(name) + ext)
        if os.path.isfile(path):
            return path
    return None
