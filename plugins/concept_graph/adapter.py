"""Pelican content objects -> plain records (and results back onto the content objects)."""

from __future__ import annotations

import os
import re

from pelican.contents import Page
from pelican.urlwrappers import Category, Tag

from .model import Concept, DiagramRef, Record


_REL: dict[tuple[str, str], str] = {}


def relative_source(content) -> str:
    """Source path relative to the content folder; memoised by (PATH, source path), the only
    inputs of Pelican's get_relative_source_path (os.path.relpath is slow, asked twice a post)."""
    settings = getattr(content, "settings", None) or {}
    path = str(settings.get("PATH", ""))
    key = (path if os.path.isabs(path) else os.path.join(os.getcwd(), path), str(content.source_path))
    rel = _REL.get(key)
    if rel is None:
        rel = (content.get_relative_source_path() or content.source_path).replace("\\", "/")
        if len(_REL) > 200_000:
            _REL.clear()
        _REL[key] = rel
    return rel


_IDS: dict[int, tuple[object, str]] = {}


def node_id(content) -> str:
    """post:<source> or page:<source>; memoised per object (links name the same posts often)."""
    hit = _IDS.get(id(content))
    if hit is not None and hit[0] is content:
        return hit[1]
    kind = "page" if isinstance(content, Page) else "post"
    nid = f"{kind}:{relative_source(content)}"
    _IDS[id(content)] = (content, nid)
    return nid


_CONCEPTS: dict[tuple[type, str], Concept] = {}


def forget() -> None:
    _IDS.clear()
    _CONCEPTS.clear()


def diagram_url(ident: str, settings) -> str:
    if "diagrams" not in [str(p).split(".")[-1] for p in settings.get("PLUGINS", [])]:
        return ""
    index = settings["DIAGRAMS_INDEX_SAVE_AS"]
    return f"{index}#d-" + re.sub(r"[^a-z0-9]+", "-", ident.lower()).strip("-")


def _concept(wrapper) -> Concept:
    """Memoised per build by (Tag/Category, name): Pelican formats a wrapper's url on each access,
    and the same few tags are on thousands of posts."""
    key = (type(wrapper), str(wrapper.name))
    hit = _CONCEPTS.get(key)
    if hit is None:
        hit = _CONCEPTS[key] = Concept(wrapper.slug, str(wrapper.name), wrapper.url)
    return hit


def to_record(content, settings) -> Record:
    kind = "page" if isinstance(content, Page) else "post"
    date = getattr(content, "date", None)
    concept_links = []
    for ckind, name in getattr(content, "concept_links", None) or []:
        cls = Tag if ckind == "tag" else Category
        concept_links.append((ckind, cls(name, settings).slug))
    diagrams = []
    for d in getattr(content, "diagrams", None) or []:
        ident = str(d.get("id", ""))
        if not ident:
            continue
        targets = tuple(node_id(t) for t in d.get("targets", None) or [] if t is not None)
        diagrams.append(DiagramRef(ident, str(d.get("title", "") or ""), str(d.get("type", "") or ""),
                                   diagram_url(ident, settings), targets))
    category = getattr(content, "category", None)
    return Record(
        id=node_id(content),
        kind=kind,
        label=str(getattr(content, "title", "") or relative_source(content)),
        url=content.url,
        source=relative_source(content),
        date=date.strftime("%Y-%m-%d") if date else "",
        tags=tuple(_concept(t) for t in getattr(content, "tags", None) or []),
        category=_concept(category) if category is not None and kind == "post" else None,
        outlinks=tuple((node_id(o.target), int(o.count)) for o in getattr(content, "outlinks", None) or []),
        concept_links=tuple(concept_links),
        citations=tuple((c.site, int(c.count)) for c in getattr(content, "citations", None) or []),
        diagrams=tuple(diagrams),
    )
