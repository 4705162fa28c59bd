"""Cross-links, resolution: the index answers what every link form points at (pure, no Pelican)."""

from __future__ import annotations

import pytest

from crosslinks.curation import MentionFinder, find_line, unlinked_text
from crosslinks.resolver import Concept, Entry, Index
from crosslinks.urls import UrlScheme, display_like, looks_like_page, normalize_path


def entry(source, url, title, slug, **kw):
    return Entry(obj=source, source=source, url=url, save_as=url, title=title, slug=slug, **kw)


INTERMEDIARIES = entry("articles/2016-10-intermediaries.md", "2016/10/intermediaries.html",
                       "What an intermediary is for", "intermediaries")
CONDUCTOR = entry("articles/2009-03-orchestra-conductor.md", "2009/03/orchestra-conductor.html",
                  "The orchestra conductor", "orchestra-conductor",
                  aliases=("/2009/03/conductor-metaphor.html",
                           "http://riverbend-learning.blogspot.com/2009/03/conductor-metaphor.html",
                           "https://old-host.example/conductor"))
ELEPHANT = entry("articles/élan.md", "2020/01/elan.html", "Éléphant rosé à Noël", "elephant-rose")
ABOUT = entry("pages/about.md", "pages/about.html", "About", "about")
SAME_TITLE_A = entry("articles/a/volunteers.md", "2001/01/volunteers.html", "Volunteers", "volunteers")
SAME_TITLE_B = entry("articles/b/volunteers-2.md", "2002/01/volunteers-2.html", "Volunteers", "volunteers-2")
DRAFT = entry("articles/draft.md", "drafts/draft.html", "A draft", "draft", listed=False, wiki=False)

SCHEME = UrlScheme("https://riverbend.example/blog", ("http://riverbend-learning.blogspot.com",))


@pytest.fixture(scope="module")
def index():
    return Index(
        [INTERMEDIARIES, CONDUCTOR, ELEPHANT, ABOUT, SAME_TITLE_A, SAME_TITLE_B, DRAFT],
        SCHEME,
        concepts=[Concept("tag", "systems thinking", "systems-thinking", "tag/systems-thinking.html"),
                  Concept("category", "Connected learning", "connected-learning",
                          "category/connected-learning.html")],
        static_sources=["images/map.png"],
        static_paths=["images/map.png"],
        known_paths=["", "index.html", "archives.html"],
        known_patterns=[r"[^/]+/index\.html", r"graph/.*"],
        failed_sources=["articles/unreadable.md"],
    )


@pytest.mark.parametrize("href", [
    "{filename}/articles/2016-10-intermediaries.md",          # from the content root
    "{filename}2016-10-intermediaries.md",                    # relative to the post's folder
    "{filename}../articles/2016-10-intermediaries.md",
    "|filename|/articles/2016-10-intermediaries.md",          # Pelican's old syntax
    "{filename}/articles/2016-10-intermediaries.md#section",
    "/blog/2016/10/intermediaries.html",                      # site-relative, under SITEURL's path
    "../../2016/10/intermediaries.html",                      # relative to 2009/03/
    "https://riverbend.example/blog/2016/10/intermediaries.html",
    "https://www.riverbend.example/blog/2016/10/intermediaries.html?utm=x#frag",
    "http://riverbend-learning.blogspot.com/2016/10/intermediaries.html",  # legacy host
    "{wiki}What%20an%20intermediary%20is%20for",
    "{wiki}WHAT%20AN%20INTERMEDIARY%20IS%20FOR",
    "{wiki}intermediaries",
    "{wiki}2016-10-intermediaries",                          # file name
    "{wiki}2016-10-intermediaries.md",
])
def test_every_link_form_resolves_to_the_post(index, href):
    res = index.resolve(href, CONDUCTOR)
    assert res.kind == "content", res
    assert res.target is INTERMEDIARIES


@pytest.mark.parametrize("href", [
    "/blog/2009/03/conductor-metaphor.html",
    "http://riverbend-learning.blogspot.com/2009/03/conductor-metaphor.html",
    "https://riverbend-learning.blogspot.com/2009/03/conductor-metaphor.html",
    "https://old-host.example/conductor",
    "../../2009/03/conductor-metaphor.html",
])
def test_aliases_resolve_to_their_post(index, href):
    res = index.resolve(href, INTERMEDIARIES)
    assert (res.kind, res.target) == ("content", CONDUCTOR)


def test_aliases_produce_redirects_at_their_site_paths(index):
    assert index.redirects == {"2009/03/conductor-metaphor.html": CONDUCTOR, "conductor": CONDUCTOR}


def test_unicode_titles_ignore_case_and_accents(index):
    for target in ("Éléphant rosé à Noël", "elephant rose a noel", "ELEPHANT-ROSE", "élan"):
        res = index.resolve_wiki(target)
        assert res.target is ELEPHANT, target


def test_ambiguous_wiki_link_lists_candidates(index):
    res = index.resolve_wiki("volunteers")
    assert res.kind == "ambiguous"
    assert res.candidates == (SAME_TITLE_A, SAME_TITLE_B)
    assert res.message() == ("broken link to 'volunteers': ambiguous, 2 posts match: "
                             "'articles/a/volunteers.md' (Volunteers), 'articles/b/volunteers-2.md' (Volunteers)")
    # the slug of one of them is not ambiguous
    assert index.resolve_wiki("volunteers-2").target is SAME_TITLE_B


def test_missing_wiki_link_suggests_the_closest_title(index):
    res = index.resolve_wiki("The orchestra conductr")
    assert res.kind == "broken"
    assert res.message() == "broken link to 'The orchestra conductr' (did you mean 'The orchestra conductor'?)"


def test_missing_wiki_link_without_anything_close(index):
    res = index.resolve_wiki("No Such Post Anywhere")
    assert res.message() == "broken link to 'No Such Post Anywhere'"


def test_wiki_link_fragment_is_kept(index):
    res = index.resolve_wiki("orchestra-conductor#the-score")
    assert (res.target, res.fragment) == (CONDUCTOR, "#the-score")


def test_drafts_are_not_wiki_targets_but_resolve_by_filename(index):
    assert index.resolve_wiki("A draft").kind == "broken"
    assert index.resolve("{filename}/articles/draft.md", CONDUCTOR).target is DRAFT


def test_missing_filename_suggests_in_the_form_written(index):
    res = index.resolve("{filename}2016-10-intermediarys.md", CONDUCTOR)
    assert res.message() == ("broken link to '2016-10-intermediarys.md' "
                             "(did you mean '2016-10-intermediaries.md'?)")
    res = index.resolve("{filename}/articles/2016-10-intermediarys.md", CONDUCTOR)
    assert res.suggestion == "/articles/2016-10-intermediaries.md"


def test_filename_of_a_file_pelican_could_not_read_is_broken(index):
    assert index.resolve("{filename}/articles/unreadable.md", CONDUCTOR).kind == "broken"


def test_missing_page_url_suggests_in_the_form_written(index):
    res = index.resolve("/blog/2016/10/intermediaries", CONDUCTOR)  # no .html
    assert res.kind == "broken"
    assert res.suggestion == "/blog/2016/10/intermediaries.html"
    res = index.resolve("../../2016/10/intermediares.html", CONDUCTOR)
    assert res.suggestion == "../../2016/10/intermediaries.html"
    res = index.resolve("https://riverbend.example/blog/2016/10/intermediares.html", CONDUCTOR)
    assert res.suggestion == "https://riverbend.example/blog/2016/10/intermediaries.html"


def test_tag_and_category_links_become_concepts(index):
    for href in ("{tag}systems-thinking", "{tag}Systems Thinking", "/blog/tag/systems-thinking.html",
                 "../../tag/systems-thinking.html"):
        res = index.resolve(href, CONDUCTOR)
        assert (res.kind, res.concept) == ("concept", ("tag", "systems thinking")), href
    res = index.resolve("{category}connected-learning", CONDUCTOR)
    assert res.concept == ("category", "Connected learning")
    res = index.resolve("{tag}systems-thinkin", CONDUCTOR)
    assert res.kind == "broken" and res.suggestion == "{tag}systems thinking"


@pytest.mark.parametrize("href, kind", [
    ("https://en.wikipedia.org/wiki/Theory_U", "external"),
    ("https://riverbend.example/elsewhere/x.html", "external"),  # same host, outside the blog
    ("mailto:someone@example.org", "ignored"),
    ("#section", "ignored"),
    ("", "ignored"),
    ("/blog/images/map.png", "static"),
    ("{static}/images/map.png", "static"),
    ("/blog/images/missing.png", "ignored"),  # not a page: not a cross-link
    ("/blog/archives.html", "known"),
    ("/blog/", "known"),
    ("https://riverbend.example/blog", "known"),
    ("/blog/2016/index.html", "known"),
    ("/blog/graph/", "known"),
    ("/blog/nowhere.html", "broken"),
])
def test_other_kinds(index, href, kind):
    assert index.resolve(href, CONDUCTOR).kind == kind


def test_alias_conflicts_are_reported():
    a = entry("a.md", "a.html", "A", "a", aliases=("/b.html", "/old.html"))
    b = entry("b.md", "b.html", "B", "b", aliases=("/old.html",))
    idx = Index([a, b], UrlScheme())
    messages = sorted(m for _, _, m in idx.problems)
    assert messages == ["alias '/b.html' is the URL of 'b.md'",
                        "alias '/old.html' is also an alias of 'a.md'"]


def test_url_scheme_helpers():
    assert normalize_path("/a/./b/../c%20d.html") == "a/c d.html"
    assert normalize_path("tag/") == "tag/"
    assert looks_like_page("a/b.html") and looks_like_page("a/b/") and looks_like_page("a/b")
    assert not looks_like_page("images/x.png")
    scheme = UrlScheme("https://chezsoi.org/lucas/blog")
    assert scheme.classify("/lucas/blog/x.html") == ("path", "x.html")
    assert scheme.classify("/lucas/isso")[0] == "other"
    assert scheme.classify("x.html", "pages/p.html") == ("path", "pages/x.html")
    root = UrlScheme("https://chezsoi.org/lucas/blog", relative_to_root=True)
    assert root.classify("x.html", "pages/p.html") == ("path", "x.html")
    assert display_like("../09/x.html", "2016/09/y.html", "2016/10/z.html", scheme) == "../09/y.html"


def test_mention_finder_is_word_based_and_case_insensitive():
    finder = MentionFinder([("conductor", "The Orchestra Conductor"), ("two", "Two words"),
                            ("iceberg", "The iceberg under a tutoring program")])
    text = unlinked_text("<p>Like the orchestra conductor said, <a href='x'>the iceberg under a "
                         "tutoring program</a>.</p><pre>the iceberg under a tutoring program</pre>"
                         "<p>Two words are too short.</p>")
    assert finder.find(text) == ["conductor"]
    assert find_line(["Title: x", "", "Like the Orchestra", "Like THE ORCHESTRA CONDUCTOR"],
                     "The Orchestra Conductor") == 4


def test_relative_link_climbing_out_of_the_site_subpath_is_broken():
    idx = Index([INTERMEDIARIES, CONDUCTOR], UrlScheme("https://riverbend.example/blog"))
    res = idx.resolve("../../../2016/10/intermediaries.html", CONDUCTOR)  # leaves /blog/
    assert res.kind == "broken"
    assert res.suggestion == "../../2016/10/intermediaries.html"
    root = Index([INTERMEDIARIES, CONDUCTOR], UrlScheme(""))
    # without a sub-path, browsers stop at the root: the link works
    assert root.resolve("../../../2016/10/intermediaries.html", CONDUCTOR).target is INTERMEDIARIES


def test_alias_on_a_generated_page_is_reported_and_own_url_ignored():
    a = entry("a.md", "a.html", "A", "a", aliases=("/archives.html", "/a.html", "/tag/x.html"))
    idx = Index([a], UrlScheme(), known_paths=["archives.html"],
                concepts=[Concept("tag", "x", "x", "tag/x.html")])
    assert sorted(m for _, _, m in idx.problems) == [
        "alias '/archives.html' is the URL of another page of the site",
        "alias '/tag/x.html' is the URL of another page of the site"]
    assert idx.redirects == {}


def test_other_plugins_pages_are_known_from_their_save_as_settings():
    from concept_graph.settings import DEFAULTS as GRAPH
    from crosslinks.settings import DEFAULTS as CROSSLINKS
    from crosslinks.site_index import known_pages
    from diagrams.settings import DEFAULTS as DIAGRAMS
    from plugin_settings import with_defaults

    def kind(settings, href):  # a site with the three plugins enabled: their defaults applied
        known, patterns = known_pages(with_defaults(settings, {**CROSSLINKS, **GRAPH, **DIAGRAMS}))
        source = Entry(obj=object(), source="a.md", url="a.html")
        return Index([source], known_paths=known, known_patterns=patterns).resolve(href, source).kind

    moved = {"CONCEPT_GRAPH_SAVE_AS": "maps/concepts.html", "DIAGRAMS_INDEX_SAVE_AS": "a/b/diagrams.html"}
    assert kind(moved, "/maps/concepts.html") == "known"
    assert kind(moved, "/a/b/diagrams.html") == "known"
    assert kind(moved, "/graph/index.html") == "broken"  # the old folder is no longer a page
    assert kind({}, "/graph/") == "known" and kind({}, "/diagrams/index.html") == "known"  # the defaults
    assert kind({"CROSSLINKS_KNOWN_PATHS": ["extra/*"]}, "/extra/page.html") == "known"
    assert kind({"CROSSLINKS_KNOWN_PATHS": ["extra/*"]}, "/graph/") == "known"  # added to, not replaced
    assert kind(moved, "/a/b/other.html") == "broken"  # the diagram index is one page, not a folder


def _posts(title="What an intermediary is for", obj="new"):
    return [Entry(obj=f"{obj} intermediaries", source="articles/2016-10-intermediaries.md",
                  url="2016/10/intermediaries.html", save_as="2016/10/intermediaries.html",
                  title=title, slug="intermediaries"),
            Entry(obj=f"{obj} conductor", source="articles/2009-03-orchestra-conductor.md",
                  url="2009/03/orchestra-conductor.html", save_as="2009/03/orchestra-conductor.html",
                  title="The orchestra conductor", slug="orchestra-conductor")]


def test_an_index_with_the_same_inputs_is_the_last_one_with_new_posts():
    """A devserver rebuild that changed no title, URL or alias gets the last index again
    (Index.again), its entries bound to the new run's content objects, so what it resolved
    before, cached, points at this run's posts; a changed title makes a new index."""
    from crosslinks.resolver import release

    first = Index.again(_posts(obj="old"), scheme=SCHEME, concepts=[], known_paths=["index.html"])
    resolved = first.resolve("{filename}2016-10-intermediaries.md", first.entries[1])
    assert resolved.target.obj == "old intermediaries"
    release()
    assert [e.obj for e in first.entries] == [None, None]  # the last run's posts are let go
    again = Index.again(_posts(obj="new"), scheme=SCHEME, concepts=[], known_paths=["index.html"])
    assert again is first
    cached = again.resolve("{filename}2016-10-intermediaries.md", again.entries[1])
    assert cached is resolved and cached.target.obj == "new intermediaries"
    retitled = Index.again(_posts(title="Intermediaries, again"), scheme=SCHEME, concepts=[],
                           known_paths=["index.html"])
    assert retitled is not first
    assert retitled.resolve("{wiki}Intermediaries, again", retitled.entries[1]).target.obj == "new intermediaries"
    other_rules = Index.again(_posts(title="Intermediaries, again"), scheme=UrlScheme("https://elsewhere.example"),
                              concepts=[], known_paths=["index.html"])
    assert other_rules is not retitled


def test_links_written_alike_from_one_folder_resolve_once(index):
    """Within an index, a link written the same way from the same folder is resolved once; from
    another URL folder, a relative URL is resolved again (it means another page)."""
    a = index.resolve("../../2016/10/intermediaries.html", CONDUCTOR)
    assert a.kind == "content" and a.target is INTERMEDIARIES
    assert index.resolve("../../2016/10/intermediaries.html", CONDUCTOR) is a
    from_elsewhere = index.resolve("../../2016/10/intermediaries.html", ABOUT)  # pages/about.html
    assert from_elsewhere is not a and from_elsewhere.kind != "content"
