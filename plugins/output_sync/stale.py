"""Which outputs are stale, and their safe removal (pure but for the file system; no Pelican)."""

from __future__ import annotations

import os


def stale_files(previous: set[str], produced: set[str]) -> list[str]:
    """The output-relative POSIX paths the previous build produced and this one did not, sorted."""
    return sorted(previous - produced)


def _inside(root: str, path: str) -> bool:
    return os.path.commonpath([root, path]) == root


def remove(root: str, rel_paths: list[str]) -> list[str]:
    """Delete each file `root/rel` (a symbolic link itself, not its target) and the folders that
    leaves empty, never `root` itself nor anything outside it; the paths removed."""
    real_root = os.path.realpath(root)
    removed = []
    for rel in rel_paths:
        path = os.path.join(root, *rel.split("/"))
        folder = os.path.realpath(os.path.dirname(path))
        if os.path.isabs(rel) or not _inside(real_root, folder):
            continue  # `..` or a linked folder leading out of root: not ours to touch
        if not os.path.islink(path) and not os.path.isfile(path):
            continue  # gone already, or a folder
        os.unlink(path)
        removed.append(rel)
        while folder != real_root and _inside(real_root, folder):
            try:
                os.rmdir(folder)  # only succeeds on an empty folder
            except OSError:
                break
            folder = os.path.dirname(folder)
    return removed
