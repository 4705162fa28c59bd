"""Transform stage (pure): an old post's HTML -> Markdown that reads as if written by hand.

markdownify does the conversion (per-tag `convert_*` methods, overridden here for figures);
before it, `prepare` cleans the HTML the old platforms leave behind: WordPress shortcodes and
`<!-- wp:… -->` block comments, Blogger's `<br>`/`<div>` soup, scripts and event handlers,
and video embeds (kept as a link, never a script or a foreign iframe).
"""

from __future__ import annotations

import html as htmllib
import re
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from markdownify import ATX, MarkdownConverter

# -- WordPress shortcodes ----------------------------------------------------------------------
_ATTR_RE = re.compile(r'(\w+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|(\S+))')
_CAPTION_RE = re.compile(r"\[(?:caption|wp_caption)([^\]]*)\](.*?)\[/(?:caption|wp_caption)\]", re.S | re.I)
_EMBED_RE = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.S | re.I)
_YOUTUBE_RE = re.compile(r"\[youtube[=\s]+([^\]\s]+)[^\]]*\]", re.I)
_GALLERY_RE = re.compile(r"\[gallery([^\]]*)\]", re.I)
_IMG_OR_LINKED_IMG_RE = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.S | re.I)


def _attrs(text: str) -> dict[str, str]:
    return {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None) for m in _ATTR_RE.finditer(text)}


def _video_link(url: str) -> str:
    url = htmllib.unescape(url.strip())
    return f'<p class="video"><a href="{htmllib.escape(url)}">Video: {htmllib.escape(url)}</a></p>'


def expand_shortcodes(text: str, attachment_urls: dict[str, str]) -> str:
    """[caption] -> <figure>, [embed]/[youtube] -> a video link, [gallery ids=…] -> images."""

    def caption(m):
        attrs = _attrs(m.group(1))
        body = m.group(2)
        inner = _IMG_OR_LINKED_IMG_RE.match(body)
        img, cap = (inner.group(1), inner.group(2).strip()) if inner else (body, "")
        cap = cap or htmllib.escape(attrs.get("caption", ""))
        return f"<figure>{img}<figcaption>{cap}</figcaption></figure>" if cap else f"<figure>{img}</figure>"

    def gallery(m):
        ids = [i.strip() for i in _attrs(m.group(1)).get("ids", "").split(",") if i.strip()]
        images = [f'<img src="{htmllib.escape(attachment_urls[i])}" alt="">' for i in ids if i in attachment_urls]
        return "<p>" + " ".join(images) + "</p>" if images else ""

    text = _CAPTION_RE.sub(caption, text)
    text = _EMBED_RE.sub(lambda m: _video_link(m.group(1)), text)
    text = _YOUTUBE_RE.sub(lambda m: _video_link(m.group(1)), text)
    return _GALLERY_RE.sub(gallery, text)


# -- WordPress paragraphs -----------------------------------------------------------------------
_BLOCK_OPEN_RE = re.compile(r"<(pre|ul|ol|table|blockquote|div|figure|dl|script|style)\b", re.I)
_BLOCK_CLOSE_RE = re.compile(r"</(pre|ul|ol|table|blockquote|div|figure|dl|script|style)\s*>", re.I)
_STARTS_BLOCK_RE = re.compile(r"^\s*<(?:p|div|h[1-6]|ul|ol|li|pre|table|blockquote|figure|hr|dl|iframe)\b", re.I)


def autop(text: str) -> str:
    """WordPress stores paragraphs as blank lines (its wpautop filter adds the <p>s on display)."""
    chunks, current, depth = [], [], 0
    for chunk in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n")):
        current.append(chunk)
        depth += len(_BLOCK_OPEN_RE.findall(chunk)) - len(_BLOCK_CLOSE_RE.findall(chunk))
        if depth <= 0:
            chunks.append("\n\n".join(current))
            current, depth = [], 0
    if current:
        chunks.append("\n\n".join(current))
    return "\n".join(c if _STARTS_BLOCK_RE.match(c) or not c.strip() else f"<p>{c.strip()}</p>" for c in chunks)


# -- HTML clean-up -------------------------------------------------------------------------------
_BLOCKS = {"p", "div", "ul", "ol", "li", "blockquote", "pre", "table", "figure", "h1", "h2", "h3",
           "h4", "h5", "h6", "hr", "dl", "section", "article", "header", "footer", "aside", "center"}
_DROP = {"script", "style", "noscript", "form", "input", "button", "select", "textarea", "link", "meta"}
_VIDEO_HOSTS = re.compile(r"(?:^|\.)(?:youtube\.com|youtube-nocookie\.com|youtu\.be|vimeo\.com|dailymotion\.com)$")


def video_page_url(src: str) -> str:
    """The watch page of an embedded video (YouTube, Vimeo), else the embed URL itself."""
    src = htmllib.unescape(src or "").strip()
    if src.startswith("//"):
        src = "https:" + src
    parts = urlsplit(src)
    host = parts.netloc.lower()
    m = re.match(r"^/(?:embed|v)/([\w-]{6,})", parts.path)
    if "youtube" in host and m:
        return f"https://www.youtube.com/watch?v={m.group(1)}"
    if "youtube" in host and parse_qs(parts.query).get("v"):
        return f"https://www.youtube.com/watch?v={parse_qs(parts.query)['v'][0]}"
    m = re.match(r"^/video/(\d+)", parts.path)
    if host == "player.vimeo.com" and m:
        return f"https://vimeo.com/{m.group(1)}"
    return src


def prepare(soup: BeautifulSoup, warn) -> None:
    """Clean `soup` in place; `warn(message)` is called for what was dropped."""
    for node in soup.find_all(string=lambda s: isinstance(s, Comment)):
        node.extract()  # <!-- wp:paragraph --> and friends
    for tag in soup.find_all(_DROP):
        if tag.name == "script":
            warn("a <script> was removed")
        tag.decompose()
    for tag in soup.find_all(["ul", "ol"]):
        for br in tag.find_all("br", recursive=False):
            br.decompose()  # Blogger puts <br /> between list items
    for tag in soup.find_all(["iframe", "embed", "object", "video"]):
        _replace_embed(soup, tag, warn)
    for tag in soup.find_all(True):
        for name in [a for a in tag.attrs if a.lower().startswith("on") or a.lower() in ("style", "class", "id", "trbidi", "dir", "imageanchor", "border")]:
            del tag[name]
        for attr in ("href", "src"):
            value = tag.get(attr)
            if isinstance(value, str) and re.match(r"^\s*(?:javascript|vbscript|data):", value, re.I) and tag.name != "img":
                del tag[attr]
    _paragraphs(soup)


def _replace_embed(soup, tag: Tag, warn) -> None:
    src = tag.get("src") or tag.get("data") or ""
    if not src:
        param = tag.find("param", attrs={"name": re.compile("^movie$", re.I)})
        src = param.get("value", "") if param else ""
        src = src or (tag.find("embed") or {}).get("src", "") if tag.name == "object" else src
        if not src and tag.name == "video":
            source = tag.find("source")
            src = source.get("src", "") if source else ""
    if not src:
        tag.decompose()
        return
    url = video_page_url(src)
    if not re.match(r"^https?://", url, re.I):
        warn(f"an embed of '{src}' was removed")
        tag.decompose()
        return
    host = urlsplit(url).netloc.lower()
    label = "Video" if _VIDEO_HOSTS.search(host) or tag.name == "video" else "Embedded content"
    p = soup.new_tag("p")
    a = soup.new_tag("a", href=url)
    a.string = f"{label}: {url}"
    p.append(a)
    tag.replace_with(p)


def _is_br(node) -> bool:
    return isinstance(node, Tag) and node.name == "br"


def _blank(node) -> bool:
    return isinstance(node, NavigableString) and not node.strip()


def _paragraphs(soup: BeautifulSoup) -> None:
    """Blogger's soup: inline runs split by two or more <br> (or a block) become <p>s."""
    containers = [soup] + soup.find_all(["div", "blockquote", "td", "li", "section", "article", "center"])
    for box in containers:
        children = list(box.children)
        if not any(_is_br(c) for c in children) and not (box is soup or box.name == "div"):
            continue
        if box.name in ("td", "li") and not any(_is_br(a) and _is_br(_next_real(a)) for a in children):
            continue
        groups, current, i = [], [], 0
        while i < len(children):
            node = children[i]
            if isinstance(node, Tag) and node.name in _BLOCKS:
                groups.append(current)
                groups.append([node])
                current = []
            elif _is_br(node) and _is_br(_next_real(node)):
                while i + 1 < len(children) and (_is_br(children[i + 1]) or _blank(children[i + 1])):
                    i += 1
                groups.append(current)
                current = []
            else:
                current.append(node)
            i += 1
        groups.append(current)
        if sum(1 for g in groups if g) <= 1 and box is not soup and not any(
                isinstance(n, Tag) and n.name in _BLOCKS for g in groups for n in g):
            continue
        for group in groups:
            if not group:
                continue
            if len(group) == 1 and isinstance(group[0], Tag) and group[0].name in _BLOCKS:
                continue
            while group and (_blank(group[-1]) or _is_br(group[-1])):
                group.pop().extract()
            while group and (_blank(group[0]) or _is_br(group[0])):
                group.pop(0).extract()
            if not group:
                continue
            p = soup.new_tag("p")
            group[0].insert_before(p)
            for node in group:
                p.append(node.extract())


def _next_real(node):
    sib = node.next_sibling
    while sib is not None and _blank(sib):
        sib = sib.next_sibling
    return sib


# -- Markdown ------------------------------------------------------------------------------------
class Converter(MarkdownConverter):
    """markdownify with our house style: ATX headings, '-' bullets, HTML figures kept."""

    class Options(MarkdownConverter.DefaultOptions):
        heading_style = ATX
        bullets = "-"
        escape_underscores = False
        escape_misc = False
        autolinks = True

    def convert_figure(self, el, text, parent_tags):
        img = el.find("img")
        caption = el.find("figcaption")
        if img is None:
            return "\n\n" + text.strip() + "\n\n"
        img_html = str(img)
        link = img.find_parent("a")
        if link is not None and link in el.descendants:
            img_html = f'<a href="{htmllib.escape(link.get("href", ""), quote=True)}">{img_html}</a>'
        cap = caption.decode_contents().strip() if caption is not None else ""
        cap_html = f"\n<figcaption>{cap}</figcaption>" if cap else ""
        return f"\n\n<figure>\n{img_html}{cap_html}\n</figure>\n\n"

    def convert_center(self, el, text, parent_tags):
        return self.convert_div(el, text, parent_tags)

    def convert_span(self, el, text, parent_tags):
        return text


def to_markdown(soup: BeautifulSoup) -> str:
    text = Converter().convert_soup(soup)
    lines = []
    for line in text.split("\n"):
        stripped = line.rstrip()
        lines.append(stripped + "  " if line.endswith("  ") and stripped and not line.endswith("   ") else stripped)
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return text + "\n" if text else ""


def parse_html(text: str) -> BeautifulSoup:
    return BeautifulSoup(text or "", "html.parser")
