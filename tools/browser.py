"""Drive Debian's chromium with Playwright over a built site: shared by tests/browser/ and `make screenshots`.

Playwright's own browser download does not work here, so it launches /usr/bin/chromium
(`make browser-deps` installs it, Playwright for Python and axe-core). Nothing is fetched
at run time: axe-core comes from node_modules/ (package-lock.json pins it).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib.util
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run"]
WIDTHS = (390, 1280)
SCHEMES = ("light", "dark")
VIEWPORT_HEIGHT = 900

# One page of each type on the sample site (content/), by output path.
SAMPLE_PAGES = {
    "home": "index.html",
    "index-page-2": "index2.html",
    "article-intermediary": "2016/10/intermediaries.html",
    "article-causal-loop": "2010/01/donor-fatigue.html",
    "article-concept-map": "2014/02/concept-maps.html",
    "article-cycle": "2021/09/learning-cycle.html",
    "article-many-backlinks": "2010/11/volunteer-growth-loops.html",
    "page": "pages/about.html",
    "tag": "tag/network-building.html",
    "tags": "tags.html",
    "category": "category/systems-thinking.html",
    "categories": "categories.html",
    "archives": "archives.html",
    "year-archive": "2016/index.html",
    "map": "graph/index.html",
    "paths": "paths.html",
    "diagram-index": "diagrams/index.html",
    "graphics": "graphics/index.html",
    "search": "search.html",
    "a-z": "a-z.html",
    "redirect": "2007/02/volunteers-from-work.html",
    "404": "404.html",
}


def missing_prerequisite() -> str | None:
    """Why the browser cannot run here (one line), or None when everything is installed."""
    if not CHROMIUM.exists():
        return f"chromium not found at {CHROMIUM}"
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python not installed"
    if not AXE_JS.exists():
        return f"axe-core not found at {AXE_JS.relative_to(ROOT)}"
    return None


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A page closed mid-download (a test moving on) is not an error worth a traceback."""
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(directory: Path):
    """Serve `directory` on 127.0.0.1 on a free port; yield the base URL (ending in '/')."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def stay_on_page(page):
    """Keep `page` on the first document it loads: a redirect page's meta refresh is not followed."""
    loaded = []

    def route(route):
        if route.request.resource_type == "document" and route.request.frame == page.main_frame:
            if loaded:
                return route.abort("aborted")
            loaded.append(route.request.url)
        return route.continue_()

    page.route("**/*.html", route)  # documents only: routing every request through Python is slow


def open_page(context, url: str, scheme: str):
    """A new page in `context`, in the colour scheme, at `url`, loaded (redirects not followed)."""
    page = context.new_page()
    page.emulate_media(color_scheme=scheme)
    stay_on_page(page)
    page.goto(url, wait_until="load")
    return page
