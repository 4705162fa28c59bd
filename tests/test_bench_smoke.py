"""The benchmark runs end to end on a small site, and its synthetic blog is sound.

No timing assertions here (a shared machine is noisy): only that `make bench` (the module it
runs) builds every way of issue 15 (plain Pelican, our theme, the full project at JOBS=1 and on
every core; our theme with compute_once too) and times edit-to-page with the real devserver,
stops that devserver whole and leaves the synthetic blog as it found it; and that tools/synth.py
is deterministic and writes only links that resolve.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tools import synth
from tools.bench_edit import apply_edit, load_post, port_answers

ROOT = Path(__file__).resolve().parent.parent
ROWS = ["plain", "theme", "theme_fast", "full_jobs1", "full", "edit"]


def test_bench_runs_every_build_and_edit_to_page(tmp_path):
    blog = tmp_path / "synth-50-s1"
    synth.generate(blog, 50, seed=1)  # the bench reuses it (same N, seed and version)
    before = _digest(blog)
    proc = subprocess.run(
        [sys.executable, "-m", "tools.bench", "--posts", "50", "--out", str(tmp_path), "--linkcheck", "--keep",
         "--theme-fast"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    result = json.loads((tmp_path / "bench-50.json").read_text("utf-8"))

    # one table: every build and edit-to-page, against plain Pelican
    assert [row["row"] for row in result["table"]] == ROWS
    for row in result["table"]:
        assert row["exit"] == 0, row
        assert row["wall_s"] > 0 and row["cpu_s"] > 0 and row["peak_mb"] > 0, row
        assert row["x_plain_time"] > 0 and row["x_plain_memory"] > 0, row
    table_lines = [line for line in proc.stdout.splitlines() if line.startswith("| ")]
    for row in result["table"]:
        assert any(line.startswith(f"| {row['label']} |") for line in table_lines), row["label"]

    builds = result["builds"]
    assert set(builds) == {"plain", "theme", "theme_fast", "full_jobs1", "full"}
    for name in ("plain", "theme"):  # one process: its PSS is most of its RSS (shared libraries aside)
        assert 0.5 * builds[name]["peak_mb"] < builds[name]["peak_pss_mb"] <= builds[name]["peak_mb"], name
    for name, build in builds.items():
        assert build["article_pages"] == 50, name  # every post written by every build
    assert builds["full_jobs1"]["jobs"] == 1 and builds["full"]["jobs"] == result["machine"]["cores"]
    assert "JOBS=1" in builds["full_jobs1"]["command"]
    for name in ("full_jobs1", "full"):
        assert set(builds[name]["stages"]) == {"read", "build", "emit", "read_cpu", "build_cpu", "emit_cpu"}
        assert builds[name]["plugins_not_loaded"] == []
        assert builds[name]["author_report"] == {"errors": 0, "warnings": 0}
    assert result["jobs_identical"]["files"] > 50
    assert result["linkcheck"]["broken"] == 0, result["linkcheck"]["examples"]
    assert result["machine"]["cores"] >= 1 and len(result["machine"]["loadavg_at_end"]) == 3

    # edit-to-page: every edit reached its page, through the real `make devserver`
    edit = result["edit"]
    assert edit["exit"] == 0, edit.get("error")
    assert isinstance(edit["page_median_s"], float) and edit["page_median_s"] > 0
    assert edit["page_max_s"] >= edit["page_median_s"]
    assert [e["kind"] for e in edit["edits"]] == ["body", "title", "link"]
    assert all(e["page_s"] > 0 and e["done_s"] > 0 for e in edit["edits"])
    # the devserver's `Edited:` line: the post's page and every page showing it, never before the page
    assert all(e["all_pages_s"] is not None and e["all_pages_s"] >= e["page_s"] - 0.05 for e in edit["edits"])
    assert "make" in edit["command"] and "devserver" in edit["command"]
    # ... and it was stopped whole: nothing answers on its port, none of its processes is left
    assert edit["stopped"]["left_running"] == [] and edit["stopped"]["port_free"]
    port = int(re.search(r"PORT=(\d+)", edit["command"]).group(1))
    assert not port_answers(port)
    assert _processes_naming(str(tmp_path)) == []
    # the edits were undone: the synthetic blog is byte for byte what it was
    assert _digest(blog) == before

    # compute_once is a pure speed-up: our theme with it writes the same bytes as without it
    theme, fast = _digest(tmp_path / "n50" / "out-theme"), _digest(tmp_path / "n50" / "out-theme_fast")
    assert sorted(theme) == sorted(fast)
    assert [name for name in theme if theme[name] != fast[name]] == []


def test_edits_put_their_marker_on_the_page_and_keep_the_header(tmp_path):
    synth.generate(tmp_path, 12, seed=2)
    posts = sorted((tmp_path / "posts").glob("*.md"))
    post, other = load_post(posts[0]), load_post(posts[1])
    text = posts[0].read_text("utf-8")
    body = apply_edit("body", text, "mark1")
    assert body.startswith(text.rstrip("\n")) and body.rstrip().endswith("about volunteers.") and "mark1" in body
    title = apply_edit("title", text, "mark2")
    assert f"Title: {post.title} mark2\n" in title and title.count("mark2") == 1
    assert title.replace(" mark2", "", 1) == text
    link = apply_edit("link", text, "mark3", other)
    assert f"[mark3 notes]({{filename}}/posts/{posts[1].name})" in link
    assert post.page == f"{post.page[:7]}/{post.slug}.html" and re.match(r"^\d{4}/\d{2}/", post.page)


def _processes_naming(text: str) -> list[int]:
    """Running processes whose command line names `text` (the devserver's input and output paths)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if text in cmdline and state != "Z" and int(entry.name) != os.getpid():
                found.append(int(entry.name))
    return found


def _digest(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_synth_is_deterministic(tmp_path):
    synth.generate(tmp_path / "a", 40, seed=7)
    synth.generate(tmp_path / "b", 40, seed=7)
    synth.generate(tmp_path / "c", 40, seed=8)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def _meta(text: str) -> dict[str, str]:
    header = text.split("\n\n", 1)[0]
    return dict(line.split(": ", 1) for line in header.splitlines())


def test_synth_posts_shape_and_every_link_resolves(tmp_path):
    summary = synth.generate(tmp_path, 300, seed=3)
    posts = {p.name: p.read_text("utf-8") for p in (tmp_path / "posts").glob("*.md")}
    assert len(posts) == summary["posts"] == 300
    metas = {name: _meta(text) for name, text in posts.items()}

    titles = {m["Title"] for m in metas.values()}
    slugs = {m["Slug"] for m in metas.values()}
    assert len(titles) == len(slugs) == 300  # wiki links by title or slug are unambiguous
    urls, old_urls = {}, set()
    for name, m in metas.items():
        y, mo = m["Date"][:4], m["Date"][5:7]
        assert 2005 <= int(y) <= 2026
        urls[name] = f"{y}/{mo}/{m['Slug']}.html"
        for alias in m.get("Aliases", "").split(", "):
            if alias:
                old_urls.add(alias.replace(synth.LEGACY_HOST, ""))
    site_urls = {"/" + u for u in urls.values()} | old_urls
    pages = {p.relative_to(tmp_path).as_posix() for p in (tmp_path / "pages").glob("*.md")}

    forms = set()
    word_counts, diagram_posts, image_posts = [], 0, 0
    tag_counts: dict[str, int] = {}
    for name, text in posts.items():
        body = text.split("\n\n", 1)[1]
        body_no_code = re.sub(r"`[^`\n]*`", "", re.sub(r"^```.*?^```", "", body, flags=re.M | re.S))
        word_counts.append(len(body_no_code.split()))
        diagram_posts += bool(re.search(r"^```(causal-loop|intermediary|concept-map|cycle|diagram)$", body, re.M))
        for tag in metas[name]["Tags"].split(", "):
            tag_counts[tag] = tag_counts.get(tag, 0) + 1
        here = urls[name].rsplit("/", 1)[0]
        internal = 0
        for src in re.findall(r"!\[[^\]]+\]\(([^)\s]+)\)", body_no_code):  # images, with alt text
            image_posts += 1
            assert (tmp_path / "images" / src.split("/images/", 1)[1]).is_file(), (name, src)
        links_only = re.sub(r"!\[[^\]]*\]\([^)\s]+\)", "", body_no_code)
        for target in re.findall(r"\]\(([^)\s]+)\)", links_only):
            if target.startswith("https://"):
                forms.add("external")
                continue
            internal += 1
            if target.startswith("{filename}/"):
                forms.add("filename")
                rel = target[len("{filename}/"):]
                assert rel in pages or Path(rel).name in posts, target
            elif target.startswith(synth.LEGACY_HOST):
                forms.add("legacy")
                assert target[len(synth.LEGACY_HOST):] in site_urls, target
            elif target.startswith("/"):
                forms.add("site-relative")
                assert target in site_urls, target
            else:
                forms.add("relative")
                resolved = Path(here, target).as_posix()
                while "/../" in resolved or resolved.startswith("../"):
                    resolved = re.sub(r"[^/]+/\.\./", "", resolved, count=1)
                assert "/" + resolved in site_urls, (name, target)
        for wiki in re.findall(r"\[\[([^\]]+)\]\]", body_no_code):
            internal += 1
            key = wiki.split("|", 1)[0]
            forms.add("wiki-slug-text" if "|" in wiki else ("wiki-slug" if key in slugs else "wiki-title"))
            assert key in slugs or key in titles, wiki
        assert internal >= 3, name
    assert forms >= {"filename", "site-relative", "relative", "legacy", "wiki-title", "wiki-slug", "wiki-slug-text", "external"}
    assert 500 <= sum(word_counts) / len(word_counts) <= 700
    assert 0.05 <= diagram_posts / len(posts) <= 0.16
    assert 0.04 <= image_posts / len(posts) <= 0.25
    ranked = sorted(tag_counts.values(), reverse=True)
    assert ranked[0] > 5 * ranked[len(ranked) // 2]  # skewed, Zipf-like

    import yaml

    specs = [yaml.safe_load(p.read_text("utf-8")) for p in sorted((tmp_path / "diagrams").glob("*.yaml"))]
    assert len(specs) == summary["shared_diagrams"]
    for text in posts.values():
        for kind, block in re.findall(r"^```([a-z-]+)\n(.*?)^```$", text, flags=re.M | re.S):
            spec = yaml.safe_load(block)
            if kind == "diagram":
                assert (tmp_path / "diagrams" / f"{spec['use']}.yaml").exists()
            else:
                specs.append({"type": kind, **spec})
    assert {s["type"] for s in specs} == {"causal-loop", "intermediary", "concept-map", "cycle"}
    for spec in specs:
        assert spec["title"]
        for group in spec.get("groups", []):
            if isinstance(group, dict) and "link" in group:
                assert Path(group["link"].removeprefix("{filename}/posts/")).name in posts
