"""The A-Z index: every concept and every post and page title, sorted like the back of a book (pure)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import groupby

OTHER = "#"  # the group of entries that do not start with a letter A-Z (digits, symbols, other scripts)


@dataclass(frozen=True)
class AZEntry:
    label: str  # as the author wrote it
    url: str  # site-relative
    kind: str  # "concept", "post" or "page"
    count: int  # posts on the concept; backlinks of a post or page
    year: int | None = None  # of a post

    @property
    def key(self) -> tuple:
        return (sort_key(self.label), self.label, self.kind, self.url)


@dataclass(frozen=True)
class AZGroup:
    letter: str  # "A".."Z" or OTHER
    entries: tuple[AZEntry, ...]

    @property
    def anchor(self) -> str:
        return "az-" + ("other" if self.letter == OTHER else self.letter.lower())


_PUNCTUATION = re.compile(r"[^\w\s]+")


def sort_key(text: str) -> str:
    """Accent-, case- and punctuation-insensitive key, as book indexes file: NFKD without combining
    marks, casefolded, punctuation dropped ("P'tites" files as "ptites", "“Quoted”" as "quoted",
    "pre-commit" as "precommit"), runs of spaces made one."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(_PUNCTUATION.sub("", plain).split()) or plain


def letter_of(text: str) -> str:
    key = sort_key(text)
    first = key[:1].upper()
    return first if "A" <= first <= "Z" else OTHER


def group(entries) -> list[AZGroup]:
    """The entries sorted (deterministically: key, label, kind, URL) and grouped by letter;
    OTHER comes first, as in most book indexes (numbers before A)."""
    ordered = sorted(entries, key=lambda e: (letter_of(e.label) != OTHER, e.key))
    return [AZGroup(letter, tuple(items)) for letter, items in groupby(ordered, key=lambda e: letter_of(e.label))]
