"""graphics on the sample site (content/), built once by the shared `sample_site` fixture:
sized images, srcset variants, the gallery, reuse links, image nodes, related-post reasons."""

from __future__ import annotations

import json
import posixpath

import pytest
from PIL import Image

HUB_POSTS = ["2009/03/orchestra-conductor.html", "2016/10/intermediaries.html",
             "2022/06/stakeholder-map.html", "2025/09/twenty-years.html"]


def _target(site, page: str, url: str):
    return site.path(posixpath.normpath(posixpath.join(posixpath.dirname(page), url)))


def _article_pages(site):
    data = json.loads(site.path("graph/graph.json").read_text("utf-8"))
    return [n["url"] for n in data["nodes"] if n["kind"] in ("post", "page")]


def test_every_local_img_is_sized_and_loads_well(sample_site):
    seen = 0
    for page in _article_pages(sample_site) + ["graphics/index.html"]:
        imgs = sample_site.soup(page).select("main img")
        for position, img in enumerate(imgs):
            src = img["src"]
            assert not src.startswith(("http:", "https:", "/")), (page, src)  # served from this site
            path = _target(sample_site, page, src)
            assert path.is_file(), (page, src)
            with Image.open(path) as file:
                natural = file.size
            width, height = int(img["width"]), int(img["height"])
            assert abs(width / height - natural[0] / natural[1]) < 0.01, (page, src)
            assert img["decoding"] == "async"
            assert img.get("loading") == (None if position == 0 else "lazy")
            seen += 1
    assert seen >= 11  # seven posts' images and four gallery thumbnails


def test_wide_images_get_srcset_variants_that_exist(sample_site):
    page = "2016/10/intermediaries.html"
    img = sample_site.soup(page).select_one("main img")
    candidates = [c.strip().split() for c in img["srcset"].split(",")]
    widths = [int(w[:-1]) for _, w in candidates]
    assert widths == [480, 736, 1472, 1600]
    for url, width in candidates:
        with Image.open(_target(sample_site, page, url)) as file:
            assert file.width == int(width[:-1])
    assert img["sizes"]
    narrow = sample_site.soup("2022/06/stakeholder-map.html").select_one("main img")
    assert "srcset" not in narrow.attrs  # 480 px: narrower than the column


def test_every_src_form_resolves_to_the_local_file(sample_site):
    """{static}, relative, site-relative and legacy-host srcs all end up as the local file."""
    files = set()
    for page in HUB_POSTS:
        img = sample_site.soup(page).select_one("main img")
        files.add(_target(sample_site, page, img["src"]).relative_to(sample_site.output).as_posix())
    assert files == {"images/uploads/2012/hub-diagram-800.jpg", "images/intermediary-hub.png",
                     "images/tmc-hub_small.png", "images/2019/IMG_0042.webp"}


@pytest.fixture(scope="module")
def gallery(sample_site):
    return sample_site.soup("graphics/index.html")


def test_gallery_lists_each_graphic_once_most_used_first(sample_site, gallery):
    figures = gallery.select("figure.graphic")
    assert len(figures) == 4  # four files of one picture count once
    hub = figures[0]
    posts = [a["href"] for a in hub.select("a[href]") if a["href"].endswith(".html")]
    assert posts == ["../" + p for p in sorted(HUB_POSTS, reverse=True)]  # newest first
    assert hub.find("img") is not None and hub["id"].startswith("g-")
    variants = [c.get_text() for c in hub.select(".graphic__variants code")]
    assert len(variants) == 4 and "images/tmc-hub_small.png" in variants
    for figure in figures[1:]:
        assert len([a for a in figure.select("a[href]") if a["href"].endswith(".html")]) == 1


def test_reuse_links_point_at_the_gallery_entry(sample_site, gallery):
    ids = {f["id"] for f in gallery.select("figure.graphic")}
    for page in HUB_POSTS:
        links = sample_site.soup(page).select("a.graphic-reuse")
        assert len(links) == 1, page
        href = links[0]["href"]
        path, _, anchor = href.partition("#")
        assert _target(sample_site, page, path) == sample_site.path("graphics/index.html")
        assert anchor in ids
        assert "appears in 3 other posts" in links[0].get_text()
    assert not sample_site.soup("2011/06/iceberg.html").select("a.graphic-reuse")  # shown once


def test_image_nodes_follow_the_contract(sample_site):
    data = json.loads(sample_site.path("graph/graph.json").read_text("utf-8"))
    images = [n for n in data["nodes"] if n["kind"] == "image"]
    assert len(images) == 4
    for n in images:
        assert n["id"].startswith("image:") and n["label"] and n["uses"] >= 1
        assert sample_site.path(n["url"]).is_file()
        assert n["url"] in n["variants"]
    hub = max(images, key=lambda n: n["uses"])
    assert hub["uses"] == 4 and len(hub["variants"]) == 4
    embeds = {e["source"] for e in data["links"] if e["target"] == hub["id"] and e["kind"] == "embeds"}
    assert len(embeds) == 4
    kumu = json.loads(sample_site.path("graph/kumu.json").read_text("utf-8"))
    assert [e for e in kumu["elements"] if e["type"] == "Image" and e["uses"] == 4]
    assert "image:" in sample_site.path("graph/graph.gexf").read_text("utf-8")
    assert "image:" in sample_site.path("graph/graph.graphml").read_text("utf-8")


def test_related_posts_say_they_share_a_graphic(sample_site):
    # The conductor post shares the hub picture with posts that do not link to it (posts that do are
    # under "Linked from", and Related leaves them out).
    soup = sample_site.soup("2009/03/orchestra-conductor.html")
    reasons = [r.get_text() for r in soup.select(".related__why")]
    assert any("both show the graphic" in r for r in reasons)
    linked_from = {a["href"] for a in soup.select("section.backlinks li a")}
    assert not linked_from & {a["href"] for a in soup.select("section.related a.related__title")}
