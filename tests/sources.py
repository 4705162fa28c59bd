"""Read the sample content's metadata headers independently of Pelican (for cross-checking)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pelican.utils import slugify

HEADER = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):\s*(.*)$")
SLUG_SUBS = [
    (r"[^\w\s-]", ""),
    (r"(?u)\A\s*", ""),
    (r"(?u)\s*\Z", ""),
    (r"[-\s]+", "-"),
]


@dataclass
class Source:
    path: Path
    rel: str
    meta: dict = field(default_factory=dict)
    body: str = ""

    @property
    def title(self) -> str:
        return self.meta["title"]

    @property
    def slug(self) -> str:
        return self.meta.get("slug") or slugify(self.title, regex_subs=SLUG_SUBS)

    @property
    def date(self) -> datetime:
        return datetime.fromisoformat(self.meta["date"].strip())

    @property
    def tags(self) -> list[str]:
        return [t.strip() for t in self.meta.get("tags", "").split(",") if t.strip()]

    @property
    def status(self) -> str:
        return self.meta.get("status", "published").strip().lower()


def read_source(path: Path, root: Path) -> Source:
    text = path.read_text("utf-8")
    lines = text.splitlines()
    meta, i = {}, 0
    if lines and lines[0].strip() == "---":
        i = 1
    while i < len(lines):
        m = HEADER.match(lines[i])
        if not m:
            break
        meta[m.group(1).lower()] = m.group(2).strip()
        i += 1
    if i < len(lines) and lines[i].strip() in ("---", "..."):
        i += 1
    return Source(path, path.relative_to(root).as_posix(), meta, "\n".join(lines[i:]))


def articles(content: Path) -> list[Source]:
    return [
        s
        for s in (read_source(p, content) for p in sorted((content / "articles").rglob("*.md")))
        if s.status == "published"
    ]


def pages(content: Path) -> list[Source]:
    return [read_source(p, content) for p in sorted((content / "pages").rglob("*.md"))]


def article_url(source: Source) -> str:
    return f"{source.date:%Y}/{source.date:%m}/{source.slug}.html"


def page_url(source: Source) -> str:
    return f"pages/{source.slug}.html"
