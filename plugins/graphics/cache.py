"""Fingerprints and downscaled variants, cached under CACHE_PATH by the file's content digest.

``fingerprints.json`` maps the sha256 of a file's bytes to its ``Fingerprint``: an unchanged
image (whatever its name or date) is hashed (sha256 of the bytes) but never decoded again.
Variants (``variants/<digest>-<width>w.<ext>``) are made once per content and width, and
copied into the output on every build.
"""

from __future__ import annotations

import json
import os
import tempfile

from .hashing import Fingerprint

FILE = "fingerprints.json"


class FingerprintCache:
    def __init__(self, folder: str | None):
        self.folder = folder
        self.entries: dict[str, Fingerprint] = {}
        self.decoded = 0  # files decoded by this build (not found in the cache)
        self._dirty = False
        if folder:
            try:
                with open(os.path.join(folder, FILE), encoding="utf-8") as fh:
                    raw = json.load(fh)
                self.entries = {k: Fingerprint.from_json(v) for k, v in raw.items()}
            except (OSError, ValueError, TypeError, KeyError):
                self.entries = {}

    def get(self, digest: str) -> Fingerprint | None:
        return self.entries.get(digest)

    def put(self, fp: Fingerprint) -> None:
        self.decoded += 1
        if fp.error:  # a broken file is read again next time: the author may be fixing it
            return
        self.entries[fp.sha256] = fp
        self._dirty = True

    def save(self) -> None:
        if not (self.folder and self._dirty):
            return
        os.makedirs(self.folder, exist_ok=True)
        data = {k: v.to_json() for k, v in sorted(self.entries.items())}
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, sort_keys=True)
        os.replace(tmp, os.path.join(self.folder, FILE))
        self._dirty = False


def cache_folder(settings) -> str | None:
    base = settings.get("CACHE_PATH") if settings else None
    return os.path.join(str(base), "graphics") if base else None
