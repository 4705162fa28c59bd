"""graphics' pure core: fingerprints, the dHash threshold on both sides, grouping, SVG checks,
srcset widths, the fingerprint cache (no Pelican)."""

from __future__ import annotations

import io
import random
import zlib

import pytest
from hypothesis import given, settings, strategies as st
from PIL import Image

from graphics import hashing, svg, variants
from graphics.cache import FingerprintCache
from graphics.hashing import DHASH_THRESHOLD, Fingerprint
from tools import sample_graphics as draw


def encode(img, fmt, **options) -> bytes:
    return draw.encode(img, fmt, **options)


@pytest.fixture(scope="module")
def hub():
    return draw.intermediary_hub(1600)


@pytest.fixture(scope="module")
def hub_print(hub):
    return hashing.fingerprint(encode(hub, "PNG"))


def test_fingerprint_of_a_png(hub_print):
    assert (hub_print.format, hub_print.width, hub_print.height) == ("PNG", 1600, 1000)
    assert len(hub_print.sha256) == 64 and len(hub_print.pixels) == 64
    assert 0 < hub_print.dhash < 1 << hashing.DHASH_BITS and not hub_print.error


def test_same_pixels_in_another_encoding_have_the_same_pixel_hash(hub, hub_print):
    webp = hashing.fingerprint(encode(hub, "WEBP", lossless=True))
    assert webp.format == "WEBP" and webp.sha256 != hub_print.sha256
    assert webp.pixels == hub_print.pixels
    lossy = hashing.fingerprint(encode(hub, "JPEG", quality=90))
    assert lossy.pixels != hub_print.pixels  # JPEG changes pixels: the dHash has to find it


@pytest.mark.parametrize("width,fmt,quality", [(800, "JPEG", 80), (480, "PNG", None), (400, "JPEG", 60),
                                               (1200, "WEBP", 70)])
def test_the_same_picture_at_another_size_stays_within_the_threshold(hub_print, width, fmt, quality):
    options = {"quality": quality} if quality else {}
    copy = hashing.fingerprint(encode(draw.intermediary_hub(width), fmt, **options))
    distance = hashing.hamming(copy.dhash, hub_print.dhash)
    assert distance <= 6 < DHASH_THRESHOLD  # measured: the margin the threshold keeps
    assert hashing.same_shape(copy, hub_print)
    leaders = hashing.group({"big.png": hub_print, "copy": copy})
    assert leaders == {"big.png": "big.png", "copy": "big.png"}  # the largest leads


@pytest.mark.parametrize("other", [draw.growth_loop, draw.iceberg, draw.volunteers_chart])
def test_different_diagrams_of_the_same_style_stay_apart(hub_print, other):
    fp = hashing.fingerprint(encode(other(1600), "PNG"))
    assert hashing.hamming(fp.dhash, hub_print.dhash) >= 58 > DHASH_THRESHOLD
    assert hashing.group({"hub": hub_print, "other": fp}) == {"hub": "hub", "other": "other"}


def _flip(value: int, bits: int, seed: int = 0) -> int:
    positions = random.Random(seed).sample(range(hashing.DHASH_BITS), bits)
    for p in positions:
        value ^= 1 << p
    return value


@pytest.mark.parametrize("bits,grouped", [(DHASH_THRESHOLD - 1, True), (DHASH_THRESHOLD, True),
                                          (DHASH_THRESHOLD + 1, False), (DHASH_THRESHOLD + 8, False)])
def test_threshold_both_sides(bits, grouped):
    base = random.Random(1).getrandbits(hashing.DHASH_BITS)
    a = Fingerprint("a" * 64, "PNG", 800, 500, "pa", base)
    b = Fingerprint("b" * 64, "PNG", 400, 250, "pb", _flip(base, bits))
    assert hashing.hamming(a.dhash, b.dhash) == bits
    assert (hashing.group({"a": a, "b": b})["b"] == "a") is grouped


def test_another_shape_is_another_picture_even_with_the_same_hash():
    a = Fingerprint("a" * 64, "PNG", 800, 500, "pa", 12345)
    b = Fingerprint("b" * 64, "PNG", 800, 800, "pb", 12345)  # square: a crop, not a resize
    assert hashing.group({"a": a, "b": b}) == {"a": "a", "b": "b"}


def test_groups_do_not_chain():
    """A near B near C with A far from C: C does not join A's group through B."""
    base = random.Random(2).getrandbits(hashing.DHASH_BITS)
    mid, far = base, base
    for p in range(20):
        mid ^= 1 << p
        far ^= 1 << p
    for p in range(20, 40):
        far ^= 1 << p
    assert hashing.hamming(base, mid) == 20 and hashing.hamming(mid, far) == 20
    assert hashing.hamming(base, far) == 40 > DHASH_THRESHOLD
    prints = {"a": Fingerprint("a" * 64, "PNG", 900, 600, "pa", base),
              "b": Fingerprint("b" * 64, "PNG", 600, 400, "pb", mid),
              "c": Fingerprint("c" * 64, "PNG", 300, 200, "pc", far)}
    assert hashing.group(prints) == {"a": "a", "b": "a", "c": "c"}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=(1 << 64) - 1), min_size=1, max_size=40),
       st.integers(min_value=0, max_value=(1 << 64) - 1), st.integers(min_value=0, max_value=40))
def test_bk_tree_finds_exactly_what_a_full_scan_finds(values, query, radius):
    tree = hashing.BKTree()
    for i, v in enumerate(values):
        tree.add(v, i)
    expected = sorted((hashing.hamming(query, v), i) for i, v in enumerate(values)
                      if hashing.hamming(query, v) <= radius)
    assert sorted(tree.within(query, radius)) == expected


def test_transparency_is_read_on_white():
    opaque = Image.new("RGBA", (200, 100), (255, 255, 255, 255))
    clear = Image.new("RGBA", (200, 100), (0, 0, 0, 0))  # fully transparent black
    for img in (opaque, clear):
        img.paste((23, 105, 79, 255), (40, 20, 120, 80))
    assert hashing.dhash(opaque) == hashing.dhash(clear)


def test_truncated_and_corrupt_files_are_errors_not_crashes(hub):
    data = encode(hub, "PNG")
    truncated = hashing.fingerprint(data[: len(data) // 2])
    assert truncated.error.startswith("truncated image file")
    corrupt = hashing.fingerprint(b"\x89PNG\r\n\x1a\n" + b"not really a png" * 20)
    assert corrupt.error and not corrupt.raster
    assert hashing.fingerprint(data).error == ""


def _huge_png(width: int, height: int) -> bytes:
    """A PNG header claiming a huge image, with a tiny (incomplete) data stream."""
    import struct

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_decompression_bombs_raise():
    with pytest.raises(Image.DecompressionBombError):
        hashing.fingerprint(_huge_png(40_000, 40_000))  # 1.6 G pixels, Pillow's own limit
    with pytest.raises(Image.DecompressionBombError):
        hashing.fingerprint(encode(Image.new("RGB", (100, 100), "white"), "PNG"), max_pixels=1000)
    small = hashing.fingerprint(encode(Image.new("RGB", (30, 30), "white"), "PNG"), max_pixels=1000)
    assert small.width == 30 and Image.MAX_IMAGE_PIXELS != 1000  # the limit is put back


SAFE_SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><rect width="10" height="10"/></svg>'


@pytest.mark.parametrize("data,found", [
    (SAFE_SVG, []),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', ["<script>"]),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>', ["onload="]),
    (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink"><a x:href="javascript:alert(1)"><rect/></a></svg>',
     ["javascript: URL"]),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><rect onclick="x()"/><script/>', ["<script>", "event handler"]),
])
def test_svg_active_content(data, found):
    assert svg.active_content(data) == found


def test_svg_fingerprint_and_size():
    fp = hashing.fingerprint(SAFE_SVG)
    assert (fp.format, fp.width, fp.height, fp.raster) == ("SVG", 120, 80, False)
    assert svg.svg_size(b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150"/>') == (300, 150)


def test_srcset_widths_only_for_wide_raster_files():
    wide = Fingerprint("a" * 64, "PNG", 1600, 1000, "p", 1)
    assert variants.srcset_widths(wide, 736, (480, 736, 1472)) == [480, 736, 1472]
    assert variants.srcset_widths(Fingerprint("b" * 64, "PNG", 900, 500, "p", 1), 736, (480, 736, 1472)) == [480, 736]
    assert variants.srcset_widths(Fingerprint("c" * 64, "PNG", 736, 500, "p", 1), 736, (480, 736)) == []
    assert variants.srcset_widths(Fingerprint("d" * 64, "GIF", 1600, 900, "p", 1, animated=True), 736, (480,)) == []
    assert variants.srcset_widths(Fingerprint("e" * 64, "SVG", 1600, 900), 736, (480,)) == []


def test_variants_are_made_once(tmp_path, hub):
    src = tmp_path / "hub.png"
    src.write_bytes(encode(hub, "PNG"))
    fp = hashing.fingerprint(src.read_bytes())
    made = variants.make(str(src), fp, 480, str(tmp_path / "v"))
    with Image.open(made) as img:
        assert img.size == (480, 300)
    stamp = (tmp_path / "v" / variants.name(fp, 480)).stat().st_mtime_ns
    assert variants.make(str(src), fp, 480, str(tmp_path / "v")) == made
    assert (tmp_path / "v" / variants.name(fp, 480)).stat().st_mtime_ns == stamp


def test_fingerprint_cache_round_trip(tmp_path, hub_print):
    cache = FingerprintCache(str(tmp_path))
    assert cache.get(hub_print.sha256) is None
    cache.put(hub_print)
    cache.put(Fingerprint("f" * 64, "", 0, 0, error="truncated image file"))  # not kept
    cache.save()
    again = FingerprintCache(str(tmp_path))
    assert again.get(hub_print.sha256) == hub_print
    assert again.get("f" * 64) is None


def test_deterministic_drawing():
    assert encode(draw.growth_loop(400), "PNG") == encode(draw.growth_loop(400), "PNG")
    assert io.BytesIO(encode(draw.iceberg(300), "PNG")).getbuffer().nbytes > 0


def test_a_graphics_posts_are_sorted_once_for_a_given_list_of_uses():
    """The build asks each graphic for its posts once per post that shows it: sorting every time
    made a graphic shown in k posts cost k² (9 s of a 20,000-post rebuild)."""
    from datetime import datetime
    from types import SimpleNamespace

    from graphics import catalog as cat

    def use(n):
        post = SimpleNamespace(date=datetime(2000 + n, 1, 1))
        return cat.Use(post, f"p{n}.md", 1, "hub.png", "hub", "file", "images/hub.png")

    graphic = cat.Graphic("abc", "file", [], [use(1), use(3), use(2)])
    first = graphic.posts
    assert [p.date.year for p in first] == [2003, 2002, 2001]  # newest first
    assert graphic.posts is first  # not sorted again
    graphic.uses.append(use(4))
    assert [p.date.year for p in graphic.posts] == [2004, 2003, 2002, 2001]  # a new use is seen
