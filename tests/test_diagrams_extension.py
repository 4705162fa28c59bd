"""Diagrams Markdown extension: blocks in posts, file lines of errors, use: files, recorded data."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from markdown import Markdown

from diagrams.extension import DiagramsExtension

FIXTURES = Path(__file__).parent / "fixtures" / "diagrams"


@pytest.fixture
def content(tmp_path):
    (tmp_path / "diagrams").mkdir()
    (tmp_path / "diagrams" / "role.yaml").write_text((FIXTURES / "intermediary.yaml").read_text("utf-8"), "utf-8")
    (tmp_path / "diagrams" / "broken.yaml").write_text("type: cycle\ntitle: b\nsteps: [one]\n", "utf-8")
    (tmp_path / "secret.yaml").write_text((FIXTURES / "cycle.yaml").read_text("utf-8"), "utf-8")
    (tmp_path / "articles").mkdir()
    return tmp_path


def convert(content: Path, text: str, name: str = "articles/post.md", ext=None):
    ext = ext or DiagramsExtension(content_path=str(content))
    source = content / name
    source.write_text(text, "utf-8")
    md = Markdown(extensions=[ext, "markdown.extensions.extra", "markdown.extensions.meta",
                              "markdown.extensions.codehilite"], output_format="html5")
    md.post_data = {"source_path": str(source)}
    html = md.convert(text)
    return BeautifulSoup(html, "html.parser"), md.post_data


POST = """Title: A post
Date: 2016-10-01

Some intro with a [link]({filename}/articles/other.md).

```cycle
title: Learning from experience
steps: [Learn, Reflect, Plan, Act]
```

Between.

```diagram
use: role
```

~~~~causal-loop
title: Growth
links:
  - Volunteers -> Youth served (+)
  - Youth served -> Volunteers (+)
~~~~

````markdown
```cycle
title: just an example in a code block
```
````

The end.
"""


def test_blocks_become_figures_and_rest_of_page_renders(content):
    soup, data = convert(content, POST)
    figs = soup.select("figure.diagram")
    assert [f["class"][1] for f in figs] == ["diagram-cycle", "diagram-intermediary", "diagram-causal-loop"]
    assert [f["id"] for f in figs] == ["diagram-1", "diagram-2", "diagram-3"]
    # ids unique on the page
    ids = [el["id"] for el in soup.select("[id]")]
    assert len(ids) == len(set(ids))
    # the code block example stays code
    assert "just an example" in soup.select_one("pre code").get_text()
    assert soup.find(string=lambda s: s and "The end." in s)
    assert soup.find(string=lambda s: s and "Between." in s)
    recorded = data["diagrams"]
    assert [d["id"] for d in recorded] == ["articles/post#1", "role", "articles/post#3"]
    assert [d["line"] for d in recorded] == [6, 13, 17]
    assert recorded[1]["use"] == "role" and recorded[0]["use"] is None
    # A link of a used file: its use: line in the post, and where it is written in the file.
    assert recorded[1]["links"] == [{"href": "{filename}/articles/programs.md", "label": "Tutor/mentor programs",
                                     "line": 14, "file": "diagrams/role.yaml", "file_line": 9}]
    assert recorded[1]["external"][0]["href"] == "https://example.org/philanthropy"
    assert "read_problems" not in data


def test_internal_links_are_left_for_pelican_to_resolve(content):
    soup, _ = convert(content, "```diagram\nuse: role\n```\n")
    hrefs = [a["href"] for a in soup.select("svg a")]
    assert "{filename}/articles/programs.md" in hrefs
    assert "https://example.org/philanthropy" in hrefs
    # and in the text alternative, as ordinary links
    assert soup.select_one("details.diagram-text a[href='{filename}/articles/programs.md']")


@pytest.mark.parametrize("block,line,message", [
    ("```cycle\ntitle: t\nsteps: [one]\n```\n", 7, "fewer than two steps"),
    ("```cycle\n```\n", 5, "empty diagram block"),
    ("```intermediary\nhub: H\ngroups: [A]\n```\n", 5, "title is missing"),
    ("```diagram\nuse: ../secret\n```\n", 6, "'..' is refused"),
    ("```diagram\nuse: /etc/passwd\n```\n", 6, "absolute path"),
    ("```diagram\nuse: rol\n```\n", 6, "did you mean 'role'"),
    ("```diagram\nuse: broken\n```\n", 6, "diagrams/broken.yaml:3"),
    ("```diagram\ntitle: t\ntype: pie-chart\n```\n", 7, "unknown diagram type"),
    ("```cycle\ntitle: t\nsteps:\n  - label: a\n    link: javascript:alert(1)\n  - b\n```\n", 9, "refused"),
    ("```cycle\ntitle: t\n", 5, "never closed"),
])
def test_errors_point_at_the_post_line(content, block, line, message):
    text = "Title: Errors\nDate: 2016-10-01\n\nIntro.\n" + block + "\nAfter the block.\n"
    soup, data = convert(content, text)
    problems = data.get("read_problems", [])
    assert any(message in m and ln == line and lvl == "error" for ln, lvl, m in problems), problems
    err = soup.select_one("div.diagram-error[role=alert]")
    assert err is not None and message.split("'")[0] in err.get_text()
    assert soup.find(string=lambda s: s and "After the block." in s)
    assert "diagrams" not in data or not data["diagrams"]


def test_symlink_out_of_diagrams_is_refused(content):
    (content / "diagrams" / "sneaky.yaml").symlink_to(content / "secret.yaml")
    soup, data = convert(content, "```diagram\nuse: sneaky\n```\n")
    assert soup.select_one("div.diagram-error")
    assert "outside content/diagrams" in data["read_problems"][0][2]


def test_render_cache_reuses_svg_across_posts(content):
    ext = DiagramsExtension(content_path=str(content))
    s1, _ = convert(content, "```diagram\nuse: role\n```\n", "articles/a.md", ext)
    s2, _ = convert(content, "x\n\n```cycle\ntitle: c\nsteps: [a, b]\n```\n\n```diagram\nuse: role\n```\n",
                    "articles/b.md", ext)
    assert len(ext.render_cache) == 2
    svg1, svg2 = s1.select("svg")[0], s2.select("svg")[1]
    assert svg1["aria-labelledby"] != svg2["aria-labelledby"]  # per-page ids
    assert svg1.select_one("title").get_text() == svg2.select_one("title").get_text()


def test_dense_loops_warn(content):
    names = [f"V{i}" for i in range(9)]
    links = "\n".join(f"  - {a} -> {b} (+)" for a in names for b in names if a != b)
    ext = DiagramsExtension(content_path=str(content), max_loops=10, max_loop_length=6)
    soup, data = convert(content, f"```causal-loop\ntitle: dense\nlinks:\n{links}\n```\n", ext=ext)
    assert soup.select_one("figure.diagram-causal-loop")
    warnings = [p for p in data["read_problems"] if p[1] == "warning"]
    assert warnings and "only the first 10" in warnings[0][2] and warnings[0][0] == 1  # the fence line
    assert len(soup.select("[data-loop]")) == 10


def test_type_spelling_variants_and_typos(content):
    soup, data = convert(content, "```Causal_Loop\ntitle: t\nlinks:\n  - A -> B (+)\n```\n\n"
                                  "```causal-loops\ntitle: typo\nlinks:\n  - A -> B (+)\n```\n")
    assert len(soup.select("figure.diagram-causal-loop")) == 1
    assert "typo" in soup.select_one("pre code").get_text()
    assert data["read_problems"] == [(7, "warning", "```causal-loops is shown as code: did you mean ```causal-loop?")]
