"""Parse stage: a WordPress WXR export (1.0-1.2, either namespace spelling) -> Export."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import unquote, urlsplit

from .dates import clean_text, parse_wp, slugify
from .detect import wxr_namespace
from .model import Comment, Export, Item

CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
_PUBLISHED = {"publish"}
_DRAFT = {"draft", "pending", "future"}
_SKIPPED = {"private": "private", "trash": "trashed", "auto-draft": "auto-drafts"}


def _t(el: ET.Element, tag: str) -> str:
    found = el.find(tag)
    return (found.text or "") if found is not None else ""


def parse(root: ET.Element) -> Export:
    ns = "{" + wxr_namespace(root) + "}"
    channel = root.find("channel")
    if channel is None:
        channel = ET.Element("channel")
    bases = []
    for value in (_t(channel, f"{ns}base_blog_url"), _t(channel, "link"), _t(channel, f"{ns}base_site_url")):
        value = value.strip().rstrip("/")
        if value and value not in bases:
            bases.append(value)
    authors = {}
    for author in channel.findall(f"{ns}author"):
        authors[_t(author, f"{ns}author_login").strip().lower()] = clean_text(_t(author, f"{ns}author_display_name"))
    export = Export("wordpress", [], bases)
    items = channel.findall("item")
    for el in items:
        if _t(el, f"{ns}post_type").strip() == "attachment":
            _attachment(export, el, ns)
    for el in items:
        post_type = _t(el, f"{ns}post_type").strip()
        if post_type == "attachment":
            continue
        if post_type not in ("post", "page"):
            key = f"items of type '{post_type or '?'}'"
            export.skipped[key] = export.skipped.get(key, 0) + 1
            continue
        status = _t(el, f"{ns}status").strip()
        if status in _SKIPPED or (status not in _PUBLISHED and status not in _DRAFT):
            key = _SKIPPED.get(status, f"status '{status}'")
            export.skipped[key] = export.skipped.get(key, 0) + 1
            continue
        export.items.append(_item(el, ns, post_type, status, bases, authors))
    return export


def _attachment(export: Export, el: ET.Element, ns: str) -> None:
    url = _t(el, f"{ns}attachment_url").strip() or _t(el, "guid").strip()
    if not url:
        return
    post_id = _t(el, f"{ns}post_id").strip()
    export.attachments.setdefault("id:" + post_id, url)
    link = _t(el, "link").strip()
    if link:
        export.attachments[link] = url


def _item(el: ET.Element, ns: str, post_type: str, status: str, bases: list[str], authors: dict) -> Item:
    post_id = _t(el, f"{ns}post_id").strip()
    title = clean_text(_t(el, "title"))
    date = parse_wp(_t(el, f"{ns}post_date")) or parse_wp(_t(el, f"{ns}post_date_gmt"))
    modified = parse_wp(_t(el, f"{ns}post_modified"))
    link = _t(el, "link").strip()
    slug = slugify(unquote(_t(el, f"{ns}post_name").strip())) or slugify(title) or f"{post_type}-{post_id}"
    category, tags = "", []
    for cat in el.findall("category"):
        name = clean_text(cat.text)
        if not name:
            continue
        if cat.get("domain") == "category" and not category:
            category = name
        elif cat.get("domain") in ("category", "post_tag") and name not in tags and name != category:
            tags.append(name)
    item = Item(kind=post_type, id=post_id, wp_id=post_id, title=title, date=date, html=_t(el, CONTENT),
                status="published" if status in _PUBLISHED else "draft",
                modified=modified if modified and date and modified > date else None, slug=slug,
                category=category, tags=tags,
                author=authors.get(_t(el, DC_CREATOR).strip().lower()) or clean_text(_t(el, DC_CREATOR)))
    base = bases[0] if bases else ""
    if status in _PUBLISHED and link:
        item.old_url = link
        item.old_path = urlsplit(link).path.lstrip("/")
    query_key = "page_id" if post_type == "page" else "p"
    if base and status in _PUBLISHED:
        for alias in (f"{base}/?{query_key}={post_id}", _t(el, "guid").strip()):
            if alias and alias != item.old_url and alias not in item.aliases and alias.startswith(base):
                item.aliases.append(alias)
    post_name = _t(el, f"{ns}post_name").strip()
    if item.old_url and post_name and f"/{post_name}/" in urlsplit(item.old_url).path + "/":
        for meta in el.findall(f"{ns}postmeta"):  # WordPress still redirects a post's former slugs
            if _t(meta, f"{ns}meta_key").strip() == "_wp_old_slug":
                old_slug = _t(meta, f"{ns}meta_value").strip()
                alias = item.old_url.replace(f"/{post_name}/", f"/{old_slug}/", 1) if old_slug else ""
                if alias and alias != item.old_url and alias not in item.aliases and "/" not in old_slug:
                    item.aliases.append(alias)
    item.comments = [c for c in (_comment(c, ns, post_id) for c in el.findall(f"{ns}comment")) if c]
    return item


def _comment(el: ET.Element, ns: str, post_id: str) -> Comment | None:
    if _t(el, f"{ns}comment_approved").strip() != "1":
        return None
    if _t(el, f"{ns}comment_type").strip() not in ("", "comment"):
        return None  # pingbacks and trackbacks are not comments
    parent = _t(el, f"{ns}comment_parent").strip()
    return Comment(id=_t(el, f"{ns}comment_id").strip(), post_id=post_id,
                   parent="" if parent in ("", "0") else parent,
                   author=clean_text(_t(el, f"{ns}comment_author")) or "Anonymous",
                   author_url=_t(el, f"{ns}comment_author_url").strip(),
                   date=parse_wp(_t(el, f"{ns}comment_date")), html=_t(el, f"{ns}comment_content"))
