"""Escaping and numbers for SVG text: the one escaping function and the one number formatter.

Every piece of untrusted text (titles, tags, labels, URLs) that goes into SVG, as a text node
or a quoted attribute value, passes through `esc`; every coordinate through `fmt`.
"""

from __future__ import annotations

import re

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def clean(text) -> str:
    """Text safe to put in XML: characters XML 1.0 forbids removed, whitespace collapsed."""
    return " ".join(_INVALID_XML.sub("", str(text)).split())


def esc(text) -> str:
    """Escape text for an XML text node or a quoted attribute value."""
    return (
        clean(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def fmt(value: float) -> str:
    """A coordinate: one decimal, no trailing zeros, never a negative zero ("-0")."""
    text = f"{value:.1f}"
    if text[-1] == "0":
        text = text[:-2]
        if text == "-0":
            return "0"
    return text


f = fmt  # the short name the diagram renderers use in long f-strings
