"""Parse stage helpers (pure): the dates and text fields of an export, read the same way everywhere."""

from __future__ import annotations

import re
from datetime import datetime

from pelican.utils import slugify as pelican_slugify

# Pelican's default SLUG_REGEX_SUBSTITUTIONS: imported slugs are sanitised as Pelican would.
_SLUG_SUBS = [(r"[^\w\s-]", ""), (r"(?u)\A\s*", ""), (r"(?u)\s*\Z", ""), (r"[-\s]+", "-")]


def parse_iso(text: str | None) -> datetime | None:
    """'2010-11-27T07:12:00.000-08:00' (Atom) -> an aware datetime; None when empty or invalid."""
    text = (text or "").strip()
    if not text:
        return None
    text = re.sub(r"Z$", "+00:00", text)
    text = re.sub(r"\.\d+(?=[+-]\d\d:?\d\d$|$)", "", text)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def parse_wp(text: str | None) -> datetime | None:
    """'2012-02-15 21:23:57' (WordPress, site-local) -> a naive datetime; None for '0000-…'."""
    text = (text or "").strip()
    if not text or text.startswith("0000"):
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return parse_iso(text)


def slugify(text: str) -> str:
    """Pelican's slugify with its default substitutions (lower-cased, unicode kept out)."""
    return pelican_slugify(text or "", regex_subs=_SLUG_SUBS, preserve_case=False, use_unicode=False)


def clean_text(text: str | None) -> str:
    """One line of untrusted text: whitespace (newlines too) collapsed, control characters removed."""
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text or "")
    return re.sub(r"\s+", " ", text).strip()
