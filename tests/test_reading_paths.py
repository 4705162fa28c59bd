"""Reading paths on hand-made records (concept_graph/paths.py, no Pelican): which posts, in which
order, and why; citation timelines (crosslinks/timeline.py) and link preview data (previews.py)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from concept_graph.graph import build_graph
from concept_graph.model import Concept, Record
from concept_graph.network import Network
from concept_graph.paths import reading_path
from concept_graph.pinned import as_href, split_entries
from crosslinks.previews import plain, script_json, shorten
from crosslinks.timeline import Citing, timeline

TAG = Concept("alpha", "alpha", "tag/alpha.html")


def post(name: str, year: int, links=(), kind="post", tags=(TAG,)) -> Record:
    return Record(id=f"{kind}:{name}.md", kind=kind, label=name.title(), url=f"{name}.html",
                  source=f"{name}.md", date=f"{year}-01-01" if kind == "post" else "", tags=tags,
                  outlinks=tuple((f"post:{t}.md", 1) for t in links))


def path_of(records, steps=7, pagerank=None):
    net = Network(build_graph(records))
    return reading_path(net, net.members["tag:alpha"], pagerank or {}, steps)


def test_most_cited_post_first_with_its_reasons():
    steps = path_of([
        post("late", 2013, ["base"]),
        post("base", 2010),
        post("second", 2011, ["base"]),
        post("third", 2012, ["base", "second"]),
    ])
    assert [s.id for s in steps][0] == "post:base.md"
    first = steps[0]
    assert "cited by 3 other posts on this concept" in first.reasons
    assert "the earliest post on this concept" in first.reasons
    third = next(s for s in steps if s.id == "post:third.md")
    assert third.reasons[-1] == "builds on steps 1 and 2"
    assert steps[1].reasons[-1] == "builds on step 1"
    assert all(s.reasons for s in steps)
    assert [s.id for s in steps] == ["post:base.md", "post:second.md", "post:third.md", "post:late.md"]


def test_a_post_comes_after_the_earlier_posts_it_builds_on():
    # "hub" is cited most, but it builds on "root" (earlier, linked from it): root goes first.
    steps = path_of([
        post("root", 2008),
        post("hub", 2009, ["root"]),
        post("a", 2010, ["hub"]),
        post("b", 2011, ["hub"]),
    ])
    ids = [s.id for s in steps]
    assert ids.index("post:root.md") < ids.index("post:hub.md")


def test_a_link_from_an_old_post_to_a_newer_one_is_not_a_foundation():
    # "old" (2008) was edited to link to "new" (2015); "new" still comes after "old".
    steps = path_of([
        post("old", 2008, ["new"]),
        post("new", 2015, ["old"]),
        post("other", 2016, ["old"]),
    ])
    assert [s.id for s in steps] == ["post:old.md", "post:new.md", "post:other.md"]


@pytest.mark.parametrize("cap", [1, 2, 3])
def test_the_path_is_capped(cap):
    records = [post(f"p{i}", 2000 + i, [f"p{j}" for j in range(i)]) for i in range(5)]
    steps = path_of(records, steps=cap)
    assert len(steps) == cap
    assert steps[0].id == "post:p0.md"  # cited by all four others


def test_pages_are_not_steps_and_ties_fall_back_to_centrality_then_date():
    records = [post("guide", 0, kind="page"), post("x", 2012), post("y", 2011), post("z", 2013)]
    steps = path_of(records, pagerank={"post:z.md": 0.5})
    assert [s.id for s in steps] == ["post:z.md", "post:y.md", "post:x.md"]
    assert steps[1].reasons == ("the earliest post on this concept",)
    assert steps[2].reasons == ("among the site’s most central posts on this concept",)


def test_same_path_whatever_the_order_of_the_records():
    records = [post("a", 2010), post("b", 2011, ["a"]), post("c", 2012, ["a", "b"]), post("d", 2012, ["b"])]
    assert path_of(records) == path_of(list(reversed(records)))


def test_path_entries_and_their_links():
    assert split_entries("articles/a.md, {filename}/articles/b.md ,[[The C post]]") == [
        "articles/a.md", "{filename}/articles/b.md", "[[The C post]]"]
    assert split_entries(["a.md, b.md", "c.md"]) == ["a.md", "b.md", "c.md"]
    assert as_href("articles/a.md") == "{filename}/articles/a.md"
    assert as_href("[[The C post]]") == "{wiki}The C post"
    assert as_href("/2016/10/x.html") == "/2016/10/x.html"
    assert as_href("{filename}../articles/b.md") == "{filename}../articles/b.md"


# ---------------------------------------------------------------- citation timelines

def test_timeline_counts_every_year_from_first_to_latest():
    citing = [Citing("B", "b.html", date(2011, 5, 1)), Citing("D", "d.html", date(2014, 1, 1)),
              Citing("C", "c.html", date(2011, 9, 1)), Citing("Guide", "guide.html", None)]
    t = timeline(date(2010, 1, 1), citing, "A <post>")
    assert t.counts == [(2011, 2), (2012, 0), (2013, 0), (2014, 1)]
    assert t.cited_years == [(2011, 2), (2014, 1)]
    assert (t.first.title, t.latest.title) == ("B", "D")
    assert t.summary == "Cited by 3 later posts, 2011–2014, and by 1 page"
    root = ET.fromstring(t.svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img" and root.get("aria-labelledby") == "ct-title ct-desc"
    assert root.find(f"{ns}title").text == "When “A <post>” was cited"  # escaped in the markup
    assert len(root.findall(f"{ns}rect")) == 2  # one bar per year with citations
    assert not root.findall(f".//{ns}a")
    assert [x.text for x in root.findall(f"{ns}text")] == ["at most 2 a year", "2011", "2014"]


def test_timeline_not_later_and_none_without_dates():
    t = timeline(date(2012, 1, 1), [Citing("Old", "o.html", date(2011, 1, 1))])
    assert t.summary == "Cited by 1 post, 2011"
    assert timeline(date(2012, 1, 1), [Citing("Page", "p.html", None)]) is None


# ---------------------------------------------------------------- link previews

def test_preview_text_is_plain_short_and_safe_in_a_script():
    assert plain("<p>Hello &amp; <em>bye</em></p>") == "Hello & bye"
    text = "word " * 100
    short = shorten(text.strip(), 40)
    assert len(short) <= 40 and short.endswith("…")
    data = {"a.html": {"t": "</script><script>alert(1)</script> & \u2028"}}
    raw = script_json(data)
    assert "<" not in raw and ">" not in raw and "&" not in raw
    assert json.loads(raw) == data
