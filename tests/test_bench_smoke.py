"""The benchmark runs end to end on a small site, and its synthetic blog is sound.

No timing assertions here (a shared machine is noisy): only that `make bench` (the module
it runs) builds every way (the three of the benchmark issue, and our theme with compute_once) and
reports them, and that tools/synth.py is deterministic and writes only links that resolve.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tools import synth

ROOT = Path(__file__).resolve().parent.parent


def test_bench_runs_every_build_and_reports(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "tools.bench", "--posts", "50", "--out", str(tmp_path), "--linkcheck", "--keep"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    out = proc.stdout
    assert "| build | wall s | CPU s | peak MB |" in out
    for label in synth_labels():
        row = next((line for line in out.splitlines() if line.startswith(f"| {label} |")), None)
        assert row is not None, f"no table row for {label!r}"
        assert "FAILED" not in row
    assert "| stage | wall s | CPU s | % of full wall |" in out

    result = json.loads((tmp_path / "bench-50.json").read_text("utf-8"))
    assert result["posts"] == 50
    assert set(result["builds"]) == {"plain", "theme", "theme_fast", "full"}
    for name, build in result["builds"].items():
        assert build["exit"] == 0, name
        assert build["wall_s"] > 0 and build["peak_mb"] > 0
        assert build["article_pages"] == 50, name  # every post written by every build
    stages = result["builds"]["full"]["stages"]
    assert set(stages) == {"read", "build", "emit", "read_cpu", "build_cpu", "emit_cpu"}
    assert all(stages[k] >= 0 for k in stages)
    assert result["builds"]["full"]["plugins_not_loaded"] == []
    # every link of the synthetic blog, in every form, works on every page (listings included)
    assert result["linkcheck"]["broken"] == 0, result["linkcheck"]["examples"]
    assert {"full/plain", "full/theme", "theme/plain", "full/theme_fast", "theme_fast/theme"} <= set(result["ratios"])
    assert result["machine"]["cores"] >= 1
    # compute_once is a pure speed-up: our theme with it writes the same bytes as without it
    # (the synthetic posts have automatic summaries with links in every form)
    theme, fast = _digest(tmp_path / "n50" / "out-theme"), _digest(tmp_path / "n50" / "out-theme_fast")
    assert sorted(theme) == sorted(fast)
    assert [name for name in theme if theme[name] != fast[name]] == []
    # the synthetic site is kept for the next run
    assert (tmp_path / "synth-50-s1" / "synth.json").exists()


def synth_labels():
    from tools.bench import LABELS

    return [LABELS[name] for name in ("plain", "theme", "theme_fast", "full")]


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
