"""Write stage: planned files -> INPUTDIR, atomically, keeping files edited since the last import.

Everything is first written into a temporary folder inside INPUTDIR (same file system), then each
file is moved into place with os.replace once all of them are ready. A manifest
(`.import-manifest.json`) remembers the hash of every file the importer wrote, so a later run
can tell a file the author edited (kept and listed, unless force) from one it may overwrite.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = ".import-manifest.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class WriteResult:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_edited: list[str] = field(default_factory=list)  # edited since the last import: not overwritten


def _load_manifest(root: Path) -> dict[str, str]:
    try:
        return json.loads((root / MANIFEST).read_text("utf-8")).get("files", {})
    except (OSError, ValueError, AttributeError):
        return {}


def write_all(root: str | Path, files: dict[str, bytes], force: bool = False) -> WriteResult:
    """Write `files` ({relative posix path: bytes}) under `root`; see the module docstring."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    manifest = _load_manifest(root)
    result = WriteResult()
    to_write: dict[str, bytes] = {}
    for rel in sorted(files):
        data = files[rel]
        target = root / rel
        if target.exists():
            current = sha256(target.read_bytes())
            if current == sha256(data):
                result.unchanged.append(rel)
                continue
            if not force and manifest.get(rel) != current:
                result.kept_edited.append(rel)  # not what we wrote last time: the author's edit
                continue
        to_write[rel] = data
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=root))
    try:
        for rel, data in to_write.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        for rel in to_write:  # complete: move in
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / rel, target)
            result.written.append(rel)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for rel in files:
        if rel not in result.kept_edited:
            manifest[rel] = sha256(files[rel])
    payload = json.dumps({"files": dict(sorted(manifest.items()))}, indent=1, sort_keys=True) + "\n"
    (root / MANIFEST).write_text(payload, "utf-8")
    return result
