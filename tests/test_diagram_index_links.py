"""The diagram index resolves its figures' links through the crosslinks index, for whatever depth
DIAGRAMS_INDEX_SAVE_AS has, with RELATIVE_URLS on or off; a miss is an author error, never "#"."""

from __future__ import annotations

import logging
import posixpath
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import build_site

POST = textwrap.dedent("""\
    Title: Drawn
    Date: 2020-02-01 10:00
    Slug: drawn

    A cycle.

    ```cycle
    title: The loop
    steps:
      - label: Recruit
        link: "{filename}target.md#why"
      - label: Train
        link: "{filename}gone.md"
      - label: Keep
        link: "{filename}/images/pic.png"
    ```
    """)


def _site(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "articles" / "drawn.md").write_text(POST, "utf-8")
    (content / "images").mkdir()
    (content / "images" / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (content / "articles" / "target.md").write_text(
        "Title: Target\nDate: 2020-01-01 10:00\nSlug: target\n\nThe target.\n", "utf-8")
    return content


def _links(page: Path) -> dict[str, str | None]:
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    figure = soup.select_one("figure.diagram")  # its links are in the text version (no links inside role=img)
    return {a.get_text(" ", strip=True): a.get("href") for a in figure.select("details.diagram-text a")}


@pytest.mark.parametrize("save_as", ["diagrams/index.html", "a/b/diagrams.html", "diagrams.html"])
def test_index_links_are_relative_to_the_index_page(tmp_path: Path, save_as: str):
    out = tmp_path / "out"
    records = build_site(_site(tmp_path), out, DIAGRAMS_INDEX_SAVE_AS=save_as, RELATIVE_URLS=True)
    links = _links(out / save_as)
    recruit = links["Recruit"]
    assert recruit.endswith("2020/01/target.html#why")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(save_as), recruit.split("#")[0]))
    assert (out / target).is_file(), recruit
    assert links["Train"] is None  # a broken link keeps its label, as text: no href="#"
    keep = posixpath.normpath(posixpath.join(posixpath.dirname(save_as), links["Keep"]))
    assert keep == "images/pic.png" and (out / keep).is_file()  # a static file, resolved too
    errors = [r.getMessage() for r in records if r.levelno >= logging.ERROR]
    assert [e for e in errors if "gone.md" in e] == [
        "articles/drawn.md:12: error: broken link to 'gone.md' (did you mean 'target.md'?)"]


def test_index_links_are_absolute_without_relative_urls(tmp_path: Path):
    out = tmp_path / "out"
    build_site(_site(tmp_path), out, DIAGRAMS_INDEX_SAVE_AS="a/b/diagrams.html", RELATIVE_URLS=False,
               SITEURL="https://example.org/blog")
    assert _links(out / "a" / "b" / "diagrams.html")["Recruit"] == "https://example.org/blog/2020/01/target.html#why"


def test_index_links_resolve_without_the_crosslinks_plugin(tmp_path: Path):
    out = tmp_path / "out"
    build_site(_site(tmp_path), out, PLUGINS=["author_report", "diagrams"])
    assert _links(out / "diagrams" / "index.html")["Recruit"] == "../2020/01/target.html#why"
