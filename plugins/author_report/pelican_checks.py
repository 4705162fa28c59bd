"""Read-stage checks of what Pelican itself would turn into a crash or a broken page.

Run when a generator has finished reading (`article_generator_finalized`,
`page_generator_finalized`), before anything is written:

- a `Template:` the theme lacks: Pelican would stop the whole build with a traceback when it
  writes the item. Reported as `path:line: error: template 'x' not found in theme`; the item
  is rendered with its default template (article or page).
- a tag or category whose slug comes out empty (`Tags: ???`): Pelican would write `tag/.html`.
  Reported as an error at the `Tags:` / `Category:` line; the tag is dropped from the post
  (a category falls back to DEFAULT_CATEGORY), so no such page is written.
"""

from __future__ import annotations

from pelican.generators import PelicanTemplateNotFound

from content_walk import walk  # a sibling module (pelicanconf.py puts plugins/ on sys.path)

HEADER_KEY = "ln_header_lines"  # {"tags": 5, ...}, recorded while reading by crosslinks


def header_line(content, key: str) -> int:
    """The 1-based line of metadata `key` in the content's source file (0 if unknown)."""
    header = getattr(content, HEADER_KEY, None)
    if header is None:
        from crosslinks.extension import skipped_lines  # noqa: PLC0415 (the one header scanner)

        header = {}
        try:
            with open(content.source_path, encoding="utf-8") as fh:
                skipped_lines(fh.read().split("\n"), header)
        except (OSError, UnicodeDecodeError):
            pass
    return int(header.get(key, 0) or 0)


def _report(content, key: str, message: str) -> None:
    from . import report  # noqa: PLC0415

    report(content.settings, content.source_path, header_line(content, key), "error", message)


def check_templates(generator) -> None:
    """Every content's template exists in the theme; otherwise report and use the default one."""
    for item in walk([generator]):
        content = item.content
        name = getattr(content, "template", None)
        default = getattr(content, "default_template", None)
        if not name or name == default:
            continue
        try:
            generator.get_template(name)
        except PelicanTemplateNotFound:
            _report(content, "template", f"template '{name}' not found in theme")
            content.template = default


def _empty(wrapper) -> bool:
    return not str(getattr(wrapper, "slug", "x") or "")


def check_slugs(generator) -> None:
    """Drop tags with an empty slug from every post, and give a category with an empty slug
    DEFAULT_CATEGORY instead; each one reported at its header line."""
    from pelican.urlwrappers import Category  # noqa: PLC0415

    settings = generator.settings
    for item in walk([generator]):
        content = item.content
        tags = getattr(content, "tags", None)
        if tags and any(_empty(t) for t in tags):
            for tag in (t for t in tags if _empty(t)):
                _report(content, "tags", f"tag '{tag.name}' has an empty slug")
            content.tags = [t for t in tags if not _empty(t)]
        category = getattr(content, "category", None)
        if category is not None and _empty(category):
            _report(content, "category", f"category '{category.name}' has an empty slug")
            content.category = Category(settings["DEFAULT_CATEGORY"], settings)
    _regroup(generator)


def _regroup(generator) -> None:
    """Rebuild the generator's tag and category listings without empty slugs (published
    articles only, as Pelican groups them)."""
    if not hasattr(generator, "tags") or not hasattr(generator, "categories"):
        return
    if not any(_empty(t) for t in generator.tags) and not any(_empty(c) for c, _ in generator.categories):
        return
    tags, categories = {}, {}
    for article in generator.articles:
        for tag in getattr(article, "tags", None) or ():
            tags.setdefault(tag, []).append(article)
        if hasattr(article, "category"):
            categories.setdefault(article.category, []).append(article)
    generator.tags.clear()
    generator.tags.update(tags)
    generator.categories = sorted(categories.items(), reverse=generator.settings["REVERSE_CATEGORY_ORDER"])
    generator.context["tags"] = list(generator.tags.items())
    generator.context["categories"] = generator.categories


def check_generator(generator) -> None:
    check_slugs(generator)
    check_templates(generator)
