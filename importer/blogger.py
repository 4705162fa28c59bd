"""Parse stage: Blogger exports (Takeout feed.atom and the classic "Back up content" Atom) -> Export."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from urllib.parse import urlsplit

from .dates import clean_text, parse_iso, slugify
from .detect import APP, ATOM, BLOGGER_2018, BLOGGER_KIND
from .model import Comment, Export, Item

A = f"{{{ATOM}}}"
B = f"{{{BLOGGER_2018}}}"
THR = "{http://purl.org/syndication/thread/1.0}"
_KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
_OLD_PATH_RE = re.compile(r"^/?(\d{4})/(\d{2})/([^/]+?)(?:\.html?)?$")
_LIVE = {"LIVE", "PUBLISHED"}
_DRAFT = {"DRAFT", "SCHEDULED", "SCHEDULED_PUBLICATION", "IMPORTED"}


def _text(el: ET.Element, path: str) -> str:
    found = el.find(path)
    return (found.text or "") if found is not None else ""


def _short_id(full_id: str) -> str:
    """'tag:blogger.com,1999:blog-1.post-99' -> 'post-99'."""
    return full_id.strip().rsplit(".", 1)[-1]


def _labels(entry: ET.Element) -> list[str]:
    out = []
    for cat in entry.findall(f"{A}category"):
        term = cat.get("term", "")
        if cat.get("scheme") == _KIND_SCHEME or term.startswith(BLOGGER_KIND) or not term.strip():
            continue
        label = clean_text(term)
        if label not in out:
            out.append(label)
    return out


def old_path_parts(path: str) -> tuple[tuple[int, int] | None, str]:
    """'/2010/11/the-steel-windpipe.html' -> ((2010, 11), 'the-steel-windpipe'); pages: (None, slug)."""
    path = urlsplit(path).path
    m = _OLD_PATH_RE.match(path)
    if m:
        return (int(m.group(1)), int(m.group(2))), m.group(3)
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return None, re.sub(r"\.html?$", "", last)


def _item(kind: str, entry_id: str, entry: ET.Element, html: str, status: str, path: str) -> Item:
    published = parse_iso(_text(entry, f"{A}published")) or parse_iso(_text(entry, f"{B}created"))
    updated = parse_iso(_text(entry, f"{A}updated"))
    ym, slug = old_path_parts(path) if path else (None, "")
    title = clean_text(_text(entry, f"{A}title"))
    item = Item(kind=kind, id=entry_id, title=title, date=published, html=html, status=status,
                modified=updated if updated and published and updated > published else None,
                old_path=urlsplit(path).path.lstrip("/") if path else "", url_year_month=ym,
                tags=_labels(entry), author=clean_text(_text(entry, f"{A}author/{A}name")))
    item.slug = slugify(slug) or slugify(title) or entry_id
    return item


def parse_classic(root: ET.Element) -> Export:
    base = ""
    for link in root.findall(f"{A}link"):
        if link.get("rel") == "alternate":
            base = link.get("href", "").rstrip("/")
    export = Export("blogger-classic", [], [base] if base else [])
    comments = []
    for entry in root.findall(f"{A}entry"):
        kind = next((c.get("term", "")[len(BLOGGER_KIND):] for c in entry.findall(f"{A}category")
                     if c.get("term", "").startswith(BLOGGER_KIND)), "")
        entry_id = _short_id(_text(entry, f"{A}id"))
        html = _text(entry, f"{A}content")
        if kind in ("post", "page"):
            draft = _text(entry, f"{{{APP}}}control/{{{APP}}}draft").strip().lower() == "yes"
            alternate = next((l.get("href", "") for l in entry.findall(f"{A}link") if l.get("rel") == "alternate"), "")
            item = _item(kind, entry_id, entry, html, "draft" if draft else "published", urlsplit(alternate).path)
            item.old_url = alternate if not draft else ""
            export.items.append(item)
        elif kind == "comment":
            reply = entry.find(f"{THR}in-reply-to")
            post_id = _short_id(reply.get("ref", "")) if reply is not None else ""
            parent = next((l.get("href", "").rstrip("/").rsplit("/", 1)[-1] for l in entry.findall(f"{A}link")
                           if l.get("rel") == "related"), "")
            comments.append(_comment(entry, entry_id, post_id, "post-" + parent if parent else ""))
        else:
            export.skipped[f"Blogger {kind or 'unknown'} entries"] = export.skipped.get(
                f"Blogger {kind or 'unknown'} entries", 0) + 1
    _attach_comments(export, comments)
    export.base_urls.extend(_feed_hosts(root, export.base_urls))
    return export


_BLOGSPOT_HOST_RE = re.compile(r"^[a-z0-9\-]+\.blogspot\.[a-z.]+$")


def _feed_hosts(root: ET.Element, known: list[str]) -> list[str]:
    """Blogspot addresses in the export's own links (comment feeds): the blog behind a custom domain."""
    found = []
    for link in root.iter(f"{A}link"):
        parts = urlsplit(link.get("href", ""))
        host = parts.netloc.lower()
        url = f"{parts.scheme}://{host}"
        if _BLOGSPOT_HOST_RE.match(host) and url not in found and url not in known:
            found.append(url)
    return found


def _comment(entry: ET.Element, entry_id: str, post_id: str, parent: str) -> Comment:
    return Comment(id=entry_id, post_id=post_id, parent=parent if parent != entry_id else "",
                   author=clean_text(_text(entry, f"{A}author/{A}name")) or "Anonymous",
                   author_url=_text(entry, f"{A}author/{A}uri").strip(),
                   date=parse_iso(_text(entry, f"{A}published")), html=_text(entry, f"{A}content"))


def _attach_comments(export: Export, comments: list[Comment]) -> None:
    """Each comment goes to its post; a comment whose parent is a comment goes to that one's post."""
    by_id = {item.id: item for item in export.items}
    comment_ids = {c.id: c for c in comments}
    for comment in comments:
        if comment.parent not in comment_ids:
            comment.parent = ""
        post_id = comment.post_id
        seen = set()
        while post_id in comment_ids and post_id not in seen:  # Takeout: parent may be a comment
            seen.add(post_id)
            if not comment.parent:
                comment.parent = post_id
            post_id = comment_ids[post_id].post_id
        comment.post_id = post_id
        item = by_id.get(post_id)
        if item is not None:
            item.comments.append(comment)
        else:
            export.skipped["comments on no imported post"] = export.skipped.get("comments on no imported post", 0) + 1


def parse_takeout(root: ET.Element) -> Export:
    export = Export("blogger-takeout", [], [])
    comments = []
    for entry in root.findall(f"{A}entry"):
        kind = _text(entry, f"{B}type").strip().upper()
        status = _text(entry, f"{B}status").strip().upper()
        entry_id = _short_id(_text(entry, f"{A}id"))
        html = _text(entry, f"{A}content")
        if kind in ("POST", "PAGE"):
            if status in _LIVE or status in _DRAFT:
                item = _item(kind.lower(), entry_id, entry, html, "published" if status in _LIVE else "draft",
                             _text(entry, f"{B}filename").strip())
                export.items.append(item)
            else:
                key = "trashed" if "TRASH" in status or "DELETED" in status else (status.lower() or "no status")
                export.skipped[key] = export.skipped.get(key, 0) + 1
        elif kind == "COMMENT":
            if status not in _LIVE:
                export.skipped["comments not approved"] = export.skipped.get("comments not approved", 0) + 1
                continue
            parent = _short_id(_text(entry, f"{B}parent"))
            in_reply = _short_id(_text(entry, f"{B}inReplyTo"))
            comments.append(_comment(entry, entry_id, parent, in_reply))
    _attach_comments(export, comments)
    return export


_SELF_LINK_RE = re.compile(r"""https?://([A-Za-z0-9.\-]+)(/[^"'\s<>?#]*)""")


def infer_host(export: Export) -> str:
    """The old blog's address from its absolute links to its own posts (Takeout names no host)."""
    paths = {"/" + item.old_path for item in export.items if item.old_path}
    votes: Counter = Counter()
    schemes: dict[str, Counter] = {}
    for item in export.items:
        for m in _SELF_LINK_RE.finditer(item.html):
            if m.group(2) in paths:
                host = m.group(1).lower()
                votes[host] += 1
                scheme = m.group(0).split(":", 1)[0].lower()
                schemes.setdefault(host, Counter())[scheme] += 1
    if not votes:
        return ""
    host = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    scheme = sorted(schemes[host].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return f"{scheme}://{host}"
