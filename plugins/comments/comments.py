"""Comments plugin (read stage): each post's comments data file -> `old_comments` on the post.

The importer writes one JSON file per post under `INPUTDIR/comments/`, mirroring the post's source
path (`articles/2010-11-slug.md` -> `comments/articles/2010-11-slug.json`). JSON is no format
Pelican reads, so the folder is never mistaken for posts. Comment HTML is sanitised again here
(a data file may have been edited by hand); the theme's partials/comments.html renders the thread.
Settings: COMMENTS_DIR (settings.py, docs/settings.md).
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime

from markupsafe import Markup
from pelican import signals

from .sanitize import safe_url, sanitize_comment
from .settings import apply as apply_settings

MAX_DEPTH = 50  # a deeper thread is flattened: no recursion limit from a hostile file


def data_file(settings, source_path: str) -> str:
    base = settings.get("PATH", "")
    rel = os.path.relpath(source_path, base)
    return os.path.join(base, settings["COMMENTS_DIR"], os.path.splitext(rel)[0] + ".json")


def _when(text: str, fmt: str) -> tuple[str, str]:
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return "", ""
    return moment.isoformat(), moment.strftime(fmt)


def records(raw: list, fmt: str, depth: int = 0) -> list[dict]:
    """Clean comment records: escaped-later text, sanitised HTML (Markup), safe URLs, safe ids."""
    out = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict):
            continue
        iso, shown = _when(item.get("date", ""), fmt)
        replies = item.get("replies") or []
        record = {
            "id": re.sub(r"[^A-Za-z0-9_-]", "", str(item.get("id", "")))[:64],
            "author": str(item.get("author", "") or "Anonymous"),
            "url": safe_url(str(item.get("url", "") or "")),
            "date": iso,
            "date_shown": shown,
            "html": Markup(sanitize_comment(str(item.get("html", "") or ""))),
            "replies": records(replies, fmt, depth + 1) if depth < MAX_DEPTH else [],
        }
        out.append(record)
    return out


def count(thread: list[dict]) -> int:
    return sum(1 + count(c["replies"]) for c in thread)


def attach(generator) -> None:
    settings = generator.settings
    fmt = settings.get("DEFAULT_DATE_FORMAT", "%Y-%m-%d")
    contents = [*getattr(generator, "articles", []), *getattr(generator, "drafts", []),
                *getattr(generator, "pages", []), *getattr(generator, "hidden_pages", []),
                *getattr(generator, "draft_pages", [])]
    for content in contents:
        path = data_file(settings, content.source_path)
        thread = []
        if os.path.exists(path):
            try:
                with open(path, encoding="utf-8") as fh:
                    thread = records(json.load(fh).get("comments", []), fmt)
            except (OSError, ValueError, AttributeError) as exc:
                from author_report import report  # noqa: PLC0415

                report(settings, path, 0, "error", f"comments data file cannot be read: {exc}")
        content.old_comments = thread
        content.old_comments_count = count(thread)


def register():
    signals.initialized.connect(apply_settings)
    signals.article_generator_finalized.connect(attach)
    signals.page_generator_finalized.connect(attach)
