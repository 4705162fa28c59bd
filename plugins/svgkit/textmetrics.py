"""Text widths and wrapping for the font stack the diagrams set (pure, no fonts needed at build time).

The SVG text uses FONT_FAMILY: Arial, Helvetica and their metric-compatible free twins
(Liberation Sans, Nimbus Sans, Arimo) share one set of advance widths, the Helvetica AFM
widths below (units per 1000 em). Unknown characters fall back to an average width; wide
East Asian characters count as a full em. A small safety factor covers fallback fonts.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

FONT_FAMILY = "Arial, Helvetica, 'Liberation Sans', 'Nimbus Sans', Arimo, sans-serif"
SAFETY = 1.06  # fallback fonts (e.g. DejaVu Sans) run wider than Arial

_REGULAR = {
    " ": 278, "!": 278, '"': 355, "#": 556, "$": 556, "%": 889, "&": 667, "'": 191,
    "(": 333, ")": 333, "*": 389, "+": 584, ",": 278, "-": 333, ".": 278, "/": 278,
    ":": 278, ";": 278, "<": 584, "=": 584, ">": 584, "?": 556, "@": 1015,
    "[": 278, "\\": 278, "]": 278, "^": 469, "_": 556, "`": 333, "{": 334, "|": 260,
    "}": 334, "~": 584,
    "A": 667, "B": 667, "C": 722, "D": 722, "E": 667, "F": 611, "G": 778, "H": 722,
    "I": 278, "J": 500, "K": 667, "L": 556, "M": 833, "N": 722, "O": 778, "P": 667,
    "Q": 778, "R": 722, "S": 667, "T": 611, "U": 722, "V": 667, "W": 944, "X": 667,
    "Y": 667, "Z": 611,
    "a": 556, "b": 556, "c": 500, "d": 556, "e": 556, "f": 278, "g": 556, "h": 556,
    "i": 222, "j": 222, "k": 500, "l": 222, "m": 833, "n": 556, "o": 556, "p": 556,
    "q": 556, "r": 333, "s": 500, "t": 278, "u": 556, "v": 500, "w": 722, "x": 500,
    "y": 500, "z": 500,
    "\u2013": 556, "\u2014": 1000, "\u2018": 222, "\u2019": 222, "\u201c": 333,
    "\u201d": 333, "\u2026": 1000, "\u2022": 350, "\u2212": 584, "\u2192": 1000,
    "\u00a0": 278,
}
_REGULAR.update({str(d): 556 for d in range(10)})

_BOLD = dict(_REGULAR)
_BOLD.update({
    "A": 722, "B": 722, "C": 722, "D": 722, "E": 667, "F": 611, "G": 778, "H": 722,
    "I": 278, "J": 556, "K": 722, "L": 611, "M": 833, "N": 722, "O": 778, "P": 667,
    "Q": 778, "R": 722, "S": 667, "T": 611, "U": 722, "V": 667, "W": 944, "X": 667,
    "Y": 667, "Z": 611,
    "a": 556, "b": 611, "c": 556, "d": 611, "e": 556, "f": 333, "g": 611, "h": 611,
    "i": 278, "j": 278, "k": 556, "l": 278, "m": 889, "n": 611, "o": 611, "p": 611,
    "q": 611, "r": 389, "s": 556, "t": 333, "u": 611, "v": 556, "w": 778, "x": 556,
    "y": 556, "z": 500, "!": 333, '"': 474, "'": 238, ":": 333, ";": 333, "?": 611,
})

_AVERAGE = 556


def char_width(ch: str, bold: bool = False) -> int:
    """Advance width of one character in 1/1000 em."""
    table = _BOLD if bold else _REGULAR
    width = table.get(ch)
    if width is not None:
        return width
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1000
    if unicodedata.combining(ch):
        return 0
    base = unicodedata.normalize("NFD", ch)[:1]
    if base and base != ch and base in table:
        return table[base]
    if unicodedata.category(ch).startswith(("C", "Z")) and ch not in " \u00a0":
        return 0 if unicodedata.category(ch).startswith("C") else 278
    return _AVERAGE


@lru_cache(maxsize=65536)
def _units(text: str, bold: bool) -> int:
    """Advance width of a word in 1/1000 em: integers, so a line's width is the exact sum of
    its words' and spaces' (wrapping adds them up instead of measuring every candidate line)."""
    return sum(char_width(ch, bold) for ch in text)


def _px(units: int, size: float) -> float:
    return units * size / 1000.0 * SAFETY


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in px of `text` set at `size` px (with the safety factor)."""
    return _px(sum(_units(word, bold) for word in text.split(" ")) + char_width(" ", bold) * text.count(" "), size)


def wrap(text: str, max_width: float, size: float, bold: bool = False, max_lines: int = 0) -> list[str]:
    """Greedy word wrap to `max_width` px; words longer than a line are broken (with a hyphen).

    With max_lines > 0 the last kept line ends with an ellipsis when text was cut.
    """
    words = " ".join(str(text).split()).split(" ")
    lines: list[str] = []
    current = ""
    space = char_width(" ", bold)
    current_units = 0
    for word in words:
        if not word:
            continue
        candidate = f"{current} {word}" if current else word
        candidate_units = current_units + space + _units(word, bold) if current else _units(word, bold)
        if _px(candidate_units, size) <= max_width:
            current, current_units = candidate, candidate_units
            continue
        if current:
            lines.append(current)
            current = ""
        # A single word wider than the line: break it.
        while text_width(word, size, bold) > max_width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and text_width(word[:cut] + "-", size, bold) > max_width:
                cut -= 1
            lines.append(word[:cut] + "-")
            word = word[cut:]
        current, current_units = word, _units(word, bold)
    if current or not lines:
        lines.append(current)
    if max_lines and len(lines) > max_lines:
        kept = lines[:max_lines]
        last = kept[-1]
        while last and text_width(last + "\u2026", size, bold) > max_width:
            last = last[:-1].rstrip()
        kept[-1] = last + "\u2026"
        return kept
    return lines


def block_size(lines: list[str], size: float, line_height: float, bold: bool = False) -> tuple[float, float]:
    """(width, height) in px of wrapped lines."""
    width = max((text_width(line, size, bold) for line in lines), default=0.0)
    return width, len(lines) * size * line_height
