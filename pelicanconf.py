"""Development settings: `make html`, `make devserver`, `pelican content -s pelicanconf.py`.

Every setting our plugins and theme add, and those set here that matter, are in docs/settings.md
(defaults: plugins/<plugin>/settings.py).
"""

import hashlib
import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
# Our plugins import each other by name (author_report, post_data, stage_timer). Pelican finds
# plugins in PLUGIN_PATHS without putting that folder on sys.path, so it is put there once, here.
if str(_HERE / "plugins") not in sys.path:
    sys.path.append(str(_HERE / "plugins"))

AUTHOR = "Riverbend Learning Network"
SITENAME = "Riverbend Learning Network"
SITESUBTITLE = "Notes on tutoring, mentoring and the networks that sustain them, since 2005"
SITEURL = ""
RELATIVE_URLS = True

PATH = "content"
TIMEZONE = "America/Chicago"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%B %-d, %Y"

# Posts live anywhere under content/ except these folders.
ARTICLE_PATHS = [""]
ARTICLE_EXCLUDES = ["pages", "diagrams", "images"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
# Copy a static file only when its source is newer than the copy (Pelican otherwise copies every
# one on every build): an unchanged image keeps its modification time in the output.
STATIC_CHECK_IF_MODIFIED = True

# URL scheme of the hosted blog services such blogs come from: imported posts keep their paths.
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}.html"
ARTICLE_SAVE_AS = ARTICLE_URL
DRAFT_URL = "drafts/{slug}.html"
DRAFT_SAVE_AS = DRAFT_URL
PAGE_URL = "pages/{slug}.html"
PAGE_SAVE_AS = PAGE_URL
TAG_URL = "tag/{slug}.html"
TAG_SAVE_AS = TAG_URL
TAGS_URL = "tags.html"
TAGS_SAVE_AS = TAGS_URL
CATEGORY_URL = "category/{slug}.html"
CATEGORY_SAVE_AS = CATEGORY_URL
CATEGORIES_URL = "categories.html"
CATEGORIES_SAVE_AS = CATEGORIES_URL
ARCHIVES_URL = "archives.html"
ARCHIVES_SAVE_AS = ARCHIVES_URL
YEAR_ARCHIVE_URL = "{date:%Y}/index.html"
YEAR_ARCHIVE_SAVE_AS = YEAR_ARCHIVE_URL
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "tags", "categories", "archives", "404"]
DEFAULT_PAGINATION = 10
SUMMARY_MAX_LENGTH = 50

# No feeds in development; publishconf.py turns Atom feeds on.
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

THEME = "themes/network"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["workers", "kept_contents", "stage_timer", "author_report", "compute_once", "crosslinks", "diagrams", "graphics", "concept_graph", "comments", "search", "output_sync"]

# Markdown: Pelican's defaults, kept (the MARKDOWN setting replaces them); our plugins add their extensions.
MARKDOWN = {
    "extension_configs": {
        # guess_lang off: an unlabelled code block stays plain text instead of Pygments guessing
        # a lexer for it (slow, and often wrong for prose-like blocks).
        "markdown.extensions.codehilite": {"css_class": "highlight", "guess_lang": False},
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {},
    },
    "output_format": "html5",
}

# Jinja: Pelican's defaults (trim_blocks, lstrip_blocks) are kept; auto_reload off, because every
# build (each devserver rebuild too) makes a new environment, so the stat() of each template file
# on every include is wasted work.
JINJA_ENVIRONMENT = {"auto_reload": False}

# Content cache: devserver rebuilds skip re-parsing unchanged posts.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "reader"
CHECK_MODIFIED_METHOD = "mtime"
# Uncompressed: a devserver rebuild loads and saves the whole cache; at 2,000 posts gzip made that
# 0.9 s of every rebuild (0.17 s without), for a cache of 2.5 MB instead of 18 MB.
GZIP_CACHE = False
# Pelican's cache knows nothing of our plugins: key it by their code and these settings, so a
# changed plugin or setting never serves stale pages.
CACHE_PATH = str(_HERE / "cache" / hashlib.sha256(b"".join(
    p.read_bytes() for p in [Path(__file__).resolve(), *sorted((_HERE / "plugins").rglob("*.py"))]
)).hexdigest()[:16])

# --- Our plugins (docs/settings.md; the rest keep their defaults) ---
AUTHOR_REPORT_STRICT = False  # publish/check: fail the build at the end if any author error was reported
CROSSLINKS_LEGACY_HOSTS = ["http://riverbend-learning.blogspot.com", "https://riverbend-learning.blogspot.com"]
CROSSLINKS_CURATION_WARNINGS = False  # make check: orphan posts and unlinked mentions as warnings
