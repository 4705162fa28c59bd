"""concept_graph on the sample site (content/), built once by the shared `sample_site` fixture.

The graph's node and edge counts are checked against counts made here, independently, from
the Markdown sources: metadata headers for tags and categories, and the links as the
crosslinks contract defines them ({filename} links, wiki links, site-relative and legacy-host
URLs, aliases; nothing inside code), diagram blocks for `embeds`.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

import networkx as nx
import pytest
import yaml

from conftest import CONTENT, ROOT

DIAGRAM_TYPES = {"diagram", "intermediary", "causal-loop", "concept-map", "cycle"}
LEGACY = ("riverbend-learning.blogspot.com",)


def slugify(text: str) -> str:
    from pelican.settings import read_settings
    from pelican.urlwrappers import Tag

    return Tag(text, read_settings(str(ROOT / "pelicanconf.py"))).slug


class Source:
    def __init__(self, path: Path):
        self.rel = path.relative_to(CONTENT).as_posix()
        self.kind = "page" if self.rel.startswith("pages/") else "post"
        text = path.read_text("utf-8")
        header, _, self.body = text.partition("\n\n")
        self.meta = {}
        for line in header.splitlines():
            key, _, value = line.partition(":")
            self.meta[key.strip().lower()] = value.strip()
        self.title = self.meta["title"]
        self.slug = self.meta.get("slug") or slugify(self.title)
        if self.kind == "page":
            self.url = f"pages/{self.slug}.html"
        else:
            y, m = self.meta["date"][:4], self.meta["date"][5:7]
            self.url = f"{y}/{m}/{self.slug}.html"
        self.tags = [t.strip() for t in self.meta.get("tags", "").split(",") if t.strip()]
        self.category = self.meta.get("category", "misc")
        self.aliases = [a.strip() for a in self.meta.get("aliases", "").split(",") if a.strip()]

    def prose_and_fences(self):
        """(text outside fenced blocks with code spans removed, [(info, block text)])."""
        prose, fences, block, info = [], [], None, None
        for line in self.body.splitlines():
            m = re.match(r"^\s*(```|~~~)\s*([\w-]*)", line)
            if block is None and m:
                block, info = [], m.group(2)
            elif block is not None and re.match(r"^\s*(```|~~~)\s*$", line):
                fences.append((info, "\n".join(block)))
                block = None
            elif block is not None:
                block.append(line)
            elif not line.startswith("    "):
                prose.append(line)
        text = re.sub(r"``.*?``|`[^`\n]*`", "", "\n".join(prose))
        return text, fences


def links_in(spec):
    """Every `link:` value in a diagram spec, wherever it is nested."""
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "link" and isinstance(value, str):
                yield value
            else:
                yield from links_in(value)
    elif isinstance(spec, list):
        for item in spec:
            yield from links_in(item)


@pytest.fixture(scope="module")
def expected():
    sources = [Source(p) for p in sorted((CONTENT / "articles").rglob("*.md"))]
    sources += [Source(p) for p in sorted((CONTENT / "pages").rglob("*.md"))]
    sources = [s for s in sources if s.meta.get("status", "published") == "published"]
    by_rel = {s.rel: s for s in sources}
    by_url = {}
    for s in sources:
        by_url[s.url] = s
        for a in s.aliases:
            by_url[urlparse(a).path.lstrip("/")] = s
    by_title = {s.title.casefold(): s for s in sources}
    concept_urls = {}
    for s in sources:
        for t in s.tags:
            concept_urls[f"tag/{slugify(t)}.html"] = f"tag:{slugify(t)}"
        if s.kind == "post":
            concept_urls[f"category/{slugify(s.category)}.html"] = f"category:{slugify(s.category)}"
    by_slug = {s.slug: s for s in sources}

    def resolve(target: str, base: Source):
        target = target.split("#", 1)[0].strip().strip("<>")
        if target.startswith("{filename}"):
            path = target[len("{filename}"):]
            key = path[1:] if path.startswith("/") else posixpath.normpath(
                posixpath.join(posixpath.dirname(base.rel), path))
            return by_rel.get(key)
        u = urlparse(target)
        if u.scheme in ("http", "https") and u.netloc.removeprefix("www.") not in LEGACY:
            return None
        if u.scheme in ("http", "https") or target.startswith("/"):
            path = u.path.lstrip("/")
        elif not u.scheme and base.rel.endswith(".md"):  # relative to the post's own URL
            path = posixpath.normpath(posixpath.join(posixpath.dirname(base.url), u.path))
        else:
            return None
        return by_url.get(path) or concept_urls.get(path)

    nodes = defaultdict(set)
    edges = defaultdict(set)
    tag_slugs = {slugify(t) for s in sources for t in s.tags}
    cat_slugs = {slugify(s.category) for s in sources if s.kind == "post"}
    for s in sources:
        nodes[s.kind].add(s.rel)
        for t in s.tags:
            nodes["tag"].add(slugify(t))
            edges["tagged"].add((s.rel, slugify(t)))
        if s.kind == "post":
            nodes["category"].add(slugify(s.category))
            edges["in-category"].add((s.rel, slugify(s.category)))
        text, fences = s.prose_and_fences()
        for target in re.findall(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", text):
            if target.startswith(("{tag}", "{category}")):
                kind, name = target[1:].split("}", 1)
                slug = slugify(name.split("#")[0])
                if slug in (tag_slugs if kind == "tag" else cat_slugs):
                    edges["links-to"].add((s.rel, f"{kind}:{slug}"))
                continue
            u = urlparse(target)
            if u.scheme in ("http", "https") and u.netloc.removeprefix("www.") not in LEGACY:
                site = u.netloc.lower().removeprefix("www.")
                nodes["source"].add(site)
                edges["cites"].add((s.rel, site))
                continue
            hit = resolve(target, s)
            if isinstance(hit, str):  # a concept page by its URL
                edges["links-to"].add((s.rel, hit))
            elif hit is not None and hit is not s:
                edges["links-to"].add((s.rel, hit.rel))
        for wiki in re.findall(r"\[\[([^\]|]+)(?:\|[^\]]*)?\]\]", text):
            key = wiki.strip()
            hit = by_title.get(key.casefold()) or by_slug.get(key)
            if hit is not None and hit is not s:
                edges["links-to"].add((s.rel, hit.rel))
        n = 0
        for info, block in fences:
            if info not in DIAGRAM_TYPES:
                continue
            n += 1
            spec = yaml.safe_load(block) or {}
            if info == "diagram" and spec.get("use"):
                ident = spec["use"]
                spec = yaml.safe_load((CONTENT / "diagrams" / f"{ident}.yaml").read_text("utf-8"))
                base = Source.__new__(Source)
                base.rel, base.url = f"diagrams/{ident}.yaml", ""
            else:
                ident = f"{s.rel[:-3]}#{n}"
                base = s
            nodes["diagram"].add(ident)
            edges["embeds"].add((s.rel, ident))
            for link in links_in(spec):
                hit = resolve(link.strip(), base)
                if isinstance(hit, Source):  # the diagram links there (not the post's outlinks)
                    edges["links-to"].add((f"diagram:{ident}", hit.rel))
    return {k: len(v) for k, v in nodes.items()}, {k: len(v) for k, v in edges.items()}


@pytest.fixture(scope="module")
def graph(sample_site):
    data = json.loads(sample_site.path("graph/graph.json").read_text("utf-8"))
    return nx.node_link_graph(data, edges="links"), data


def test_graph_counts_match_the_sources(graph, expected):
    g, _ = graph
    nodes, edges = defaultdict(int), defaultdict(int)
    for _, kind in g.nodes(data="kind"):
        nodes[kind] += 1
    for *_, kind in g.edges(data="kind"):
        edges[kind] += 1
    exp_nodes, exp_edges = expected
    assert dict(nodes) == exp_nodes
    assert dict(edges) == exp_edges


def test_graph_json_follows_the_contract(graph, sample_site):
    g, data = graph
    assert data["directed"] and "links" in data and "edges" not in data
    for n in data["nodes"]:
        assert n["kind"] in ("post", "page", "tag", "category", "diagram", "source")
        assert n["id"].startswith(n["kind"] + ":") and n["label"]
        if n["kind"] in ("post", "page", "tag", "category"):
            assert sample_site.path(n["url"]).is_file(), n["url"]
            assert not n["url"].startswith("/")
        if n["kind"] in ("post", "page"):
            assert n["id"] == f'{n["kind"]}:{n["source"]}' and (CONTENT / n["source"]).is_file()
    assert all(e["kind"] in ("links-to", "tagged", "in-category", "embeds", "cites") for e in data["links"])
    assert all(e["count"] >= 1 for e in data["links"] if e["kind"] == "links-to")


def test_every_export_exists_and_reads_back(sample_site, graph):
    g, _ = graph
    soup = sample_site.soup("graph/index.html")
    hrefs = {a["href"] for a in soup.select("section.graph-exports a[href]")}
    for name, reader in (("graph.gexf", nx.read_gexf), ("graph.graphml", nx.read_graphml)):
        assert f"../graph/{name}" in hrefs
        h = reader(sample_site.path(f"graph/{name}"))
        assert (h.number_of_nodes(), h.number_of_edges()) == (g.number_of_nodes(), g.number_of_edges())
    kumu = json.loads(sample_site.path("graph/kumu.json").read_text("utf-8"))
    assert len(kumu["elements"]) == g.number_of_nodes()
    assert len(kumu["connections"]) == g.number_of_edges()


def _article_pages(sample_site):
    g = nx.node_link_graph(json.loads(sample_site.path("graph/graph.json").read_text("utf-8")), edges="links")
    return [a["url"] for _, a in g.nodes(data=True) if a["kind"] == "post"]


def _resolves(sample_site, page: str, href: str) -> bool:
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), href.split("#")[0]))
    return sample_site.path(target).is_file()


def test_every_post_has_related_posts_and_a_local_graph(sample_site):
    for url in _article_pages(sample_site):
        soup = sample_site.soup(url)
        related = soup.select_one("section.related")
        backlinked = {a["href"] for a in soup.select("section.backlinks a.backlink__title")}
        if related is None:  # left out only when "Linked from" already lists every related post
            assert backlinked, url
        else:
            links = related.select("li a[href]")
            assert 1 <= len(links) <= 5, url
            assert not {a["href"] for a in links} & backlinked, url  # each post named once
            assert all(_resolves(sample_site, url, a["href"]) for a in links), url
            assert all(li.select_one(".related__why").get_text(strip=True) for li in related.select("li")), url
        fig = soup.select_one("figure.local-graph")
        assert fig is not None, url
        svg = fig.find("svg")
        assert svg["role"] == "img" and svg.find("title").get_text()
        svg_links = [a["href"] for a in svg.find_all("a")]
        assert svg_links and all(_resolves(sample_site, url, h) for h in svg_links), url
        role = fig.select_one(".local-graph__role a[href]")
        assert role is not None and _resolves(sample_site, url, role["href"]), url
        assert sample_site.soup("graph/index.html").find(id=role["href"].split("#")[1]) is not None
        words = fig.select("details li a[href]")
        assert len(words) == len(svg_links) - 1  # every neighbour in words (the post itself is not listed)
        size = sample_site.path(url).stat().st_size
        assert size < 60_000, (url, size)


def test_concept_pages_show_their_neighbourhood(sample_site, graph):
    g, _ = graph
    tags = [dict(a, id=n) for n, a in g.nodes(data=True) if a["kind"] == "tag"]
    for tag in tags:
        soup = sample_site.soup(tag["url"])
        section = soup.select_one("section.concept-neighbourhood")
        assert section is not None, tag["url"]
        central = [a["href"] for a in section.select("ol.concept__central a")]
        members = sorted(u for u, v, k in g.edges(keys=True) if v == tag["id"] and k == "tagged")
        assert 1 <= len(central) <= 5
        assert section.select_one("figure.concept-map svg[role=img]") is not None
        listed = section.select("details.concept__all li a")
        assert len(listed) in (0, len(members))
        for a in section.select("a[href]"):
            assert _resolves(sample_site, tag["url"], a["href"]) or a["href"].startswith("#"), a["href"]


def test_map_page(sample_site, graph):
    g, _ = graph
    soup = sample_site.soup("graph/index.html")
    svg = soup.select_one("figure.site-map svg[role=img]")
    assert svg is not None and svg.find("title").get_text()
    assert soup.select_one("figure.site-map .site-map__legend li")
    hubs = soup.select("section.graph-hubs li a")
    assert hubs and all(_resolves(sample_site, "graph/index.html", a["href"]) for a in hubs)
    assert soup.select("section.graph-bridges li")
    clusters = soup.select("section.graph-cluster")
    assert clusters
    for a in svg.find_all("a"):
        href = a["href"]
        if href.startswith("#"):
            assert soup.find(id=href[1:]) is not None, href
        else:
            assert _resolves(sample_site, "graph/index.html", href), href
    # Every post appears in exactly one cluster (counted in the headings).
    total = sum(int(re.search(r"\((\d+) posts?\)", c.find("h3").get_text()).group(1)) for c in clusters)
    assert total == sum(1 for _, k in g.nodes(data="kind") if k in ("post", "page"))


def test_two_builds_are_byte_identical(sample_site, tmp_path):
    from conftest import build_site

    other = tmp_path / "again"
    build_site(CONTENT, other)
    for name in ("index.html", "graph.json", "kumu.json", "graph.gexf", "graph.graphml"):
        assert (other / "graph" / name).read_bytes() == sample_site.path(f"graph/{name}").read_bytes(), name
    for url in _article_pages(sample_site):
        assert (other / url).read_bytes() == sample_site.path(url).read_bytes(), url
    for page in sorted((sample_site.output / "tag").glob("*.html")):
        assert (other / "tag" / page.name).read_bytes() == page.read_bytes(), page.name


def test_category_pages_show_main_concepts_and_central_posts(sample_site, graph):
    g, _ = graph
    for nid, cat in g.nodes(data=True):
        if cat["kind"] != "category":
            continue
        section = sample_site.soup(cat["url"]).select_one("section.category-neighbourhood")
        assert section is not None, cat["url"]
        members = {g.nodes[u]["url"] for u, v, k in g.edges(keys=True) if v == nid and k == "in-category"}
        central = [a["href"] for a in section.select("ol.concept__central a")]
        assert central and len(central) <= 5
        assert {posixpath.normpath(posixpath.join("category", h)) for h in central} <= members


def test_ids_unique_and_aria_references_resolve_on_graph_pages(sample_site):
    pages = ["graph/index.html", *_article_pages(sample_site)[:8], "pages/about.html"]
    pages += sorted(p.relative_to(sample_site.output).as_posix() for p in (sample_site.output / "tag").glob("*.html"))[:5]
    for rel in pages:
        soup = sample_site.soup(rel)
        ids = [el["id"] for el in soup.find_all(id=True)]
        assert len(ids) == len(set(ids)), rel
        for el in soup.find_all(attrs={"aria-labelledby": True}):
            for ref in el["aria-labelledby"].split():
                assert soup.find(id=ref) is not None, (rel, ref)
        assert soup.find("script") is None, rel  # nothing of ours needs JavaScript


def test_second_build_in_one_process_reuses_the_graph_on_the_new_posts(tmp_path):
    """Devserver case: the same input in the same process gives the previous result back,
    attached to the new content objects (by source path), and the same pages."""
    from conftest import build_site
    from pelican import signals

    from concept_graph import cache

    seen = []

    def grab(generators):
        from pelican.generators import ArticlesGenerator

        for gen in generators:
            if isinstance(gen, ArticlesGenerator):
                seen.append((list(gen.articles), gen.context))  # the plugin's receiver runs later

    cache.clear()
    signals.all_generators_finalized.connect(grab)
    try:
        build_site(CONTENT, tmp_path / "one")
        build_site(CONTENT, tmp_path / "two")
    finally:
        signals.all_generators_finalized.disconnect(grab)
        cache.clear()
    (first_posts, first_ctx), (second_posts, second_ctx) = seen[0], seen[-1]
    first_site, second_site = first_ctx["concept_graph"], second_ctx["concept_graph"]
    assert second_site is first_site  # nothing recomputed
    new_ids = {id(a) for a in second_posts}
    old_ids = {id(a) for a in first_posts}
    assert not new_ids & old_ids  # Pelican made new objects
    by_source = {a.source_path: a for a in second_posts}
    checked = 0
    for a in second_posts:
        for item in a.related:
            if item.post is not None and item.post.source_path in by_source:
                assert item.post is by_source[item.post.source_path]
                checked += 1
    assert checked
    for cv in second_site.concepts.values():
        for ref in cv.posts:
            assert ref.post is None or id(ref.post) not in old_ids
    for name in ("index.html", "graph.json", "graph.gexf"):
        assert (tmp_path / "two" / "graph" / name).read_bytes() == (tmp_path / "one" / "graph" / name).read_bytes()
