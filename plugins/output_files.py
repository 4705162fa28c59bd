"""The one way our plugins write an output file themselves: only when its bytes changed.

A file whose bytes are the same as on disk is left alone, so it keeps its modification time (a
devserver rebuild, or `make html` again, touches only what changed). Every path given here,
written or found unchanged, is recorded as produced by this build: `output_sync` takes the
records (`take_produced`) to tell this build's outputs from the stale ones of the previous build
of the same process. Pages rendered through Pelican's writer do not come here.
"""

from __future__ import annotations

import filecmp
import os
import tempfile
from contextlib import contextmanager

_PRODUCED: set[str] = set()  # absolute paths, until output_sync takes them
_UMASK = os.umask(0o022)
os.umask(_UMASK)  # read, then restored: a new file gets the mode open() would give it


def keep(path: str) -> None:
    """Record `path` as produced by this build without writing it (it is known to be up to date)."""
    _PRODUCED.add(os.path.abspath(path))


def take_produced(root: str) -> set[str]:
    """The recorded paths under the folder `root`, forgotten here once taken."""
    root = os.path.abspath(root)
    taken = {p for p in _PRODUCED if os.path.commonpath([root, p]) == root}
    _PRODUCED.difference_update(taken)
    return taken


def _same_bytes(path: str, data: bytes) -> bool:
    try:
        if os.path.getsize(path) != len(data):
            return False
        with open(path, "rb") as fh:
            return fh.read() == data
    except OSError:
        return False


def write_if_changed(path: str, data: bytes) -> bool:
    """Write `data` to `path` (folders made) unless the file holds exactly these bytes; True when it
    was written. A file that was there is replaced whole (a reader never sees half of it); a new
    one is written in place."""
    keep(path)
    if _same_bytes(path, data):
        return False
    try:  # a new file: written in place (a temporary file and a rename cost twice the time)
        with open(path, "xb") as fh:
            fh.write(data)
        return True
    except FileNotFoundError:  # its folder is new too
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        return write_if_changed(path, data)
    except FileExistsError:  # the file is there: replaced whole, so no reader sees half of it
        pass
    with open_if_changed(path) as fh:
        fh.write(data)
    return True


@contextmanager
def open_if_changed(path: str):
    """A binary file to stream `path`'s new bytes into (large files: no copy in memory); on
    leaving the block it replaces `path` only when the bytes differ. Yields the open file."""
    keep(path)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        if os.path.isfile(path) and filecmp.cmp(tmp, path, shallow=False):
            os.unlink(tmp)
        else:
            os.chmod(tmp, 0o666 & ~_UMASK)  # not mkstemp's 0600, which would hide it from a web server
            os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def copy_if_changed(source: str, path: str) -> bool:
    """Copy the file `source` to `path` unless `path` holds the same bytes; True when copied."""
    keep(path)
    if os.path.isfile(path) and filecmp.cmp(source, path, shallow=False):
        return False
    with open(source, "rb") as src, open_if_changed(path) as fh:
        while chunk := src.read(1 << 20):
            fh.write(chunk)
    return True
