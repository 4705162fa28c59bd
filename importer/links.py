"""Transform stage (pure): links between imported items -> Pelican `{filename}` links.

An old link is recognised under every form the old blog answered to: its absolute URL on any
host form (http/https, www., the custom domain, `*.blogspot.*` country domains,
`*.wordpress.com`), its site-relative path, `?p=ID` / `?page_id=ID`, Blogger's `?m=1`, with any
query or fragment. Site paths are computed with crosslinks' own URL rules (`urls.UrlScheme`).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit, urlunsplit

from crosslinks.urls import UrlScheme, looks_like_page, normalize_path

from .dates import slugify
from .model import Item

_BLOGSPOT_RE = re.compile(r"^([a-z0-9\-]+)\.blogspot\.[a-z.]+$")
_WPCOM_RE = re.compile(r"^([a-z0-9\-]+)\.wordpress\.com$")
CANONICAL = "old-blog.invalid"  # every host form of the old blog is read as this one host


def _bare(host: str) -> str:
    host = host.lower().rsplit("@", 1)[-1].split(":", 1)[0]
    return host[4:] if host.startswith("www.") else host


def _key(site_path: str) -> str:
    """'2012/02/slug/' and '2012/02/slug/index.html' and '2012/02/slug' -> one key."""
    path = normalize_path(site_path)
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    return path.rstrip("/").lower()


@dataclass(frozen=True)
class Resolved:
    kind: str  # "item" | "attachment" | "tag" | "category" | "unresolved" | "other"
    item: Item | None = None
    name: str = ""  # tag or category name
    url: str = ""  # attachment URL
    fragment: str = ""
    by_slug: bool = False  # matched by slug only (a date a day off): warn


class LinkMap:
    """Every old URL of every imported item, looked up in O(1)."""

    def __init__(self, items: list[Item], base_urls: list[str], attachments: dict[str, str]):
        self.hosts: set[str] = set()
        self.blog_names: set[str] = set()
        self.prefix = ""
        for url in [*base_urls, *(i.old_url for i in items if i.old_url)]:
            host = _bare(urlsplit(url if "//" in url else "//" + url).netloc)
            if host:
                self.hosts.add(host)
                m = _BLOGSPOT_RE.match(host) or _WPCOM_RE.match(host)
                if m:
                    self.blog_names.add(m.group(1))
        if base_urls:
            self.prefix = urlsplit(base_urls[0]).path.rstrip("/")
        self.scheme = UrlScheme(legacy_hosts=(f"http://{CANONICAL}{self.prefix}",))
        self.by_path: dict[str, Item] = {}
        self.by_query: dict[tuple[str, str], Item] = {}
        self.by_slug: dict[str, list[Item]] = {}
        self.attachments: dict[str, str] = {}
        # label, tag and category pages of the old blog -> ours ("search/label/Name", "tag/slug/")
        self.terms: dict[tuple[str, str], tuple[str, str]] = {}
        for item in items:
            for tag in item.tags:
                self.terms.setdefault(("tag", slugify(tag)), ("tag", tag))
            if item.category:
                self.terms.setdefault(("category", slugify(item.category)), ("category", item.category))
        for item in items:
            if item.status != "published":
                continue
            for url in (item.old_url, *item.aliases):
                self._index(url, item)
            if item.old_path:
                self.by_path.setdefault(_key(item.old_path), item)
            last = _key(item.old_path or item.slug).rsplit("/", 1)[-1]
            last = re.sub(r"\.html?$", "", last)
            if last:
                self.by_slug.setdefault(last, []).append(item)
        for key, url in attachments.items():
            if key.startswith("id:"):
                self.by_query.setdefault(("attachment_id", key[3:]), url)
            else:
                site = self.site_path(key)
                if site is not None:
                    path, query = site
                    if query.get("attachment_id"):
                        self.by_query.setdefault(("attachment_id", query["attachment_id"][0]), url)
                    elif path:
                        self.attachments.setdefault(_key(path), url)

    def _index(self, url: str, item: Item) -> None:
        site = self.site_path(url)
        if site is None:
            return
        path, query = site
        for name in ("p", "page_id"):
            if query.get(name):
                self.by_query.setdefault((name, query[name][0]), item)
                return
        if path:
            self.by_path.setdefault(_key(path), item)

    def is_old_host(self, host: str) -> bool:
        host = _bare(host)
        if host in self.hosts:
            return True
        m = _BLOGSPOT_RE.match(host) or _WPCOM_RE.match(host)
        return bool(m and m.group(1) in self.blog_names)

    def site_path(self, href: str, base_path: str = "") -> tuple[str, dict] | None:
        """(site path, query) of a link to the old blog, or None for any other link."""
        href = (href or "").strip()
        if href.startswith("//"):
            href = "http:" + href
        parts = urlsplit(href)
        if parts.scheme.lower() in ("http", "https"):
            if not self.is_old_host(parts.netloc):
                return None
            href = urlunsplit(("http", CANONICAL, parts.path, parts.query, ""))
        elif parts.scheme or href.startswith("#") or not href:
            return None
        kind, value = self.scheme.classify(href, base_path)
        if kind != "path":
            return None
        return value, parse_qs(parts.query)

    def resolve(self, href: str, base_path: str = "") -> Resolved:
        site = self.site_path(href, base_path)
        if site is None:
            return Resolved("other")
        path, query = site
        fragment = urlsplit(href.strip()).fragment
        for name in ("p", "page_id", "attachment_id"):
            if query.get(name):
                found = self.by_query.get((name, query[name][0]))
                if isinstance(found, Item):
                    return Resolved("item", item=found, fragment=fragment)
                if isinstance(found, str):
                    return Resolved("attachment", url=found)
                return Resolved("unresolved")
        key = _key(path)
        if not key:
            return Resolved("other")  # the old home page
        item = self.by_path.get(key)
        if item is not None:
            return Resolved("item", item=item, fragment=fragment)
        term = self._term(path)
        if term is not None:
            return Resolved(term[0], name=term[1])
        if key in self.attachments:
            return Resolved("attachment", url=self.attachments[key])
        if not looks_like_page(path):
            return Resolved("other")  # an image or a file on the old host
        last = re.sub(r"\.html?$", "", posixpath.basename(key))
        candidates = self.by_slug.get(last, [])
        if len(candidates) == 1 and re.search(r"\d{4}/\d{2}", key):
            return Resolved("item", item=candidates[0], fragment=fragment, by_slug=True)
        return Resolved("unresolved")


    def _term(self, path: str) -> tuple[str, str] | None:
        """('tag', name) for Blogger's search/label/NAME and WordPress's tag/SLUG, category/SLUG."""
        parts = [p for p in normalize_path(path).split("/") if p]
        if len(parts) == 3 and parts[:2] == ["search", "label"]:
            found = self.terms.get(("tag", slugify(parts[2])))
            return found
        if len(parts) >= 2 and parts[-2] in ("tag", "category"):
            kind = parts[-2]
            return self.terms.get((kind, slugify(parts[-1]))) or self.terms.get(
                ("tag" if kind == "category" else "category", slugify(parts[-1])))
        return None


_ABS_LINK_RE = re.compile(r"""https?://([A-Za-z0-9.\-]+)(/[^"'\s<>?#]*)""")
MIN_SIBLING_LINKS = 2  # distinct posts a blogspot/wordpress.com name must link to before it counts as ours


def sibling_hosts(items: list[Item], base_urls: list[str]) -> list[str]:
    """The old blog's other address (its *.blogspot.* or *.wordpress.com name behind a custom domain).

    Exports of a blog on a custom domain name only that domain, but old posts often link to the
    blog's original address. A blogspot/wordpress.com name whose links reach at least
    MIN_SIBLING_LINKS distinct imported posts by their exact path is taken as the same blog.
    """
    known = {_bare(urlsplit(u).netloc) for u in base_urls}
    known_names = {m.group(1) for m in (_BLOGSPOT_RE.match(h) or _WPCOM_RE.match(h) for h in known) if m}
    paths = {"/" + i.old_path for i in items if i.old_path}
    hits: dict[str, set[str]] = {}
    for item in items:
        for m in _ABS_LINK_RE.finditer(item.html):
            host = _bare(m.group(1))
            name = _BLOGSPOT_RE.match(host) or _WPCOM_RE.match(host)
            if name and host not in known and name.group(1) not in known_names and m.group(2) in paths:
                hits.setdefault(host, set()).add(m.group(2))
    by_name: dict[str, set[str]] = {}
    for host, found in hits.items():
        by_name.setdefault((_BLOGSPOT_RE.match(host) or _WPCOM_RE.match(host)).group(1), set()).update(found)
    out = []
    for host in sorted(hits):
        name = (_BLOGSPOT_RE.match(host) or _WPCOM_RE.match(host)).group(1)
        if len(by_name[name]) >= MIN_SIBLING_LINKS and not any(h.startswith(name + ".") for h in out):
            out.append(host)
    return [f"http://{h}" for h in out]


def filename_link(item: Item, fragment: str = "") -> str:
    return "{filename}/" + item.source + ("#" + fragment if fragment else "")


def rewrite_links(soup, item: Item, link_map: LinkMap, problem) -> tuple[int, int]:
    """Rewrite every <a href> of `soup` that names an imported item; (rewritten, unresolved)."""
    rewritten = unresolved = 0
    for a in soup.find_all("a", href=True):
        href = a["href"]
        found = link_map.resolve(href, item.old_path)
        if found.kind == "item":
            a["href"] = filename_link(found.item, found.fragment)
            rewritten += 1
            if found.by_slug:
                problem("warning", f"link '{href}' matched '{found.item.source}' by its slug only "
                                   "(its date differs: a time-zone shift?)")
        elif found.kind in ("tag", "category"):
            a["href"] = "{" + found.kind + "}" + slugify(found.name)  # the slug: no space in a Markdown link
            rewritten += 1
        elif found.kind == "attachment":
            a["href"] = found.url
            rewritten += 1
        elif found.kind == "unresolved":
            unresolved += 1
            problem("warning", f"link to the old blog '{href}' matches no imported post; kept as is")
    return rewritten, unresolved
