"""Benchmark: build cost of the project against plain Pelican (`make bench N=2000`).

Generates a deterministic synthetic blog (tools/synth.py) and builds it the three ways of the
benchmark issue, plus one for apportioning, each in its own `pelican` process (so wall time and
peak memory are that build's own), with caches off:

    plain      Pelican's default theme (notmyidea), PLUGINS=[], our URL settings
    theme      our theme, PLUGINS=[]
    theme_fast our theme with only the compute_once plugin (Pelican's URLs and summaries computed
               once: a pure speed-up we ship), measured on its own so that "full / our theme"
               is not read as the cost of the features
    full       the project as configured in pelicanconf.py (plugins' stage times via stage_timer)

then prints a Markdown report (machine, builds, plugin stage split, size checks, targets) and
writes it as JSON to OUT/bench-N.json. Options: --posts N, --out DIR (default .bench/),
--keep (keep the build outputs), --repeat R (best of R runs each, interleaved), --rebuild
(devserver-style warm rebuild after editing one post, content cache on), --only BUILD
(repeatable), --profile (cProfile of the full build, grouped by plugin), --linkcheck (every
internal link of the full build checked, tools/linkcheck.py), --seed S.
Targets are reported, never enforced: the exit status is 1 only when a build fails.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

from tools import synth

ROOT = Path(__file__).resolve().parent.parent
BUILDS = ("plain", "theme", "theme_fast", "full")
LABELS = {
    "plain": "plain Pelican (notmyidea, no plugins)",
    "theme": "our theme, PLUGINS=[]",
    "theme_fast": "our theme, PLUGINS=[\"compute_once\"]",
    "full": "full project",
}
STAGES = ("read", "build", "emit")
ARTICLE_RE = re.compile(r"^\d{4}/\d{2}/[^/]+\.html$")
# Targets of the benchmark issue.
T_FULL_OVER_THEME = 1.10
T_GROWTH = 12.0
T_PEAK_MB = 2048
T_GRAPH_KB = 300
T_ARTICLE_KB = 60
T_REBUILD = 0.50


def venv_bin(name: str) -> Path:
    return Path(sys.executable).parent / name


def pelican_cmd() -> list[str]:
    exe = venv_bin("pelican")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "pelican"]


def child_env() -> dict:
    env = dict(os.environ)
    env.update({"COLUMNS": "300", "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"})
    return env


# --------------------------------------------------------------------------- machine


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    mem_mb = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_mb = int(line.split()[1]) // 1024
    except OSError:
        pass

    def version(pkg):
        try:
            return metadata.version(pkg)
        except metadata.PackageNotFoundError:
            return None

    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count()
    return {
        "cores": cores,
        "cpu": cpu,
        "memory_mb": mem_mb,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "pelican": version("pelican"),
        "markdown": version("markdown"),
        "jinja2": version("jinja2"),
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
    }


# --------------------------------------------------------------------------- builds


def build_args(name: str, work: Path, stage_file: Path) -> list[str]:
    cache = work / f"cache-{name}"
    extra = ["CACHE_CONTENT=false", "LOAD_CONTENT_CACHE=false", f"CACHE_PATH={json.dumps(str(cache))}"]
    args: list[str] = []
    if name == "plain":
        import pelican

        theme = Path(pelican.__file__).parent / "themes" / "notmyidea"
        args += ["-t", str(theme)]
        # notmyidea has no 404 template; everything else (URLs, pagination) stays ours.
        extra += ["PLUGINS=[]", 'DIRECT_TEMPLATES=["index", "tags", "categories", "archives"]']
    elif name == "theme":
        extra += ["PLUGINS=[]"]
    elif name == "theme_fast":
        extra += ['PLUGINS=["compute_once"]']
    else:
        extra += [f"STAGE_TIMER_OUTPUT={json.dumps(str(stage_file))}"]
    return [*args, "-e", *extra]


def run_measured(cmd: list[str], log: Path) -> dict:
    """Run `cmd` from the repo root; wall time, CPU time and peak RSS of that process alone."""
    start = time.perf_counter()
    with open(log, "w", encoding="utf-8") as fh:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT, env=child_env())
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "exit": proc.returncode,
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),  # KiB on Linux
    }


def author_summary(log: Path) -> dict | None:
    found = None
    for line in log.read_text("utf-8", errors="replace").splitlines():
        m = re.match(r"^\s*(\d+) errors?, (\d+) warnings?\s*$", line)
        if m:
            found = {"errors": int(m.group(1)), "warnings": int(m.group(2))}
    return found


def output_facts(out: Path) -> dict:
    pages = articles = 0
    total = 0
    sizes: list[tuple[int, str]] = []
    for path in out.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        total += size
        if path.suffix == ".html":
            pages += 1
            rel = path.relative_to(out).as_posix()
            # Alias redirect pages live at old post paths too: they are not articles.
            if ARTICLE_RE.match(rel) and b'http-equiv="refresh"' not in path.read_bytes()[:1024]:
                articles += 1
                sizes.append((size, rel))
    sizes.sort()
    facts = {"html_pages": pages, "article_pages": articles, "output_mb": round(total / 2**20, 1)}
    if sizes:
        size, rel = sizes[(len(sizes) - 1) // 2]
        facts.update({
            "median_article": rel,
            "median_article_kb": round(size / 1024, 1),
            "p90_article_kb": round(sizes[int(0.9 * (len(sizes) - 1))][0] / 1024, 1),
            "max_article_kb": round(sizes[-1][0] / 1024, 1),
            "max_article": sizes[-1][1],
        })
    return facts


def run_build(name: str, content: Path, work: Path) -> dict:
    out = work / f"out-{name}"
    stage_file = work / f"stages-{name}.json"
    log = work / f"log-{name}.txt"
    for stale in (out, work / f"cache-{name}"):
        shutil.rmtree(stale, ignore_errors=True)
    stage_file.unlink(missing_ok=True)
    cmd = [*pelican_cmd(), str(content), "-o", str(out), "-s", str(ROOT / "pelicanconf.py"),
           *build_args(name, work, stage_file)]
    result = run_measured(cmd, log)
    result["command"] = " ".join(cmd)
    result["log"] = str(log)
    if result["exit"] != 0:
        tail = log.read_text("utf-8", errors="replace").splitlines()[-15:]
        result["log_tail"] = tail
    if out.exists():
        result.update(output_facts(out))
    if name == "full":
        result["author_report"] = author_summary(log)
        text = log.read_text("utf-8", errors="replace")
        result["plugins_not_loaded"] = sorted(set(re.findall(r"Cannot (?:load|register) plugin `([^`]+)`", text)))
        if stage_file.exists():
            result["stages"] = json.loads(stage_file.read_text("utf-8"))
    shutil.rmtree(work / f"cache-{name}", ignore_errors=True)
    return result


def best_of(runs: list[dict]) -> dict:
    """Fastest run's facts; min wall/CPU and per-stage times, max peak memory, over repeats."""
    ok = [r for r in runs if r["exit"] == 0] or runs
    best = dict(min(ok, key=lambda r: r["wall_s"]))
    best["wall_s"] = min(r["wall_s"] for r in ok)
    best["cpu_s"] = min(r["cpu_s"] for r in ok)
    best["peak_mb"] = max(r["peak_mb"] for r in ok)
    stages = [r["stages"] for r in ok if r.get("stages")]
    if stages:
        keys = sorted({k for st in stages for k in st})
        best["stages"] = {k: min(st.get(k, 0.0) for st in stages) for k in keys}
    best["runs"] = len(runs)
    if len(ok) > 1:
        best["wall_all_s"] = [r["wall_s"] for r in ok]
    return best


# --------------------------------------------------------------------------- sizes

LOCAL_EXT = (".css", ".js", ".mjs", ".json", ".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif",
             ".woff", ".woff2", ".ttf")


def local_target(ref: str, base: Path, root: Path) -> Path | None:
    ref = ref.strip().split("#", 1)[0].split("?", 1)[0]
    if not ref or re.match(r"^[a-z][a-z0-9+.-]*:", ref, re.I) or ref.startswith("//"):
        return None
    path = (root / ref.lstrip("/")) if ref.startswith("/") else (base / ref)
    try:
        path = path.resolve()
        path.relative_to(root.resolve())
    except (OSError, ValueError):
        return None
    return path if path.is_file() else None


def page_assets(page: Path, root: Path) -> list[Path]:
    """The page and every local file it loads: stylesheets (and their url()/@import), scripts,
    images, embedded objects, data-* file references and JSON a script names."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    base = page.parent
    refs: list[str] = []
    for tag in soup.find_all(True):
        for attr, value in tag.attrs.items():
            if isinstance(value, list):
                value = " ".join(value)
            if tag.name == "link" and attr == "href":
                rel = " ".join(tag.get("rel") or [])
                if any(r in rel for r in ("stylesheet", "preload", "modulepreload", "icon", "manifest")):
                    refs.append(value)
            elif attr in ("src", "data") and tag.name in ("script", "img", "source", "object", "embed",
                                                         "iframe", "audio", "video", "track", "image"):
                refs.append(value)
            elif attr == "srcset":
                refs += [part.strip().split(" ")[0] for part in value.split(",")]
            elif tag.name in ("use", "image") and attr in ("href", "xlink:href"):
                refs.append(value)
            elif attr.startswith("data-") and value.lower().split("?")[0].endswith(LOCAL_EXT):
                refs.append(value)
    files: list[Path] = [page.resolve()]
    queue = [(ref, base) for ref in refs]
    while queue:
        ref, where = queue.pop(0)
        target = local_target(ref, where, root)
        if target is None or target in files:
            continue
        files.append(target)
        if target.suffix == ".css":
            text = target.read_text("utf-8", errors="replace")
            found = re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", text)
            found += re.findall(r"@import\s+['\"]([^'\"]+)['\"]", text)
            queue += [(f, target.parent) for f in found]
        elif target.suffix in (".js", ".mjs"):
            text = target.read_text("utf-8", errors="replace")
            # fetch() resolves against the page, imports against the script
            for f in re.findall(r"['\"`]([^'\"`\s]+\.json)['\"`]", text):
                queue.append((f, base))
            for f in re.findall(r"import\s*(?:[^'\"]*from\s*)?['\"]([^'\"]+\.m?js)['\"]", text):
                queue.append((f, target.parent))
    return files


def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


def graph_page_size(out: Path) -> dict | None:
    page = out / "graph" / "index.html"
    if not page.exists():
        return None
    files = page_assets(page, out)
    rows = [{"file": f.relative_to(out.resolve()).as_posix(), "bytes": f.stat().st_size, "gzip": gzip_size(f)}
            for f in files]
    return {
        "files": rows,
        "raw_kb": round(sum(r["bytes"] for r in rows) / 1024, 1),
        "gzip_kb": round(sum(r["gzip"] for r in rows) / 1024, 1),
    }


# --------------------------------------------------------------------------- rebuild / profile


def run_rebuild(content: Path, work: Path) -> dict:
    log = work / "log-rebuild.txt"
    out_json = work / "rebuild.json"
    out_json.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "tools.bench_rebuild", str(content), str(work / "out-rebuild"),
           str(work / "cache-rebuild"), str(out_json)]
    measured = run_measured(cmd, log)
    result = json.loads(out_json.read_text("utf-8")) if out_json.exists() else {}
    result["exit"] = measured["exit"]
    result["process_peak_mb"] = measured["peak_mb"]
    if measured["exit"] != 0:
        result["log_tail"] = log.read_text("utf-8", errors="replace").splitlines()[-15:]
    shutil.rmtree(work / "out-rebuild", ignore_errors=True)
    shutil.rmtree(work / "cache-rebuild", ignore_errors=True)
    return result


def run_profile(content: Path, work: Path, top: int = 25) -> dict:
    from tools import bench_profile

    prof = work / "full.prof"
    stage_file = work / "stages-profile.json"
    out = work / "out-profile"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "cProfile", "-o", str(prof), pelican_cmd()[0], str(content), "-o", str(out),
           "-s", str(ROOT / "pelicanconf.py"), *build_args("full", work, stage_file)]
    measured = run_measured(cmd, work / "log-profile.txt")
    shutil.rmtree(out, ignore_errors=True)
    if measured["exit"] != 0 or not prof.exists():
        return {"exit": measured["exit"]}
    summary = bench_profile.summarize(prof, top=top)
    summary["prof"] = str(prof)
    summary["wall_s"] = measured["wall_s"]
    return summary


# --------------------------------------------------------------------------- report


def ratio(a, b):
    return round(a / b, 3) if a and b else None


def fmt(value, unit="", digits=2):
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


def verdict(value, limit, applies=True):
    if value is None:
        return "n/a"
    if not applies:
        return "(info)"
    return "PASS" if value <= limit else "FAIL"


def load_other_runs(out_dir: Path, n: int) -> dict[int, dict]:
    runs = {}
    for path in sorted(out_dir.glob("bench-*.json")):
        m = re.match(r"bench-(\d+)\.json$", path.name)
        if not m or int(m.group(1)) == n:
            continue
        try:
            runs[int(m.group(1))] = json.loads(path.read_text("utf-8"))
        except ValueError:
            continue
    return runs


def plugin_build_emit(result: dict) -> float | None:
    stages = (result.get("builds", {}).get("full") or {}).get("stages")
    return round(stages["build"] + stages["emit"], 4) if stages else None


def report(result: dict) -> str:
    n = result["posts"]
    m = result["machine"]
    builds = result["builds"]
    lines = [
        f"## Benchmark, {n:,} posts",
        "",
        f"Machine: {m['cores']} cores, {m['cpu']}, {m['memory_mb']} MB RAM, {m['os']}; Python {m['python']}, "
        f"Pelican {m['pelican']}, Markdown {m['markdown']}, Jinja2 {m['jinja2']}; load average at start "
        f"{m['loadavg_at_start'][0]}. Synthetic site: {result['synth']['words']:,} words, "
        f"{result['synth']['internal_links']:,} internal links, {result['synth']['diagram_blocks']} diagram blocks "
        f"(seed {result['synth']['seed']}). Best of {result['repeat']} run(s) each, caches off.",
        "",
        "| build | wall s | CPU s | peak MB | HTML pages | median article KB | × plain | × our theme |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name in BUILDS:
        b = builds.get(name)
        if not b:
            continue
        if b["exit"] != 0:
            lines.append(f"| {LABELS[name]} | FAILED (exit {b['exit']}; {b['log']}) | | | | | | |")
            continue
        label = LABELS[name] + (f" (from the run of {b['reused_from']})" if b.get("reused_from") else "")
        lines.append(
            f"| {label} | {fmt(b['wall_s'])} | {fmt(b['cpu_s'])} | {fmt(b['peak_mb'], digits=0)} | "
            f"{fmt(b.get('html_pages'))} | {fmt(b.get('median_article_kb'), digits=1)} | "
            f"{fmt(result['ratios'].get(name + '/plain'))} | {fmt(result['ratios'].get(name + '/theme'))} |"
        )
    full = builds.get("full") or {}
    stages = full.get("stages")
    lines += ["", "Plugin time by stage (stage_timer, inside the full build):", ""]
    if stages and full.get("wall_s"):
        lines += ["| stage | wall s | CPU s | % of full wall |", "| --- | ---: | ---: | ---: |"]

        def cpu(key):
            return fmt(stages.get(key), digits=3) if key in stages else "n/a"

        for stage in STAGES:
            lines.append(f"| {stage} | {stages.get(stage, 0.0):.3f} | {cpu(stage + '_cpu')} | "
                         f"{100 * stages.get(stage, 0.0) / full['wall_s']:.1f} |")
        total = sum(stages.get(s, 0.0) for s in STAGES)
        total_cpu = (round(sum(stages[s + "_cpu"] for s in STAGES), 3)
                     if all(s + "_cpu" in stages for s in STAGES) else None)
        lines.append(f"| all plugins | {total:.3f} | {fmt(total_cpu, digits=3)} | {100 * total / full['wall_s']:.1f} |")
    else:
        lines.append("(no stage times: the full build did not run, or stage_timer wrote nothing)")
    if full.get("plugins_not_loaded"):
        lines += ["", f"WARNING: plugins that did not load in the full build: {', '.join(full['plugins_not_loaded'])} "
                      "(their cost is missing from these figures)."]
    ar = full.get("author_report")
    if ar is not None:
        lines += ["", f"Author report of the full build: {ar['errors']} errors, {ar['warnings']} warnings "
                      "(the synthetic site is valid, so both should be 0)."]

    checks = result["checks"]
    lines += ["", "| check | value | target | result |", "| --- | ---: | --- | --- |"]
    for row in checks:
        lines.append(f"| {row['check']} | {row['value']} | {row['target']} | {row['result']} |")

    rb = result.get("rebuild")
    if rb:
        lines += ["", "Warm rebuild (devserver-style, same process, content cache on, one post edited):", ""]
        if rb.get("exit") == 0 and rb.get("cold_s"):
            lines.append(f"cold {rb['cold_s']:.2f} s (writing the cache), rebuild {rb['rebuild_s']:.2f} s, "
                         f"ratio {rb['ratio']:.2f}; rebuild stages {rb.get('rebuild_stages')}.")
        else:
            lines.append(f"FAILED: {rb.get('log_tail')}")

    scaling = result.get("scaling")
    if scaling and len(scaling) > 1:
        lines += ["", "All stored runs in this folder (each from its own bench-N.json; same machine only if the "
                      "Machine lines agree):", "",
                  "| posts | plain s | our theme s | our theme + compute_once s | full s | full/our theme | "
                  "full/(our theme + compute_once) | full/plain | full peak MB | plugin build+emit s |",
                  "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for row in scaling:
            lines.append(f"| {row['posts']:,} | {fmt(row['plain_s'])} | {fmt(row['theme_s'])} | {fmt(row['theme_fast_s'])} | "
                         f"{fmt(row['full_s'])} | {fmt(row['full/theme'])} | {fmt(row['full/theme_fast'])} | {fmt(row['full/plain'])} | {fmt(row['full_peak_mb'], digits=0)} | "
                         f"{fmt(row['build_emit_s'], digits=3)} |")

    prof = result.get("profile")
    if prof and prof.get("by_module"):
        lines += ["", f"Profile of the full build (cProfile, {prof['wall_s']:.1f} s under the profiler; "
                      "own time summed by module):", "",
                  "| module | own s | cumulative s (entry points) |", "| --- | ---: | ---: |"]
        for row in prof["by_module"][:15]:
            lines.append(f"| {row['module']} | {row['tottime']:.2f} | {fmt(row.get('cumtime'))} |")
        lines += ["", "Hottest functions in plugins/ (own time):", "",
                  "| function | calls | own s | cumulative s |", "| --- | ---: | ---: | ---: |"]
        for row in prof["plugin_functions"][:20]:
            lines.append(f"| `{row['function']}` | {row['calls']} | {row['tottime']:.3f} | {row['cumtime']:.3f} |")
    return "\n".join(lines)


def checks_for(result: dict, others: dict[int, dict]) -> list[dict]:
    n = result["posts"]
    builds = result["builds"]
    full = builds.get("full") or {}
    rows = []
    r = result["ratios"].get("full/theme")
    rows.append({"check": "wall full / our theme", "value": fmt(r), "target": f"≤ {T_FULL_OVER_THEME:.2f} (at 2,000 and 20,000)",
                 "result": verdict(r, T_FULL_OVER_THEME, n in (2000, 20000))})
    r_cpu = result["ratios"].get("full/theme cpu")
    rows.append({"check": "CPU full / our theme (less noisy)", "value": fmt(r_cpu), "target": f"≤ {T_FULL_OVER_THEME:.2f}",
                 "result": verdict(r_cpu, T_FULL_OVER_THEME, n in (2000, 20000))})
    r_features = result["ratios"].get("full/theme_fast")
    rows.append({"check": "wall full / our theme + compute_once", "value": fmt(r_features),
                 "target": "(info: the features' cost, without compute_once's saving on Pelican's own work)",
                 "result": "(info)"})
    r_saved = result["ratios"].get("theme_fast/theme")
    rows.append({"check": "wall our theme + compute_once / our theme", "value": fmt(r_saved),
                 "target": "(info: what compute_once alone saves Pelican)", "result": "(info)"})
    stages = full.get("stages") if full.get("exit") == 0 else None
    theme = builds.get("theme") or {}
    own = ratio(sum(stages.get(st, 0.0) for st in STAGES), theme.get("cpu_s")) if stages and theme.get("exit") == 0 else None
    rows.append({"check": "plugins' own time (stage_timer) / our theme CPU", "value": fmt(own), "target": "(info: the part "
                 "of the overhead spent inside the plugins; the rest is Pelican and Jinja rendering their data)",
                 "result": "(info)"})
    peak = full.get("peak_mb") if full.get("exit") == 0 else None
    rows.append({"check": "peak memory, full build", "value": fmt(peak, " MB", 0), "target": f"≤ {T_PEAK_MB} MB (at 20,000)",
                 "result": verdict(peak, T_PEAK_MB, n == 20000)})
    graph = result.get("graph_page")
    g = graph["gzip_kb"] if graph else None
    rows.append({"check": "graph/index.html + assets, gzip -6", "value": fmt(g, " KB", 1) if graph else "n/a (no graph/index.html)",
                 "target": f"≤ {T_GRAPH_KB} KB (at 2,000)", "result": verdict(g, T_GRAPH_KB, n == 2000)})
    a = full.get("median_article_kb") if full.get("exit") == 0 else None
    rows.append({"check": f"median article page ({full.get('median_article', '-')})", "value": fmt(a, " KB", 1),
                 "target": f"≤ {T_ARTICLE_KB} KB", "result": verdict(a, T_ARTICLE_KB)})
    mx = full.get("max_article_kb") if full.get("exit") == 0 else None
    rows.append({"check": f"largest article page ({full.get('max_article', '-')})", "value": fmt(mx, " KB", 1),
                 "target": "(info)", "result": "(info)"})
    be = plugin_build_emit(result)
    base = plugin_build_emit(others[2000]) if 2000 in others else (be if n == 2000 else None)
    growth = ratio(be, base) if n != 2000 and be is not None and base else None
    rows.append({"check": "plugin build+emit time vs N=2,000", "value": f"{fmt(be, ' s', 3)} ({fmt(growth)}×)" if growth else fmt(be, " s", 3),
                 "target": f"≤ {T_GROWTH:.0f}× at 20,000", "result": verdict(growth, T_GROWTH, n == 20000) if growth else "n/a"})
    lc = result.get("linkcheck")
    if lc is not None:
        rows.append({"check": "broken internal links and anchors in the full build", "value": str(lc["broken"]),
                     "target": "0", "result": "PASS" if lc["broken"] == 0 else "FAIL"})
    rb = result.get("rebuild")
    if rb:
        rr = rb.get("ratio")
        rows.append({"check": "warm rebuild / cold build", "value": fmt(rr), "target": f"≤ {T_REBUILD:.2f}",
                     "result": verdict(rr, T_REBUILD)})
    return rows


def scaling_rows(result: dict, others: dict[int, dict]) -> list[dict]:
    rows = []
    for n, res in sorted({**others, result["posts"]: result}.items()):
        b = res.get("builds", {})

        def wall(name):
            x = b.get(name) or {}
            return x.get("wall_s") if x.get("exit") == 0 else None

        rows.append({"posts": n, "plain_s": wall("plain"), "theme_s": wall("theme"),
                     "theme_fast_s": wall("theme_fast"), "full_s": wall("full"),
                     "full/theme": res.get("ratios", {}).get("full/theme"),
                     "full/theme_fast": res.get("ratios", {}).get("full/theme_fast"),
                     "full/plain": res.get("ratios", {}).get("full/plain"),
                     "full_peak_mb": (b.get("full") or {}).get("peak_mb"), "build_emit_s": plugin_build_emit(res)})
    return rows


# --------------------------------------------------------------------------- main


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000, help="number of synthetic posts (default 2000)")
    parser.add_argument("--out", default=str(ROOT / ".bench"), help="work folder (default .bench/)")
    parser.add_argument("--keep", action="store_true", help="keep the build outputs (out-plain/, out-theme/, out-theme_fast/, out-full/)")
    parser.add_argument("--repeat", type=int, default=1, help="run each build R times, interleaved; report the best")
    parser.add_argument("--rebuild", action="store_true", help="also measure a warm rebuild after editing one post")
    parser.add_argument("--profile", action="store_true", help="also profile the full build with cProfile")
    parser.add_argument("--only", action="append", choices=BUILDS, help="run only this build (repeatable)")
    parser.add_argument("--linkcheck", action="store_true",
                        help="also check every internal link of the full build (tools/linkcheck.py)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    out_dir = Path(args.out).resolve()
    work = out_dir / f"n{args.posts}"
    work.mkdir(parents=True, exist_ok=True)
    content = out_dir / f"synth-{args.posts}-s{args.seed}"
    t0 = time.perf_counter()
    summary = synth.ensure(content, args.posts, args.seed)
    print(f"synthetic site: {content} ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)

    names = [b for b in BUILDS if not args.only or b in args.only]
    runs: dict[str, list[dict]] = {name: [] for name in names}
    for rep in range(max(1, args.repeat)):
        for name in names:
            print(f"build {name} ({rep + 1}/{args.repeat}) ...", file=sys.stderr, flush=True)
            res = run_build(name, content, work)
            runs[name].append(res)
            print(f"  exit {res['exit']}, {res['wall_s']:.2f} s, {res['peak_mb']:.0f} MB", file=sys.stderr, flush=True)
    builds = {name: best_of(rs) for name, rs in runs.items()}
    json_path = out_dir / f"bench-{args.posts}.json"
    if args.only and json_path.exists():
        # The builds not run this time come from the previous run of the same N and seed.
        try:
            previous = json.loads(json_path.read_text("utf-8"))
        except ValueError:
            previous = {}
        if previous.get("seed") == args.seed and previous.get("synth", {}).get("version") == summary["version"]:
            for name in BUILDS:
                if name not in builds and name in previous.get("builds", {}):
                    prev = previous["builds"][name]
                    builds[name] = {**prev, "reused_from": prev.get("reused_from") or previous.get("when")}
    builds = {name: builds[name] for name in BUILDS if name in builds}

    def ok(name):
        b = builds.get(name)
        return b if b and b["exit"] == 0 else None

    ratios = {}
    for a, b in (("plain", "plain"), ("theme", "plain"), ("theme_fast", "plain"), ("full", "plain"),
                 ("full", "theme"), ("theme_fast", "theme"), ("full", "theme_fast")):
        if ok(a) and ok(b):
            ratios[f"{a}/{b}"] = ratio(ok(a)["wall_s"], ok(b)["wall_s"])
            ratios[f"{a}/{b} cpu"] = ratio(ok(a)["cpu_s"], ok(b)["cpu_s"])
    ratios.pop("plain/plain cpu", None)

    result = {
        "posts": args.posts,
        "seed": args.seed,
        "repeat": max(1, args.repeat),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": machine(),
        "synth": summary,
        "builds": builds,
        "ratios": ratios,
    }
    full_out = work / "out-full"
    result["graph_page"] = graph_page_size(full_out) if ok("full") and full_out.exists() else None
    if args.linkcheck and ok("full") and full_out.exists():
        from tools.linkcheck import broken_links

        print("linkcheck of the full build ...", file=sys.stderr, flush=True)
        broken = broken_links(full_out)
        result["linkcheck"] = {"broken": len(broken), "examples": broken[:5]}
    if args.rebuild:
        print("rebuild (cold, edit one post, warm) ...", file=sys.stderr, flush=True)
        result["rebuild"] = run_rebuild(content, work)
    if args.profile:
        print("profile of the full build ...", file=sys.stderr, flush=True)
        result["profile"] = run_profile(content, work)
    others = load_other_runs(out_dir, args.posts)
    result["checks"] = checks_for(result, others)
    result["scaling"] = scaling_rows(result, others)
    text = report(result)
    result["report_markdown"] = text
    json_path.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", "utf-8")
    (out_dir / "bench.md").write_text(text + "\n", "utf-8")
    if not args.keep:
        for name in BUILDS:
            shutil.rmtree(work / f"out-{name}", ignore_errors=True)
    print(text)
    print(f"\nJSON: {out_dir / f'bench-{args.posts}.json'}")
    failed = [name for name, b in builds.items() if b["exit"] != 0 and "reused_from" not in b]
    if failed:
        print(f"bench: build(s) failed: {', '.join(failed)}; see the logs in {work}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
