"""concept_graph, pure core: graph, related posts, measures, SVG, exports, determinism.

Hand-made records only; no Pelican build (see test_graph_site.py for the sample site).
"""

from __future__ import annotations

import gzip
import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from concept_graph import metrics, related
from concept_graph.build import build_all
from concept_graph.graph import build_graph, count_by_kind
from concept_graph.model import Concept, DiagramRef, Record
from concept_graph.network import Network
from concept_graph.synthetic import synthetic_records

SVG = "{http://www.w3.org/2000/svg}"
NEWS = Concept("news", "News", "tag/news.html")
SYSTEMS = Concept("systems-thinking", "Systems thinking", "tag/systems-thinking.html")
VOLUNTEERS = Concept("volunteers", "Volunteers", "tag/volunteers.html")
CAT = Concept("strategy", "Strategy", "category/strategy.html")
OTHER_CAT = Concept("notes", "Notes", "category/notes.html")


def rec(name, tags=(), links=(), category=CAT, title=None, **kw):
    return Record(
        id=f"post:articles/{name}.md", kind="post", label=title or name.upper(),
        url=f"2020/01/{name}.html", source=f"articles/{name}.md", date="2020-01-01",
        tags=tuple(tags), category=category,
        outlinks=tuple((f"post:articles/{t}.md", c) for t, c in links), **kw,
    )


def fixture_records():
    """a links to b and c; d links to b and c (b, c co-cited by a and d); e links to b (coupled
    with a); f shares a's rare tag; g..k share only the common tag "news" with a."""
    recs = [
        rec("a", [NEWS, SYSTEMS], [("b", 2), ("c", 1)]),
        rec("b", [NEWS]),
        rec("c", [NEWS]),
        rec("d", [NEWS], [("b", 1), ("c", 1)], category=OTHER_CAT),
        rec("e", [NEWS], [("b", 1)], category=OTHER_CAT),
        rec("f", [SYSTEMS, VOLUNTEERS], category=OTHER_CAT),
    ]
    recs += [rec(x, [NEWS], category=OTHER_CAT) for x in "ghijk"]
    return recs


def pid(name):
    return f"post:articles/{name}.md"


# ---------------------------------------------------------------- the graph


def test_graph_nodes_and_edges_by_kind():
    recs = fixture_records() + [
        Record("page:pages/about.md", "page", "About", "pages/about.html", "pages/about.md",
               outlinks=((pid("a"), 1),), citations=(("example.org", 2),),
               diagrams=(DiagramRef("loop", "Loop", "cycle", "diagrams/index.html#d-loop", (pid("b"),)),),
               concept_links=(("tag", "systems-thinking"), ("tag", "no-such-tag"))),
    ]
    g = build_graph(recs)
    nodes, edges = count_by_kind(g)
    assert nodes == {"post": 11, "page": 1, "tag": 3, "category": 2, "diagram": 1, "source": 1}
    # links-to: a->b, a->c, d->b, d->c, e->b, about->a, diagram->b, about->tag (concept link)
    assert edges == {"links-to": 8, "tagged": 13, "in-category": 11, "embeds": 1, "cites": 1}
    assert g.edges[pid("a"), pid("b"), "links-to"]["count"] == 2
    assert g.edges["page:pages/about.md", "source:example.org", "cites"]["count"] == 2
    about = g.nodes["page:pages/about.md"]
    assert about == {"id": "page:pages/about.md", "kind": "page", "label": "About",
                     "url": "pages/about.html", "source": "pages/about.md"}
    assert g.nodes["tag:news"]["url"] == "tag/news.html"
    assert "url" not in g.nodes["source:example.org"]
    # Pages carry no category edge; links to unknown posts are dropped.
    assert not any(k == "in-category" for _, _, k in g.out_edges("page:pages/about.md", keys=True))


def test_links_to_unknown_targets_and_self_links_are_dropped():
    g = build_graph([rec("a", links=[("a", 1), ("missing", 1), ("b", 1)]), rec("b")])
    assert [(u, v) for u, v, k in g.edges(keys=True) if k == "links-to"] == [(pid("a"), pid("b"))]


# ---------------------------------------------------------------- related posts


def related_of(name, recs=None, count=5, cap=200):
    net = Network(build_graph(recs or fixture_records()))
    return related.related_all(net, count, cap)[pid(name)], net


def test_related_ranking_and_reasons():
    rel, _ = related_of("a")
    ids = [r.id for r in rel]
    # Direct links first (b has a link and is also coupled with nothing; c the same), then the
    # post coupled through b (e) / co-cited... and f, sharing the rare tag, above any "news"-only post.
    assert ids[:2] == [pid("b"), pid("c")]
    assert pid("f") in ids
    news_only = [pid(x) for x in "ghijk"]
    assert all(ids.index(pid("f")) < ids.index(n) for n in news_only if n in ids)
    reasons = {r.id: r.reasons for r in rel}
    assert reasons[pid("b")][0] == "linked from this post"
    assert "shares Systems thinking" in reasons[pid("f")]
    assert all(r.reasons for r in rel)
    assert [r.score for r in rel] == sorted((r.score for r in rel), reverse=True)


def test_related_co_citation_and_coupling():
    rel_b, _ = related_of("b")
    by_id = {r.id: r for r in rel_b}
    # b and c are both linked from a and d: co-cited.
    assert by_id[pid("c")].reasons[0].startswith("both linked from “A”")
    assert "and 1 more" in by_id[pid("c")].reasons[0]
    rel_a, _ = related_of("a")
    # a and d both link to b and c; a and e both link to b: bibliographic coupling.
    d = {r.id: r for r in rel_a}.get(pid("d"))
    assert d is not None and any(x.startswith("both link to") for x in d.reasons)
    assert {r.id: r for r in rel_a}[pid("d")].score > {r.id: r for r in rel_a}[pid("e")].score


def test_rare_concept_outweighs_common_one():
    rel, net = related_of("f")
    # f shares only the rare "Systems thinking" with a (another category), and only the common
    # category Notes with d, e, g…k: a comes first, for the rare concept.
    assert rel[0].id == pid("a") and rel[0].reasons == ["shares Systems thinking"]
    assert all(r.reasons == ["also in Notes"] and r.score < rel[0].score for r in rel[1:])
    assert net.rarity(2) > net.rarity(10)


def test_related_count_and_fallback():
    rel, _ = related_of("a", count=2)
    assert len(rel) == 2
    # An isolated post (no links, unique tag) still gets related posts: its category's hubs.
    recs = fixture_records() + [rec("lonely", [Concept("solo", "Solo", "tag/solo.html")])]
    net = Network(build_graph(recs))
    m = metrics.compute(net, seed=1)
    out = related.related_all(net, 3, 200, m.pagerank)[pid("lonely")]
    assert len(out) == 3
    assert all(r.reasons == ["also in Strategy"] for r in out)
    assert out[0].id == pid("b")  # most central post of the category (most linked)


def test_common_tag_over_cap_is_not_expanded_but_still_scored():
    rel, _ = related_of("g", cap=3)  # "news" has 10 posts > cap: no candidates through it
    assert rel and all(r.score == 0 and r.reasons == ["also in Notes"] for r in rel)  # fallback only
    rel, _ = related_of("a", cap=3)
    b = [r for r in rel if r.id == pid("b")][0]
    assert "shares News" in b.reasons  # exact rescoring still counts the shared tag


# ---------------------------------------------------------------- measures


def test_metrics_hubs_bridges_clusters():
    # Two cliques joined by one bridge post.
    left = [f"l{i}" for i in range(5)]
    right = [f"r{i}" for i in range(5)]
    recs = [rec(x, links=[(y, 1) for y in left if y != x] + ([("bridge", 1)] if x == "l0" else [])) for x in left]
    recs += [rec(x, links=[(y, 1) for y in right if y != x] + ([("bridge", 1)] if x == "r0" else [])) for x in right]
    recs.append(rec("bridge", links=[("l0", 1), ("r0", 1)]))
    net = Network(build_graph(recs))
    m = metrics.compute(net, seed=7)
    assert m.betweenness_exact
    assert m.bridges[0] == pid("bridge") or set(m.bridges[:3]) >= {pid("bridge")}
    assert m.hubs[0] in {pid("l0"), pid("r0")}
    big = [c for c in m.clusters if not c.other]
    assert len(big) == 2
    assert {m.cluster_of[pid("l1")], m.cluster_of[pid("r1")]} == {c.id for c in big}


def test_sampled_betweenness_matches_networkx_when_exact():
    net = Network(build_graph(synthetic_records(150, seed=3)))
    bc, exact = metrics.betweenness(net, 10_000, 1)
    assert exact
    u = nx.Graph()
    for p in net.content:
        u.add_edges_from((p, q) for q in net.out_links[p])
    ref = nx.betweenness_centrality(u)
    assert max(abs(bc[p] - ref[p]) for p in ref) < 1e-9
    approx, exact = metrics.betweenness(net, 40, 1)
    assert not exact
    top_ref = set(sorted(ref, key=ref.get, reverse=True)[:10])
    top_approx = set(sorted(approx, key=approx.get, reverse=True)[:10])
    assert len(top_ref & top_approx) >= 4


def test_sparse_brandes_equals_the_plain_one():
    net = Network(build_graph(synthetic_records(400, seed=6)))
    nodes = [p for p in net.content if net.out_links[p] or net.in_links[p]]
    index = {p: i for i, p in enumerate(nodes)}
    adj = [set() for _ in nodes]
    for p in nodes:
        for q in net.out_links[p]:
            adj[index[p]].add(index[q])
            adj[index[q]].add(index[p])
    sources = list(range(0, len(nodes), 3))
    plain = metrics._brandes([sorted(a) for a in adj], sources)
    sparse = metrics._brandes_sparse(adj, sources, batch=16)
    assert max(abs(x - y) for x, y in zip(plain, sparse)) < 1e-6
    assert max(plain) > 0


def test_large_site_louvain_is_close_to_networkx():
    net = Network(build_graph(synthetic_records(800, seed=5)))
    ours = metrics.communities(net, 3, exact_max=100)
    theirs = metrics.communities(net, 3)
    # Modularity under the weights Louvain optimises (metrics.communities): a link pair weighs
    # one per direction (2.0 for a mutual link), a tag edge the tag's rarity.
    u = nx.Graph()
    for p in net.content:
        u.add_node(p)
        for q in net.out_links[p]:
            weight = u[p][q]["weight"] + 1.0 if u.has_edge(p, q) else 1.0
            u.add_edge(p, q, weight=weight)
    assert any(w == 2.0 for _, _, w in u.edges(data="weight"))  # mutual links exist: the weights matter
    for t, members in net.members.items():
        for p in members:
            u.add_edge(p, t, weight=net.rarity(len(members)))
    q_ours = nx.community.modularity(u, ours, weight="weight")
    q_theirs = nx.community.modularity(u, theirs, weight="weight")
    assert q_ours > 0.3 and q_ours > q_theirs - 0.05


def test_large_site_communities_path_is_deterministic():
    net = Network(build_graph(synthetic_records(600, seed=5)))
    a = metrics.communities(net, 3, exact_max=100)
    b = metrics.communities(net, 3, exact_max=100)
    assert sorted(map(sorted, a)) == sorted(map(sorted, b))
    assert 2 <= len(a) < 300


# ---------------------------------------------------------------- SVG

NASTY = 'Loops <&> "quotes" & \'apostrophes\' </svg><script>x</script>'


def nasty_site():
    recs = fixture_records()
    recs[0] = rec("a", [NEWS, Concept("sys", NASTY, "tag/sys.html")], [("b", 2), ("c", 1)], title=NASTY)
    recs[1] = rec("b", [NEWS], title="B & <b>")
    return build_all(recs, {})


def parse_svg(markup: str):
    return ET.fromstring(str(markup))  # raises on malformed XML


def parse_drawings(markup: str) -> list:
    """The wide and the narrow drawing of an ego map (each well-formed XML)."""
    root = ET.fromstring(f"<root>{markup}</root>")
    svgs = list(root)
    assert [s.get("class").split()[-1] for s in svgs] == ["cg-wide", "cg-narrow"]
    return svgs


def test_local_graph_svg_well_formed_escaped_and_linked():
    site = nasty_site()
    lg = site.local[pid("a")]
    all_ids = []
    for root in parse_drawings(lg.render("../..")):
        # Links inside: a group (axe: no links inside role="img"), named by its title and desc.
        assert root.tag == SVG + "svg" and root.get("role") == "group"
        title = root.find(SVG + "title")
        assert title.text == f"Local graph of {NASTY}"
        ids = root.get("aria-labelledby").split()
        assert {el.get("id") for el in root.iter() if el.get("id")} >= set(ids)
        all_ids += [el.get("id") for el in root.iter() if el.get("id")]
        assert root.find(SVG + "desc").text
        assert not list(root.iter(SVG + "script"))
        links = list(root.iter(SVG + "a"))
        shown = [n for n in lg.nodes if n.url]  # the centre does not link to its own page
        assert len(links) == len(shown)
        assert {a.get("href") for a in links} == {f"../../{n.url}" for n in shown}
        assert all(a.get("tabindex") == "-1" and a.get("aria-hidden") == "true" for a in links)  # for the pointer
        texts = "".join(t.text or "" for t in root.iter(SVG + "tspan"))
        assert "<b>" in texts and "B &" in texts  # as text, not markup
    assert len(all_ids) == len(set(all_ids))  # unique ids across the two drawings
    assert len(str(lg.render(".."))) < 16000


def test_local_graph_caps_hubs():
    recs = [rec("hub")] + [rec(f"p{i}", links=[("hub", 1)]) for i in range(40)]
    site = build_all(recs, {"CONCEPT_GRAPH_LOCAL_MAX_NODES": 10})
    lg = site.local[pid("hub")]
    assert len(lg.nodes) == 10 and lg.hidden == 31  # 1 category shown + 9 of 40 posts
    for root in parse_drawings(lg.svg):
        assert len(list(root.iter(SVG + "a"))) == 10


def test_concept_map_and_site_map_svg():
    site = nasty_site()
    cv = site.concepts["sys"]
    assert cv.name == NASTY
    parse_drawings(cv.map.render(""))
    for root in parse_drawings(site.map_svg(".")):
        assert root.get("role") == "group"
        assert all(a.get("tabindex") == "-1" and a.get("aria-hidden") == "true" for a in root.iter(SVG + "a"))
        hrefs = [a.get("href") for a in root.iter(SVG + "a")]
        assert any(h.startswith("./2020/01/") for h in hrefs)
        assert any(h.startswith("#cluster-") for h in hrefs)
        texts = " ".join("".join(t.itertext()) for t in root.iter(SVG + "text"))
        assert "…" not in texts  # names and titles wrapped, never cut


def test_site_map_stays_small_on_large_sites():
    site = build_all(synthetic_records(3000, seed=2), {})
    svg = str(site.map_svg(".."))
    for root in parse_drawings(svg):
        dots = list(root.iter(SVG + "circle"))
        assert len(dots) <= 600 + 45
    assert len(svg.encode()) < 500_000
    assert len(gzip.compress(svg.encode())) < 100_000


# ---------------------------------------------------------------- exports


def test_exports_read_back_with_networkx(tmp_path):
    site = nasty_site()
    files = site.exports("2020-01-01")
    g = site.graph
    data = json.loads(files["graph.json"])
    back = nx.node_link_graph(data, edges="links")
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()
    assert back.nodes[pid("a")]["label"] == NASTY
    assert sorted(data) == ["directed", "graph", "links", "multigraph", "nodes"]
    for attrs in data["nodes"]:
        assert attrs["kind"] in ("post", "page", "tag", "category", "diagram", "source")
        assert attrs["id"] and attrs["label"]
        if attrs["kind"] in ("post", "page"):
            assert attrs["url"].endswith(".html") and attrs["source"].endswith(".md")
    for _, _, attrs in back.edges(data=True):
        assert attrs["kind"] in ("links-to", "tagged", "in-category", "embeds", "cites")
        if attrs["kind"] == "links-to":
            assert attrs["count"] >= 1
    for name, reader in (("graph.gexf", nx.read_gexf), ("graph.graphml", nx.read_graphml)):
        path = tmp_path / name
        path.write_bytes(files[name])
        h = reader(path)
        assert h.number_of_nodes() == g.number_of_nodes(), name
        assert h.number_of_edges() == g.number_of_edges(), name
        assert h.nodes[pid("a")]["label"] == NASTY
        assert h.nodes[pid("a")]["kind"] == "post"
    kumu = json.loads(files["kumu.json"])
    labels = [e["label"] for e in kumu["elements"]]
    assert len(labels) == len(set(labels)) == g.number_of_nodes()
    assert len(kumu["connections"]) == g.number_of_edges()
    assert set(kumu["connections"][0]) >= {"from", "to", "type", "direction"}
    assert {c["from"] for c in kumu["connections"]} <= set(labels)


# ---------------------------------------------------------------- determinism


def test_two_builds_are_identical():
    def once():
        site = build_all(synthetic_records(400, seed=9), {})
        files = site.exports("2020-01-01")
        return (
            files,
            str(site.map_svg("..")),
            {p: str(lg.render("..")) for p, lg in site.local.items()},
            {p: [(r.id, r.score, tuple(r.reasons)) for r in rs] for p, rs in site.related.items()},
            {s: str(c.map.render("")) for s, c in site.concepts.items()},
        )

    assert once() == once()


def test_record_order_does_not_matter():
    recs = synthetic_records(200, seed=4)
    a = build_all(recs, {}).exports("2020-01-01")
    b = build_all(list(reversed(recs)), {}).exports("2020-01-01")
    assert a == b


def test_shortlist_scores_are_exact_even_when_hubs_are_skipped():
    net = Network(build_graph(synthetic_records(1500, seed=8)))
    wt = related._Weights(net)
    for p in net.content[::15]:
        for r in related.related_for(net, p, 5, 10, None, wt):  # tiny cap: many hubs skipped
            assert r.score == pytest.approx(related._score(net, wt, p, r.id), abs=1e-5)


# ---------------------------------------------------------------- reuse between builds (cache.py)


def test_unchanged_input_reuses_the_last_build_and_any_change_rebuilds():
    from dataclasses import replace

    from concept_graph import cache

    cache.clear()
    recs = fixture_records()
    first, reused = cache.cached_build(recs, {})
    assert not reused and first.input_key
    # New records with the same values (as after a prose edit): the same result.
    again = fixture_records()
    second, reused = cache.cached_build(again, {})
    assert reused and second is first
    # Each input the outputs depend on changes the key and so the result.
    changes = [
        replace(recs[1], label="B, renamed"),
        replace(recs[1], url="2021/01/b.html"),
        replace(recs[1], tags=(SYSTEMS,)),
        replace(recs[1], category=OTHER_CAT),
        replace(recs[1], outlinks=((pid("c"), 1),)),
        replace(recs[1], citations=(("example.org", 1),)),
        replace(recs[1], concept_links=(("tag", "news"),)),
        replace(recs[1], date="2020-02-02"),
        replace(recs[1], diagrams=(DiagramRef("loop", "Loop", "cycle", "", (pid("a"),)),)),
    ]
    keys = {cache.input_key(recs, {})}
    for changed in changes:
        variant = recs[:1] + [changed] + recs[2:]
        keys.add(cache.input_key(variant, {}))
        site, reused = cache.cached_build(variant, {})
        assert not reused and site is not first
        assert cache.cached_build(recs, {})[1] is False  # and back: built again, not stale
    assert len(keys) == len(changes) + 1
    assert cache.input_key(recs, {"CONCEPT_GRAPH_RELATED_COUNT": 3}) != cache.input_key(recs, {})
    # A reused result gives the same files as a fresh build.
    cache.clear()
    fresh = build_all(fixture_records(), {}).exports("2020-01-01")
    assert cache.cached_build(recs, {})[0].exports("2020-01-01") == fresh
    assert cache.cached_build(again, {})[0].exports("2020-01-01") == fresh
    cache.clear()


def test_exports_are_rewritten_only_when_missing_touched_or_from_other_input(tmp_path):
    from concept_graph import cache

    cache.clear()
    site = build_all(fixture_records(), {})
    sizes = site.write_exports(str(tmp_path), "2020-01-01")
    assert cache.exports_unchanged(str(tmp_path), "k1", "2020-01-01") is None  # never recorded
    cache.exports_written(str(tmp_path), "k1", "2020-01-01", sizes)
    assert cache.exports_unchanged(str(tmp_path), "k1", "2020-01-01") == sizes
    assert cache.exports_unchanged(str(tmp_path), "k2", "2020-01-01") is None  # other input
    assert cache.exports_unchanged(str(tmp_path), "k1", "2021-01-01") is None  # other date
    assert cache.exports_unchanged(str(tmp_path), "", "2020-01-01") is None
    (tmp_path / "kumu.json").write_bytes(b"{}")  # touched by someone else
    assert cache.exports_unchanged(str(tmp_path), "k1", "2020-01-01") is None
    cache.exports_written(str(tmp_path), "k1", "2020-01-01", sizes)
    (tmp_path / "graph.json").unlink()  # output folder cleaned
    assert cache.exports_unchanged(str(tmp_path), "k1", "2020-01-01") is None
    cache.clear()


def test_clusters_are_named_in_plain_words():
    assert metrics.plain_words("network-building") == "network building"
    assert metrics.plain_words("systems_thinking") == "systems thinking"
    assert metrics.plain_words("Systems-Thinking") == "Systems-Thinking"  # as its author wrote it
    assert metrics.plain_words("after school") == "after school"
    site = nasty_site()
    for c in site.metrics.clusters:
        assert "·" not in c.label and "…" not in c.label


def test_a_retitled_post_reuses_the_measures_and_gives_what_a_fresh_build_gives():
    """cache.cached_build: when only titles and URLs changed, the measures and related lists of
    the previous build are taken (build_all's `structure`); the result is a fresh build's."""
    from dataclasses import replace

    from concept_graph import cache
    from concept_graph.build import build_all
    from concept_graph.synthetic import synthetic_records

    records = synthetic_records(300, seed=3)
    retitled = [replace(r, label=r.label + " (revised)", url=r.url.replace(".html", "-v2.html")) if i % 7 == 0 else r
                for i, r in enumerate(records)]
    cache.clear()
    first, reused = cache.cached_build(records)
    assert not reused
    second, reused = cache.cached_build(retitled)
    assert not reused and second.metrics is first.metrics  # taken, not computed again
    fresh = build_all(retitled)
    assert second.metrics is not fresh.metrics

    def related(site):
        return {p: [(r.id, r.score, r.reasons, r.title, r.url) for r in items] for p, items in site.related.items()}

    assert related(second) == related(fresh)
    assert any("(revised)" in title for items in related(second).values() for _, _, _, title, _ in items)
    assert second.map_text == fresh.map_text
    assert second.exports() == fresh.exports()
    assert [(c.id, c.label, c.members) for c in second.metrics.clusters] == \
        [(c.id, c.label, c.members) for c in fresh.metrics.clusters]
    # a changed link is a changed structure: measured again
    relinked = list(retitled)
    relinked[0] = replace(relinked[0], outlinks=relinked[0].outlinks[:-1] if relinked[0].outlinks else (
        (relinked[1].id, 1),))
    third, _ = cache.cached_build(relinked)
    assert third.metrics is not second.metrics
    cache.clear()


def test_related_lists_spread_over_worker_processes_are_the_same():
    from concept_graph.synthetic import synthetic_records
    from workers.pool import fork_map

    records = synthetic_records(300, seed=4)
    here = build_all(records, {})
    spread = build_all(records, {}, mapper=lambda function, items: fork_map(function, items, 3))

    def lists(site):
        return {p: [(r.id, r.score, r.reasons, r.title, r.url) for r in items] for p, items in site.related.items()}

    assert lists(spread) == lists(here) and sum(map(len, lists(here).values())) > 300
    assert list(spread.related) == list(here.related)
