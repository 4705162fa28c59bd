"""Transform stage: the old blog's images -> files under INPUTDIR/images/, links rewritten.

Blogger serves one picture under many sizes (`/s400/`, `/s1600/`, `=s400`), WordPress under
`name-300x200.jpg`: every size of one picture is one group, and the largest is fetched once.
`download` fetches in parallel (threads, urllib) with retries, a timeout and a size cap;
a folder mode matches each picture to a local file by name, preferring the largest file.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .dates import slugify

IMAGES_DIR = "images"
MAX_BYTES = 20 * 1024 * 1024  # a photo is a few MB; anything past 20 MB is not a blog image
TIMEOUT = 20.0  # seconds per request
RETRIES = 3  # attempts per image (transient errors only)
WORKERS = 8  # parallel downloads: the old host's politeness over our speed
USER_AGENT = "learning-network-importer/1.0"

_BLOGGER_HOST_RE = re.compile(r"(?:^|\.)(?:bp\.blogspot\.com|blogger\.googleusercontent\.com|"
                              r"lh\d\.googleusercontent\.com|lh\d\.ggpht\.com)$")
_SIZE_SEGMENT_RE = re.compile(r"/(s\d+|w\d+-h\d+(?:-[a-z]+)*|s\d+-[a-z\-]+|d)/")
_SIZE_SUFFIX_RE = re.compile(r"=(s\d+|w\d+-h\d+|w\d+|h\d+)(?:-[a-z0-9\-]*)?$")
_WP_SIZE_RE = re.compile(r"-(\d+)x(\d+)(\.[A-Za-z0-9]+)$")
_IMAGE_EXT_RE = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|bmp|tiff?)$", re.I)


def _size(token: str) -> int:
    if token in ("d", "s0"):
        return 10**9  # the original
    numbers = [int(n) for n in re.findall(r"\d+", token)]
    return max(numbers) if numbers else 0


@dataclass
class Group:
    """Every URL of one picture, and which of them is the largest."""

    key: str
    urls: set[str] = field(default_factory=set)
    best: str = ""
    best_size: int = -1
    name: str = ""  # file name under images/
    local: str = ""  # "{static}/images/name" once fetched or found
    error: str = ""


class ImageSet:
    def __init__(self, old_hosts_match):
        self.is_old_host = old_hosts_match  # LinkMap.is_old_host
        self.groups: dict[str, Group] = {}
        self.by_url: dict[str, Group] = {}

    def identify(self, url: str) -> tuple[str, int] | None:
        """(group key, size) of an old-blog image URL, None for anything else."""
        if url.startswith("//"):
            url = "https:" + url
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            return None
        host = parts.netloc.lower()
        path = parts.path
        if _BLOGGER_HOST_RE.search(host):
            size = 0
            m = _SIZE_SEGMENT_RE.search(path)
            if m:
                size = _size(m.group(1))
                path = path[: m.start()] + "/" + path[m.end():]
            m = _SIZE_SUFFIX_RE.search(path)
            if m:
                size = _size(m.group(1))
                path = path[: m.start()]
            return "blogger:" + path, size
        uploads = "/wp-content/uploads/" in path or host.endswith(".files.wordpress.com")
        if (uploads or self.is_old_host(host)) and _IMAGE_EXT_RE.search(path):
            m = _WP_SIZE_RE.search(path)
            size = 10**9
            if m:
                size = max(int(m.group(1)), int(m.group(2)))
                path = path[: m.start()] + m.group(3)
            return "wp:" + host.removeprefix("www.") + path, size
        return None

    def add(self, url: str) -> None:
        if url in self.by_url:
            return
        found = self.identify(url)
        if found is None:
            return
        key, size = found
        group = self.groups.setdefault(key, Group(key))
        group.urls.add(url)
        if size > group.best_size or (size == group.best_size and url < group.best):
            group.best, group.best_size = url, size
        self.by_url[url] = group

    def name_files(self) -> None:
        """A stable, unique file name per group: the picture's own name, a hash added on a clash."""
        taken: dict[str, str] = {}
        for key in sorted(self.groups):
            group = self.groups[key]
            base = unquote(posixpath.basename(urlsplit(key.split(":", 1)[1]).path)) or "image"
            stem, ext = posixpath.splitext(base)
            stem = slugify(stem)[:80] or "image"
            ext = ext.lower() if _IMAGE_EXT_RE.search(ext) else ".jpg"
            name = stem + ext
            if name in taken and taken[name] != key:
                name = f"{stem}-{hashlib.sha1(key.encode()).hexdigest()[:8]}{ext}"
            taken[name] = key
            group.name = name


def fetch(url: str, timeout: float = TIMEOUT, retries: int = RETRIES, max_bytes: int = MAX_BYTES) -> bytes:
    """The body of `url`; raises OSError/ValueError with a readable message on failure."""
    if url.startswith("//"):
        url = "https:" + url
    last: Exception | None = None
    for attempt in range(retries):
        try:
            request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only)
                length = response.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > max_bytes:
                    raise ValueError(f"larger than {max_bytes // (1024 * 1024)} MB")
                data = response.read(max_bytes + 1)
                if len(data) > max_bytes:
                    raise ValueError(f"larger than {max_bytes // (1024 * 1024)} MB")
                return data
        except urllib.error.HTTPError as exc:
            last = exc
            if exc.code < 500 and exc.code != 429:
                break  # 404, 403: trying again will not help
        except ValueError:
            raise
        except OSError as exc:  # timeouts, refused connections, DNS
            last = exc
        if attempt + 1 < retries:
            time.sleep(0.2 * 2**attempt)
    reason = getattr(last, "reason", None) or last
    if isinstance(last, urllib.error.HTTPError):
        reason = f"HTTP {last.code}"
    raise OSError(f"download failed: {reason}")


def download_all(groups: list[Group], progress=None, **fetch_options) -> dict[str, bytes]:
    """Fetch each group's largest URL in parallel: {file name: bytes}; failures set group.error."""
    results: dict[str, bytes] = {}

    def one(group: Group):
        try:
            return group, fetch(group.best, **fetch_options), ""
        except (OSError, ValueError) as exc:
            return group, b"", str(exc)

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for group, data, error in pool.map(one, sorted(groups, key=lambda g: g.key)):
            if error:
                group.error = error
            else:
                results[group.name] = data
                group.local = "{static}/" + IMAGES_DIR + "/" + group.name
            if progress:
                progress()
    return results


def index_folder(folder: str) -> dict[str, list[Path]]:
    """Every file under `folder` by lower-cased name."""
    found: dict[str, list[Path]] = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            found.setdefault(name.lower(), []).append(Path(root) / name)
    return found


def from_folder(groups: list[Group], files: dict[str, list[Path]]) -> dict[str, bytes]:
    """Each group's picture from a local folder, matched by name; the largest file wins."""
    results: dict[str, bytes] = {}
    for group in sorted(groups, key=lambda g: g.key):
        names = set()
        for url in group.urls:
            name = unquote(posixpath.basename(urlsplit(url).path)).lower()
            names.add(name)
            names.add(_WP_SIZE_RE.sub(r"\3", name))
        names.add(unquote(posixpath.basename(group.key.split(":", 1)[1])).lower())
        candidates = sorted({p for n in names for p in files.get(n, [])}, key=lambda p: (-p.stat().st_size, str(p)))
        if not candidates:
            group.error = "no file of that name in the images folder"
            continue
        results[group.name] = candidates[0].read_bytes()
        group.local = "{static}/" + IMAGES_DIR + "/" + group.name
    return results


def absolute_sources(soup, old_url: str) -> int:
    """Site-relative `<img src>` of the old blog ("/wp-content/x.png") -> absolute on its host.

    On the old blog such a path meant its own host; here it would name a file this site does not
    have. Made absolute, the picture still shows with IMAGES=keep, and can be fetched or matched
    with IMAGES=download or a folder. Returns how many were changed.
    """
    parts = urlsplit(old_url or "")
    if not (parts.scheme and parts.netloc):
        return 0
    changed = 0
    for img in soup.find_all("img", src=True):
        src = img["src"].strip()
        if src.startswith("/") and not src.startswith("//"):
            img["src"] = f"{parts.scheme}://{parts.netloc}{src}"
            changed += 1
    return changed


def collect(soup, images: ImageSet) -> None:
    for img in soup.find_all("img", src=True):
        images.add(img["src"].strip())
    for a in soup.find_all("a", href=True):
        images.add(a["href"].strip())


def rewrite_images(soup, images: ImageSet) -> None:
    """Point <img src> and <a href> of fetched pictures to the local file; unwrap self-links."""
    for img in soup.find_all("img", src=True):
        group = images.by_url.get(img["src"].strip())
        if group is not None and group.local:
            img["src"] = group.local
    for a in soup.find_all("a", href=True):
        group = images.by_url.get(a["href"].strip())
        if group is not None and group.local:
            a["href"] = group.local
            children = [c for c in a.contents if not (isinstance(c, str) and not c.strip())]
            if len(children) == 1 and getattr(children[0], "name", "") == "img" and children[0].get("src") == group.local:
                a.unwrap()  # a thumbnail linking to its own full size: one local picture now
