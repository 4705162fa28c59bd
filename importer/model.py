"""Data model of an export (pure): items, comments, and the problems found while importing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


class RefusedFile(Exception):
    """A file that cannot be imported: `FILE:LINE: error: message`, nothing written."""

    def __init__(self, path: str, line: int, message: str):
        super().__init__(f"{path}:{line}: error: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass
class Comment:
    id: str
    post_id: str
    parent: str  # id of the comment it answers, "" for a top-level comment
    author: str
    author_url: str
    date: datetime | None
    html: str


@dataclass
class Item:
    """One post or page of the old blog."""

    kind: str  # "post" | "page"
    id: str  # the export's id (Blogger entry id, WordPress post_id)
    title: str
    date: datetime
    html: str
    slug: str = ""
    status: str = "published"  # "published" | "draft"
    modified: datetime | None = None
    old_url: str = ""  # absolute URL on the old blog ("" for a draft)
    old_path: str = ""  # its site path, "2010/11/slug.html" (no leading slash)
    url_year_month: tuple[int, int] | None = None  # from the old URL's path, not the date
    category: str = ""
    tags: list[str] = field(default_factory=list)
    author: str = ""
    aliases: list[str] = field(default_factory=list)  # besides old_url: ?p=ID, permalinks
    wp_id: str = ""
    comments: list[Comment] = field(default_factory=list)
    # filled by the writer's planning step
    source: str = ""  # "articles/2010-11-slug.md"


@dataclass
class Problem:
    level: str  # "error" | "warning"
    message: str
    item: str = ""  # the post's source path, or its title
    url: str = ""  # its old URL


@dataclass
class Export:
    format: str  # "blogger-takeout" | "blogger-classic" | "wordpress"
    items: list[Item]
    base_urls: list[str]  # the old blog's own addresses, first is the canonical one
    attachments: dict[str, str] = field(default_factory=dict)  # attachment page URL or ?attachment_id -> file URL
    skipped: dict[str, int] = field(default_factory=dict)  # "private": 3, "trashed": 1
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. which host was chosen
