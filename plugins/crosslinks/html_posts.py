"""Build stage, step 0: the links of posts the Markdown extension did not read.

- Posts written in HTML (Pelican's HTML reader): scanned here with the read stage's parser.
- A Markdown post without `ln_links` can only come from a reader cache written by a build
  without this plugin under the same CACHE_PATH (pelicanconf.py keys CACHE_PATH by a hash of the
  plugins' code and of the settings file, so only a command-line PLUGINS override does that): a
  warning says to run `make clean`. (Such posts used to be converted again with a second Markdown
  reader here; that path could not run with the project's settings and was removed.)
"""

from __future__ import annotations

import logging

from pelican_internals import raw_content

from .extension import KEY, html_links

logger = logging.getLogger(__name__)

HTML_EXTENSIONS = (".html", ".htm")
MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown")


def scan_html_posts(contents, settings) -> None:
    chars = int(settings["CROSSLINKS_CONTEXT_CHARS"])
    unread = 0
    for content in contents:
        if hasattr(content, KEY):
            continue
        path = str(getattr(content, "source_path", ""))
        if not path.lower().endswith(HTML_EXTENSIONS):
            unread += path.endswith(MARKDOWN_EXTENSIONS)
            continue
        try:
            with open(path, encoding="utf-8") as fh:
                lines = fh.read().split("\n")
        except (OSError, UnicodeDecodeError):
            lines = []
        setattr(content, KEY, html_links(raw_content(content), lines, chars))
    if unread:
        logger.warning("crosslinks: %d post(s) came from a content cache written without the cross-links "
                       "extension: their links are not checked (`make clean` refreshes the cache)", unread)
