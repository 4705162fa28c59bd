"""Citation timelines: when a post was cited, year by year, from its backlinks (pure, no Pelican).

`timeline(post_date, citing)` counts the citing posts per year, from the first citing year to
the latest (years without citations count 0), names the first and the latest citing posts, and
draws the counts as a small static SVG bar strip (`Timeline.svg`, made when a page asks for it).
Citing items without a date (pages) are counted apart: they have no place on a time line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date

from markupsafe import Markup
from svgkit import esc, f  # the one SVG kit (plugins/svgkit)

WIDTH, HEIGHT = 320.0, 80.0
PAD = 6.0
BASELINE = 56.0
BAR_MAX = 34.0  # the tallest bar; the scale ("at most N a year") is written above it
LABEL_SIZE = 13  # user units; the strip is drawn at least at its own width (graph.css), >= 9 px on a phone


@dataclass(frozen=True)
class Citing:
    """One citing post: plain-text title, site-relative URL, date (None for a page)."""

    title: str
    url: str
    date: Date | None


@dataclass
class Timeline:
    counts: list[tuple[int, int]]  # (year, citing posts), every year from the first to the latest
    first: Citing
    latest: Citing
    dated: int  # citing posts with a date
    undated: int  # citing pages (no date)
    later: bool  # every dated citing post is later than the post itself
    title: str = ""  # the cited post's title (for the SVG's <title>)

    @property
    def years(self) -> str:
        a, b = self.counts[0][0], self.counts[-1][0]
        return str(a) if a == b else f"{a}–{b}"

    @property
    def cited_years(self) -> list[tuple[int, int]]:
        """(year, count) of the years with citations only (the text equivalent lists these)."""
        return [(y, c) for y, c in self.counts if c]

    @property
    def summary(self) -> str:
        """"Cited by 14 later posts, 2009–2024" (and the pages, if any)."""
        kind = "later post" if self.later else "post"
        text = f"Cited by {self.dated} {kind}{'s' if self.dated != 1 else ''}, {self.years}"
        if self.undated:
            text += f", and by {self.undated} page{'s' if self.undated != 1 else ''}"
        return text

    @property
    def svg(self) -> Markup:
        return Markup(render_strip(self))


def timeline(post_date: Date | None, citing: list[Citing], title: str = "") -> Timeline | None:
    """The timeline of a post cited by `citing` (any order); None when no citing item has a date."""
    dated = sorted((c for c in citing if c.date is not None), key=lambda c: (c.date, c.title, c.url))
    if not dated:
        return None
    per_year: dict[int, int] = {}
    for c in dated:
        per_year[c.date.year] = per_year.get(c.date.year, 0) + 1
    first_year, last_year = dated[0].date.year, dated[-1].date.year
    counts = [(y, per_year.get(y, 0)) for y in range(first_year, last_year + 1)]
    later = post_date is not None and all(c.date > post_date for c in dated)
    return Timeline(counts, dated[0], dated[-1], len(dated), len(citing) - len(dated), later, title)


def render_strip(t: Timeline) -> str:
    """The year-by-year bar strip: role="img" with <title> and <desc>, no links inside, colours
    from currentColor (the figure's text colour, set by the stylesheet in either scheme)."""
    n = len(t.counts)
    top = max(c for _, c in t.counts)
    slot = (WIDTH - 2 * PAD) / n
    bar_w = max(min(slot * 0.72, 28.0), 1.5)
    parts = []
    for i, (year, count) in enumerate(t.counts):
        x = PAD + i * slot + (slot - bar_w) / 2
        h = max(BAR_MAX * count / top, 2.0) if count else 0.0
        if h:
            parts.append(f'<rect class="ct-bar" x="{f(x)}" y="{f(BASELINE - h)}" width="{f(bar_w)}" '
                         f'height="{f(h)}" fill="currentColor"><title>{year}: {count}</title></rect>')
    label_y = BASELINE + 5 + LABEL_SIZE
    scale = f"at most {top} a year" if top > 1 else "1 a year at most"
    first, last = t.counts[0][0], t.counts[-1][0]
    labels = [f'<text class="ct-label ct-scale" x="{f(WIDTH - PAD)}" y="{f(LABEL_SIZE)}" text-anchor="end">{scale}</text>',
              f'<line class="ct-top" x1="{f(PAD)}" y1="{f(BASELINE - BAR_MAX)}" x2="{f(WIDTH - PAD)}" '
              f'y2="{f(BASELINE - BAR_MAX)}" stroke="currentColor" stroke-width="0.5" stroke-dasharray="2 3"/>',
              f'<text class="ct-label" x="{f(PAD)}" y="{f(label_y)}" text-anchor="start">{first}</text>']
    if last != first:
        labels.append(f'<text class="ct-label" x="{f(WIDTH - PAD)}" y="{f(label_y)}" text-anchor="end">{last}</text>')
    tops = [y for y, c in t.counts if c == top]
    most = f" Most in {tops[0]} ({top})." if top > 1 and len(tops) == 1 else ""
    desc = f"{t.summary}.{most} " + ", ".join(f"{y}: {c}" for y, c in t.cited_years) + "."
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ct-svg" viewBox="0 0 {f(WIDTH)} {f(HEIGHT)}" width="{f(WIDTH)}" height="{f(HEIGHT)}" '
        f'role="img" aria-labelledby="ct-title ct-desc" font-size="{LABEL_SIZE}" fill="currentColor">'
        f'<title id="ct-title">{esc("When “" + t.title + "” was cited" if t.title else "When this post was cited")}</title>'
        f'<desc id="ct-desc">{esc(desc)}</desc>'
        f'<line class="ct-axis" x1="{f(PAD)}" y1="{f(BASELINE + 0.5)}" x2="{f(WIDTH - PAD)}" '
        f'y2="{f(BASELINE + 0.5)}" stroke="currentColor" stroke-width="1"/>'
        + "".join(parts) + "".join(labels) + "</svg>"
    )


def _day(value) -> Date | None:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def timeline_of(content) -> Timeline | None:
    """The timeline of a content object from its `backlinks` (crosslinks' data): None without any."""
    backlinks = getattr(content, "backlinks", None) or []
    if not backlinks:
        return None
    citing = [Citing(b.title, b.url, _day(getattr(b.source, "date", None))) for b in backlinks]
    return timeline(_day(getattr(content, "date", None)), citing, str(getattr(content, "title", "")))
