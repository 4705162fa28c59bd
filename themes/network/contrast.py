"""WCAG 2.2 contrast of the network theme's colour pairs, read from static/css/main.css.

Run `python themes/network/contrast.py` to print the Markdown table kept in docs/theme.md;
tests/test_theme.py asserts that every pair passes. Pure functions; no dependencies.
"""

from __future__ import annotations

import re
from pathlib import Path

CSS = Path(__file__).resolve().parent / "static" / "css" / "main.css"

BACKGROUNDS = ("bg", "surface")
TEXT = ("fg", "muted", "link", "link-visited", "accent", "accent-2", "accent-3", "error", "warning", "ok")
UI = ("border", "focus")  # non-text: boundaries, focus ring (WCAG 1.4.11, 3:1)
TEXT_MIN = 4.5
UI_MIN = 3.0


def relative_luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


_BLOCK = re.compile(r":root\s*\{(?P<body>[^}]*)\}")
_VAR = re.compile(r"--(?P<name>[a-z0-9-]+)\s*:\s*(?P<value>#[0-9a-fA-F]{3,6})\s*;")


def palettes(css_text: str) -> dict[str, dict[str, str]]:
    """{"light": {name: "#hex"}, "dark": {...}}: the first :root block and the one inside
    `@media (prefers-color-scheme: dark)`; the dark scheme inherits what it does not override."""
    dark_at = css_text.index("prefers-color-scheme: dark")
    light, dark = {}, {}
    for match in _BLOCK.finditer(css_text):
        target = dark if match.start() > dark_at else light
        if target is dark and dark:
            break
        if target is light and light:
            continue
        for var in _VAR.finditer(match.group("body")):
            target[var.group("name")] = var.group("value").lower()
    return {"light": light, "dark": {**light, **dark}}


def rows(css_text: str):
    """(scheme, foreground, background, ratio, minimum) for every checked pair."""
    out = []
    for scheme, colours in palettes(css_text).items():
        for background in BACKGROUNDS:
            for names, minimum in ((TEXT, TEXT_MIN), (UI, UI_MIN)):
                for name in names:
                    ratio = contrast(colours[name], colours[background])
                    out.append((scheme, name, background, ratio, minimum))
    return out


def markdown_table(css_text: str) -> str:
    colours = palettes(css_text)
    lines = [
        "| scheme | foreground | background | colours | ratio | needs | result |",
        "| --- | --- | --- | --- | ---: | ---: | --- |",
    ]
    for scheme, fg, bg, ratio, minimum in rows(css_text):
        pair = f"`{colours[scheme][fg]}` on `{colours[scheme][bg]}`"
        verdict = "pass" if ratio >= minimum else "FAIL"
        lines.append(f"| {scheme} | `--{fg}` | `--{bg}` | {pair} | {ratio:.2f}:1 | {minimum:g}:1 | {verdict} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown_table(CSS.read_text("utf-8")))
