"""Link previews: for each post, the title, date, summary and concepts of the posts it links to, as JSON.

Prepared from the build's data (each post's `outlinks`), never by fetching the target page. The
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
# Characters that must not appear raw inside a <script> element's text ("</script>", "<!--").
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                              "\u2029": "\\u2029"})


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
    text; keys without a value are left out."""
    preview = {"t": plain(getattr(content, "title", ""))}
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
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).translate(_SCRIPT_SAFE)


class PreviewMemo:
    """Each target's preview made once per build, however many posts link to it."""

    def __init__(self):
        self._by_id: dict[int, tuple[object, dict]] = {}

    def get(self, content) -> dict:
        hit = self._by_id.get(id(content))
        if hit is None or hit[0] is not content:
            hit = self._by_id[id(content)] = (content, preview_of(content))
        return hit[1]


class LinkPreviews:
    """The previews of one post's link targets; `json` is made when its page is written."""

    def __init__(self, outlinks, memo: PreviewMemo):
        self.targets = [(o.url or getattr(o.target, "url", ""), o.target) for o in outlinks]
        self.memo = memo

    def __bool__(self) -> bool:
        return bool(self.targets)

    @property
    def data(self) -> dict:
        return {url: self.memo.get(target) for url, target in self.targets if url}

    @property
    def json(self) -> Markup:
        return Markup(script_json(self.data))


def attach(entries) -> None:
    """Build stage: `link_previews` on every post and page that links to another (None otherwise)."""
    memo = PreviewMemo()
    for entry in entries:
        outlinks = getattr(entry.obj, "outlinks", None) or []
        entry.obj.link_previews = LinkPreviews(outlinks, memo) if outlinks else None
