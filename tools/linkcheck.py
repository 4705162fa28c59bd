"""Check every internal href/src of a built site resolves to a file in the output folder.

Usage: python -m tools.linkcheck OUTPUT_DIR   (exit 1 and one line per broken link)
Pure function `broken_links(output_dir)` for the tests.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRS = {"href", "src", "poster", "data"}
SKIP_SCHEMES = {"http", "https", "mailto", "tel", "data", "javascript", "ftp"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[int, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)
            if name in LINK_ATTRS and value is not None:
                # <link rel=canonical> and alternates may point at the production host: skipped by scheme.
                self.urls.append((self.getpos()[0], value))
            if name == "srcset" and value:
                for part in value.split(","):
                    if part.strip():
                        self.urls.append((self.getpos()[0], part.strip().split()[0]))

    handle_startendtag = handle_starttag


def _parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text("utf-8", errors="replace"))
    return collector


def broken_links(output_dir: str | Path, check_fragments: bool = True) -> list[str]:
    out = Path(output_dir).resolve()
    parsed: dict[Path, _Collector] = {}

    def get(path: Path) -> _Collector:
        if path not in parsed:
            parsed[path] = _parse(path)
        return parsed[path]

    problems = []
    for page in sorted(out.rglob("*.html")):
        for line, url in get(page).urls:
            parts = urlsplit(url)
            if parts.scheme in SKIP_SCHEMES or parts.netloc:
                continue
            if parts.scheme:
                problems.append(f"{page.relative_to(out)}:{line}: unexpected URL scheme in {url!r}")
                continue
            if not parts.path:
                target = page
            elif parts.path.startswith("/"):
                target = out / unquote(parts.path).lstrip("/")
            else:
                target = page.parent / unquote(parts.path)
            target = target.resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_relative_to(out) or not target.is_file():
                problems.append(f"{page.relative_to(out)}:{line}: broken link {url!r}")
                continue
            if check_fragments and parts.fragment and target.suffix == ".html":
                if unquote(parts.fragment) not in get(target).ids:
                    problems.append(f"{page.relative_to(out)}:{line}: missing anchor in {url!r}")
    return problems


def main(argv):
    problems = broken_links(argv[1])
    for problem in problems:
        print(problem)
    print(f"{len(problems)} broken links")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
