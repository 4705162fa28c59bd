"""Raster graphics of the sample blog and the synthetic blog, drawn with Pillow (deterministic).

    python -m tools.sample_graphics content/images     # (re)draws the sample blog's images

Each drawing is a function of its size, so the same picture can be written at several sizes
and in several formats, the way a hosted blog's re-uploads look. Every diagram uses one style
(white ground, rounded boxes, the theme's accent colours), so two different diagrams look alike
at a glance: the graphics plugin must still tell them apart.
"""

from __future__ import annotations

import io
import math
import sys
from pathlib import Path

INK = (29, 33, 38)
ACCENT = (168, 70, 26)
ACCENT_2 = (23, 105, 79)
ACCENT_3 = (122, 82, 0)
PALE = (241, 238, 230)


def _font(size: int):
    from PIL import ImageFont

    return ImageFont.load_default(size=max(8, size))


def _box(draw, cx, cy, w, h, text, scale, outline=ACCENT_2):
    draw.rounded_rectangle((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), radius=12 * scale,
                           fill=PALE, outline=outline, width=max(1, round(4 * scale)))
    font = _font(round(30 * scale))
    lines = text.split("\n")
    height = len(lines) * 36 * scale
    for i, line in enumerate(lines):
        draw.text((cx, cy - height / 2 + (i + 0.5) * 36 * scale), line, fill=INK, font=font, anchor="mm")


def _arrow(draw, x1, y1, x2, y2, scale, color=INK):
    width = max(1, round(4 * scale))
    draw.line((x1, y1, x2, y2), fill=color, width=width)
    angle = math.atan2(y2 - y1, x2 - x1)
    size = 18 * scale
    left = (x2 - size * math.cos(angle - 0.4), y2 - size * math.sin(angle - 0.4))
    right = (x2 - size * math.cos(angle + 0.4), y2 - size * math.sin(angle + 0.4))
    draw.polygon([(x2, y2), left, right], fill=color)


def _canvas(width: int, base_width: int, base_height: int, background="white"):
    """(image, its drawing context, scale): a picture drawn at `base_width` units, shown `width` px wide."""
    from PIL import Image, ImageDraw

    scale = width / base_width
    img = Image.new("RGB", (width, round(base_height * scale)), background)
    return img, ImageDraw.Draw(img), scale


def _title(draw, text, width, scale):
    draw.text((width / 2, 60 * scale), text, fill=INK, font=_font(round(44 * scale)), anchor="mm")


def intermediary_hub(width: int = 1600):
    """The hub-and-spoke picture of an intermediary: the graphic every post reuses."""
    img, d, scale = _canvas(width, 1600, 1000)
    _title(d, "An intermediary connects the whole city", width, scale)
    cx, cy = width / 2, 540 * scale
    groups = ["Businesses", "Universities", "Faith groups", "Hospitals", "Media", "Tutoring &\nmentoring programs"]
    for i, label in enumerate(groups):
        a = -math.pi / 2 + i * 2 * math.pi / len(groups)
        x, y = cx + 560 * scale * math.cos(a), cy + 330 * scale * math.sin(a)
        _arrow(d, cx + 170 * scale * math.cos(a), cy + 80 * scale * math.sin(a),
               x - 150 * scale * math.cos(a), y - 60 * scale * math.sin(a), scale, ACCENT)
        _box(d, x, y, 300 * scale, 110 * scale, label, scale)
    _box(d, cx, cy, 340 * scale, 150 * scale, "Riverbend\nLearning Network", scale, outline=ACCENT)
    return img


def growth_loop(width: int = 1600):
    """A reinforcing loop drawn in the same style as the hub (a different diagram)."""
    img, d, scale = _canvas(width, 1600, 1000)
    _title(d, "Why volunteer networks grow", width, scale)
    steps = ["Volunteers", "Youth served", "Success\nstories", "Donors &\nbusinesses"]
    cx, cy = width / 2, 560 * scale
    points = []
    for i, _ in enumerate(steps):
        a = -math.pi / 2 + i * 2 * math.pi / len(steps)
        points.append((cx + 520 * scale * math.cos(a), cy + 300 * scale * math.sin(a)))
    for i, (x, y) in enumerate(points):
        nx, ny = points[(i + 1) % len(points)]
        _arrow(d, x + (nx - x) * 0.3, y + (ny - y) * 0.3, x + (nx - x) * 0.7, y + (ny - y) * 0.7, scale, ACCENT)
    for (x, y), label in zip(points, steps):
        _box(d, x, y, 300 * scale, 120 * scale, label, scale)
    d.text((cx, cy), "R", fill=ACCENT, font=_font(round(90 * scale)), anchor="mm")
    return img


def iceberg(width: int = 1200):
    """The iceberg model: events above the water, patterns, structures and mental models below."""
    img, d, scale = _canvas(width, 1200, 900, (234, 244, 250))
    height = img.height
    water = 300 * scale
    d.rectangle((0, water, width, height), fill=(23, 77, 120))
    d.polygon([(width / 2, 90 * scale), (width / 2 + 170 * scale, water), (width / 2 - 170 * scale, water)],
              fill="white", outline=INK)
    d.polygon([(width / 2 - 170 * scale, water), (width / 2 + 170 * scale, water),
               (width / 2 + 470 * scale, height - 40 * scale), (width / 2 - 470 * scale, height - 40 * scale)],
              fill=(206, 226, 240), outline=INK)
    font = _font(round(34 * scale))
    d.text((width / 2, 240 * scale), "Events", fill=INK, font=font, anchor="mm")
    for i, label in enumerate(["Patterns", "Structures", "Mental models"]):
        d.text((width / 2, (400 + i * 150) * scale), label, fill=INK, font=font, anchor="mm")
    return img


def volunteers_chart(width: int = 900):
    """A bar chart: volunteers placed with programs each year (made-up figures of the fictional network)."""
    img, d, scale = _canvas(width, 900, 560)
    height = img.height
    values = [120, 180, 260, 310, 290, 380, 450, 520]
    base, left = height - 70 * scale, 90 * scale
    d.line((left, 60 * scale, left, base), fill=INK, width=max(1, round(3 * scale)))
    d.line((left, base, width - 30 * scale, base), fill=INK, width=max(1, round(3 * scale)))
    step = (width - left - 60 * scale) / len(values)
    font = _font(round(22 * scale))
    for i, v in enumerate(values):
        x = left + 20 * scale + i * step
        top = base - v * 0.75 * scale
        d.rectangle((x, top, x + step * 0.6, base), fill=ACCENT_2)
        d.text((x + step * 0.3, base + 25 * scale), str(2017 + i), fill=INK, font=font, anchor="mm")
        d.text((x + step * 0.3, top - 18 * scale), str(v), fill=INK, font=font, anchor="mm")
    d.text((width / 2, 30 * scale), "Volunteers placed with programs, per year", fill=INK,
           font=_font(round(28 * scale)), anchor="mm")
    return img


def encode(img, fmt: str, **options) -> bytes:
    buf = io.BytesIO()
    if fmt == "PNG":
        options.setdefault("optimize", True)
    img.save(buf, fmt, **options)
    return buf.getvalue()


# (path under images/, drawing, width, format, options): the sample blog's files.
SAMPLE = [
    ("intermediary-hub.png", intermediary_hub, 1600, "PNG", {}),
    ("uploads/2012/hub-diagram-800.jpg", intermediary_hub, 800, "JPEG", {"quality": 80}),
    ("tmc-hub_small.png", intermediary_hub, 480, "PNG", {}),
    ("2019/IMG_0042.webp", intermediary_hub, 1600, "WEBP", {"lossless": True}),
    ("volunteer-growth-loop.png", growth_loop, 1600, "PNG", {}),
    ("iceberg-model.png", iceberg, 1200, "PNG", {}),
    ("volunteers-per-year.png", volunteers_chart, 900, "PNG", {}),
]


def write_sample(folder: str | Path) -> list[Path]:
    folder = Path(folder)
    written = []
    drawn = {}
    for rel, draw, width, fmt, options in SAMPLE:
        key = (draw.__name__, width)
        if key not in drawn:
            drawn[key] = draw(width)
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(encode(drawn[key], fmt, **options))
        written.append(path)
    return written


if __name__ == "__main__":
    for p in write_sample(sys.argv[1] if len(sys.argv) > 1 else "content/images"):
        print(p, p.stat().st_size)
