"""Plain records the pure core works on (no Pelican objects needed).

`adapter.py` turns Pelican content into these; tests and the synthetic benchmark build them by hand.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Concept:
    """A tag or a category: slug, display name, site-relative url."""

    slug: str
    name: str
    url: str = ""


@dataclass(frozen=True)
class DiagramRef:
    """One diagram embedded in a post; `targets` are node ids of the posts it links to."""

    id: str
    title: str = ""
    type: str = ""
    url: str = ""
    targets: tuple[str, ...] = ()


@dataclass
class Record:
    """One post or page, as the graph sees it.

    `outlinks`: (target node id, count); `concept_links`: ("tag"|"category", slug) linked in the
    text; `citations`: (site, count). No Pelican object: the caller maps ids back to its content.
    """

    id: str
    kind: str  # "post" | "page"
    label: str
    url: str
    source: str
    date: str = ""  # ISO date, used for tie-breaking and display only
    tags: tuple[Concept, ...] = ()
    category: Concept | None = None
    outlinks: tuple[tuple[str, int], ...] = ()
    concept_links: tuple[tuple[str, str], ...] = ()
    citations: tuple[tuple[str, int], ...] = ()
    diagrams: tuple[DiagramRef, ...] = ()
