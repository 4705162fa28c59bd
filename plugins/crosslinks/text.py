"""Text helpers (pure): key normalisation for wiki links, sentence context around a link."""

from __future__ import annotations

import re
import unicodedata

from .settings import CONTEXT_CHARS

_PUNCT = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                        "\u2013": "-", "\u2014": "-", "\u00a0": " "})
_SEPARATORS = re.compile(r"[\s_\-]+")


def normalize_key(text: str) -> str:
    """Case-, accent- and separator-insensitive key: 'Élan-Vital_ Été' -> 'elan vital ete'."""
    text = str(text)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_PUNCT))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", text.casefold()).strip()


# A sentence ends with . ! ? or … (optionally followed by closing quotes/brackets) then spaces.
_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*\s+")
_SPACES = re.compile(r"\s+")


def sentence_around(text: str, start: int, end: int, max_chars: int = CONTEXT_CHARS) -> str:
    """The sentence of `text` that holds the span [start, end), whitespace collapsed.

    Long sentences are cut to about `max_chars` characters around the span, with an
    ellipsis on each cut side.
    """
    if not text:
        return ""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    left = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        left = m.end()
    m = _SENTENCE_END.search(text, end)
    # the end punctuation and closing quotes/brackets belong to the sentence
    right = m.start() + len(m.group(0).rstrip()) if m else len(text)
    prefix = suffix = ""
    if max_chars and right - left > max_chars:
        budget = max(0, max_chars - (end - start))
        new_left = max(left, start - budget // 2)
        new_right = min(right, end + (budget - (start - new_left)))
        if new_right - new_left < max_chars:  # give the unused budget back to the left
            new_left = max(left, new_right - max_chars)
        # cut on word boundaries
        if new_left > left:
            space = text.find(" ", new_left, start)
            new_left = space + 1 if space != -1 else new_left
            prefix = "\u2026"
        if new_right < right:
            space = text.rfind(" ", end, new_right)
            new_right = space if space != -1 else new_right
            suffix = "\u2026"
        left, right = new_left, new_right
    sentence = _SPACES.sub(" ", text[left:right]).strip()
    return f"{prefix}{sentence}{suffix}" if sentence else ""
