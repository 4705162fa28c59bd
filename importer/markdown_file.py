"""Transform stage (pure): an Item and its Markdown body -> the text of a Pelican Markdown file."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from .dates import clean_text
from .model import Item


def header_value(text: str) -> str:
    """A header value that cannot break the header: one line, no leading/trailing space."""
    return clean_text(text)


def list_value(values: list[str]) -> str:
    """Comma-separated: a comma inside one value would split it, so it becomes a space."""
    return ", ".join(v for v in (clean_text(x.replace(",", " ")) for x in values) if v)


def alias_value(urls: list[str]) -> str:
    return ", ".join(quote(u.strip(), safe=":/?&=#%@+;~!$'()*[]") for u in urls if u.strip())


def format_date(value: datetime) -> str:
    text = value.isoformat(sep=" ", timespec="seconds")
    return text


def render(item: Item, body: str, our_url: str | None) -> str:
    """`our_url`: set when the old path must be kept though the date says another month."""
    lines = [f"Title: {header_value(item.title) or 'Untitled'}", f"Date: {format_date(item.date)}"]
    if item.modified:
        lines.append(f"Modified: {format_date(item.modified)}")
    lines.append(f"Slug: {item.slug}")
    if item.category:
        lines.append(f"Category: {header_value(item.category)}")
    if item.tags:
        lines.append(f"Tags: {list_value(item.tags)}")
    if item.author:
        lines.append(f"Author: {header_value(item.author)}")
    aliases = [u for u in [item.old_url, *item.aliases] if u]
    if aliases:
        lines.append(f"Aliases: {alias_value(aliases)}")
    if our_url:
        lines.append(f"Url: {our_url}")
        lines.append(f"Save_as: {our_url}")
    if item.status == "draft":
        lines.append("Status: draft")
    return "\n".join(lines) + "\n\n" + body
