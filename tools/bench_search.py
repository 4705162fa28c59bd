"""Benchmark of search (issue 14): what the Pagefind index costs at N posts (`python -m tools.bench_search`).

On the synthetic blog of `make bench` (tools/synth.py), measures:

- build cost: the full build with SEARCH_INDEX off and on, interleaved `--rounds` times (separate
  `pelican` processes, caches off, wall and CPU time and peak memory of the whole process tree,
  Pagefind's service included), with the median of what the index adds; and, for comparison,
  `pagefind --site` over the whole written site, as the plugin ran it before it gave Pagefind one
  record per post;
- index size: the bundle (OUTPUT/pagefind/) in all, and the part search.html can load (Pagefind's JS, the
  WebAssembly, entry, metadata, index chunks, fragments, filters; not its unused UI files);
- the first query in Chromium (tools/browser.py, a cold browser context over a local HTTP server): bytes
  transferred for search.html?q=WORDS (HTML, CSS, our script, Pagefind's files), and the time from
  navigation start to the results being shown (the status line filled).

Prints a Markdown report and writes it as JSON to OUT/bench-search-N.json. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from importlib import metadata
from pathlib import Path

from tools import browser, synth
from tools.bench import ROOT, build_args, machine, pelican_cmd, run_measured

UI_FILES = ("pagefind-ui", "pagefind-modular-ui", "pagefind-component-ui", "pagefind-highlight")
QUERIES = ("volunteers", "coordinator workload retention")


def bundle_size(out: Path) -> dict:
    total = loadable = files = 0
    for path in (out / "pagefind").rglob("*"):
        if path.is_file():
            size = path.stat().st_size
            total += size
            files += 1
            if not path.name.startswith(UI_FILES):
                loadable += size
    return {"bundle_kb": round(total / 1024, 1), "loadable_kb": round(loadable / 1024, 1), "files": files}


def build(content: Path, work: Path, index: bool) -> dict:
    name = "search-on" if index else "search-off"
    out = work / f"out-{name}"
    shutil.rmtree(out, ignore_errors=True)
    args = build_args("full", work, work / f"stages-{name}.json")
    cmd = [*pelican_cmd(), str(content), "-o", str(out), "-s", str(ROOT / "pelicanconf.py"), *args,
           f"SEARCH_INDEX={'true' if index else 'false'}"]
    result = run_measured(cmd, work / f"log-{name}.txt")
    result["out"] = str(out)
    return result


def first_query(out: Path, query: str) -> dict:
    """Bytes and time of the first query on a cold page load of search.html?q=QUERY."""
    from urllib.parse import quote

    from playwright.sync_api import sync_playwright

    sizes: dict[str, int] = {}
    with browser.serve(out) as base, sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()

        def finished(request):
            response = request.response()
            body = len(response.body()) if response else 0
            sizes[request.url[len(base):]] = body

        page.on("requestfinished", finished)
        page.goto(base + "search.html?q=" + quote(query))
        page.wait_for_function("() => document.querySelector('[data-search-status]').textContent.trim() !== ''",
                               timeout=60000)
        ms = page.evaluate("() => performance.now()")
        status = page.locator("[data-search-status]").inner_text()
        time.sleep(0.5)  # let the last requestfinished events arrive
        context.close()
        chromium.close()
    pagefind = sum(v for k, v in sizes.items() if k.startswith("pagefind/"))
    return {"query": query, "status": status, "ms_to_results": round(ms), "requests": len(sizes),
            "bytes_total": sum(sizes.values()), "bytes_pagefind": pagefind,
            "largest": sorted(((v, k) for k, v in sizes.items()), reverse=True)[:4]}


def added(offs: list[dict], ons: list[dict]) -> dict:
    """Median of what the index adds to the build, round by round (wall, CPU, peak memory)."""
    return {key: round(statistics.median(on[key] - off[key] for off, on in zip(offs, ons)), 2)
            for key in ("wall_s", "cpu_s", "peak_mb")}


def report(result: dict) -> str:
    alone, size, more = result["pagefind_site"], result["size"], result["added"]
    lines = [f"## Search at {result['posts']:,} posts", "",
             f"Machine: {result['machine']}", "",
             "| build | wall s | CPU s | peak MB (tree) |", "| --- | ---: | ---: | ---: |"]
    for k, (off, on) in enumerate(zip(result["builds_off"], result["builds_on"]), start=1):
        lines += [f"| round {k}: full, SEARCH_INDEX off | {off['wall_s']} | {off['cpu_s']} | {off['peak_mb']} |",
                  f"| round {k}: full, SEARCH_INDEX on | {on['wall_s']} | {on['cpu_s']} | {on['peak_mb']} |"]
    lines += [f"| **the index adds (median of the rounds)** | **{more['wall_s']:+}** | **{more['cpu_s']:+}** | "
              f"**{more['peak_mb']:+}** |",
              f"| for comparison: `pagefind --site` over the whole written site | {alone['wall_s']} | "
              f"{alone['cpu_s']} | {alone['peak_mb']} |",
             "", f"Index: {result['pages_indexed']} pages; bundle {size['bundle_kb']} KB in {size['files']} files, "
             f"of which search.html can load {size['loadable_kb']} KB (the rest is Pagefind's unused UI).", "",
             "| first query | results | time to results (ms) | requests | bytes in all | of which pagefind/ |",
             "| --- | --- | ---: | ---: | ---: | ---: |"]
    for q in result["queries"]:
        lines.append(f"| `{q['query']}` | {q['status']} | {q['ms_to_results']} | {q['requests']} | "
                     f"{q['bytes_total']:,} | {q['bytes_pagefind']:,} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_search", description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default=str(ROOT / ".bench"))
    parser.add_argument("--rounds", type=int, default=2, help="off/on build pairs, interleaved")
    args = parser.parse_args(argv)
    work = Path(args.out) / f"search-n{args.posts}"
    work.mkdir(parents=True, exist_ok=True)
    content = Path(args.out) / f"synth-{args.posts}-s{args.seed}"
    synth.ensure(content, args.posts, args.seed)
    offs, ons = [], []
    for _ in range(max(1, args.rounds)):
        offs.append(build(content, work, index=False))
        ons.append(build(content, work, index=True))
    out = Path(ons[-1]["out"])
    alone_site = work / "pagefind-site"
    shutil.rmtree(alone_site, ignore_errors=True)
    shutil.copytree(Path(offs[-1]["out"]), alone_site)
    alone = run_measured([sys.executable, "-m", "pagefind", "--site", str(alone_site), "--silent"],
                         work / "log-pagefind-site.txt")
    entry = json.loads((out / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    m = machine()
    described = (f"{m['cores']}-core shared VM ({m['cpu']}), {m['memory_mb']} MB RAM, {m['os']}; Python {m['python']}, "
                 f"Pelican {m['pelican']}, pagefind {metadata.version('pagefind')}; load average {m['loadavg_at_start']}")
    result = {"posts": args.posts, "machine": described,
              "builds_off": offs, "builds_on": ons, "added": added(offs, ons), "pagefind_site": alone,
              "size": bundle_size(out),
              "pages_indexed": sum(lang["page_count"] for lang in entry["languages"].values()),
              "queries": [first_query(out, q) for q in QUERIES]}
    text = report(result)
    print(text)
    (Path(args.out) / f"bench-search-{args.posts}.json").write_text(json.dumps(result, indent=1), "utf-8")
    return 0 if all(b["exit"] == 0 for b in offs + ons) else 1


if __name__ == "__main__":
    sys.exit(main())
