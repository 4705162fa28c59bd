"""The one module that touches Pelican's and Python-Markdown's private internals.

Checked against Pelican 4.12.0 and Python-Markdown 3.11 (the versions in pyproject.toml's .venv);
`tests/test_pelican_internals.py` fails with a message naming the internal when an upgrade
removes or changes one of them. Everything else in plugins/ uses public APIs, or these functions.

Why each is needed (no public API does the job):

- `raw_content` / `set_raw_content`: a post's HTML *before* Pelican resolves its links
  (`Content._content`); `content.content` is the resolved HTML of one page depth.
- `set_metadata_summary`: a metadata Summary lives in `metadata["summary"]` and in `_summary`,
  which Pelican copies back over the metadata when it renders (contents.py, get_summary).
- `resolve_intrasite_links` / `has_intrasite_link`: Pelican's own `{filename}`, `{tag}`…
  resolution for a given page (`_update_content`, `_get_intrasite_link_regex`);
  `pelican_resolve_intrasite_links` / `extend_intrasite_links`: the class's resolution, and an
  object's own resolution installed over it (graphics' srcset URLs).
- `forget_memoized`: `get_content` / `get_summary` are `@memoized` on the class; a rewritten
  post must not be served from that cache. `clear_memoized`: the same caches hold every content
  object a process rendered; a devserver session empties them at the start of each run.
- `cached_reads` / `drop_cached_read`: Pelican's reader cache (`Readers._cache`) checks only each
  post's own file; posts that `use:` a diagram file must be read again when it changes.
  `is_cached_read` / `prime_cached_read`: the workers plugin reads posts in worker processes and
  hands the results to `Readers.read_file` through that cache (its entry format, `_get_file_stamp`,
  `_filter_discardable_metadata`).
- `intercept_generator_cache`: a generator asks its generator-layer cache for each file's content
  object before reading the file, and hands it every content object it makes (generate_context);
  kept_contents answers from the previous run of the same process.
- `process_translations` / `build_period_archives` (`use_linear_pelican`): Pelican's own two
  functions with their quadratic list searches made linear, installed where its generators call
  them (`pelican.generators.process_translations`, `ArticlesGenerator._build_period_archives`);
  with them `get_static_links`, `Content.get_static_links` remembered per file and HTML.
- `wait_for_changes` (`use_persistent_watcher`): Pelican's autoreload calls
  `pelican.utils.wait_for_changes` after each run, and it makes a new file watcher each time, so
  a file saved while a run builds is not seen until the next save; ours keeps one watcher between
  runs (installed where `pelican.autoreload` calls it, `pelican.wait_for_changes`).
- `copy_theme_static_with`: the StaticGenerator's `_copy_paths` copies the theme's static files
  with `shutil.copyfile` on every build, so each gets a new modification time though its bytes
  did not change; an object's own `_copy_paths` (same files, same places) is installed over it.
- `read_markdown`: `MarkdownReader.read`, with the Markdown object handed to the caller before
  `_parse_metadata` converts formatted metadata with the same object.
- Markdown's placeholders: the backslash-escape placeholder `STX + ord(char) + ETX`, inline
  placeholders (`STX klzzwxh:N ETX`) and the inline processor's `stashed_nodes`, and the raw HTML
  stash's `rawHtmlBlocks`.
"""

from __future__ import annotations

import os
import re

from markdown import util as md_util

CHECKED_WITH = {"pelican": "4.12.0", "markdown": "3.11"}

# --- Pelican: content objects ---------------------------------------------------------------


def raw_content(content) -> str:
    """The content's HTML with its intrasite links unresolved (`{filename}…` markers), as
    Pelican's get_content reads it (a subclass's `_get_content` first)."""
    if hasattr(content, "_get_content"):
        return content._get_content()
    return content._content


def set_raw_content(content, html: str) -> None:
    content._content = html


def set_metadata_summary(content, summary: str) -> None:
    """Replace a metadata Summary (both places Pelican keeps it)."""
    content.metadata["summary"] = summary
    if hasattr(content, "_summary"):
        content._summary = summary


def resolve_intrasite_links(content, html: str, siteurl: str) -> str:
    """`html` with its `{filename}`, `{tag}`… links resolved as for a page at `siteurl`."""
    return content._update_content(html, siteurl)


def pelican_resolve_intrasite_links(content, html: str, siteurl: str) -> str:
    """Pelican's own `_update_content` of the content's class, whatever is installed on the object."""
    return type(content)._update_content(content, html, siteurl)


def extend_intrasite_links(content, resolver) -> None:
    """Make `resolver(html, siteurl)` the content's link resolution: Pelican calls
    `self._update_content` for its content and summary on every page; `resolver` calls
    `pelican_resolve_intrasite_links` and adds its own (graphics: srcset candidates, since
    Pelican resolves one marker per tag)."""
    content._update_content = resolver


def has_intrasite_link(content, html: str) -> bool:
    return content._get_intrasite_link_regex().search(html) is not None


def forget_memoized(*contents) -> None:
    """Drop Pelican's memoized get_content/get_summary results for `contents`, if any.

    The caches are normally empty at this stage (nothing has rendered yet); one pass over each
    cache, whatever the number of contents.
    """
    if not contents:
        return
    ids = {id(c) for c in contents}
    seen = set()
    for content in contents:
        for klass in type(content).__mro__:
            if klass in seen:
                continue
            seen.add(klass)
            for cache in _memo_caches(klass):
                for key in [k for k in cache if k and id(k[0]) in ids]:
                    del cache[key]


def _memo_caches(klass):
    """The non-empty `@memoized` caches of `get_content` / `get_summary` defined on `klass`."""
    for name in ("get_content", "get_summary"):
        cache = getattr(klass.__dict__.get(name), "cache", None)
        if cache:
            yield cache


def clear_memoized() -> int:
    """Empty Pelican's memo caches of `get_content` / `get_summary` (class-level dicts keyed by the
    content object); how many entries were dropped. They keep every content object a process ever
    rendered alive: in a devserver session, every earlier run's whole site."""
    from pelican.contents import Content  # noqa: PLC0415

    dropped = 0
    classes = [Content]
    while classes:
        klass = classes.pop()
        classes.extend(klass.__subclasses__())
        for cache in _memo_caches(klass):
            dropped += len(cache)
            cache.clear()
    return dropped


def intercept_generator_cache(generator, take, keep) -> None:
    """An Articles/PagesGenerator's `generate_context` asks `get_cached_data(f)` for each file
    before reading it, and calls `cache_data(f, content)` once it has made a file's content object
    (its generator-layer cache, FileStampDataCacher; empty unless CONTENT_CACHING_LAYER is
    "generator"). On this generator object, `take(f)` is asked first (a content object or None),
    and `keep(f, content)` is told of every content object made."""
    get, put = generator.get_cached_data, generator.cache_data

    def get_cached_data(filename, default=None):
        found = take(filename)
        return found if found is not None else get(filename, default)

    def cache_data(filename, data):
        keep(filename, data)
        put(filename, data)

    generator.get_cached_data = get_cached_data
    generator.cache_data = cache_data


# --- Pelican: two quadratic loops, made linear ---------------------------------------------
#
# Pelican 4.12 keeps, in two places, the items of one list that are in another with a list
# search: `process_translations` ends with `[x for x in content_list if x not in index]`, and
# `ArticlesGenerator._build_period_archives` keeps each period's posts with
# `[a for a in articles if a in dates]`. Both are N x N at N posts (about 4 s each at 20,000;
# they run again in every devserver rebuild). The functions below are Pelican's own, line for
# line, with those searches made against a set of identities (content objects have no
# `__eq__`: `in` means identity). `use_linear_pelican()` puts them where Pelican calls them;
# tests/test_pelican_internals.py checks each against Pelican's original.


def process_translations(content_list, translation_id=None):
    """pelican.utils.process_translations, the last search linear."""
    from operator import attrgetter  # noqa: PLC0415
    from itertools import groupby  # noqa: PLC0415

    from pelican.utils import get_original_items  # noqa: PLC0415

    if not translation_id:
        return content_list, []
    if isinstance(translation_id, str):
        translation_id = {translation_id}
    index = []
    try:
        content_list.sort(key=attrgetter(*translation_id))
    except TypeError:
        raise TypeError(
            f"Cannot unpack {translation_id}, 'translation_id' must be falsy, a"
            " string or a collection of strings"
        ) from None
    except AttributeError:
        raise AttributeError(
            f"Cannot use {translation_id} as 'translation_id', there "
            "appear to be items without these metadata "
            "attributes"
        ) from None
    for id_vals, items in groupby(content_list, attrgetter(*translation_id)):
        id_vals = (id_vals,) if len(translation_id) == 1 else id_vals
        with_str = "with" + ", ".join([' {} "{{}}"'] * len(translation_id)).format(
            *translation_id
        ).format(*id_vals)
        items = list(items)
        original_items = get_original_items(items, with_str)
        index.extend(original_items)
        for a in items:
            a.translations = [x for x in items if x != a]
    in_index = {id(x) for x in index}
    translations = [x for x in content_list if id(x) not in in_index]
    return index, translations


def build_period_archives(self, sorted_articles, articles, settings):
    """ArticlesGenerator._build_period_archives, each period's search linear."""
    import calendar  # noqa: PLC0415
    from collections import defaultdict  # noqa: PLC0415
    from itertools import groupby  # noqa: PLC0415
    from operator import attrgetter  # noqa: PLC0415

    period_archives = defaultdict(list)
    period_archives_settings = {
        "year": {"save_as": settings["YEAR_ARCHIVE_SAVE_AS"], "url": settings["YEAR_ARCHIVE_URL"]},
        "month": {"save_as": settings["MONTH_ARCHIVE_SAVE_AS"], "url": settings["MONTH_ARCHIVE_URL"]},
        "day": {"save_as": settings["DAY_ARCHIVE_SAVE_AS"], "url": settings["DAY_ARCHIVE_URL"]},
    }
    granularity_key_func = {
        "year": attrgetter("date.year"),
        "month": attrgetter("date.year", "date.month"),
        "day": attrgetter("date.year", "date.month", "date.day"),
    }
    for granularity in "year", "month", "day":
        save_as_fmt = period_archives_settings[granularity]["save_as"]
        url_fmt = period_archives_settings[granularity]["url"]
        key_func = granularity_key_func[granularity]
        if not save_as_fmt:
            continue
        for period, group in groupby(sorted_articles, key=key_func):
            archive = {}
            dates = list(group)
            archive["dates"] = dates
            in_dates = {id(a) for a in dates}
            archive["articles"] = [a for a in articles if id(a) in in_dates]
            d = dates[0].date
            archive["save_as"] = save_as_fmt.format(date=d)
            archive["url"] = url_fmt.format(date=d)
            if granularity == "year":
                archive["period"] = (period,)
                archive["period_num"] = (period,)
            else:
                month_name = calendar.month_name[period[1]]
                if granularity == "month":
                    archive["period"] = (period[0], month_name)
                else:
                    archive["period"] = (period[0], month_name, period[2])
                archive["period_num"] = tuple(period)
            period_archives[granularity].append(archive)
    return period_archives


PELICANS: dict[str, object] = {}  # Pelican's own functions, kept when replaced (for the tests)

# relative source path -> (the `_content` the links were found in, the static links found), for
# the settings of one Pelican object (emptied when a new one is made: `use_linear_pelican`)
_STATIC_LINKS: dict[str, tuple[str, frozenset]] = {}


def get_static_links(self) -> set[str]:
    """Content.get_static_links, remembered per file while its HTML stays the same: Pelican asks
    for every post on every run (ArticlesGenerator.add_static_links), and the answer follows from
    the HTML, the file's path and the settings alone."""
    key = self.relative_source_path
    hit = _STATIC_LINKS.get(key)
    if hit is None or hit[0] != self._content:
        hit = _STATIC_LINKS[key] = (self._content, frozenset(PELICANS["get_static_links"](self)))
    return set(hit[1])


def use_linear_pelican() -> None:
    """Put the two functions above where Pelican's generators call them (idempotent)."""
    import pelican.generators as generators  # noqa: PLC0415

    if generators.process_translations is not process_translations:
        PELICANS["process_translations"] = generators.process_translations
        generators.process_translations = process_translations
    if generators.ArticlesGenerator._build_period_archives is not build_period_archives:
        PELICANS["build_period_archives"] = generators.ArticlesGenerator._build_period_archives
        generators.ArticlesGenerator._build_period_archives = build_period_archives
    from pelican.contents import Content  # noqa: PLC0415

    if Content.get_static_links is not get_static_links:
        PELICANS["get_static_links"] = Content.get_static_links
        Content.get_static_links = get_static_links
    _STATIC_LINKS.clear()  # a new Pelican object: new settings


# --- Pelican: autoreload ---------------------------------------------------------------------

_WATCH: dict = {}  # "key": what is watched, "watcher": the watchfiles generator kept between runs


def watched_paths(settings_file: str, settings) -> list[str]:
    """What Pelican's wait_for_changes watches: the settings file, the theme, the content and its
    static paths (those that exist)."""
    content = settings.get("PATH", "")
    candidates = [settings_file, settings.get("THEME", ""), content,
                  *(os.path.join(content, path) for path in settings.get("STATIC_PATHS", []))]
    return [os.path.abspath(p) for p in candidates if p and os.path.exists(os.path.abspath(p))]


def wait_for_changes(settings_file: str, settings):
    """pelican.utils.wait_for_changes with one watcher for the life of the process (a new one only
    when what is watched changes): what was saved while a run built is returned at once, instead
    of being lost to a watcher made after it (Pelican makes one per call)."""
    import watchfiles  # noqa: PLC0415 (Pelican's own dependency)
    from pelican.utils import FileChangeFilter  # noqa: PLC0415

    paths = watched_paths(settings_file, settings)
    ignore = set(settings.get("IGNORE_FILES", []))
    key = (tuple(paths), tuple(sorted(ignore)))
    if _WATCH.get("key") != key:
        _WATCH.update(key=key, watcher=watchfiles.watch(
            *paths, watch_filter=FileChangeFilter(ignore_file_patterns=ignore), rust_timeout=0))
    return next(_WATCH["watcher"])


def use_persistent_watcher() -> None:
    """Put `wait_for_changes` where Pelican's autoreload loop calls it (idempotent)."""
    import pelican  # noqa: PLC0415

    if pelican.wait_for_changes is not wait_for_changes:
        PELICANS["wait_for_changes"] = pelican.wait_for_changes
        pelican.wait_for_changes = wait_for_changes


# --- Pelican: readers -----------------------------------------------------------------------


def cached_reads(readers):
    """(source path, metadata) of every entry of the reader cache (none when caching is off, except
    the reads the workers plugin put there)."""
    cache = getattr(readers, "_cache", None) or {}
    for path, entry in list(cache.items()):
        try:
            _stamp, (_content, metadata) = entry
        except (TypeError, ValueError):
            continue
        yield path, metadata or {}


def drop_cached_read(readers, path: str) -> None:
    readers._cache.pop(path, None)


def is_cached_read(readers, path: str) -> bool:
    """Whether `Readers.read_file` would take `path` (absolute) from the cache."""
    return readers.get_cached_data(path, None) is not None


def prime_cached_read(readers, path: str, content, metadata) -> None:
    """Put a read made elsewhere (a worker process) where `Readers.read_file` looks first, as
    Pelican caches it: `(stamp, (content, metadata))`, the metadata filtered as `read_file`
    filters it. It is used even when CACHE_CONTENT is off (the cache is then an empty dict that
    nothing saves), and saved with the rest when it is on."""
    from pelican.readers import _filter_discardable_metadata  # noqa: PLC0415

    readers._cache[path] = (readers._get_file_stamp(path), (content, _filter_discardable_metadata(metadata)))


def read_markdown(reader, source_path: str, prepare, take):
    """Pelican's `MarkdownReader.read` -> (html, metadata, taken).

    `prepare(md)` runs on the new Markdown object before conversion; `take(md)` right after it,
    before `_parse_metadata` converts formatted metadata (Summary) with the same object.
    """
    from markdown import Markdown  # noqa: PLC0415
    from pelican.utils import pelican_open  # noqa: PLC0415

    reader._source_path = source_path
    reader._md = md = Markdown(**reader.settings["MARKDOWN"])
    prepare(md)
    with pelican_open(source_path) as text:
        html = md.convert(text)
    taken = take(md)
    metadata = reader._parse_metadata(md.Meta) if hasattr(md, "Meta") else {}
    return html, metadata, taken


# --- Pelican: the static generator --------------------------------------------------------


def theme_static_files(paths, source: str, destination: str, output_path: str, final_path=None,
                       ignores=()) -> list[tuple[str, str]]:
    """(source file, output file) of every file `StaticGenerator._copy_paths` copies, in its
    order: the same destinations and IGNORE_FILES rules as Pelican's `utils.copy`."""
    import fnmatch  # noqa: PLC0415

    def ignored(name: str) -> bool:
        return any(fnmatch.fnmatch(name, pattern) for pattern in ignores)

    pairs = []
    for path in paths:
        source_path = os.path.join(source, path)
        if final_path:
            tail = (final_path, os.path.basename(path)) if os.path.isfile(source_path) else (final_path,)
            target = os.path.join(output_path, destination, *tail)
        else:
            target = os.path.join(output_path, destination, path)
        if ignored(os.path.basename(source_path)):
            continue
        if os.path.isfile(source_path):
            pairs.append((source_path, target))
            continue
        for folder, subdirs, files in os.walk(source_path, followlinks=True):
            subdirs[:] = sorted(d for d in subdirs if not ignored(d))
            out = os.path.join(target, os.path.relpath(folder, source_path))
            pairs += [(os.path.join(folder, f), os.path.normpath(os.path.join(out, f)))
                      for f in sorted(files) if not ignored(f) and os.path.isfile(os.path.join(folder, f))]
    return pairs


def theme_static_outputs(generator) -> list[str]:
    """The output files the StaticGenerator `generator` copies the theme's static files to (known
    before it copies them: the call of `_copy_paths` in its `generate_output`)."""
    settings = generator.settings
    return [target for _, target in theme_static_files(
        settings["THEME_STATIC_PATHS"], generator.theme, settings["THEME_STATIC_DIR"], generator.output_path,
        os.curdir, settings.get("IGNORE_FILES") or ())]


def copy_theme_static_with(generator, copy_file) -> None:
    """Make the StaticGenerator `generator` copy the theme's static files one by one with
    `copy_file(source, destination)` instead of Pelican's unconditional copy."""
    ignores = generator.settings.get("IGNORE_FILES") or ()

    def copy_paths(paths, source, destination, output_path, final_path=None):
        for source_file, target in theme_static_files(paths, source, destination, output_path, final_path, ignores):
            copy_file(source_file, target)

    generator._copy_paths = copy_paths


# --- Python-Markdown ------------------------------------------------------------------------

STX, ETX = md_util.STX, md_util.ETX
# A backslash-escaped character (`\|`) becomes STX + str(ord(char)) + ETX (EscapeInlineProcessor).
ESCAPED_CHAR_RE = re.compile(f"{STX}([0-9]+){ETX}")
# An inline placeholder (STX "klzzwxh:" N ETX), as a regex source to embed in a pattern.
INLINE_PLACEHOLDER_PATTERN = re.escape(md_util.INLINE_PLACEHOLDER_PREFIX) + "[0-9]+" + re.escape(ETX)


def escaped_char(char: str) -> str:
    """The placeholder Markdown's escape pattern leaves for a backslash-escaped `char`."""
    return f"{STX}{ord(char)}{ETX}"


def unescape_chars(text: str) -> str:
    """`text` with escaped-character placeholders turned back into the characters."""
    return ESCAPED_CHAR_RE.sub(lambda m: chr(int(m.group(1))), text)


def stashed_inline(md, placeholder: str):
    """What the inline processor stashed under `placeholder` (a string or an element), or None."""
    stashed = getattr(md.treeprocessors["inline"], "stashed_nodes", {})
    return stashed.get(placeholder[len(md_util.INLINE_PLACEHOLDER_PREFIX):-len(ETX)])


def raw_html_blocks(md) -> list:
    """The raw HTML stash, indexed by the number in each HTML placeholder."""
    return md.htmlStash.rawHtmlBlocks
