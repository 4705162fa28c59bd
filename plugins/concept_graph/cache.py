"""Reuse of the build result between builds in one process (devserver, `pelican -r`).

The whole build stage (graph, measures, clusters, layout, related lists, local graphs, concept
pages, the map) depends only on the records (`model.Record`: ids, kinds, titles, urls, sources,
dates, tags, categories, links, concept links, citations, diagrams) and on the plugin's
settings. `input_key` hashes exactly those; when a rebuild has the same key (a prose-only edit,
say), `cached_build` hands back the previous `SiteGraph` instead of computing it again. When
only post titles or URLs changed (`structure_key` is the same), the new build takes the
previous one's measures and related lists, the most expensive part, which depend on neither. The
result holds no content objects of its own (the `.post` attributes are set by the caller, by
node id, i.e. by source path, on every build), so it can be reattached to the new objects.

The export files are skipped the same way (`exports_unchanged`): when the key and the date are
those of the files written last time into that folder, and the files are still there untouched
(same size and modification time), they are not written again.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path

from .build import SiteGraph, build_all
from .model import Record

_HERE = Path(__file__).resolve().parent
_LAST: dict[str, object] = {}  # {"key": str, "site": SiteGraph}
_WRITTEN: dict[str, tuple[str, str, dict[str, tuple[int, int]]]] = {}  # folder -> (key, date, stats)
_CODE: list[str] = []


def _code_hash() -> str:
    """The plugin's own source, so an edited plugin (reloaded) never reuses an old result."""
    if not _CODE:
        h = hashlib.sha256()
        for path in sorted(_HERE.glob("*.py")):
            h.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
        _CODE.append(h.hexdigest())
    return _CODE[0]


def input_key(records: list[Record], settings=None) -> str:
    """sha256 of everything the build result depends on: the records in order (their repr)
    and the CONCEPT_GRAPH_* settings."""
    h = hashlib.sha256(_code_hash().encode("ascii"))
    conf = sorted((k, repr(v)) for k, v in (settings or {}).items() if str(k).startswith("CONCEPT_GRAPH_"))
    h.update(repr(conf).encode("utf-8"))
    for r in records:
        h.update(repr(r).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def structure_key(records: list[Record], settings=None) -> str:
    """input_key of the records with their titles and URLs left out: what the measures and the
    related lists depend on."""
    return input_key([replace(r, label="", url="") for r in records], settings)


def cached_build(records: list[Record], settings=None, mapper=None) -> tuple[SiteGraph, bool]:
    """(result, reused): the previous result when the input is unchanged, else a new build; when
    only post titles or URLs changed (a retitled post), the new build takes the previous one's
    measures and related lists (`build_all`'s `structure`)."""
    key = input_key(records, settings)
    if _LAST.get("key") == key:
        return _LAST["site"], True  # type: ignore[return-value]
    skey = structure_key(records, settings)
    earlier = _LAST.get("site") if _LAST.get("skey") == skey else None
    _LAST.clear()
    # its related lists are read for their posts and scores only (their titles, URLs and `.post`
    # are this build's business)
    structure = (earlier.metrics, earlier.related) if earlier is not None else None
    site = build_all(records, settings, structure=structure, mapper=mapper)
    site.input_key = key
    _LAST.update(key=key, skey=skey, site=site)
    return site, False


def clear() -> None:
    _LAST.clear()
    _WRITTEN.clear()


def _stats(folder: str, names) -> dict[str, tuple[int, int]] | None:
    out = {}
    for name in names:
        try:
            st = os.stat(os.path.join(folder, name))
        except OSError:
            return None
        out[name] = (st.st_size, st.st_mtime_ns)
    return out


def exports_unchanged(folder: str, key: str, date: str) -> dict[str, int] | None:
    """{name: size} when the export files in `folder` are the ones written for this key and date."""
    hit = _WRITTEN.get(os.path.abspath(folder))
    if not key or hit is None or hit[0] != key or hit[1] != date:
        return None
    now = _stats(folder, hit[2])
    if now != hit[2]:
        return None
    return {name: size for name, (size, _) in hit[2].items()}


def exports_written(folder: str, key: str, date: str, names) -> None:
    stats = _stats(folder, names)
    if key and stats is not None:
        _WRITTEN[os.path.abspath(folder)] = (key, date, stats)
