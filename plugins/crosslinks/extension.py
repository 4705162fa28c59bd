"""Read stage: a Markdown extension that finds every link of a post in the element tree.

- ``[[target]]`` / ``[[target|text]]`` wiki links become ``<a class="wikilink"
  href="{wiki}TARGET">`` placeholders (TARGET percent-encoded); the build stage replaces
  them with the resolved URL or a ``<span class="broken-link">``. The inline pattern runs
  after Python-Markdown's backtick pattern, so it never fires inside code spans; fenced and
  indented code never reach inline patterns at all.
- A treeprocessor walks the finished element tree in document order and records every
  ``<a href>`` (Markdown links, autolinks, reference links, wiki links and ``<a>`` tags of
  raw HTML, found by parsing the stashed HTML with an HTML parser) with the sentence
  around it and its line in the source file, in ``post_data_of(md)["ln_links"]``::

      {"href": str, "text": str, "line": int, "context": str}   # + "wiki": target

Python-Markdown keeps no source positions, so a preprocessor keeps a copy of the raw lines
(it runs before ``meta``: line numbers count the metadata header) and each link's raw form
is searched in them sequentially, from the previous link on, skipping the metadata header
and fenced code blocks.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from html.parser import HTMLParser
from urllib.parse import quote

from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE, AtomicString

from pelican_internals import (
    INLINE_PLACEHOLDER_PATTERN,
    STX,
    escaped_char,
    raw_html_blocks,
    stashed_inline,
    unescape_chars,
)
from post_data import post_data_of

from .settings import CONTEXT_CHARS
from .text import sentence_around

KEY = "ln_links"
HEADER_KEY = "ln_header_lines"  # {"title": 1, "aliases": 6, ...}
WIKI_PREFIX = "{wiki}"
RAW_ATTR = "data-crosslinks-raw"  # temporary: removed by the treeprocessor

# [[target]] or [[target|text]]; a pipe escaped as \| (inside tables) also separates: the
# escape pattern has by then replaced it with an inline placeholder holding "\x02124\x03".
# Not followed by "(": "[[1]](url)" is a Markdown link whose text is "[1]".
_ESCAPED_PIPE = escaped_char("|")
WIKI_RE = (r"\[\[([^\[\]\n|" + STX + r"]+?)(?:(\||" + INLINE_PLACEHOLDER_PATTERN + r")([^\[\]\n]+?))?\]\](?!\()")

_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section "
    "summary table tbody td tfoot th thead tr ul".split()
)
_SKIP_TAGS = frozenset({"script", "style", "svg", "template", "math"})
# Diagrams (diagrams plugin) are not text: their links are resolved from `content.diagrams`.
_SKIP_CLASSES = frozenset({"diagram", "diagram-error", "diagram-text"})
_VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_ENTITY_RE = re.compile(r"^&#?[0-9A-Za-z]+;$")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_REF_DEF_RE = re.compile(r"^ {0,3}\[[^\]]+\]:\s")
_META_RE = re.compile(r"^[ ]{0,3}([A-Za-z0-9_-]+):\s*")


try:
    from stage_timer import timed as _timed
except ImportError:  # pragma: no cover - outside Pelican (plain Markdown use)
    from contextlib import nullcontext

    def _timed(_stage):
        return nullcontext()


def _unescape(text: str) -> str:
    return unescape_chars(text)


class SourceLinesPreprocessor(Preprocessor):
    """Keep the raw lines and the lines to skip when searching (metadata header, fences)."""

    def run(self, lines):
        with _timed("read"):
            return self._run(lines)

    def _run(self, lines):
        self.md.crosslinks_lines = list(lines)
        header: dict[str, int] = {}
        self.md.crosslinks_skip = skipped_lines(lines, header)
        if header:
            post_data_of(self.md)[HEADER_KEY] = header
        return lines


def skipped_lines(lines: list[str], header: dict | None = None) -> set[int]:
    """0-based indexes of the metadata header and of fenced code lines.

    `header`, if given, receives the 1-based line of each metadata key (lower case).
    """
    skip: set[int] = set()
    header = {} if header is None else header
    i = 0
    n = len(lines)
    # metadata header: a '---' line or 'Key: value' lines up to the first blank line
    if n and (lines[0].strip() == "---" or _META_RE.match(lines[0])):
        yaml = lines[0].strip() == "---"
        skip.add(0)
        i = 1
        m = _META_RE.match(lines[0])
        if m:
            header.setdefault(m.group(1).lower(), 1)
        while i < n:
            line = lines[i]
            skip.add(i)
            m = _META_RE.match(line)
            if m:
                header.setdefault(m.group(1).lower(), i + 1)
            i += 1
            if yaml and line.strip() in ("---", "..."):
                break
            if not yaml and (not line.strip() or line.strip() in ("---", "...")):
                break
    fence = None
    while i < n:
        line = lines[i]
        m = _FENCE_RE.match(line)
        if fence is None:
            if m:
                fence = m.group(1)
                skip.add(i)
        else:
            skip.add(i)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
                    and not line.strip().lstrip(fence[0]):
                fence = None
        i += 1
    return skip


class WikiLinkInlineProcessor(InlineProcessor):
    def handleMatch(self, m, data):
        sep = m.group(2)
        if sep and sep != "|":
            if stashed_inline(self.md, sep) != _ESCAPED_PIPE:
                return None, None, None
        target = _unescape(m.group(1)).strip()
        text = _unescape(m.group(3)).strip() if m.group(3) else target
        if not target:
            return None, None, None
        el = etree.Element("a")
        el.set("href", WIKI_PREFIX + quote(target, safe=""))
        el.set("class", "wikilink")
        el.set(RAW_ATTR, "[[" + _unescape(m.group(1)))
        el.text = AtomicString(text)
        return el, m.start(0), m.end(0)


class _Buffer:
    """Text of one block, with the links found in it (offsets into the text)."""

    __slots__ = ("parts", "size", "links", "parser")

    def __init__(self):
        self.parser = None  # one HTML parser per block: inline raw HTML comes in pieces
        self.parts: list[str] = []
        self.size = 0
        self.links: list[tuple[dict, int, int]] = []

    def add(self, text: str) -> None:
        if text:
            self.parts.append(text)
            self.size += len(text)

    def text(self) -> str:
        return "".join(self.parts)


class _RawHtml(HTMLParser):
    """Text and <a href> of a piece of raw HTML, appended to a block buffer in order."""

    def __init__(self, walker, buf):
        super().__init__(convert_charrefs=True)
        self.walker, self.buf = walker, buf
        self.skip = 0
        self.open_links: list[tuple[dict, int]] = []

    def handle_starttag(self, tag, attrs):
        if self.skip:
            if tag not in _VOID_TAGS:
                self.skip += 1
        elif tag in _SKIP_TAGS or _SKIP_CLASSES.intersection((dict(attrs).get("class") or "").split()):
            self.skip = 1
        elif tag == "a":
            href = dict(attrs).get("href")
            if href is not None:
                link = self.walker.new_link(href.strip(), raw_html=True)
                self.open_links.append((link, self.buf.size))
        elif tag in ("br", "p", "div", "li"):
            self.buf.add(" ")

    def handle_startendtag(self, tag, attrs):
        if not self.skip and tag in ("br", "hr"):
            self.buf.add(" ")

    def handle_endtag(self, tag):
        if self.skip:
            if tag not in _VOID_TAGS:
                self.skip -= 1
        elif tag == "a" and self.open_links:
            link, start = self.open_links.pop()
            self.walker.close_link(self.buf, link, start)

    def handle_data(self, data):
        if not self.skip:
            self.buf.add(data)

    def close(self):
        super().close()
        while self.open_links:  # unclosed <a>: the link text runs to the end
            link, start = self.open_links.pop()
            self.walker.close_link(self.buf, link, start)


class _Walker:
    def __init__(self, stash, context_chars: int):
        self.stash = stash
        self.context_chars = context_chars
        self.links: list[dict] = []

    def new_link(self, href: str, raw_html: bool = False) -> dict:
        link = {"href": href, "text": "", "line": 0, "context": ""}
        if raw_html:
            link["_raw_html"] = True
        self.links.append(link)  # document order: appended when the link opens
        return link

    def close_link(self, buf: _Buffer, link: dict, start: int) -> None:
        buf.links.append((link, start, buf.size))

    def block(self, elem) -> None:
        if elem.tag == "pre" or elem.tag in _SKIP_TAGS:
            return  # code blocks hold no links
        if next(elem.iter("a"), None) is None and not any(STX in t for t in elem.itertext()):
            return  # no <a> and no stashed raw HTML: nothing to record, no context to collect
        buf = _Buffer()
        self.inline(elem, buf)
        if buf.parser is not None:
            buf.parser.close()
        if buf.links:
            text = buf.text()
            for link, start, end in buf.links:
                link["text"] = " ".join(text[start:end].split())
                link["context"] = sentence_around(text, start, end, self.context_chars)

    def inline(self, elem, buf: _Buffer) -> None:
        self.text(elem.text, buf)
        for child in elem:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in _BLOCK_TAGS:
                self.block(child)
            elif tag in _SKIP_TAGS:
                pass
            elif tag == "a" and child.get("href") is not None:
                raw = child.attrib.pop(RAW_ATTR, None)
                link = self.new_link(_unescape(child.get("href")).strip())
                if raw is not None:
                    link["_raw"] = raw
                start = buf.size
                self.inline(child, buf)
                self.close_link(buf, link, start)
            else:
                self.inline(child, buf)
            self.text(child.tail, buf)

    def text(self, text, buf: _Buffer) -> None:
        if not text:
            return
        if STX not in text:
            buf.add(text)
            return
        pos = 0
        for m in HTML_PLACEHOLDER_RE.finditer(text):
            buf.add(_unescape(text[pos:m.start()]))
            pos = m.end()
            index = int(m.group(1))
            raw = self.stash[index] if index < len(self.stash) else ""
            if isinstance(raw, etree.Element):
                if raw.tag in _BLOCK_TAGS:
                    self.block(raw)
                else:
                    self.inline(raw, buf)
            elif isinstance(raw, str) and raw:
                if _ENTITY_RE.match(raw):
                    buf.add(html.unescape(raw))
                elif buf.parser is not None or "<a" in raw or "<A" in raw or len(raw) < 300:
                    if buf.parser is None:
                        buf.parser = _RawHtml(self, buf)
                    buf.parser.feed(raw)
        buf.add(_unescape(text[pos:]))


def assign_lines(links: list[dict], lines: list[str], skip: set[int]) -> None:
    """Set link["line"] (1-based) by finding each link's raw form in the source lines.

    Sequential: each search starts where the previous link was found. A link not found
    after it (a reference used twice, reordered raw HTML) is searched from the top. A match
    on a reference definition line (`[id]: url`) does not move the cursor.
    """
    row, col = 0, 0
    n = len(lines)
    for link in links:
        line = None
        for token in _tokens(link):
            pos = _search(lines, skip, token, row, col, n)
            if pos is not None:
                if not _REF_DEF_RE.match(lines[pos[0]]):
                    row, col = pos[0], pos[1] + len(token)
                line = pos[0] + 1
                break
            pos = _search(lines, skip, token, 0, 0, row + 1)
            if pos is not None:
                line = pos[0] + 1
                break
        link["line"] = line if line is not None else (row + 1 if n else 0)


def _tokens(link: dict) -> list[str]:
    raw = link.get("_raw")
    if raw:
        return [raw]
    href = link["href"]
    if not href:
        return []
    tokens = [href]
    escaped = href.replace("&", "&amp;")
    if escaped != href:
        tokens.append(escaped)
    return tokens


def _search(lines, skip, token, row, col, stop):
    for i in range(row, min(stop, len(lines))):
        if i in skip:
            continue
        j = lines[i].find(token, col if i == row else 0)
        if j != -1:
            return i, j
    return None


def html_links(html_text: str, source_lines: list[str] | None = None, context_chars: int = CONTEXT_CHARS) -> list[dict]:
    """Links of a post written in HTML (Pelican's HTML reader), in the same form as ln_links."""
    walker = _Walker([], context_chars)
    buf = _Buffer()
    buf.parser = _RawHtml(walker, buf)
    buf.parser.feed(html_text or "")
    buf.parser.close()
    text = buf.text()
    for link, start, end in buf.links:
        link["text"] = " ".join(text[start:end].split())
        link["context"] = sentence_around(text, start, end, context_chars)
    links = walker.links
    assign_lines(links, source_lines or [], set())
    for link in links:
        link.pop("_raw_html", None)
    return links


class LinkCollector(Treeprocessor):
    def __init__(self, md, context_chars: int):
        super().__init__(md)
        self.context_chars = context_chars

    def run(self, root):
        with _timed("read"):
            self._collect(root)
        return None

    def _collect(self, root):
        walker = _Walker(raw_html_blocks(self.md), self.context_chars)
        walker.block(root)
        links = walker.links
        assign_lines(links, getattr(self.md, "crosslinks_lines", []) or [],
                     getattr(self.md, "crosslinks_skip", set()) or set())
        for link in links:
            raw = link.pop("_raw", None)
            link.pop("_raw_html", None)
            if raw is not None and link["href"].startswith(WIKI_PREFIX):
                from urllib.parse import unquote

                link["wiki"] = unquote(link["href"][len(WIKI_PREFIX):])
        # a new list each run: Pelican converts formatted metadata (Summary) with the same
        # Markdown object after the post body, and must not add its links to the post's.
        post_data_of(self.md)[KEY] = links


class CrossLinksExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {"context_chars": [CONTEXT_CHARS, "maximum length of a link's context sentence"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        md.preprocessors.register(SourceLinesPreprocessor(md), "crosslinks_lines", 35)
        # after backtick (190), escape (180) and footnote (175); before reference (170)
        md.inlinePatterns.register(WikiLinkInlineProcessor(WIKI_RE, md), "crosslinks_wiki", 172)
        # after 'inline' (20) and footnotes; before prettify (10) and toc (5)
        md.treeprocessors.register(
            LinkCollector(md, int(self.getConfig("context_chars"))), "crosslinks_links", 12)
        md.registerExtension(self)


def extract_links(text: str, extensions=None, context_chars: int = CONTEXT_CHARS) -> tuple[str, list[dict]]:
    """Convert `text` with Pelican's default extensions plus ours; return (html, links)."""
    from markdown import Markdown

    exts = list(extensions if extensions is not None else
                ["markdown.extensions.codehilite", "markdown.extensions.extra",
                 "markdown.extensions.meta"])
    md = Markdown(extensions=exts + [CrossLinksExtension(context_chars=context_chars)],
                  extension_configs={"markdown.extensions.codehilite": {"css_class": "highlight"}},
                  output_format="html5")
    html = md.convert(text)
    return html, list(post_data_of(md).get(KEY, []))
