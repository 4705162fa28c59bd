"""Page digests (plugins/workers/page_inputs.py): what counts as a page's inputs, and what does not.

The digests decide which pages a devserver rebuild leaves on disk; tests/test_incremental.py
checks the result against cold builds. These tests pin the rules one by one on real Pelican
content objects and the theme's real templates, without a build.
"""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

import jinja2
import pytest
from jinja2 import meta, nodes
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Category, Tag

from compute_once import PageSummary
from concept_graph.build import SiteGraph
from conftest import ROOT
from workers.page_inputs import Digests

TEMPLATES = ROOT / "themes" / "network" / "templates"


@pytest.fixture
def settings(tmp_path):
    templates = tmp_path / "theme" / "templates"
    templates.mkdir(parents=True)
    (templates / "post.html").write_text(
        "{{ SITENAME }} {{ article.title }}{% for b in article.backlinks %}{{ b.title }}{% endfor %}", "utf-8")
    (templates / "listing.html").write_text("{% for a in articles %}{{ a.title }}{% endfor %}", "utf-8")
    (templates / "dynamic.html").write_text("{% include name %}", "utf-8")
    return dict(DEFAULT_CONFIG, THEME=str(tmp_path / "theme"), SITENAME="Riverbend", THEME_TEMPLATES_OVERRIDES=[])


@pytest.fixture
def env(settings):
    return jinja2.Environment(loader=jinja2.FileSystemLoader(Path(settings["THEME"]) / "templates"))


def post(settings, name: str, title: str, body: str = "<p>Text.</p>") -> Article:
    metadata = {"title": title, "slug": name, "category": Category("Volunteers", settings),
                "tags": [Tag("mentoring", settings)]}
    article = Article(body, metadata=metadata, settings=settings, source_path=f"/blog/{name}.md", context={})
    article.backlinks = []
    return article


def cut_text(content) -> str:
    return "Cut."


class Backlink:
    def __init__(self, source, context):
        self.source, self.title, self.context = source, source.title, context


def site(settings, **titles):
    """Three posts: a links to b (b's backlinks name a)."""
    a = post(settings, "a", titles.get("a", "Mentors in the library"))
    b = post(settings, "b", titles.get("b", "Volunteers from work"))
    c = post(settings, "c", titles.get("c", "A fair for programs"))
    b.backlinks = [Backlink(a, "as in the library")]
    return a, b, c


def digest(settings, env, name, context, own=None):
    return Digests(settings).page(env.get_template(name), context, own=own, extra=name)


def test_the_same_inputs_give_the_same_digest_in_a_new_run(settings, env):
    """A new run has new objects (kept_contents gives copies of unchanged posts): equal digests."""
    a, b, c = site(settings)
    first = digest(settings, env, "post.html", {"article": b, "SITENAME": "Riverbend"}, own=b)
    a2, b2, _ = copy.deepcopy((a, b, c))
    assert first is not None
    assert digest(settings, env, "post.html", {"article": b2, "SITENAME": "Riverbend"}, own=b2) == first


def test_a_post_page_counts_what_its_backlinks_show(settings, env):
    """b's page shows a's title (a backlink): a retitle of a changes b's digest, one of c does not."""
    a, b, c = site(settings)
    before = digest(settings, env, "post.html", {"article": b}, own=b)
    assert before is not None
    a.title = "Mentors at the library"
    assert digest(settings, env, "post.html", {"article": b}, own=b) != before
    a.title = "Mentors in the library"
    c.title = "Another fair"
    assert digest(settings, env, "post.html", {"article": b}, own=b) == before


def test_a_listing_counts_the_plain_state_of_the_posts_it_lists(settings, env):
    """A listing changes with a listed post's body or title, not with what the build stage
    attached to it (its backlinks: a listing does not show them)."""
    a, b, c = site(settings)
    listing = {"articles": [a, b]}
    before = digest(settings, env, "listing.html", listing)
    assert before is not None
    b.backlinks = [Backlink(c, "and at the fair")]
    assert digest(settings, env, "listing.html", listing) == before
    b._content = "<p>New text.</p>"
    assert digest(settings, env, "listing.html", listing) != before


def test_only_the_variables_a_template_reads_count(settings, env):
    a, b, c = site(settings)
    before = digest(settings, env, "listing.html", {"articles": [a], "unused": [b]})
    assert before is not None
    b.title = "Retitled"
    assert digest(settings, env, "listing.html", {"articles": [a], "unused": [b]}) == before


def test_a_summary_used_by_a_page_is_not_a_change(settings, env):
    """compute_once's PageSummary caches the summary it cut and resolved; a page that used it
    before the digest was taken is no different from one that did not."""
    a, b, c = site(settings)
    a.get_summary = PageSummary(a, cut=cut_text)
    before = digest(settings, env, "listing.html", {"articles": [a]})
    assert before is not None
    assert a.get_summary("") == "Cut."
    assert digest(settings, env, "listing.html", {"articles": [a]}) == before
    copied = pickle.loads(pickle.dumps(a.get_summary))
    assert copied.raw is None and copied.resolved == {}
    assert copied("") == "Cut."


def test_settings_and_template_files_are_in_every_digest(settings, env):
    a, b, c = site(settings)
    before = digest(settings, env, "post.html", {"article": b}, own=b)
    assert digest(dict(settings, SITENAME="Elsewhere"), env, "post.html", {"article": b}, own=b) != before
    template = Path(settings["THEME"]) / "templates" / "post.html"
    template.write_text(template.read_text("utf-8") + " ", "utf-8")
    assert digest(settings, env, "post.html", {"article": b}, own=b) != before


def test_what_cannot_be_known_has_no_digest(settings, env):
    """A template that includes a template named at render time, or a value that does not
    pickle, gives no digest: the page is always rendered."""
    a, b, c = site(settings)
    assert digest(settings, env, "dynamic.html", {"name": "post.html", "article": a}) is None
    assert digest(settings, env, "listing.html", {"articles": [lambda: None]}) is None


def _site_graph_reads(name: str) -> set[str]:
    """The attributes a theme template reads from the site graph (`concept_graph.x`, `cg.x`)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), extensions=["jinja2.ext.do"])
    env.tests["plugin_enabled"] = lambda *_: True
    tree = env.parse(env.loader.get_source(env, name)[0])
    return {node.attr for node in tree.find_all(nodes.Getattr)
            if isinstance(node.node, nodes.Name) and node.node.name in ("concept_graph", "cg")}


def test_site_graph_page_parts_cover_what_the_theme_reads():
    """SiteGraph.page_inputs gives a post's, page's or listing's page only PAGE_PARTS of the site
    graph: every template but the map's and the paths page's must read no other part."""
    names = [p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html")]
    reads = {name: _site_graph_reads(name) for name in names}
    assert reads["graph.html"] - set(SiteGraph.PAGE_PARTS)  # the map reads more: the test can fail
    others = {name: r - set(SiteGraph.PAGE_PARTS) for name, r in reads.items()
              if name not in ("graph.html", "paths.html")}
    assert {name: r for name, r in others.items() if r} == {}


def test_site_wide_pages_read_the_whole_site_graph():
    graph = SiteGraph.__new__(SiteGraph)
    graph.map_url, graph.paths_url, graph.concepts, graph.categories = "graph/index.html", "paths.html", {}, {}
    assert graph.page_inputs({"output_file": "graph/index.html"}) is None
    assert graph.page_inputs({"article": object(), "output_file": "a.html"}) == ("graph/index.html", "paths.html")
    settings = dict(DEFAULT_CONFIG)
    tag = Tag("mentoring", settings)
    graph.concepts = {"mentoring": "the concept's view"}
    assert graph.page_inputs({"tag": tag})[2] == "the concept's view"


def test_no_theme_template_includes_a_name_known_only_when_rendering():
    """Every theme page has a digest: no `{% include variable %}` (it would be rendered every time)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), extensions=["jinja2.ext.do"])
    env.tests["plugin_enabled"] = lambda *_: True
    dynamic = [p.name for p in TEMPLATES.rglob("*.html")
               if None in meta.find_referenced_templates(env.parse(p.read_text("utf-8")))]
    assert dynamic == []
