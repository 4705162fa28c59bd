"""Curation warnings (pure): orphan posts and unlinked mentions of other posts' titles.

Unlinked mentions are found in one pass over each post's words: titles of at least
`min_words` words are indexed once by their first `min_words` normalised words (a
dictionary of word tuples, like the root level of an Aho-Corasick trie), and each position
of a post's text is looked up there. The cost is linear in the total number of words, plus
the (rare) candidate comparisons; never titles x posts.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Hashable, Iterable

from .settings import DEFAULTS
from .text import normalize_key

_WORD_RE = re.compile(r"\w+")
_SKIP = frozenset({"a", "code", "pre", "script", "style", "svg", "kbd", "samp", "h1", "figure"})


def words(text: str) -> list[str]:
    return _WORD_RE.findall(normalize_key(text))


class _UnlinkedText(HTMLParser):
    """Text of an HTML fragment outside links, code and diagrams, as a list of chunks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.depth += 1
        elif tag in ("p", "li", "br", "div", "td", "th", "h2", "h3", "h4", "blockquote"):
            self.chunks.append("\n")  # no title spans two blocks

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            self.chunks.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.chunks.append(data)


def unlinked_text(html: str) -> str:
    parser = _UnlinkedText()
    parser.feed(html or "")
    parser.close()
    return "".join(parser.chunks)


class MentionFinder:
    """Finds, in a text, the titles of other posts (as whole words, case/accent-insensitive)."""

    def __init__(self, titles: Iterable[tuple[Hashable, str]],
                 min_words: int = DEFAULTS["CROSSLINKS_MENTION_MIN_WORDS"]):
        self.min_words = min_words
        self.heads: dict[tuple[str, ...], list[tuple[tuple[str, ...], Hashable]]] = {}
        for key, title in titles:
            ws = tuple(words(title))
            if len(ws) >= min_words:
                self.heads.setdefault(ws[:min_words], []).append((ws, key))
        for bucket in self.heads.values():
            bucket.sort(key=lambda item: -len(item[0]))  # longest title first
        self.firsts = {head[0] for head in self.heads}

    def find(self, text: str) -> list[Hashable]:
        """Keys of the titles found in `text`, in order of first appearance, once each."""
        found: list[Hashable] = []
        seen: set = set()
        k = self.min_words
        heads = self.heads
        firsts = self.firsts
        for block in normalize_lines(text):
            ws = _WORD_RE.findall(block)
            for i in range(len(ws) - k + 1):
                if ws[i] not in firsts:
                    continue
                bucket = heads.get(tuple(ws[i:i + k]))
                if not bucket:
                    continue
                for title_words, key in bucket:
                    if key not in seen and tuple(ws[i:i + len(title_words)]) == title_words:
                        seen.add(key)
                        found.append(key)
        return found


def normalize_lines(text: str) -> list[str]:
    """normalize_key() of each line of `text` (one normalisation pass for the whole text)."""
    marker = "\x00"
    joined = normalize_key(text.replace("\n", f" {marker} "))
    return joined.split(marker)


def find_line(lines: list[str], title: str, start: int = 0) -> int:
    """1-based line of the first line (from `start`) holding `title`, normalised; 0 if none."""
    wanted = " ".join(words(title))
    for i in range(start, len(lines)):
        if wanted in " ".join(words(lines[i])):
            return i + 1
    return 0
