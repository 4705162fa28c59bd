"""SVG files shown as images: their size, and whether they carry scripts (pure).

An SVG served from our domain runs its scripts when opened on its own, so an SVG with a
``<script>``, an ``on…=`` event handler or a ``javascript:`` URL is an author error.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

_SVG_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE[^>]*>\s*)?(?:<!--.*?-->\s*)*<svg[\s>]",
                        re.S | re.I)
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")
_URL_ATTRS = ("href", "src", "to", "values", "from", "by", "action", "formaction")


def is_svg(data: bytes) -> bool:
    return bool(_SVG_START.match(data[:4096]))


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def _root(data: bytes):
    try:
        return etree.fromstring(data)
    except etree.ParseError:
        return None


def svg_size(data: bytes) -> tuple[int, int]:
    """(width, height) in CSS pixels from the width/height attributes, else the viewBox."""
    root = _root(data)
    if root is None:
        return 0, 0
    w, h = _LENGTH.match(root.get("width", "")), _LENGTH.match(root.get("height", ""))
    if w and h:
        return round(float(w.group(1))), round(float(h.group(1)))
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        try:
            return round(float(box[2])), round(float(box[3]))
        except ValueError:
            pass
    return 0, 0


def active_content(data: bytes) -> list[str]:
    """What in the SVG would run as script: ["<script>", "onload=", "javascript: URL"], or []."""
    root = _root(data)
    if root is None:
        text = data.decode("utf-8", "replace").lower()
        found = ["<script>"] if "<script" in text else []
        return found + (["event handler"] if re.search(r"\son[a-z]+\s*=", text) else [])
    found: list[str] = []
    for elem in root.iter():
        if not isinstance(elem.tag, str):
            continue
        if _local(elem.tag) == "script" and "<script>" not in found:
            found.append("<script>")
        for name, value in elem.attrib.items():
            attr = _local(name)
            if attr.startswith("on") and f"{attr}=" not in found:
                found.append(f"{attr}=")
            elif attr in _URL_ATTRS and re.sub(r"\s", "", value).lower().startswith("javascript:") \
                    and "javascript: URL" not in found:
                found.append("javascript: URL")
    return found
