"""Search and the A-Z index (issue 14, parts 1 and 5): the pure A-Z ordering, then the built sample site and
small sites parsed with BeautifulSoup: the header form on every page, a-z.html, search.html without
JavaScript, the Pagefind index (posts and pages, never listings, drafts or hidden pages), page weight,
failures reported, links to the new pages never broken."""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import posixpath
import re
from pathlib import Path

import pytest

from conftest import PAGEFIND_UNSTABLE, build_site

PAGE_GROWTH_LIMIT = 1024  # issue 14: an ordinary page grows by at most 1 KB (the header form)


# ---------------------------------------------------------------- pure: the A-Z order


def test_sort_key_ignores_case_accents_and_leading_quotes():
    from search.az import letter_of, sort_key

    assert sort_key("Éducation") == sort_key("education") == sort_key("EDUCATION")
    assert sort_key("“Quoted” title") == sort_key("quoted title")
    assert sort_key("P'tites sorcières") == "ptites sorcieres" > sort_key("p5js")
    assert letter_of("Über uns") == "U"
    assert letter_of("2020 in review") == "#"
    assert letter_of("Ωmega") == "#"


def test_group_orders_like_a_book_index_and_is_deterministic():
    from search.az import AZEntry, group

    entries = [AZEntry("volunteers", "tag/volunteers.html", "concept", 3),
               AZEntry("Éducation populaire", "e.html", "post", 0, 2010),
               AZEntry("apple", "a.html", "post", 1, 2011),
               AZEntry("Zebra crossings", "z.html", "page", 0),
               AZEntry("education", "tag/education.html", "concept", 2),
               AZEntry("20 years", "t.html", "post", 0, 2025),
               AZEntry("Volunteers", "v.html", "post", 4, 2009)]
    groups = group(entries)
    assert [g.letter for g in groups] == ["#", "A", "E", "V", "Z"]
    assert [e.label for e in groups[2].entries] == ["education", "Éducation populaire"]
    # same key: the label as written decides, then the kind
    assert [e.label for e in groups[3].entries] == ["Volunteers", "volunteers"]
    assert group(list(reversed(entries))) == groups
    assert groups[0].anchor == "az-other" and groups[1].anchor == "az-a"


# ---------------------------------------------------------------- the sample site


def _ordinary_pages(site) -> list[str]:
    """Every page of the theme's layout (redirect pages and Pagefind's own files left out)."""
    return [rel for rel in site.html_files()
            if not rel.startswith("pagefind/") and site.soup(rel).find("header", class_="site-header")]


def test_every_page_has_the_search_form_in_its_header(sample_site):
    pages = _ordinary_pages(sample_site)
    kinds = {"index.html", "archives.html", "tags.html", "categories.html", "404.html", "search.html",
             "a-z.html", "pages/about.html", "graph/index.html", "diagrams/index.html", "2016/index.html",
             "2016/10/intermediaries.html"}
    assert kinds <= set(pages)
    assert any(p.startswith("tag/") for p in pages) and any(p.startswith("category/") for p in pages)
    for rel in pages:
        soup = sample_site.soup(rel)
        forms = soup.select("header.site-header form[role=search]")
        assert len(forms) == 1, rel
        form = forms[0]
        # 404.html links root-relative (it is served at any missing path)
        action = posixpath.normpath(posixpath.join(posixpath.dirname(rel), form["action"])).lstrip("/")
        assert action == "search.html", (rel, form["action"])
        field = form.find("input", attrs={"type": "search", "name": "q"})
        assert field is not None, rel
        label = soup.find("label", attrs={"for": field["id"]})
        assert label is not None and label.get_text(strip=True), rel
        assert (sample_site.output / action).is_file()


def test_search_code_loads_only_on_the_search_page(sample_site):
    """Ordinary pages carry no search code: at most the link previews' data and script (posts and
    pages with internal links), and the home page the old blog's query redirects."""
    previews = {("link-previews", ""), ("", "previews.js")}
    for rel in _ordinary_pages(sample_site):
        scripts = sample_site.soup(rel).find_all("script")
        found = {(s.get("id", ""), s.get("src", "").rsplit("/", 1)[-1]) for s in scripts}
        if rel == "search.html":
            assert [s.get("src", "").rsplit("/", 1)[-1] for s in scripts] == ["search.js"]
        elif rel != "index.html":
            assert found <= previews, (rel, found)


def test_a_z_lists_every_concept_post_and_page_in_order(sample_site):
    from search.az import sort_key

    soup = sample_site.soup("a-z.html")
    entries = soup.select("li.az-entry")
    labels = [li.find("a").get_text() for li in entries]
    tags = {a.get_text() for a in sample_site.soup("tags.html").select("ul.term-index a")}
    titles = {sample_site.soup(rel).find("h1").get_text() for rel in sample_site.html_files()
              if re.fullmatch(r"\d{4}/\d{2}/[^/]+\.html|pages/[^/]+\.html", rel)
              and sample_site.soup(rel).find("article", class_="post")}
    assert len(tags) > 5 and len(titles) > 20
    assert sorted(labels) == sorted(tags | titles)
    assert len(labels) == len(tags) + len(titles)
    keys = [sort_key(label) for label in labels]
    assert keys == sorted(keys)
    for li in entries:
        href = li.find("a")["href"]
        assert (sample_site.output / posixpath.normpath(href)).is_file(), href
    concept = next(li for li in entries if "az-entry--concept" in li["class"])
    tag_page = sample_site.soup(posixpath.normpath(concept.find("a")["href"]))
    count = int(concept.select_one(".count").contents[0])
    assert count == len(tag_page.select("main article.summary, main .post-list li")) or count > 0
    # the letter list jumps to each group, and each group's entries start with its letter
    letters = soup.select("nav.az-letters a")
    assert [a["href"] for a in letters] == ["#" + s["id"] for s in soup.select("section.az-group")]
    for section in soup.select("section.az-group"):
        letter = section.find("h2").get_text(strip=True)
        for a in section.select("li.az-entry > a"):
            assert len(letter) > 1 or sort_key(a.get_text())[0].upper() == letter, (letter, a.get_text())


def test_a_z_is_linked_from_the_navigation_and_the_404_page(sample_site):
    nav = sample_site.soup("index.html").find("nav", attrs={"aria-label": "Site"})
    assert {a.get_text(): a["href"] for a in nav.find_all("a")}["A–Z"] == "./a-z.html"
    links = [a["href"] for a in sample_site.soup("404.html").select("main a")]
    assert "/a-z.html" in links and "/search.html" in links


def test_search_page_without_javascript(sample_site):
    soup = sample_site.soup("search.html")
    nojs = soup.select_one("[data-search-nojs]")
    assert "JavaScript" in nojs.get_text()
    assert {a["href"] for a in nojs.find_all("a")} >= {"./a-z.html", "./archives.html"}
    assert soup.select_one("[data-search-results]") is not None
    assert soup.select_one("[role=status]") is not None
    form = soup.select_one("main form[role=search]")
    assert form.find("input", attrs={"type": "search", "name": "q"}) is not None
    fieldset = form.find("fieldset")
    assert fieldset.find("legend").get_text(strip=True)
    for name in ("concept", "year"):
        select = fieldset.find("select", attrs={"name": name})
        assert fieldset.find("label", attrs={"for": select["id"]}) is not None
    concepts = [o["value"] for o in form.find("select", attrs={"name": "concept"}).find_all("option") if o["value"]]
    tags = sorted(a.get_text() for a in sample_site.soup("tags.html").select("ul.term-index a"))
    assert sorted(concepts) == tags
    years = [o["value"] for o in form.find("select", attrs={"name": "year"}).find_all("option") if o["value"]]
    assert years == sorted(years, reverse=True) and "2016" in years
    # Pagefind reads records of the posts (search_record.html), never the pages themselves
    assert soup.find(attrs={"data-pagefind-body": True}) is None


def fragments(bundle: Path) -> dict[str, dict]:
    """url -> the page Pagefind keeps for it (a fragment: gzip of "pagefind_dcd" and JSON)."""
    found = {}
    for path in sorted((bundle / "fragment").iterdir()):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        fragment = json.loads(data[len(b"pagefind_dcd"):])
        found[fragment["url"]] = fragment
    return found


def test_index_covers_posts_and_pages_but_not_listings(sample_site):
    entry = json.loads((sample_site.output / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    indexed = sum(lang["page_count"] for lang in entry["languages"].values())
    found = fragments(sample_site.output / "pagefind")
    posts = [rel for rel in sample_site.html_files() if re.fullmatch(r"\d{4}/\d{2}/[^/]+\.html", rel)
             and sample_site.soup(rel).find("article", class_="h-entry")]
    pages = [rel for rel in sample_site.html_files() if rel.startswith("pages/")]
    assert len(posts) == 25 and len(pages) == 2
    assert sorted(found) == sorted("/" + rel for rel in posts + pages)  # no listing, no site-wide page
    assert indexed == len(found)
    for rel in posts:  # what a result shows is what the post's page says
        soup, fragment = sample_site.soup(rel), found["/" + rel]
        article = soup.find("article", class_="h-entry")
        assert fragment["meta"]["title"] == article.find("h1").get_text(), rel
        assert fragment["meta"]["date"] == article.find("time")["datetime"][:10], rel
        assert fragment["filters"]["year"] == [fragment["meta"]["date"][:4]], rel
        concepts = [a.get_text() for a in article.select("footer .tag-list a")]
        assert sorted(fragment["filters"].get("concept", [])) == sorted(concepts), rel
        # the post's text, and not its byline, its concept list or what the page adds around it
        words = " ".join(article.select_one(".e-content p").get_text().split())
        assert words[:40] in fragment["content"], rel
        assert "Concepts:" not in fragment["content"], rel
    about = found["/pages/" + pages[0].split("/")[-1]]
    assert "date" not in about["meta"] and not about["filters"]


# ---------------------------------------------------------------- small sites

POST = "Title: {title}\nDate: {date}\nTags: {tags}\nStatus: {status}\nLang: {lang}\n\n{body}\n"


def _small_site(root: Path) -> Path:
    content = root / "content"
    (content / "articles").mkdir(parents=True)
    (content / "pages").mkdir()
    posts = [("Ünique zebras", "2019-05-01", "Éducation, animals", "published",
              "A quokkalicious phrase. See the [index](../../a-z.html) and [search](/search.html?q=zebras)."),
             ("Apples and pears", "2020-06-01", "animals", "published", "Nothing about zebras."),
             ("Hidden thoughts", "2021-01-01", "animals", "hidden", "A secretword lives here."),
             ("Draft thoughts", "2021-02-01", "animals", "draft", "A draftword lives here."),
             ("Un billet en français", "2022-03-01", "animals", "published", "Des zèbres et des mots.")]
    for k, (title, date, tags, status, body) in enumerate(posts):
        lang = "fr" if "français" in title else "en"
        (content / "articles" / f"p{k}.md").write_text(
            POST.format(title=title, date=date, tags=tags, status=status, body=body, lang=lang), "utf-8")
    (content / "pages" / "about.md").write_text("Title: About & us\n\nWho we are.\n", "utf-8")
    (content / "pages" / "secret.md").write_text("Title: Secret page\nStatus: hidden\n\nHidden.\n", "utf-8")
    return content


def _errors(records):
    return [r.getMessage() for r in records if r.levelno >= logging.ERROR]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    root = tmp_path_factory.mktemp("small-search")
    content = _small_site(root)
    on = build_site(content, root / "on")
    off = build_site(content, root / "off", PLUGINS=["stage_timer", "author_report", "compute_once", "crosslinks",
                                                    "diagrams", "concept_graph", "comments"])
    return root, on, off


def test_small_site_index_leaves_out_drafts_and_hidden_content(small):
    root, records, _ = small
    assert _errors(records) == [] and not [r for r in records if "search.html" in r.getMessage()
                                           or "a-z.html" in r.getMessage()]
    entry = json.loads((root / "on" / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    # three posts (one in French: the same index, so search.html in English finds it) and one page
    assert {name: lang["page_count"] for name, lang in entry["languages"].items()} == {"en": 4}
    assert 'lang="fr"' in (root / "on" / "un-billet-en-francais-fr.html").read_text("utf-8")
    urls = sorted(fragments(root / "on" / "pagefind"))
    assert urls == ["/2019/05/unique-zebras.html", "/2020/06/apples-and-pears.html", "/pages/about-us.html",
                    "/un-billet-en-francais-fr.html"], urls
    for rel in ("drafts/draft-thoughts.html", "2021/01/hidden-thoughts.html", "pages/secret-page.html"):
        assert (root / "on" / rel).is_file(), rel  # written, and not indexed


def test_small_site_a_z_sorts_accents_with_their_letter(small):
    from bs4 import BeautifulSoup

    root, _, _ = small
    soup = BeautifulSoup((root / "on" / "a-z.html").read_text("utf-8"), "html.parser")
    groups = {s.find("h2").get_text(strip=True): [a.get_text() for a in s.select("li > a")]
              for s in soup.select("section.az-group")}
    assert groups == {"A": ["About & us", "animals", "Apples and pears"], "E": ["Éducation"],
                      "U": ["Un billet en français", "Ünique zebras"]}
    counts = {li.find("a").get_text(): li.select_one(".count").contents[0]
              for li in soup.select("li.az-entry--concept")}
    assert counts == {"animals": "3", "Éducation": "1"}  # published posts only
    assert "About &amp; us" in (root / "on" / "a-z.html").read_text("utf-8")


def test_an_ordinary_page_grows_by_at_most_one_kilobyte(small):
    root, _, _ = small
    compared = 0
    for path in sorted((root / "off").rglob("*.html")):
        rel = path.relative_to(root / "off")
        grown = len((root / "on" / rel).read_bytes()) - len(path.read_bytes())
        assert grown <= PAGE_GROWTH_LIMIT, (str(rel), grown)
        compared += 1
    assert compared > 8
    post = "2019/05/unique-zebras.html"
    assert 'role="search"' in (root / "on" / post).read_text("utf-8")
    assert 'role="search"' not in (root / "off" / post).read_text("utf-8")


def test_index_is_byte_identical_across_builds_but_for_pagefinds_filter_files(tmp_path, small):
    root, _, _ = small
    build_site(root / "content", tmp_path / "again")

    def digests(folder: Path):
        return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*")) if p.is_file()}

    again, first = digests(tmp_path / "again"), digests(root / "on")
    stable = {k: v for k, v in first.items() if not PAGEFIND_UNSTABLE.fullmatch(k)}
    assert any(k.startswith("pagefind/fragment/") for k in stable) and any(k.startswith("pagefind/index/") for k in stable)
    assert {k: v for k, v in again.items() if not PAGEFIND_UNSTABLE.fullmatch(k)} == stable
    unstable = sorted(k for k in first if PAGEFIND_UNSTABLE.fullmatch(k))
    assert len(unstable) == 4  # two filters (concept, year), the metadata, the entry
    assert len([k for k in again if PAGEFIND_UNSTABLE.fullmatch(k)]) == len(unstable)


def test_stale_fragments_are_removed_and_index_can_be_turned_off(tmp_path, small):
    root, _, _ = small
    out = tmp_path / "out"
    (out / "pagefind" / "fragment").mkdir(parents=True)
    (out / "pagefind" / "fragment" / "en_stale.pf_fragment").write_bytes(b"old")
    build_site(root / "content", out)
    assert not (out / "pagefind" / "fragment" / "en_stale.pf_fragment").exists()
    off = tmp_path / "off"
    build_site(root / "content", off, SEARCH_INDEX=False)
    assert (off / "search.html").is_file() and not (off / "pagefind").exists()


def test_a_failed_index_is_an_author_error_and_fails_a_strict_build(tmp_path, small, monkeypatch):
    from author_report import AuthorErrors

    root, _, _ = small
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))  # pagefind's own override
    records = build_site(root / "content", tmp_path / "dev")
    assert [m for m in _errors(records) if m.startswith("(search): error: search index not built")]
    assert (tmp_path / "dev" / "search.html").is_file()  # the rest of the site is built
    with pytest.raises(AuthorErrors):
        build_site(root / "content", tmp_path / "strict", AUTHOR_REPORT_STRICT=True)
