"""Recognise the same picture by content: byte, pixel and perceptual hashes, and grouping (pure).

Three keys, from strict to loose:

- ``sha256`` of the file's bytes: the same file under another name;
- ``pixels``: sha256 of the decoded RGBA pixels and the size: the same picture in another
  encoding (PNG and lossless WebP, an optimised PNG);
- ``dhash``: a 256-bit difference hash (16 x 16 gradients of a greyscale thumbnail): the same
  picture at another size or re-compressed.

Near duplicates are grouped when their dHashes differ in at most ``DHASH_THRESHOLD`` bits
of 256 *and* their aspect ratios agree within ``ASPECT_TOLERANCE`` (a resized copy keeps its
shape). The threshold was measured on the sample graphics (tools/sample_graphics.py, checked by
tests/test_graphics_hashing.py): the same picture at 1/2, 3/10 and 1/4 size, as PNG, lossless
WebP or JPEG down to quality 60, stays within 6 bits of the original; two different diagrams
drawn in the same style (white ground, same boxes, fonts and colours) are 58 or more bits
apart. 32 sits in the middle of that gap.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from .settings import DEFAULTS

DHASH_SIZE = 16  # 16 x 16 = 256 bits
DHASH_BITS = DHASH_SIZE * DHASH_SIZE
DHASH_THRESHOLD = DEFAULTS["GRAPHICS_DHASH_THRESHOLD"]  # 32 bits of 256 (12.5%); see the module docstring
ASPECT_TOLERANCE = 0.03  # relative difference of width/height
# Two neighbouring thumbnail pixels closer than this (grey levels, 0-255) count as equal: flat
# areas (a diagram's white ground) then give stable 0 bits instead of noise from compression.
FLAT = 2.0
FORMAT_RANK = {"PNG": 0, "JPEG": 1}  # between two versions of the same size, the leader


@dataclass(frozen=True)
class Fingerprint:
    """What the build needs to know about one local image file (cached by ``sha256``)."""

    sha256: str
    format: str  # PNG, JPEG, GIF, WEBP, SVG …
    width: int  # pixels (SVG: its width attribute or viewBox width), 0 if unknown
    height: int
    pixels: str = ""  # sha256 of size + RGBA pixels; "" for SVG
    dhash: int = 0  # 256-bit perceptual hash; 0 for SVG
    animated: bool = False
    error: str = ""  # why the file could not be decoded ("" when it could)

    @property
    def raster(self) -> bool:
        return not self.error and self.format != "SVG"

    def to_json(self) -> dict:
        data = dict(self.__dict__)
        data["dhash"] = format(self.dhash, "064x")
        return data

    @classmethod
    def from_json(cls, data: dict) -> Fingerprint:
        data = dict(data)
        data["dhash"] = int(data.get("dhash") or "0", 16)
        return cls(**data)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _flatten(image):
    """RGB on white (transparent areas of a diagram are the page's background)."""
    from PIL import Image

    rgba = image.convert("RGBA")
    ground = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(ground, rgba).convert("RGB")


def dhash(image) -> int:
    """256-bit difference hash of a Pillow image (Krawetz's dHash, 16 x 16, flat-tolerant).

    The image, flattened on white and made grey, is reduced (box filter, float) to 17 x 16;
    bit (row, col) is 1 when the pixel is brighter than its right neighbour by more than FLAT.
    """
    from PIL import Image

    grey = _flatten(image).convert("L").convert("F")
    small = grey.resize((DHASH_SIZE + 1, DHASH_SIZE), Image.Resampling.BOX)
    px = small.load()
    bits = 0
    for row in range(DHASH_SIZE):
        for col in range(DHASH_SIZE):
            bits = (bits << 1) | (px[col, row] - px[col + 1, row] > FLAT)
    return bits


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def pixel_hash(image) -> str:
    rgba = image.convert("RGBA")
    h = hashlib.sha256(f"{rgba.width}x{rgba.height}\0".encode("ascii"))
    h.update(rgba.tobytes())
    return h.hexdigest()


def fingerprint(data: bytes, max_pixels: int | None = None) -> Fingerprint:
    """Fingerprint of an image file's bytes. Raises DecompressionBombError (Pillow's) when the
    image has more than twice ``max_pixels``; any other decoding failure is in ``error``."""
    from PIL import Image, UnidentifiedImageError

    from .svg import is_svg, svg_size

    digest = sha256_bytes(data)
    if is_svg(data):
        width, height = svg_size(data)
        return Fingerprint(digest, "SVG", width, height)
    previous = Image.MAX_IMAGE_PIXELS
    if max_pixels is not None:
        Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with Image.open(io.BytesIO(data)) as image:
            fmt = image.format or ""
            animated = bool(getattr(image, "is_animated", False))
            image.load()  # decodes every byte: a truncated file fails here
            return Fingerprint(digest, fmt, image.width, image.height, pixel_hash(image), dhash(image),
                               animated)
    except Image.DecompressionBombError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        return Fingerprint(digest, "", 0, 0, error=_decode_error(exc))
    finally:
        Image.MAX_IMAGE_PIXELS = previous


def _decode_error(exc: Exception) -> str:
    text = str(exc).split("\n")[0]
    if "truncated" in text.lower() or "broken data stream" in text.lower():
        return f"truncated image file ({text})"
    if "cannot identify" in text.lower():
        return "not an image file Pillow can read (corrupt, or an unknown format)"
    return f"corrupt image file ({text})"


def same_shape(a: Fingerprint, b: Fingerprint, tolerance: float = ASPECT_TOLERANCE) -> bool:
    if not (a.width and a.height and b.width and b.height):
        return False
    ra, rb = a.width / a.height, b.width / b.height
    return abs(ra - rb) <= tolerance * max(ra, rb)


class BKTree:
    """Metric tree over dHashes (Hamming distance): the leaders within a distance of a hash
    without comparing against all of them."""

    def __init__(self):
        self.root = None  # [hash, key, {distance: child}]

    def add(self, value: int, key) -> None:
        node = [value, key, {}]
        if self.root is None:
            self.root = node
            return
        current = self.root
        while True:
            d = hamming(value, current[0])
            child = current[2].get(d)
            if child is None:
                current[2][d] = node
                return
            current = child

    def within(self, value: int, radius: int) -> list[tuple[int, object]]:
        """(distance, key) of every stored hash within `radius` of `value`."""
        found, stack = [], [self.root] if self.root is not None else []
        while stack:
            node = stack.pop()
            d = hamming(value, node[0])
            if d <= radius:
                found.append((d, node[1]))
            for edge, child in node[2].items():
                if d - radius <= edge <= d + radius:
                    stack.append(child)
        return found


def group(prints: dict[str, Fingerprint], threshold: int = DHASH_THRESHOLD) -> dict[str, str]:
    """Map each key of ``prints`` to the key of its group's leader.

    Same bytes or same pixels: one group. Otherwise leader clustering on the dHash: keys are
    taken largest picture first (then PNG before JPEG before other formats, then by key, for
    a deterministic result); each joins the
    nearest leader within ``threshold`` bits and of the same shape, or becomes a leader. So
    the leader is the largest version, and groups do not chain (A near B near C, A far from C).
    """
    leader: dict[str, str] = {}
    by_exact: dict[str, str] = {}
    tree = BKTree()
    order = sorted(prints, key=lambda k: (-(prints[k].width * prints[k].height),
                                          FORMAT_RANK.get(prints[k].format, len(FORMAT_RANK)), k))
    for key in order:
        fp = prints[key]
        exact = [f"sha:{fp.sha256}"] + ([f"px:{fp.pixels}"] if fp.pixels else [])
        hit = next((by_exact[e] for e in exact if e in by_exact), None)
        if hit is None and fp.raster and fp.dhash:
            near = [(d, k) for d, k in tree.within(fp.dhash, threshold) if same_shape(fp, prints[k])]
            if near:
                hit = min(near)[1]
        if hit is None:
            hit = key
            if fp.raster and fp.dhash:
                tree.add(fp.dhash, key)
        leader[key] = hit
        for e in exact:
            by_exact.setdefault(e, hit)
    return leader
