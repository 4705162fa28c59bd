"""Downscaled copies of an image for srcset and the gallery's thumbnails (Pillow).

`srcset_widths` is pure (which widths a file gets); `make` writes one variant into the cache
folder unless it is there already, and returns its path.
"""

from __future__ import annotations

import io
import os
import tempfile

from .hashing import Fingerprint

EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}  # others (GIF, BMP, TIFF) become PNG


def extension(fp: Fingerprint) -> str:
    return EXTENSIONS.get(fp.format, "png")


def name(fp: Fingerprint, width: int) -> str:
    return f"{fp.sha256[:16]}-{width}w.{extension(fp)}"


def srcset_widths(fp: Fingerprint, column: int, widths) -> list[int]:
    """Widths of the downscaled variants of a raster file wider than the content column
    (the file itself is the largest candidate); [] for narrower files, SVG and animations."""
    if not fp.raster or fp.animated or fp.width <= column:
        return []
    return sorted({int(w) for w in widths if 0 < int(w) < fp.width})


def scaled_height(fp: Fingerprint, width: int) -> int:
    return max(1, round(fp.height * width / fp.width)) if fp.width else 0


def make(source_path: str, fp: Fingerprint, width: int, folder: str) -> str:
    """The variant of `source_path` at `width` pixels, made in `folder` if missing."""
    from PIL import Image

    target = os.path.join(folder, name(fp, width))
    if os.path.exists(target):
        return target
    os.makedirs(folder, exist_ok=True)
    with Image.open(source_path) as image:
        image.seek(0)
        frame = image.convert("RGBA") if image.mode not in ("RGB", "RGBA", "L", "LA") else image.copy()
    small = frame.resize((width, scaled_height(fp, width)), Image.Resampling.LANCZOS)
    fmt = {"png": "PNG", "jpg": "JPEG", "webp": "WEBP"}[extension(fp)]
    if fmt == "JPEG" and small.mode != "RGB":
        small = small.convert("RGB")
    buf = io.BytesIO()
    options = {"quality": 85} if fmt in ("JPEG", "WEBP") else {"optimize": True}
    small.save(buf, fmt, **options)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(buf.getvalue())
    os.replace(tmp, target)
    return target
