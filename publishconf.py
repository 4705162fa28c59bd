"""Production settings for `make publish`: absolute URLs, Atom feeds, errors are fatal."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F403

SITEURL = "https://riverbend-learning.example.org"
RELATIVE_URLS = False

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
TAG_FEED_ATOM = "feeds/tag/{slug}.atom.xml"

# A published site is built from scratch, never from a cache.
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False

AUTHOR_REPORT_STRICT = True
