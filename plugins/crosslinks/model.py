"""The data contract of the cross-links plugin (see docs/crosslinks.md, "Data").

After the build stage every article and page carries:

- ``outlinks``: list[OutLink], sorted by target source path (links to posts and pages only,
  self-links excluded);
- ``backlinks``: list[Backlink], sorted by (source date, source title);
- ``concept_links``: list[tuple[str, str]], ("tag" | "category", name) linked in the text;
- ``citations``: list[Citation], sorted by site;
- ``citation_timeline``: timeline.Timeline or None (no dated backlinks);
- ``link_previews``: previews.LinkPreviews or None (no outlinks).

The ``target`` / ``source`` fields hold Pelican content objects (Article or Page).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class OutLink:
    target: Any  # pelican Article or Page
    count: int  # links from this post to the target
    line: int  # source line of the first link (1-based, metadata header counted)
    lines: tuple[int, ...]  # source line of every link, in document order
    context: str  # the sentence around the first link
    url: str = ""  # the target's site-relative URL, computed once per build (Pelican's is not cached)


@dataclass(frozen=True)
class Backlink:
    source: Any  # pelican Article or Page that links here
    count: int
    line: int  # line of the first link in the source file
    context: str
    url: str = ""  # the source's site-relative URL, computed once per build
    title: str = ""  # the source's title as plain text (tags stripped), computed once per build


@dataclass(frozen=True)
class Citation:
    site: str  # host name without "www."
    urls: tuple[str, ...]  # distinct URLs on that site, in order of first appearance
    count: int  # number of links to that site


#: Attribute names set on every content object by the build stage.
ATTRIBUTES = ("outlinks", "backlinks", "concept_links", "citations", "citation_timeline", "link_previews")
