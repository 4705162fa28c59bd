"""Link previews: for each post, the title, date, summary and concepts of the posts it links to, as JSON.

Prepared from the build's data (each post's `outlinks` and its diagrams' links), never by fetching the target page. The
JSON is made when a page is written (`LinkPreviews.json`), each target's preview once per build
(`PreviewMemo`), keyed by the target's site-relative URL; the theme embeds it as
`<script type="application/json" id="link-previews">` and js/previews.js matches each internal
link of the post body to its key. Plain text only: titles and summaries lose their markup here,
and the script puts them in the page with textContent.
"""

from __future__ import annotations

import json

from markupsafe import Markup

SUMMARY_CHARS = 200  # a preview's summary is cut at a word boundary below this many characters
CONCEPTS_SHOWN = 6
# Characters that must not appear raw inside a <script> element's text ("</script>", "<!--"),
# as JSON escapes (str.replace per character: several times faster than str.translate here).
_SCRIPT_SAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                ("\u2029", "\\u2029"))


def plain(html) -> str:
    """Text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(Markup(str(html or "")).striptags().split())


def shorten(text: str, limit: int = SUMMARY_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.—–-")
    return cut + "…"


def preview_of(content) -> dict:
    """{"t": title, "d": date as shown on the site, "s": summary, "c": [concept names]}, plain
    text (the title as the post's own heading shows it; the summary without its markup); keys
    without a value are left out."""
    preview = {"t": " ".join(str(getattr(content, "title", "") or "").split())}
    if getattr(content, "date", None) is not None and getattr(content, "locale_date", ""):
        preview["d"] = str(content.locale_date)
    summary = shorten(plain(getattr(content, "summary", "")))
    if summary:
        preview["s"] = summary
    tags = sorted((str(t.name) for t in getattr(content, "tags", None) or []), key=str.lower)
    if tags:
        preview["c"] = tags[:CONCEPTS_SHOWN]
    return preview


def script_json(data) -> str:
    """`data` as JSON safe to put inside a <script> element (sorted keys: byte-identical builds)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escaped in _SCRIPT_SAFE:
        text = text.replace(char, escaped)
    return text


class PreviewMemo:
    """Each target's preview made once per build, however many posts link to it."""

    def __init__(self):
        self._by_id: dict[int, tuple[object, dict]] = {}

    def __reduce__(self):
        # a cache, not state: pickled empty (the workers plugin's page digests pickle what a page
        # reads; the previews it holds follow from the posts, which count on their own)
        return (type(self), ())

    def get(self, content) -> dict:
        hit = self._by_id.get(id(content))
        if hit is None or hit[0] is not content:
            hit = self._by_id[id(content)] = (content, preview_of(content))
        return hit[1]


class LinkPreviews:
    """The previews of one post's link targets; `json` is made when its page is written."""

    def __init__(self, targets, memo: PreviewMemo):
        self.targets = targets  # [(site-relative URL, content object)]
        self.memo = memo

    def __bool__(self) -> bool:
        return bool(self.targets)

    @property
    def data(self) -> dict:
        return {url: self.memo.get(target) for url, target in self.targets if url}

    @property
    def json(self) -> Markup:
        return Markup(script_json(self.data))


def link_targets(content) -> list[tuple[str, object]]:
    """(URL, content) of every post and page `content` links to: its text's links (`outlinks`),
    then its diagrams' (whose words, under each drawing, link too); each once."""
    targets = {o.url or o.target.url: o.target for o in getattr(content, "outlinks", None) or []}
    for diagram in getattr(content, "diagrams", None) or []:
        for target in diagram.get("targets", None) or []:
            if target is not None and target is not content:
                targets.setdefault(target.url, target)
    return list(targets.items())


def attach(entries) -> None:
    """Build stage: `link_previews` on every post and page that links to another (None otherwise)."""
    memo = PreviewMemo()
    for entry in entries:
        targets = link_targets(entry.obj)
        entry.obj.link_previews = LinkPreviews(targets, memo) if targets else None
