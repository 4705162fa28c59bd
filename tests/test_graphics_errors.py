"""graphics' author checks on tiny sites built for them: every bad image reported as
`path:line: level: message`, the rest of the site built, strict builds refused; remote images
recorded and left alone; the fingerprint cache spares a rebuild the decoding."""

from __future__ import annotations

import json
import random
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from conftest import build_site
from test_graphics_hashing import _huge_png
from graphics import build as graphics_build
from tools import sample_graphics as draw

PLUGINS = ["stage_timer", "author_report", "crosslinks", "graphics", "concept_graph"]

BAD = """\
Title: Bad pictures
Date: 2020-01-01 10:00
Slug: bad

A missing one: ![The hub](/images/nowhere.png)

A truncated one: ![Half a picture]({static}/images/half.png)

Not an image at all: ![Text pretending]({static}/images/fake.png)

<img src="{static}/images/active.svg" alt="A drawing with a script">

A bomb: ![Too many pixels]({static}/images/bomb.png)

A big one: ![The hub, too heavy]({static}/images/heavy.png)

No alt: ![]({static}/images/hub.png)

A remote one: ![Someone else's chart](https://pictures.example.org/chart.png)
"""

GOOD = """\
Title: Good pictures
Date: 2020-02-01 10:00
Slug: good

![The hub of the network]({static}/images/hub.png)

The same picture, smaller and renamed, with another alt text:

![An intermediary connecting groups](../../images/hub-small.jpg)

A safe drawing: ![A small square](/images/safe.svg)

And the same remote chart: ![Someone else's chart](https://pictures.example.org/chart.png)
"""

THIRD = """\
Title: Third
Date: 2020-03-01 10:00
Slug: third

Again: ![The hub of the network]({static}/images/hub.png)
"""

ACTIVE_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20" onload="alert(1)"><script>alert(2)</script></svg>'
SAFE_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="10" height="10"/></svg>'


def write_content(content):
    (content / "articles").mkdir(parents=True)
    (content / "images").mkdir()
    (content / "articles" / "bad.md").write_text(BAD)
    (content / "articles" / "good.md").write_text(GOOD)
    (content / "articles" / "third.md").write_text(THIRD)
    images = content / "images"
    hub = draw.intermediary_hub(800)
    images.joinpath("hub.png").write_bytes(draw.encode(hub, "PNG"))
    images.joinpath("hub-small.jpg").write_bytes(draw.encode(draw.intermediary_hub(400), "JPEG", quality=75))
    png = draw.encode(draw.growth_loop(400), "PNG")
    images.joinpath("half.png").write_bytes(png[: len(png) // 2])
    images.joinpath("fake.png").write_bytes(b"just some text, not a picture\n" * 10)
    images.joinpath("active.svg").write_bytes(ACTIVE_SVG)
    images.joinpath("safe.svg").write_bytes(SAFE_SVG)
    images.joinpath("bomb.png").write_bytes(_huge_png(40_000, 40_000))  # 1.6 G pixels claimed
    noise = Image.frombytes("RGB", (300, 300), random.Random(0).randbytes(300 * 300 * 3))
    images.joinpath("heavy.png").write_bytes(draw.encode(noise, "PNG"))  # noise does not compress


SETTINGS = dict(PLUGINS=PLUGINS, CROSSLINKS_LEGACY_HOSTS=["http://legacy.example"],
                GRAPHICS_MAX_BYTES=200_000)  # heavy.png is about 270,000 bytes


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    content = tmp_path_factory.mktemp("gr-content")
    write_content(content)
    out = tmp_path_factory.mktemp("gr-out")
    cache = tmp_path_factory.mktemp("gr-cache")
    records = build_site(content, out, CACHE_PATH=str(cache), **SETTINGS)
    first = dict(graphics_build.LAST_RUN)
    records_again = build_site(content, tmp_path_factory.mktemp("gr-out2"), CACHE_PATH=str(cache), **SETTINGS)
    return SimpleNamespace(out=out, content=content, cache=cache, first=first, second=dict(graphics_build.LAST_RUN),
                           messages=[r.getMessage() for r in records],
                           messages_again=[r.getMessage() for r in records_again],
                           soup=lambda rel: BeautifulSoup((out / rel).read_text("utf-8"), "html.parser"))


def test_errors_with_path_and_line(site):
    errors = sorted(m for m in site.messages if ": error: " in m)
    assert errors == [
        "articles/bad.md:11: error: image '{static}/images/active.svg': SVG file with onload=, <script>: "
        "it would run as script on this site (remove it, or show the file as a PNG)",
        "articles/bad.md:13: error: image '{static}/images/bomb.png': Pillow refuses it as a decompression bomb "
        "(Image size (1600000000 pixels) exceeds limit of 178956970 pixels, could be decompression bomb DOS "
        "attack)",
        "articles/bad.md:5: error: missing image file '/images/nowhere.png' (no static file 'images/nowhere.png')",
        "articles/bad.md:7: error: image '{static}/images/half.png': truncated image file (image file is truncated)",
        "articles/bad.md:9: error: image '{static}/images/fake.png': not an image file Pillow can read "
        "(corrupt, or an unknown format)",
    ]


def test_pelicans_own_empty_alt_warning_gives_way_to_ours(site):
    assert not [m for m in site.messages if m.startswith("Empty alt attribute")]


def test_warnings_with_path_and_line(site):
    warnings = sorted(m for m in site.messages if ": warning: " in m and m.startswith("articles/"))
    assert warnings == [
        "articles/bad.md:15: warning: image '{static}/images/heavy.png' is "
        f"{(site.content / 'images' / 'heavy.png').stat().st_size:,} bytes, over the budget of 200,000 "
        "(GRAPHICS_MAX_BYTES)",
        "articles/bad.md:17: warning: image '{static}/images/hub.png' has no alt text",
        "articles/good.md:9: warning: image '../../images/hub-small.jpg': alt text 'An intermediary connecting "
        "groups' differs from the other uses of this graphic: 'The hub of the network'",
    ]


def test_the_rest_of_the_site_is_built(site):
    soup = site.soup("2020/02/good.html")
    imgs = soup.select("main img")
    assert [i.get("width") for i in imgs] == ["800", "400", "40", None]  # the remote one left alone
    remote = imgs[-1]
    assert remote["src"] == "https://pictures.example.org/chart.png" and set(remote.attrs) == {"src", "alt"}
    assert (site.out / "2020" / "01" / "bad.html").is_file()


def test_gallery_shows_both_alt_texts_and_every_post(site):
    figures = site.soup("graphics/index.html").select("figure.graphic")
    hub = figures[0]
    assert len([a for a in hub.select("a[href]") if a["href"].endswith(".html")]) == 3
    differ = hub.select_one(".graphic__alts--differ")
    assert differ is not None
    texts = differ.get_text()
    assert "The hub of the network" in texts and "An intermediary connecting groups" in texts
    remote = [f for f in figures if f.find("img")["src"] == "https://pictures.example.org/chart.png"]
    assert len(remote) == 1 and "2 posts" in remote[0].get_text()


def test_every_image_is_a_node_remote_and_missing_ones_too(site):
    data = json.loads((site.out / "graph" / "graph.json").read_text("utf-8"))
    images = {n["id"]: n for n in data["nodes"] if n["kind"] == "image"}
    urls = {n.get("url") for n in images.values()}
    assert "https://pictures.example.org/chart.png" in urls
    hub = [n for n in images.values() if n["uses"] == 3]
    assert len(hub) == 1 and sorted(hub[0]["variants"]) == ["images/hub-small.jpg", "images/hub.png"]


def test_the_cache_spares_the_rebuild_any_decoding(site):
    assert site.first["decoded"] >= 5  # every readable file, and the broken ones
    assert site.second["decoded"] == 2  # only the two broken files, which are never cached
    assert (site.cache / "graphics" / "fingerprints.json").is_file()
    assert sorted(m for m in site.messages_again if ": error: " in m) == \
        sorted(m for m in site.messages if ": error: " in m)


def test_a_strict_build_refuses_image_errors(tmp_path):
    from author_report import AuthorErrors

    content = tmp_path / "content"
    content.mkdir()
    (content / "a.md").write_text("Title: A\nDate: 2020-01-01\n\n![Gone](/images/gone.png)\n")
    with pytest.raises(AuthorErrors):
        build_site(content, tmp_path / "out", AUTHOR_REPORT_STRICT=True, PLUGINS=PLUGINS)
