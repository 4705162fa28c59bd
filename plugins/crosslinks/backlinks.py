"""Build stage, step 3: backlinks, each listed post's outlinks turned around, oldest source first."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

from markupsafe import Markup

from .model import Backlink, OutLink
from .resolver import Entry


def _sort_date(content):
    date = getattr(content, "date", None)
    if isinstance(date, datetime):
        try:
            return (0, date.timestamp())
        except (OverflowError, OSError, ValueError):
            return (0, 0.0)
    return (1, 0.0)


def backlink_key(backlink: Backlink, sources: dict | None = None):
    """(date, title, source path): oldest first, undated pages last."""
    src = backlink.source
    path = sources.get(id(src), "") if sources is not None else str(getattr(src, "source_path", ""))
    return (*_sort_date(src), str(getattr(src, "title", "")), path)


class Backlinks:
    def __init__(self):
        self.by_target: dict[int, list[Backlink]] = defaultdict(list)
        self.inbound: Counter = Counter()  # id(target) -> listed posts linking to it

    def add(self, entry: Entry, outlinks: list[OutLink]) -> None:
        """The backlinks `entry`'s outlinks give (none from a draft)."""
        if not entry.listed or not outlinks:
            return
        title = Markup(entry.title).striptags()  # once per source, not once per backlink shown
        for out in outlinks:
            self.by_target[id(out.target)].append(
                Backlink(source=entry.obj, count=out.count, line=out.line, context=out.context,
                         url=entry.url, title=title))
            self.inbound[id(out.target)] += 1

    def attach(self, entries: list[Entry], source_of: dict[int, str]) -> None:
        """Set every content's `backlinks`, sorted by `backlink_key`."""
        for entry in entries:
            items = self.by_target.get(id(entry.obj), [])
            items.sort(key=lambda b: backlink_key(b, source_of))
            entry.obj.backlinks = items
