"""The import, end to end: parse -> plan file names -> rewrite links and images -> convert -> write."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import blogger, comments, convert, detect, images, wordpress
from .images import RETRIES as FETCH_RETRIES
from .images import TIMEOUT as FETCH_TIMEOUT
from .links import LinkMap, rewrite_links, sibling_hosts
from .markdown_file import render
from .model import Export, Item
from .report import Report
from .write import write_all

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Options:
    export: str
    inputdir: str = "content"
    images: str = "keep"  # keep | download | a folder
    comments: str = "keep"  # keep | skip
    blog_url: str = ""
    force: bool = False
    fetch_timeout: float = FETCH_TIMEOUT
    fetch_retries: int = FETCH_RETRIES
    progress: bool = True


def url_settings() -> tuple[str, str]:
    """ARTICLE_URL and PAGE_URL of the project's pelicanconf.py (read through Pelican)."""
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    return settings["ARTICLE_URL"], settings["PAGE_URL"]


def parse(path: str, blog_url: str, report: Report) -> Export:
    fmt, root = detect.load(path)
    if fmt == "wordpress":
        export = wordpress.parse(root)
    elif fmt == "blogger-classic":
        export = blogger.parse_classic(root)
    else:
        export = blogger.parse_takeout(root)
    if blog_url:
        export.base_urls.insert(0, blog_url.rstrip("/"))
        report.notes.append(f"old blog address: {blog_url} (BLOG_URL)")
    elif fmt == "blogger-takeout":
        host = blogger.infer_host(export)
        if host:
            export.base_urls.insert(0, host)
            report.notes.append(f"old blog address: {host} (inferred from the blog's links to its own posts; "
                                "set BLOG_URL= to choose another)")
        else:
            report.notes.append("old blog address: unknown (no absolute link to its own posts; set BLOG_URL=); "
                                "old site-relative paths are kept as aliases")
    siblings = sibling_hosts(export.items, export.base_urls)
    if siblings:
        export.base_urls.extend(siblings)
        report.notes.append("also the old blog: " + ", ".join(siblings) + " (its posts are linked there)")
    if fmt == "blogger-takeout":
        for item in export.items:
            if item.status == "published" and item.old_path:
                item.old_url = (export.base_urls[0] + "/" + item.old_path) if export.base_urls else "/" + item.old_path
    report.notes.insert(0, f"format: {fmt}")
    return export


def plan_sources(items: list[Item], article_url: str, report: Report) -> dict[str, str | None]:
    """Give every item its source path (unique) and, where needed, the URL that keeps its old path."""
    taken: set[str] = set()
    claimed_aliases: dict[str, Item] = {}
    overrides: dict[str, str | None] = {}
    for item in sorted(items, key=lambda i: (i.kind, i.date.isoformat() if i.date else "", i.id, i.slug)):
        if item.date is None:
            item.date = datetime(1970, 1, 1)
            report.problem("warning", "no date in the export: 1970-01-01 used", item.title, item.old_url)
        if item.kind == "page":
            stem, folder = item.slug, "pages"
        else:
            year, month = item.url_year_month or (item.date.year, item.date.month)
            stem, folder = f"{year:04d}-{month:02d}-{item.slug}", "articles"
        source, n = f"{folder}/{stem}.md", 2
        while source in taken:
            source = f"{folder}/{stem}-{n}.md"
            n += 1
        if n > 2:
            item.slug = f"{item.slug}-{n - 1}"
            report.problem("warning", f"two items share the slug; this one became '{item.slug}'", source, item.old_url)
        taken.add(source)
        item.source = source
        kept = []
        for alias in [item.old_url, *item.aliases]:
            if not alias:
                continue
            owner = claimed_aliases.setdefault(alias, item)
            if owner is item:
                kept.append(alias)
            else:
                report.problem("warning", f"old URL '{alias}' is also the URL of '{owner.source}'; kept there only",
                               source, alias)
        item.old_url, item.aliases = (kept[0], kept[1:]) if kept and kept[0] == item.old_url else ("", kept)
        overrides[item.source] = None
        if item.kind == "post" and item.url_year_month and item.old_path:
            ours = article_url.format(date=item.date, slug=item.slug)
            if ours != item.old_path and posixpath.basename(item.old_path) == f"{item.slug}.html":
                overrides[item.source] = item.old_path  # the date's month differs from the old URL's (time zone)
    return overrides


def run(options: Options, report: Report, progress=None) -> dict[str, bytes]:
    """Plan every output file ({path under INPUTDIR: bytes}); the caller writes them."""
    export = parse(options.export, options.blog_url, report)
    for key, count in sorted(export.skipped.items()):
        report.notes.append(f"skipped: {count} {key}")
    article_url, _page_url = url_settings()
    items = export.items
    overrides = plan_sources(items, article_url, report)
    link_map = LinkMap(items, export.base_urls, export.attachments)
    attachment_by_id = {k[3:]: v for k, v in export.attachments.items() if k.startswith("id:")}
    files: dict[str, bytes] = {}
    soups = {}
    image_set = images.ImageSet(link_map.is_old_host)
    for item in sorted(items, key=lambda i: i.source):
        def problem(level, message, item=item):
            report.problem(level, message, item.source, item.old_url)

        html = convert.expand_shortcodes(item.html, attachment_by_id)
        soup = convert.parse_html(convert.autop(html) if export.format == "wordpress" else html)
        convert.prepare(soup, lambda m, problem=problem: problem("warning", m))
        rewritten, unresolved = rewrite_links(soup, item, link_map, problem)
        report.counts.links += rewritten
        report.counts.unresolved += unresolved
        images.absolute_sources(soup, item.old_url or (export.base_urls[0] if export.base_urls else ""))
        if options.images != "keep":
            images.collect(soup, image_set)
        soups[item.source] = (item, soup)
    files.update(fetch_images(options, image_set, report, progress))
    if progress:
        progress("posts-total", len(soups))
    for source in sorted(soups):
        item, soup = soups[source]
        if options.images != "keep":
            images.rewrite_images(soup, image_set)
        files[source] = render(item, convert.to_markdown(soup), overrides.get(source)).encode("utf-8")
        if item.status == "draft":
            report.counts.drafts += 1
        elif item.kind == "page":
            report.counts.pages += 1
        else:
            report.counts.posts += 1
        if options.comments != "skip" and item.comments:
            files[comments.data_path(item)] = comments.data_file(item)
            report.counts.comments += len(item.comments)
        if progress:
            progress("posts")
    return files


def fetch_images(options: Options, image_set: images.ImageSet, report: Report, progress) -> dict[str, bytes]:
    if options.images == "keep" or not image_set.groups:
        return {}
    image_set.name_files()
    groups = list(image_set.groups.values())
    if options.images == "download":
        if progress:
            progress("images-total", len(groups))
        found = images.download_all(groups, progress=(lambda: progress("images")) if progress else None,
                                    timeout=options.fetch_timeout, retries=options.fetch_retries)
        report.counts.images = len(found)
    else:
        found = images.from_folder(groups, images.index_folder(options.images))
        report.counts.images = len(found)
    for group in sorted(groups, key=lambda g: g.key):
        if group.error:
            report.counts.failed += 1
            report.problem("warning", f"image {group.error}; the remote URL is kept", "(images)", group.best)
    return {f"{images.IMAGES_DIR}/{name}": data for name, data in found.items()}


def import_export(options: Options, report: Report, progress=None):
    files = run(options, report, progress)
    result = write_all(options.inputdir, files, force=options.force)
    for rel in result.kept_edited:
        report.problem("warning", "edited since the last import: kept (FORCE=1 overwrites it)", rel)
    return result
