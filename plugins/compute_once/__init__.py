"""Compute each post's URL and summary once, not on every access.

Pelican recomputes two things every time a template or a link asks for them:

- `Content.url` and `Content.save_as`, formatted from the URL settings (copying the metadata,
  formatting the date, working out the source path). A build reads them tens of thousands of
  times: every listing, every `{filename}` link in every rendering of a post, every backlink and
  related post. Once a generator has finished reading, nothing changes them, so they are stored
  with Pelican's own override mechanism (`override_url` / `override_save_as`, the attributes the
  `URL:` and `Save_as:` metadata set), and every later access is an attribute read.
- The automatic summary (no `Summary:` in the metadata): for each page depth it is shown at
  (the index, tag and category pages), Pelican resolves every link of the *whole* post for that
  page, then keeps the first `SUMMARY_MAX_LENGTH` words. Cutting does not depend on the links
  (only words of text are counted), so `PageSummary` cuts the unresolved content once and resolves
  the links of the cut text only, per page depth. Same HTML, a fraction of the work.

- "Is this post in that tag?": for every tag, category and author, Pelican's ArticlesGenerator
  keeps the site's posts that are in it (`dates = [a for a in self.dates if a in articles]`), a
  list search for each of the site's posts: tag by tag, N × (posts in the tag), which summed
  over all tags is quadratic (0.1 s at 2,000 posts, ~100 times that at 20,000). `Members`
  answers `in` from a set of the posts' identities (content objects compare by identity), so the
  same lists come out in linear time.

- Two more such searches inside Pelican, in `process_translations` and in the period archives,
  are made linear by `pelican_internals.use_linear_pelican()` (Pelican's own code, the search
  against a set of identities), installed at `initialized`.

- The templates: Pelican gives each generator its own Jinja environment, so every template was
  compiled once per generator, and again on every devserver rebuild. `share_compiled_templates`
  gives them one in-memory bytecode cache per Pelican object (Jinja's own mechanism, keyed by
  template name and checked against the source's checksum, so an edited template is compiled
  again).

- Pelican's own memo of `get_content` / `get_summary` is emptied at the start of every run
  (`forget_earlier_runs`): it is a class-level dict keyed by the content object, so in a
  devserver session it kept every earlier run's whole site alive, and each rebuild was slower
  than the last (20,000 posts: 55, 71, then 89 s to the edited page, 10 GB).

All are pure speed-ups: the site is the same byte for byte with and without this plugin
(tested). Static files are left alone: Pelican's `{attach}` moves them while pages are written.
"""

from __future__ import annotations

from jinja2 import BytecodeCache
from pelican import signals
from pelican.utils import truncate_html_paragraphs, truncate_html_words

# Sibling modules (pelicanconf.py puts plugins/ on sys.path).
from content_walk import walk
from pelican_internals import clear_memoized, raw_content, resolve_intrasite_links, use_linear_pelican

try:  # Pelican ≥ 4.11 strips table-of-contents markup from cut summaries
    from pelican.utils import strip_toc_elements_from_html
except ImportError:  # pragma: no cover
    def strip_toc_elements_from_html(html: str) -> str:
        return html


class PageSummary:
    """`content.get_summary(siteurl)` with the links of the summary resolved for `siteurl`.

    `raw` is the summary with its links unresolved (Pelican's `{filename}`… markers); when it is
    None it is cut from the content on first use by `cut` (default: exactly as Pelican cuts it),
    so any plugin may still change the content before pages are written. Installed on the
    content object, where it takes precedence over Pelican's method. A plain class with a
    module-level `cut`, not a closure, so content objects stay picklable for Pelican's
    generator-level cache.
    """

    def __init__(self, content, raw: str | None = None, cut=None):
        self.content = content
        self.raw = raw
        self.given = raw is not None  # else `raw` is a cache, cut from the content on first use
        self.cut = cut
        self.resolved: dict[str, str] = {}

    def __getstate__(self):
        # What it is, not what it has cached: a copy (kept_contents) or a page digest (the workers
        # plugin) made before or after a page used the summary is the same.
        state = dict(self.__dict__, resolved={})
        if not self.given:
            state["raw"] = None
        return state

    def __call__(self, siteurl: str) -> str:
        hit = self.resolved.get(siteurl)
        if hit is None:
            if self.raw is None:
                metadata = self.content.metadata
                if "summary" in metadata:  # set by a plugin after this was installed: Pelican's behaviour
                    return metadata["summary"]
                self.raw = (self.cut or auto_summary)(self.content)
            hit = self.resolved[siteurl] = resolve_intrasite_links(self.content, self.raw, siteurl)
        return hit


def cut_summary(html: str, settings) -> str:
    """Pelican's automatic summary of `html`: SUMMARY_MAX_PARAGRAPHS, then SUMMARY_MAX_LENGTH
    words, table-of-contents markup stripped (as Content.get_summary does)."""
    max_paragraphs = settings.get("SUMMARY_MAX_PARAGRAPHS")
    if max_paragraphs is not None:
        html = truncate_html_paragraphs(html, max_paragraphs)
    if settings.get("SUMMARY_MAX_LENGTH") is None:
        return html
    summary = truncate_html_words(html, settings["SUMMARY_MAX_LENGTH"], settings.get("SUMMARY_END_SUFFIX", "…"))
    return strip_toc_elements_from_html(summary)


def auto_summary(content) -> str:
    """Pelican's automatic summary (Content.get_summary) of the unresolved content."""
    return cut_summary(raw_content(content), content.settings)


def freeze(contents) -> int:
    """Store url and save_as of each content object as overrides, and give each content without
    a metadata summary a PageSummary; returns how many contents were handled."""
    count = 0
    for content in contents:
        for key in ("url", "save_as"):
            if not hasattr(content, "override_" + key):
                setattr(content, "override_" + key, getattr(content, key))
        if "summary" not in content.metadata and "get_summary" not in vars(content):
            content.get_summary = PageSummary(content)
        count += 1
    return count


def freeze_generator(generator) -> None:
    """`freeze` every content object the generator holds, whatever its status; its tags',
    categories' and authors' lists of posts become `Members`."""
    freeze(item.content for item in walk([generator]))
    index_members(generator)


class Members(list):
    """A list of content objects that answers `item in members` from a set of their identities
    (what `in` means for content objects, which have no `__eq__`). Not to be changed after it is made."""

    def __init__(self, items=()):
        super().__init__(items)
        self.ids = frozenset(map(id, self))

    def __contains__(self, item) -> bool:
        return id(item) in self.ids

    def __reduce__(self):
        # pickled as its items: identities mean nothing in another process (or another copy)
        return (type(self), (list(self),))


def index_members(generator) -> None:
    """The generator's `tags` (a dict) and `categories` / `authors` (lists of pairs) get `Members`
    for their lists of posts, in place: what Pelican's generate_tags/categories/authors search."""
    tags = getattr(generator, "tags", None)
    if isinstance(tags, dict):
        for key, posts in tags.items():
            tags[key] = Members(posts)
    for name in ("categories", "authors"):
        pairs = getattr(generator, name, None)
        if isinstance(pairs, list):
            pairs[:] = [(key, Members(posts)) for key, posts in pairs]


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates, kept for the life of the process (every generator, every rebuild)."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        data = self.compiled.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)  # a stale checksum resets the bucket: compiled again

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def linear_pelican(_pelican=None) -> None:
    """`initialized`: Pelican's two quadratic searches, made linear (pelican_internals)."""
    use_linear_pelican()


def share_compiled_templates(pelican) -> None:
    """`initialized`: the generators of this Pelican object (every run of a devserver session)
    share one MemoryBytecodeCache, unless the site configured a bytecode cache of its own.

    One per Pelican object, never one per process: Jinja folds constant tests at compile time
    (`"search" is plugin_enabled`), so compiled code is only valid for the settings it was
    compiled with; a new Pelican object (new settings, a changed pelicanconf.py) starts afresh.
    """
    environment = dict(pelican.settings.get("JINJA_ENVIRONMENT") or {})
    environment.setdefault("bytecode_cache", MemoryBytecodeCache())
    pelican.settings["JINJA_ENVIRONMENT"] = environment


def forget_earlier_runs(_pelican=None):
    """`get_generators` (the start of every run): nothing of an earlier run is rendered again."""
    clear_memoized()


def register():
    signals.initialized.connect(share_compiled_templates)
    signals.initialized.connect(linear_pelican)
    signals.get_generators.connect(forget_earlier_runs)
    signals.article_generator_finalized.connect(freeze_generator)
    signals.page_generator_finalized.connect(freeze_generator)
