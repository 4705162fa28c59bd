"""Read stage: a Markdown extension that records every image of a post with its source line.

A treeprocessor walks the finished element tree in document order and records each
``<img>``: Markdown images (inline and reference-style) and ``<img>`` tags of raw HTML
(parsed from Python-Markdown's HTML stash), in ``post_data_of(md)["graphics_images"]``::

    {"src": str, "alt": str | None, "line": int, "raw": bool}

``alt`` is None when the tag has no alt attribute. Lines are found the way crosslinks finds
links' lines (its ``assign_lines``, on the raw lines its preprocessor keeps), so both report
the same numbers. Code blocks and diagrams hold no images.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from html.parser import HTMLParser

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from crosslinks.extension import SourceLinesPreprocessor, assign_lines
from post_data import post_data_of

KEY = "graphics_images"
_IMG_TAG = re.compile(r"<img\b", re.I)
_SKIP_TAGS = frozenset({"pre", "code", "script", "style", "svg", "template", "math"})


class _RawImages(HTMLParser):
    """The <img> tags of a piece of raw HTML, outside <pre>, <svg> and the like."""

    def __init__(self, found: list[dict]):
        super().__init__(convert_charrefs=True)
        self.found = found
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag == "img" and not self.skip:
            self._image(attrs)
        elif tag in _SKIP_TAGS:
            self.skip += 1

    def handle_startendtag(self, tag, attrs):
        if tag == "img" and not self.skip:
            self._image(attrs)

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS and self.skip:
            self.skip -= 1

    def _image(self, attrs):
        values = dict(attrs)
        src = (values.get("src") or "").strip()
        alt = values.get("alt")
        self.found.append({"href": src, "alt": alt, "raw": True,
                           "decorative": values.get("role") in ("presentation", "none")})


def images_in(root, stash) -> list[dict]:
    """Every image under `root`, in document order (raw HTML from `stash` where it stands)."""
    found: list[dict] = []
    if next(root.iter("img"), None) is None and not any(
            not isinstance(raw, str) or _IMG_TAG.search(raw) for raw in stash):
        return found  # most posts: no image anywhere, nothing to walk
    parser = _RawImages(found)

    def text(value):
        if not value or "\x02" not in value:
            return
        for m in HTML_PLACEHOLDER_RE.finditer(value):
            index = int(m.group(1))
            raw = stash[index] if index < len(stash) else ""
            if isinstance(raw, etree.Element):
                walk(raw)
            elif isinstance(raw, str) and "<img" in raw.lower():
                parser.feed(raw)
                parser.close()
                parser.reset()
                parser.skip = 0

    def walk(elem):
        tag = elem.tag if isinstance(elem.tag, str) else ""
        if tag in _SKIP_TAGS or "diagram" in (elem.get("class") or "").split():
            return
        if tag == "img":
            src = html.unescape(elem.get("src") or "").strip()
            found.append({"href": src, "alt": elem.get("alt"), "raw": False, "decorative": False})
        text(elem.text)
        for child in elem:
            walk(child)
            text(child.tail)

    walk(root)
    return found


class ImageCollector(Treeprocessor):
    def run(self, root):
        images = images_in(root, self.md.htmlStash.rawHtmlBlocks)
        assign_lines(images, getattr(self.md, "crosslinks_lines", []) or [],
                     getattr(self.md, "crosslinks_skip", set()) or set())
        for image in images:
            image["src"] = image.pop("href")
        # a new list each run: Pelican converts a Summary with the same Markdown object
        post_data_of(self.md)[KEY] = images
        return None


class GraphicsExtension(Extension):
    def extendMarkdown(self, md):
        if "crosslinks_lines" not in md.preprocessors:  # crosslinks off: keep the raw lines ourselves
            md.preprocessors.register(SourceLinesPreprocessor(md), "crosslinks_lines", 35)
        # after 'inline' (20), like crosslinks' link collector (12); before prettify (10)
        md.treeprocessors.register(ImageCollector(md), "graphics_images", 11)
        md.registerExtension(self)
