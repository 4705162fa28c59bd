"""Transform stage (pure): an item's approved comments -> one threaded, sanitised data file (JSON)."""

from __future__ import annotations

import json
import posixpath

from comments.sanitize import safe_url, sanitize_comment
from comments.settings import DEFAULTS as COMMENTS_DEFAULTS

from .model import Comment, Item

COMMENTS_DIR = COMMENTS_DEFAULTS["COMMENTS_DIR"]  # where the comments plugin looks by default


def data_path(item: Item) -> str:
    """'articles/2010-11-slug.md' -> 'comments/articles/2010-11-slug.json' (keyed by the source path)."""
    return posixpath.join(COMMENTS_DIR, posixpath.splitext(item.source)[0] + ".json")


def thread(comments: list[Comment]) -> list[dict]:
    """Nested comment records, oldest first; a reply whose parent is missing becomes top-level."""
    ordered = sorted(comments, key=lambda c: (c.date.isoformat() if c.date else "", c.id))
    ids = {c.id for c in ordered}
    records = {c.id: {"id": c.id, "author": c.author, "url": safe_url(c.author_url),
                      "date": c.date.isoformat() if c.date else "",
                      "html": sanitize_comment(c.html), "replies": []} for c in ordered}
    top, seen = [], set()
    for c in ordered:
        # a parent must come earlier: a cycle in a broken export cannot nest a comment in itself
        parent = c.parent if c.parent in ids and c.parent in seen else ""
        (records[parent]["replies"] if parent else top).append(records[c.id])
        seen.add(c.id)
    return top


def data_file(item: Item) -> bytes:
    """The JSON data file of an item's comments (sorted keys, stable: byte-identical on re-import)."""
    payload = {"source": item.source, "title": item.title, "old_url": item.old_url,
               "comments": thread(item.comments)}
    return (json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
