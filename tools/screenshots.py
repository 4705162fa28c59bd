"""`make screenshots`: full-page PNGs of every page type of the sample site, 390 and 1280 px, light and dark.

Writes output-screenshots/NAME-WIDTH-SCHEME.png (git-ignored) and docs/screenshot-post.png (the README's
picture: a post with a diagram and its connections, 1280 px, light). Builds content/ with pelicanconf.py
into a scratch folder unless --site names a built one. Needs `make browser-deps`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from tools import browser

OUT = browser.ROOT / "output-screenshots"
README_SHOT = browser.ROOT / "docs" / "screenshot-post.png"
README_PAGE = "2010/11/volunteer-growth-loops.html"  # a causal-loop diagram, 15 backlinks, related, local graph
README_MAX_HEIGHT = 3200  # px: enough for the post's opening, its diagram and the connections area


def build(output: Path) -> None:
    from pelican import Pelican
    from pelican.settings import read_settings

    cwd = os.getcwd()
    os.chdir(browser.ROOT)
    try:
        settings = read_settings("pelicanconf.py", override={
            "PATH": str(browser.ROOT / "content"), "OUTPUT_PATH": str(output),
            "CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False})
        Pelican(settings).run()
    finally:
        os.chdir(cwd)


LOAD_EVERY_IMAGE = """() => Promise.all([...document.images].map(img => {
    img.loading = "eager";  // a full-page picture shows what a reader scrolling down would see
    return img.complete ? null : new Promise(done => { img.onload = img.onerror = done; });
}))"""


def shoot(page, path: Path, **options) -> None:
    """A full-page screenshot once every image, lazy ones included, has loaded."""
    page.evaluate(LOAD_EVERY_IMAGE)
    page.screenshot(path=str(path), full_page=True, **options)


def readme_shot(context, url: str) -> None:
    """The post's opening and its diagram, a visible cut, then its whole connections area, in one picture."""
    page = browser.open_page(context, url, "light")
    try:
        # The picture is about the drawing and the connections: the prose between them is replaced by a
        # marked cut, so the README can show both at a readable size.
        page.evaluate("""() => {
            const body = document.querySelector('.entry-content'), figure = body.querySelector('figure.diagram');
            let node = figure.nextElementSibling;
            while (node) { const next = node.nextElementSibling; node.remove(); node = next; }
            const cut = document.createElement('p');
            cut.innerHTML = '<em>[… the rest of the post, cut for this picture …]</em>';
            body.append(cut);
        }""")
        height = min(page.evaluate("document.documentElement.scrollHeight"), README_MAX_HEIGHT)
        shoot(page, README_SHOT, clip={"x": 0, "y": 0, "width": 1280, "height": height})
    finally:
        page.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="an already built sample site (default: build content/)")
    parser.add_argument("--only", nargs="*", help="page types to shoot (default: all)")
    args = parser.parse_args(argv)
    missing = browser.missing_prerequisite()
    if missing:
        print(f"make screenshots: {missing} (run make browser-deps)", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        site = args.site or Path(scratch)
        if not args.site:
            build(site)
        OUT.mkdir(exist_ok=True)
        pages = {k: v for k, v in browser.SAMPLE_PAGES.items() if not args.only or k in args.only}
        with browser.serve(site) as base, sync_playwright() as playwright:
            chromium = browser.launch(playwright)
            for width in browser.WIDTHS:
                context = chromium.new_context(viewport={"width": width, "height": browser.VIEWPORT_HEIGHT})
                for scheme in browser.SCHEMES:
                    for name, rel in pages.items():
                        page = browser.open_page(context, base + rel, scheme)
                        shoot(page, OUT / f"{name}-{width}-{scheme}.png")
                        page.close()
                if width == 1280 and not args.only:
                    readme_shot(context, base + README_PAGE)
                context.close()
            chromium.close()
    print(f"make screenshots: {len(pages) * 4} PNGs in {OUT.relative_to(browser.ROOT)}/"
          + ("" if args.only else f", and {README_SHOT.relative_to(browser.ROOT)}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
