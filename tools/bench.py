"""Benchmark: cold builds against plain Pelican, and edit-to-page with the devserver (`make bench N=2000`).

Generates a deterministic synthetic blog (tools/synth.py) and builds it cold, each build in its
own `pelican` process with caches off, one after the other (interleaved with --repeat):

    plain       Pelican's default theme (notmyidea), PLUGINS=[], our URL settings
    theme       our theme, PLUGINS=[]
    full_jobs1  the project as configured in pelicanconf.py, JOBS=1 (one process)
    full        the same with JOBS=<cores> (every core: worker processes)
    theme_fast  (with --theme-fast) our theme with only the compute_once plugin, for apportioning

Wall time is taken around the process; CPU time from os.wait4 (the workers it reaped included);
peak memory is the whole process tree's (the build, its workers, Pagefind), sampled from /proc
every 20 ms (tools/bench_proctree.py). Then, unless --no-edit, it starts the real `make devserver`
on the same blog and times edit-to-page: from saving a post to its page rewritten on disk
(tools/bench_edit.py).

It prints a Markdown report (machine, the table of builds, stage split, checks with the targets
of issue 15, edits, sizes) and writes it as JSON to OUT/bench-N.json. Options: --posts N, --out DIR
(default .bench/), --repeat R, --keep, --only BUILD (repeatable; `edit` for edit-to-page),
--no-edit, --edit-rounds K, --theme-fast, --jobs J, --profile, --linkcheck, --seed S.
Targets are reported, never enforced: the exit status is 1 only when a build or the
edit-to-page run fails.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

from tools import synth
from tools.bench_proctree import TreeSampler

ROOT = Path(__file__).resolve().parent.parent
BUILDS = ("plain", "theme", "theme_fast", "full_jobs1", "full")
DEFAULT_BUILDS = ("plain", "theme", "full_jobs1", "full")
FULL_BUILDS = ("full_jobs1", "full")
UNSTABLE_PREFIX = "pagefind/"  # not byte-stable from one Pagefind run to the next
ARTICLE_RE = re.compile(r"^\d{4}/\d{2}/[^/]+\.html$")


def venv_bin(name: str) -> Path:
    return Path(sys.executable).parent / name


def pelican_cmd() -> list[str]:
    exe = venv_bin("pelican")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "pelican"]


def child_env() -> dict:
    env = dict(os.environ)
    env.update({"COLUMNS": "300", "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"})
    return env


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


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

    return {
        "cores": cores(),
        "cpu": cpu,
        "memory_mb": mem_mb,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "pelican": version("pelican"),
        "markdown": version("markdown"),
        "jinja2": version("jinja2"),
        "loadavg_at_start": loadavg(),
    }


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# --------------------------------------------------------------------------- builds


def build_args(name: str, work: Path, stage_file: Path, jobs: int | None = None) -> list[str]:
    """Pelican options of build `name` on top of pelicanconf.py; `jobs` is the all-cores count."""
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
        # JOBS reaches the workers plugin as a setting (CONTRACTS.md, "Speed"); a Pelican
        # without that plugin ignores it.
        extra += [f"STAGE_TIMER_OUTPUT={json.dumps(str(stage_file))}",
                  f"JOBS={1 if name == 'full_jobs1' else (jobs or cores())}"]
    return [*args, "-e", *extra]


def run_measured(cmd: list[str], log: Path) -> dict:
    """Run `cmd` from the repo root: wall time; CPU time of it and the children it reaped
    (os.wait4); peak memory of its whole process tree (summed RSS, and summed PSS, which counts
    pages shared by forked workers once), and of the root process alone (ru_maxrss)."""
    start = time.perf_counter()
    with open(log, "w", encoding="utf-8") as fh:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT, env=child_env())
        sampler = TreeSampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    sampler.stop()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "exit": proc.returncode,
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_mb": sampler.peak_mb,
        "peak_pss_mb": sampler.peak_pss_mb,
        "process_peak_mb": round(usage.ru_maxrss / 1024, 1),  # KiB on Linux
        "processes": len(sampler.ever),
    }


def author_summary(log: Path) -> dict | None:
    found = None
    for line in log.read_text("utf-8", errors="replace").splitlines():
        m = re.match(r"^\s*(\d+) errors?, (\d+) warnings?\s*$", line)
        if m:
            found = {"errors": int(m.group(1)), "warnings": int(m.group(2))}
    return found


def output_facts(out: Path) -> dict:
    pages = 0
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
            if ARTICLE_RE.match(rel):
                with open(path, "rb") as fh:
                    head = fh.read(1024)
                # Alias redirect pages live at old post paths too: they are not articles.
                if b'http-equiv="refresh"' not in head:
                    sizes.append((size, rel))
    sizes.sort()
    facts = {"html_pages": pages, "article_pages": len(sizes), "output_mb": round(total / 2**20, 1)}
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


def run_build(name: str, content: Path, work: Path, jobs: int) -> dict:
    out = work / f"out-{name}"
    stage_file = work / f"stages-{name}.json"
    log = work / f"log-{name}.txt"
    for stale in (out, work / f"cache-{name}"):
        shutil.rmtree(stale, ignore_errors=True)
    stage_file.unlink(missing_ok=True)
    cmd = [*pelican_cmd(), str(content), "-o", str(out), "-s", str(ROOT / "pelicanconf.py"),
           *build_args(name, work, stage_file, jobs)]
    result = run_measured(cmd, log)
    result["command"] = " ".join(cmd)
    result["log"] = str(log)
    if name in FULL_BUILDS:
        result["jobs"] = 1 if name == "full_jobs1" else jobs
    if result["exit"] != 0:
        result["log_tail"] = log.read_text("utf-8", errors="replace").splitlines()[-15:]
    if out.exists():
        result.update(output_facts(out))
    if name in FULL_BUILDS:
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
    for key in ("peak_mb", "peak_pss_mb", "process_peak_mb"):
        best[key] = max(r.get(key, 0) for r in ok)
    stages = [r["stages"] for r in ok if r.get("stages")]
    if stages:
        keys = sorted({k for st in stages for k in st})
        best["stages"] = {k: min(st.get(k, 0.0) for st in stages) for k in keys}
    best["runs"] = len(runs)
    if len(ok) > 1:
        best["wall_all_s"] = [r["wall_s"] for r in ok]
    return best


def tree_digests(out: Path) -> dict[str, str]:
    """{relative path: sha256} of every file (one small string per file, not the file)."""
    digests = {}
    for path in sorted(out.rglob("*")):
        if path.is_file():
            h = hashlib.sha256()
            with open(path, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
            digests[path.relative_to(out).as_posix()] = h.hexdigest()
    return digests


def compare_outputs(a: Path, b: Path) -> dict:
    """Files that differ (or exist on one side only) between two build outputs. Pagefind's index
    (pagefind/) is counted apart: it differs between any two runs of Pagefind on the same pages."""
    da, db = tree_digests(a), tree_digests(b)
    differ = sorted(k for k in set(da) | set(db) if da.get(k) != db.get(k))
    ours = [k for k in differ if not k.startswith(UNSTABLE_PREFIX)]
    return {"files": len(da), "differ": len(ours), "examples": ours[:10],
            "pagefind_differ": len(differ) - len(ours)}


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


# --------------------------------------------------------------------------- profile


def run_profile(content: Path, work: Path, top: int = 25) -> dict:
    """cProfile of the full build at JOBS=1 (a profiler sees one process only)."""
    from tools import bench_profile

    prof = work / "full.prof"
    stage_file = work / "stages-profile.json"
    out = work / "out-profile"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "cProfile", "-o", str(prof), pelican_cmd()[0], str(content), "-o", str(out),
           "-s", str(ROOT / "pelicanconf.py"), *build_args("full_jobs1", work, stage_file)]
    measured = run_measured(cmd, work / "log-profile.txt")
    shutil.rmtree(out, ignore_errors=True)
    if measured["exit"] != 0 or not prof.exists():
        return {"exit": measured["exit"]}
    summary = bench_profile.summarize(prof, top=top)
    summary["prof"] = str(prof)
    summary["wall_s"] = measured["wall_s"]
    return summary


# --------------------------------------------------------------------------- main


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


def reuse_previous(json_path: Path, seed: int, version, builds: dict, edit: dict | None) -> tuple[dict, dict | None]:
    """With --only: the builds (and edit-to-page) not run this time, from the previous run of the
    same N, seed and synthetic blog, marked with its date."""
    try:
        previous = json.loads(json_path.read_text("utf-8"))
    except (OSError, ValueError):
        return builds, edit
    if previous.get("seed") != seed or previous.get("synth", {}).get("version") != version:
        return builds, edit
    when = previous.get("when")
    for name in BUILDS:
        if name not in builds and name in previous.get("builds", {}):
            prev = previous["builds"][name]
            builds[name] = {**prev, "reused_from": prev.get("reused_from") or when}
    if edit is None and previous.get("edit"):
        edit = {**previous["edit"], "reused_from": previous["edit"].get("reused_from") or when}
    return {name: builds[name] for name in BUILDS if name in builds}, edit


def run_builds(names: list[str], content: Path, work: Path, repeat: int, jobs: int, keep: bool) -> dict:
    runs: dict[str, list[dict]] = {name: [] for name in names}
    for rep in range(repeat):
        for name in names:
            print(f"build {name} ({rep + 1}/{repeat}) ...", file=sys.stderr, flush=True)
            res = run_build(name, content, work, jobs)
            runs[name].append(res)
            print(f"  exit {res['exit']}, {res['wall_s']:.2f} s, {res['peak_mb']:.0f} MB (tree)", file=sys.stderr, flush=True)
            if not keep and name not in FULL_BUILDS:
                shutil.rmtree(work / f"out-{name}", ignore_errors=True)  # disk: at 20,000 posts each is large
    return {name: best_of(rs) for name, rs in runs.items()}


def parse_args(argv=None) -> argparse.Namespace:
    from tools.bench_edit import EDIT_KINDS

    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000, help="number of synthetic posts (default 2000)")
    parser.add_argument("--out", default=str(ROOT / ".bench"), help="work folder (default .bench/)")
    parser.add_argument("--keep", action="store_true", help="keep the build outputs (out-*/ in the work folder)")
    parser.add_argument("--repeat", type=int, default=1, help="run each build R times, interleaved; report the best")
    parser.add_argument("--only", action="append", choices=[*BUILDS, "edit"],
                        help="run only this build, or `edit` for edit-to-page (repeatable)")
    parser.add_argument("--no-edit", action="store_true", help="skip edit-to-page (the devserver run)")
    parser.add_argument("--edit-rounds", type=int, default=1,
                        help=f"edit-to-page: rounds of the {len(EDIT_KINDS)} edits, each on other posts (default 1)")
    parser.add_argument("--theme-fast", action="store_true", help="also build our theme with only compute_once (info row)")
    parser.add_argument("--jobs", type=int, default=cores(), help="JOBS of the all-cores full build (default: the cores)")
    parser.add_argument("--profile", action="store_true", help="also profile the full build (JOBS=1) with cProfile")
    parser.add_argument("--linkcheck", action="store_true",
                        help="also check every internal link of the full build (tools/linkcheck.py)")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    from tools import bench_edit, bench_report

    args = parse_args(argv)
    out_dir = Path(args.out).resolve()
    work = out_dir / f"n{args.posts}"
    work.mkdir(parents=True, exist_ok=True)
    content = out_dir / f"synth-{args.posts}-s{args.seed}"
    mach = machine()
    t0 = time.perf_counter()
    summary = synth.ensure(content, args.posts, args.seed)
    print(f"synthetic site: {content} ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)

    wanted = args.only or [*DEFAULT_BUILDS, *(["theme_fast"] if args.theme_fast else []),
                           *([] if args.no_edit else ["edit"])]
    names = [b for b in BUILDS if b in wanted]
    builds = run_builds(names, content, work, max(1, args.repeat), args.jobs, args.keep)
    edit = None
    if "edit" in wanted:
        print("edit-to-page: make devserver on the synthetic blog ...", file=sys.stderr, flush=True)
        edit = bench_edit.run(content, work, ROOT, child_env(), args.edit_rounds, args.keep)
        print(f"  exit {edit['exit']}, page median {edit.get('page_median_s')} s", file=sys.stderr, flush=True)
    json_path = out_dir / f"bench-{args.posts}.json"
    if args.only:
        builds, edit = reuse_previous(json_path, args.seed, summary["version"], builds, edit)
    mach["loadavg_at_end"] = loadavg()

    result = {
        "posts": args.posts,
        "seed": args.seed,
        "repeat": max(1, args.repeat),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": mach,
        "synth": summary,
        "builds": builds,
        "edit": edit,
    }
    result["ratios"] = bench_report.ratios(builds)
    full_out, one_out = work / "out-full", work / "out-full_jobs1"
    ok_full = (builds.get("full") or {}).get("exit") == 0 and full_out.exists()
    if ok_full and "full" in names and "full_jobs1" in names and one_out.exists():
        print("comparing the outputs of JOBS=1 and all cores ...", file=sys.stderr, flush=True)
        result["jobs_identical"] = compare_outputs(one_out, full_out)
    result["graph_page"] = graph_page_size(full_out) if ok_full else None
    if args.linkcheck and ok_full:
        from tools.linkcheck import broken_links

        print("linkcheck of the full build ...", file=sys.stderr, flush=True)
        broken = broken_links(full_out)
        result["linkcheck"] = {"broken": len(broken), "examples": broken[:5]}
    if args.profile:
        print("profile of the full build (JOBS=1) ...", file=sys.stderr, flush=True)
        result["profile"] = run_profile(content, work)
    others = load_other_runs(out_dir, args.posts)
    result["table"] = bench_report.table_rows(result)
    result["checks"] = bench_report.checks_for(result, others)
    result["scaling"] = bench_report.scaling_rows(result, others)
    text = bench_report.report(result)
    result["report_markdown"] = text
    json_path.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", "utf-8")
    (out_dir / "bench.md").write_text(text + "\n", "utf-8")
    if not args.keep:
        for name in BUILDS:
            shutil.rmtree(work / f"out-{name}", ignore_errors=True)
    print(text)
    print(f"\nJSON: {json_path}")
    failed = [name for name, b in builds.items() if b["exit"] != 0 and "reused_from" not in b]
    if edit is not None and edit.get("exit") != 0 and "reused_from" not in edit:
        failed.append("edit-to-page")
    if failed:
        print(f"bench: failed: {', '.join(failed)}; see the logs in {work}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
