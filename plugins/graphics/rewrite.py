"""Size and load hints on a post's <img> tags (pure): width and height, lazy loading after the
first image, asynchronous decoding, srcset with downscaled variants.

A src written as a URL of a local file becomes Pelican's ``{static}`` link to it, as crosslinks
does for links. Only images of local files are changed (`sizes` maps their src, as written, to what the file
is); remote images are left exactly as they are. srcset candidates are written as
``{graphic}SITE-RELATIVE-URL``: Pelican resolves only one marker per tag, so these are
resolved for each page by `resolve_markers` (see build.VariantLinks).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

IMG_RE = re.compile(r"<img\b[^>]*>", re.I | re.S)
ATTR_RE = re.compile(r"""\s([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
MARKER = "{graphic}"
MARKER_RE = re.compile(r"\{graphic\}([^\s,\"']+)")
SRC_RE = re.compile(r"""(\ssrc\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.I)


@dataclass(frozen=True)
class ImageSize:
    width: int
    height: int
    srcset: tuple[tuple[str, int], ...] = ()  # (site-relative URL, width), smallest first
    sizes: str = ""
    marker: str = ""  # "{static}/SOURCE": the src Pelican resolves for each page it is shown on


def attributes(tag: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in ATTR_RE.finditer(tag[4:]):
        value = next((g for g in m.group(2, 3, 4) if g is not None), "")
        out.setdefault(m.group(1).lower(), html.unescape(value))
    return out


def _with(tag: str, extra: list[tuple[str, str]]) -> str:
    if not extra:
        return tag
    end = len(tag) - (2 if tag.endswith("/>") else 1)
    head = tag[:end].rstrip()
    added = "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in extra)
    return head + added + tag[end:]


def rewrite_images(text: str, sizes: dict[str, ImageSize]) -> str:
    """`text` with the hints added to each <img> whose src is in `sizes`; attributes the
    author wrote are kept (a lone width or height gets its partner by the aspect ratio)."""
    position = 0

    def replace(m: re.Match) -> str:
        nonlocal position
        position += 1
        tag = m.group(0)
        attrs = attributes(tag)
        size = sizes.get((attrs.get("src") or "").strip())
        if size is None:
            return tag
        extra: list[tuple[str, str]] = []
        width, height = attrs.get("width"), attrs.get("height")
        if width is None and height is None:
            extra += [("width", str(size.width)), ("height", str(size.height))]
        elif height is None and width and width.isdigit() and size.width:
            extra.append(("height", str(round(int(width) * size.height / size.width))))
        elif width is None and height and height.isdigit() and size.height:
            extra.append(("width", str(round(int(height) * size.width / size.height))))
        if position > 1 and "loading" not in attrs:
            extra.append(("loading", "lazy"))
        if "decoding" not in attrs:
            extra.append(("decoding", "async"))
        if size.srcset and "srcset" not in attrs:
            extra.append(("srcset", ", ".join(f"{MARKER}{url} {w}w" for url, w in size.srcset)))
            if "sizes" not in attrs:
                extra.append(("sizes", size.sizes))
        src = attrs.get("src", "").strip()
        if size.marker and not src.startswith(("{", "|")):
            # written as a URL (site-relative, relative, on SITEURL or a legacy host): made a
            # {static} link, right from every page depth and served from this site
            tag = SRC_RE.sub(lambda s: f'{s.group(1)}"{html.escape(size.marker, quote=True)}"', tag, count=1)
        return _with(tag, extra)

    return IMG_RE.sub(replace, text)


def resolve_markers(text: str, siteurl: str, relative: bool) -> str:
    """Replace each {graphic}URL with URL as Pelican writes a {static} link for `siteurl`."""
    if MARKER not in text:
        return text
    if relative:
        import os.path

        return MARKER_RE.sub(lambda m: os.path.join(siteurl, m.group(1)).replace("\\", "/"), text)
    from urllib.parse import urljoin

    base = siteurl if siteurl.endswith("/") else siteurl + "/"
    return MARKER_RE.sub(lambda m: urljoin(base, m.group(1)), text)
