"""Build stage (once, `all_generators_finalized`, after crosslinks): resolve, hash, group, check,
rewrite.

1. Every image a post recorded at read time (`graphics_images`) is resolved through the
   crosslinks Index (`Index.static_file`): a static file, a remote URL, or missing.
2. Each static file is read and hashed; its fingerprint comes from the cache when its bytes
   are unchanged, else Pillow decodes it (hashing.fingerprint).
3. Files are grouped into graphics (hashing.group, catalog.build_catalog); author problems are
   reported with the post's path and the image's line.
4. Each post's <img> tags get their size and loading hints (rewrite.py); each post gets
   `graphics` (refs for the concept graph) and `graphics_reused` (for the reuse links); the
   context gets `graphics_catalog` for the gallery (gallery.py).
"""

from __future__ import annotations

import os
import posixpath
import time
from dataclasses import dataclass, field

from pelican_internals import extend_intrasite_links, forget_memoized, raw_content, set_raw_content

from . import catalog as cat
from . import hashing, rewrite, svg, variants
from .cache import FingerprintCache, cache_folder
from .extension import KEY

CONTEXT_KEY = "graphics_catalog"
LAST_RUN: dict = {}  # figures of the last build (tests, bench): uses, files, decoded, graphics


@dataclass
class GraphicRef:
    """One graphic a post shows, as the concept graph and the templates see it."""

    id: str  # node id, image:<key>
    anchor: str  # id of its entry in the gallery
    label: str
    url: str
    uses: int  # posts and pages that show it
    variants: tuple[str, ...]
    others: int  # other posts and pages that show it
    href: str = ""  # site-relative URL of its gallery entry ("" without a gallery)


@dataclass
class Catalog:
    graphics: list[cat.Graphic]
    index_url: str
    jobs: list[tuple[str, hashing.Fingerprint, int]] = field(default_factory=list)  # variants to make
    cache_folder: str | None = None
    decoded: int = 0


def _report(settings, path, line, level, message):
    from author_report import report  # noqa: PLC0415 (plugins load from PLUGIN_PATHS)

    report(settings, path, line, level, message)


def _site_links(generators, context):
    """The crosslinks index of this build (the same index, unchecked, when crosslinks is off)."""
    from crosslinks.site_index import build_site_links, site_links  # noqa: PLC0415

    return site_links(context) or build_site_links(generators)


def collect_uses(generators, links) -> list[cat.Use]:
    """Every image of every post and page (drafts too: checked, not shown), resolved."""
    from content_walk import DRAFT, walk  # noqa: PLC0415

    uses = []
    for item in walk(generators):
        content = item.content
        images = getattr(content, KEY, None)
        if not images:
            continue
        source = content.get_relative_source_path().replace(os.sep, "/")
        listed = item.status != DRAFT
        for image in images:
            kind, target = links.static_file(content, image["src"])
            if kind == "other":
                continue  # data: URLs and the like: nothing to track
            kind = {"external": "remote"}.get(kind, kind)
            url = target if kind == "remote" else ""
            uses.append(cat.Use(content, source, int(image.get("line") or 0), image["src"], image.get("alt"),
                                kind, target, url, listed, bool(image.get("decorative"))))
    return uses


def fingerprint_files(sources, static, settings, cache) -> tuple[dict, dict, dict]:
    """(fingerprint, size in bytes, error or None) of each static source used by a post."""
    from PIL import Image  # noqa: PLC0415

    prints, sizes, errors = {}, {}, {}
    max_pixels = settings["GRAPHICS_MAX_PIXELS"]
    for source in sorted(sources):
        path = static[source].source_path
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            errors[source] = f"cannot read the image file ({exc.strerror})"
            continue
        sizes[source] = len(data)
        digest = hashing.sha256_bytes(data)
        fp = cache.get(digest)
        if fp is None:
            try:
                fp = hashing.fingerprint(data, max_pixels)
            except Image.DecompressionBombError as exc:
                errors[source] = f"Pillow refuses it as a decompression bomb ({str(exc).split('.')[0]})"
                continue
            cache.put(fp)
        if fp.error:
            errors[source] = fp.error
            continue
        if fp.format == "SVG":
            active = svg.active_content(data)
            if active:
                errors[source] = (f"SVG file with {', '.join(active)}: it would run as script on this site "
                                  "(remove it, or show the file as a PNG)")
                continue
        prints[source] = fp
    return prints, sizes, errors


def check(settings, uses, graphics, sizes, errors) -> None:
    """Report every author problem of the site's images, at the post's path and the image's line."""
    budget = int(settings["GRAPHICS_MAX_BYTES"])
    for use in uses:
        where = use.content.source_path
        if use.kind == "missing":
            _report(settings, where, use.line, "error", f"missing image file '{use.src}' (no static file "
                    f"'{use.target}')")
        elif use.kind == "file" and use.target in errors:
            _report(settings, where, use.line, "error", f"image '{use.src}': {errors[use.target]}")
        elif use.kind == "file" and sizes.get(use.target, 0) > budget:
            _report(settings, where, use.line, "warning",
                    f"image '{use.src}' is {sizes[use.target]:,} bytes, over the budget of {budget:,} "
                    "(GRAPHICS_MAX_BYTES)")
    for graphic in graphics:
        for use, message in cat.alt_problems(graphic):
            _report(settings, use.content.source_path, use.line, "warning", message)


def plan_sizes(graphic: cat.Graphic, settings, variants_dir: str, jobs: list, static) -> dict[str, rewrite.ImageSize]:
    """ImageSize of each file of a graphic (by static source), and the variants to make."""
    column = int(settings["GRAPHICS_CONTENT_WIDTH"])
    widths = settings["GRAPHICS_SRCSET_WIDTHS"]
    out = {}
    for f in graphic.files:
        if f.fp is None:
            continue
        srcset = ()
        chosen = variants.srcset_widths(f.fp, column, widths)
        if chosen:
            for w in chosen:
                jobs.append((static[f.source].source_path, f.fp, w))
            srcset = tuple((posixpath.join(variants_dir, variants.name(f.fp, w)), w) for w in chosen)
            srcset += ((f.url, f.fp.width),)
        out[f.source] = rewrite.ImageSize(f.fp.width, f.fp.height, srcset,
                                          settings["GRAPHICS_SIZES"] if srcset else "",
                                          "{static}/" + f.source)
    lead = graphic.files[0] if graphic.files else None
    if lead is not None and lead.fp is not None and lead.fp.raster:
        w = min(lead.fp.width, int(settings["GRAPHICS_THUMB_WIDTH"]))
        jobs.append((static[lead.source].source_path, lead.fp, w))
        graphic.thumb = (posixpath.join(variants_dir, variants.name(lead.fp, w)), w,
                         variants.scaled_height(lead.fp, w))
    elif lead is not None and lead.fp is not None:  # SVG, checked safe: shown as it is
        graphic.thumb = (lead.url, lead.fp.width, lead.fp.height)
    elif lead is not None:  # remote
        graphic.thumb = (lead.url, 0, 0)
    return out


class VariantLinks:
    """`content._update_content` that also resolves the {graphic} URLs of srcset for the page
    being written (a class, not a closure: content objects stay picklable)."""

    def __init__(self, content):
        self.content = content

    def __call__(self, text, siteurl):
        from pelican_internals import pelican_resolve_intrasite_links  # noqa: PLC0415

        text = pelican_resolve_intrasite_links(self.content, text, siteurl)
        return rewrite.resolve_markers(text or "", siteurl, bool(self.content.settings.get("RELATIVE_URLS")))


def attach(contents_uses: dict[int, list[cat.Use]], of_use, sizes_by_source, index_url: str = "") -> list:
    """Rewrite each post's images and give it `graphics` and `graphics_reused`; the rewritten."""
    changed = []
    for uses in contents_uses.values():
        content = uses[0].content
        sizes = {}
        refs: dict[str, GraphicRef] = {}
        for use in uses:
            graphic = of_use[id(use)]
            if use.kind == "file" and use.target in sizes_by_source:
                sizes[use.src.strip()] = sizes_by_source[use.target]
            if graphic.node_id not in refs:  # every image is a node: broken and missing ones too
                count = len(graphic.posts)
                own = 1 if use.listed else 0
                refs[graphic.node_id] = GraphicRef(graphic.node_id, graphic.anchor, graphic.label,
                                                   graphic.files[0].url if graphic.files else use.url,
                                                   count, tuple(graphic.variants or [use.url]), count - own,
                                                   f"{index_url}#{graphic.anchor}" if index_url else "")
        content.graphics = list(refs.values())
        content.graphics_reused = [r for r in refs.values() if r.others > 0 and r.href]
        if sizes:
            text = raw_content(content) or ""
            new = rewrite.rewrite_images(text, sizes)
            if new != text:
                set_raw_content(content, new)
                changed.append(content)
            if rewrite.MARKER in new:
                extend_intrasite_links(content, VariantLinks(content))
    return changed


def build(generators) -> Catalog | None:
    started = time.process_time()
    generators = list(generators)
    if not generators:
        return None
    settings, context = generators[0].settings, generators[0].context
    uses = collect_uses(generators, _site_links(generators, context))
    static = context.get("static_content", {}) or {}
    for use in uses:
        if use.kind == "file":
            use.url = static[use.target].url
        elif use.kind == "missing":
            use.url = use.target
    cache = FingerprintCache(cache_folder(settings))
    prints, sizes, errors = fingerprint_files({u.target for u in uses if u.kind == "file"}, static, settings, cache)
    cache.save()
    leaders = hashing.group(prints, int(settings["GRAPHICS_DHASH_THRESHOLD"]))
    urls = {s: static[s].url for s in prints}
    graphics, of_use = cat.build_catalog(uses, prints, leaders, urls)
    check(settings, uses, graphics, sizes, errors)
    variants_dir = settings["GRAPHICS_VARIANTS_DIR"].strip("/")
    jobs: list = []
    sizes_by_source: dict[str, rewrite.ImageSize] = {}
    for graphic in graphics:
        sizes_by_source.update(plan_sizes(graphic, settings, variants_dir, jobs, static))
    by_content: dict[int, list[cat.Use]] = {}
    for use in uses:
        by_content.setdefault(id(use.content), []).append(use)
    index_url = settings["GRAPHICS_INDEX_SAVE_AS"]
    changed = attach(by_content, of_use, sizes_by_source, index_url)
    forget_memoized(*changed)
    shown = [g for g in graphics if g.posts and (g.files or g.kind == "remote")]
    result = Catalog(shown, index_url, _unique_jobs(jobs),
                     cache_folder(settings), cache.decoded)
    context[CONTEXT_KEY] = result
    LAST_RUN.clear()
    LAST_RUN.update(uses=len(uses), files=len(prints) + len(errors), decoded=cache.decoded,
                    graphics=len(graphics), shown=len(shown), variants=len(result.jobs),
                    cpu_s=round(time.process_time() - started, 3))
    return result


def _unique_jobs(jobs):
    seen, out = set(), []
    for path, fp, width in sorted(jobs, key=lambda j: (j[1].sha256, j[2], j[0])):
        if (fp.sha256, width) not in seen:
            seen.add((fp.sha256, width))
            out.append((path, fp, width))
    return out
