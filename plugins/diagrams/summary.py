"""Automatic summaries without diagrams (pure)."""

from __future__ import annotations

import re

from pelican.utils import truncate_html_paragraphs, truncate_html_words

DIAGRAM_HTML = re.compile(
    r'<figure class="diagram diagram-[^"]*"[^>]*>.*?</figure>|<div class="diagram-error" role="alert">.*?</div>',
    re.S,
)


def auto_summary(html: str | None, settings) -> str | None:
    """The summary Pelican would make, from `html` without diagrams; None if there are none."""
    if not html or not DIAGRAM_HTML.search(html):
        return None
    text = DIAGRAM_HTML.sub("", html)
    max_paragraphs = settings.get("SUMMARY_MAX_PARAGRAPHS")
    if max_paragraphs is not None:
        text = truncate_html_paragraphs(text, max_paragraphs)
    if settings.get("SUMMARY_MAX_LENGTH") is None:
        return text
    return truncate_html_words(text, settings["SUMMARY_MAX_LENGTH"], settings.get("SUMMARY_END_SUFFIX", "…"))
