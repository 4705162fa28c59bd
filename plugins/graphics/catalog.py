"""Every image use of the site grouped into graphics, with the author checks on them (pure).

A *use* is one image shown by one post (its line, src, alt). A *graphic* is one picture,
whatever its file names, URLs and sizes: every use whose file has the same group leader
(hashing.group), or the same remote URL, or the same missing path.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .hashing import Fingerprint


@dataclass
class Use:
    content: Any = field(repr=False)  # the Article or Page
    source: str  # the post's path relative to the content folder
    line: int
    src: str  # as written
    alt: str | None  # None: no alt attribute
    kind: str  # "file" | "remote" | "missing"
    target: str  # static source path | absolute URL | the path it names
    url: str = ""  # site-relative URL of the file, or the remote URL
    listed: bool = True  # published (drafts are checked, not shown)
    decorative: bool = False  # raw <img role="presentation">: empty alt is right


@dataclass
class File:
    """One file (or remote URL) under which a graphic appears."""

    url: str
    source: str = ""  # static source path ("" for remote images)
    fp: Fingerprint | None = None

    @property
    def size_text(self) -> str:
        return f"{self.fp.width}×{self.fp.height}" if self.fp and self.fp.width else ""


@dataclass
class Graphic:
    key: str  # 12 hex digits
    kind: str  # "file" | "remote" | "missing"
    files: list[File]  # the leader (largest) first
    uses: list[Use]
    label: str = ""
    thumb: tuple[str, int, int] | None = None  # (site-relative URL, width, height), set by the glue

    @property
    def anchor(self) -> str:
        return f"g-{self.key}"

    @property
    def node_id(self) -> str:
        return f"image:{self.key}"

    @property
    def posts(self) -> list:
        """Every published post or page showing it, each once, newest first.

        Computed once for a given list of uses (the build asks for it once per post that shows
        the graphic: sorting every time made a graphic shown in k posts cost k² at 20,000 posts)."""
        memo = self.__dict__.get("_posts_memo")
        if memo is not None and memo[0] == len(self.uses):
            return memo[1]
        seen: dict[int, Any] = {}
        for use in self.uses:
            if use.listed and id(use.content) not in seen:
                seen[id(use.content)] = use
        posts = [u.content for u in sorted(seen.values(), key=_newest_first)]
        self.__dict__["_posts_memo"] = (len(self.uses), posts)
        return posts

    @property
    def alts(self) -> list[tuple[str, int]]:
        """(alt text, number of uses), most used first; empty texts left out."""
        counts = Counter(u.alt.strip() for u in self.uses if u.listed and u.alt and u.alt.strip())
        return sorted(counts.items(), key=lambda ac: (-ac[1], ac[0]))

    @property
    def variants(self) -> list[str]:
        return sorted({f.url for f in self.files})


def _newest_first(use: Use):
    date = getattr(use.content, "date", None)
    stamp = date.timestamp() if isinstance(date, datetime) else float("-inf")
    return (-stamp, use.source)


def short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def build_catalog(uses: list[Use], prints: dict[str, Fingerprint], leaders: dict[str, str],
                  urls: dict[str, str]) -> tuple[list[Graphic], dict[int, Graphic]]:
    """(graphics, graphic of each use by id(use)).

    `prints`: fingerprint of each readable static source; `leaders`: group leader of each
    (hashing.group); `urls`: site-relative URL of each static source.
    """
    graphics: dict[tuple[str, str], Graphic] = {}
    of_use: dict[int, Graphic] = {}
    for use in uses:
        if use.kind == "file" and use.target in leaders:
            lead = leaders[use.target]
            key = ("file", lead)
            ident = prints[lead].sha256[:12]
        else:
            key = (use.kind, use.target)
            ident = short_hash(f"{use.kind}:{use.target}")
        graphic = graphics.get(key)
        if graphic is None:
            graphic = graphics[key] = Graphic(ident, key[0], [], [])
        graphic.uses.append(use)
        of_use[id(use)] = graphic
    for (kind, target), graphic in graphics.items():
        files: dict[str, File] = {}
        for use in graphic.uses:
            if use.kind == "file" and use.target in prints:
                files.setdefault(use.target, File(urls.get(use.target, use.url), use.target, prints[use.target]))
            elif use.kind == "remote":
                files.setdefault(use.target, File(use.target))
        graphic.files = sorted(files.values(), key=lambda f: (  # the group's leader first
            f.source != target, -(f.fp.width * f.fp.height if f.fp else 0), f.url))
        graphic.label = label_of(graphic)
    ordered = sorted(graphics.values(), key=lambda g: (-len(g.posts), g.label.casefold(), g.key))
    return ordered, of_use


def label_of(graphic: Graphic) -> str:
    alts = graphic.alts
    if alts:
        return alts[0][0]
    name = (graphic.files[0].url if graphic.files else graphic.uses[0].target) if graphic.uses else graphic.key
    return name.rstrip("/").rsplit("/", 1)[-1] or name


def alt_problems(graphic: Graphic) -> list[tuple[Use, str]]:
    """(use, warning) for uses without alt text, and for uses whose alt text differs from the
    graphic's most common one."""
    problems: list[tuple[Use, str]] = []
    alts = graphic.alts
    common = alts[0][0] if alts else ""
    for use in graphic.uses:
        text = (use.alt or "").strip()
        if not text:
            if not use.decorative:
                problems.append((use, f"image '{use.src}' has no alt text"))
        elif len(alts) > 1 and text != common:
            others = [a for a, _ in alts if a != text]
            problems.append((use, f"image '{use.src}': alt text '{text}' differs from the other uses "
                                  f"of this graphic: '{others[0]}'"
                                  + (f" and {len(others) - 1} more" if len(others) > 1 else "")))
    return problems
