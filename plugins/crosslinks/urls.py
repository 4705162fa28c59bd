"""URL classification (pure): what an href written in a post points at.

Every href is sorted into one kind:

- ``("fragment", "")``: "#…" or empty: a link within the page, ignored;
- ``("marker", (what, value))``: Pelican's ``{filename}``, ``{static}``, ``{attach}``,
  ``{tag}``, ``{category}``, ``{author}``, ``{index}`` (also ``|filename|``), and our
  ``{wiki}`` placeholders;
- ``("path", site_path)``: a page of this site: relative URL (resolved against the URL of
  the post it is written in), site-relative URL, or absolute URL on ``SITEURL`` or on one of
  the legacy hosts. ``site_path`` has no leading slash, no query, no fragment, and is
  percent-decoded;
- ``("external", url)``: http(s) on any other host (a citation);
- ``("outside", path)``: a relative URL whose "../" climb out of SITEURL's sub-path
  (broken: it leaves the site);
- ``("other", href)``: mailto:, tel:, ftp:, javascript:, data: … ignored.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

MARKER_RE = re.compile(r"^[{|](?P<what>[a-z]+)[|}](?P<value>.*)$", re.S)
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def _host(netloc: str) -> str:
    host = netloc.rsplit("@", 1)[-1].lower()
    if host.endswith(":80") or host.endswith(":443"):
        host = host.rsplit(":", 1)[0]
    return host[4:] if host.startswith("www.") else host


def site_of(url: str) -> str:
    """The citation site of an absolute URL: its host without "www."."""
    return _host(urlsplit(url).netloc)


@dataclass(frozen=True)
class Origin:
    """A host and path prefix under which this site's pages live (SITEURL or a legacy host)."""

    host: str
    prefix: str  # "" or "/lucas/blog" (no trailing slash)

    @classmethod
    def parse(cls, url: str) -> Origin | None:
        url = (url or "").strip()
        if not url:
            return None
        if "//" not in url:
            url = "//" + url
        parts = urlsplit(url)
        if not parts.netloc:
            return None
        return cls(_host(parts.netloc), parts.path.rstrip("/"))


def _strip_prefix(path: str, prefix: str) -> str | None:
    if not prefix:
        return path
    if path == prefix or path == prefix + "/":
        return "/"
    if path.startswith(prefix + "/"):
        return path[len(prefix):]
    return None


@dataclass
class UrlScheme:
    """Knows which absolute URLs belong to this site, and turns hrefs into site paths."""

    siteurl: str = ""
    legacy_hosts: tuple[str, ...] = ()
    relative_to_root: bool = False  # themes with <base href="{{ SITEURL }}/">
    origins: list[Origin] = field(init=False)
    site_prefix: str = field(init=False)  # path of SITEURL: "" or "/lucas/blog"
    prefixes: list[str] = field(init=False)  # path prefixes of root-relative URLs

    def __post_init__(self):
        self.origins = []
        for url in (self.siteurl, *self.legacy_hosts):
            origin = Origin.parse(url)
            if origin and origin not in self.origins:
                self.origins.append(origin)
        site = Origin.parse(self.siteurl) if self.siteurl and "//" in self.siteurl else None
        self.site_prefix = site.prefix if site else self.siteurl.rstrip("/") if self.siteurl.startswith("/") else ""
        prefixes = []
        if site and site.prefix:
            prefixes.append(site.prefix)
        elif self.siteurl.startswith("/"):
            prefixes.append(self.siteurl.rstrip("/"))
        prefixes += [o.prefix for o in self.origins if o.prefix and o.prefix not in prefixes]
        self.prefixes = prefixes

    def classify(self, href: str, base_url: str = "") -> tuple[str, object]:
        """Kind and value of `href`, written in the page whose site-relative URL is `base_url`."""
        href = (href or "").strip()
        if not href or href.startswith("#"):
            return "fragment", ""
        m = MARKER_RE.match(href)
        if m:
            return "marker", (m.group("what"), m.group("value"))
        if href.startswith("//"):
            href = "http:" + href
        if _SCHEME_RE.match(href):
            scheme = href.split(":", 1)[0].lower()
            if scheme not in ("http", "https"):
                return "other", href
            parts = urlsplit(href)
            host = _host(parts.netloc)
            for origin in self.origins:
                if origin.host == host:
                    rest = _strip_prefix(parts.path or "/", origin.prefix)
                    if rest is not None:
                        return "path", normalize_path(rest)
            return "external", href
        parts = urlsplit(href)
        path = parts.path
        if not path:  # "?query" only: this page
            return "fragment", ""
        if path.startswith("/"):
            if not self.prefixes:
                return "path", normalize_path(path)
            for prefix in self.prefixes:
                rest = _strip_prefix(path, prefix)
                if rest is not None:
                    return "path", normalize_path(rest)
            return "other", href  # same host, outside the site's sub-path
        # resolved like a browser does, from the page's full URL path (SITEURL's path included)
        base_dir = "" if self.relative_to_root else posixpath.dirname(base_url.lstrip("/"))
        base = posixpath.join(self.site_prefix + "/", base_dir)
        joined = posixpath.normpath(posixpath.join(base, unquote(path)))
        rest = _strip_prefix(joined, self.site_prefix)
        if rest is None:  # "../" climbed out of the site's sub-path
            return "outside", joined
        return "path", normalize_path(rest + ("/" if path.endswith("/") else ""))


def normalize_path(path: str) -> str:
    """'/a/./b/../c%20d.html' -> 'a/c d.html'; a trailing slash is kept ('tag/' stays)."""
    path = unquote(path)
    trailing = path.endswith("/") and path.strip("/") != ""
    norm = posixpath.normpath("/" + path.lstrip("/"))
    norm = norm.lstrip("/")
    if norm == ".":
        norm = ""
    return norm + "/" if trailing and norm else norm


def path_variants(url: str) -> list[str]:
    """Equivalent site paths of a page URL: 'x/' <-> 'x/index.html'."""
    url = normalize_path(url)
    out = [url]
    if url == "" or url.endswith("/"):
        out.append(url + "index.html")
    elif url == "index.html" or url.endswith("/index.html"):
        out.append(url[: -len("index.html")])
    return out


def looks_like_page(path: str) -> bool:
    """True for paths of HTML pages (.html, .htm, a folder, or no extension)."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if path.endswith("/") or "." not in last:
        return True
    return last.lower().endswith((".html", ".htm"))


def display_like(written: str, site_path: str, base_url: str, scheme: UrlScheme) -> str:
    """Write `site_path` the way `written` was written (absolute, root-relative or relative)."""
    if _SCHEME_RE.match(written) or written.startswith("//"):
        parts = urlsplit(written if not written.startswith("//") else "http:" + written)
        host = _host(parts.netloc)
        for origin in scheme.origins:
            if origin.host == host and _strip_prefix(parts.path or "/", origin.prefix) is not None:
                return f"{parts.scheme}://{parts.netloc}{origin.prefix}/{site_path}"
        return written
    if written.startswith("/"):
        for prefix in scheme.prefixes:
            if _strip_prefix(urlsplit(written).path, prefix) is not None:
                return f"{prefix}/{site_path}"
        return "/" + site_path
    base_dir = "." if scheme.relative_to_root else (posixpath.dirname(base_url.lstrip("/")) or ".")
    rel = posixpath.relpath(site_path.rstrip("/") or ".", base_dir)
    return rel + "/" if site_path.endswith("/") and rel != "." else rel
