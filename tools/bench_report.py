"""The benchmark's report: ratios, the table, the checks against issue 15's targets, and the Markdown.

Pure functions of the result dict that tools/bench.py assembles (and writes as bench-N.json), so
a stored run can be reported again: `python -m tools.bench_report .bench/bench-2000.json`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

STAGES = ("read", "build", "emit")
# Targets of issue 15 (reported as PASS/FAIL at the sizes they are set for, never enforced).
T_FULL_OVER_PLAIN = {2000: 0.60, 20000: 0.70}  # wall, full project on every core / plain Pelican
T_MEMORY_OVER_PLAIN = 2.0  # peak memory (process tree), full on every core / plain, at 2,000 and 20,000
T_EDIT_TO_PAGE = {2000: 1.0, 20000: 3.0}  # seconds from saving a post to its page rewritten
# Targets of the first benchmark issue that still hold.
T_GROWTH = 12.0
T_PEAK_MB = 2048
T_GRAPH_KB = 300
T_ARTICLE_KB = 60
ROW_ORDER = ("plain", "theme", "theme_fast", "full_jobs1", "full", "edit")


def ratio(a, b):
    return round(a / b, 3) if a and b else None


def fmt(value, unit="", digits=2):
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


def verdict(value, limit, applies=True):
    if value is None or limit is None:
        return "n/a"
    if not applies:
        return "(info)"
    return "PASS" if value <= limit else "FAIL"


def at_size(targets: dict[int, float], n: int) -> tuple[float, bool]:
    """The target for n posts, and whether it applies (set for exactly that size); else the
    target of the nearest size, shown for information."""
    if n in targets:
        return targets[n], True
    return targets[min(targets, key=lambda size: abs(size - n))], False


def label(name: str, builds: dict) -> str:
    jobs = (builds.get("full") or {}).get("jobs")
    return {
        "plain": "plain Pelican (notmyidea, no plugins)",
        "theme": "our theme, no plugins",
        "theme_fast": "our theme + compute_once (info)",
        "full_jobs1": "full project, JOBS=1",
        "full": f"full project, JOBS={jobs if jobs else 'all cores'} (all cores)",
        "edit": "edit-to-page (make devserver), median of the edits",
    }[name]


def ok(builds: dict, name: str) -> dict | None:
    b = builds.get(name)
    return b if b and b.get("exit") == 0 else None


def ratios(builds: dict) -> dict:
    out = {}
    pairs = [(name, "plain") for name in ("theme", "theme_fast", "full_jobs1", "full")]
    pairs += [("full", "theme"), ("full_jobs1", "theme"), ("full_jobs1", "theme_fast"), ("theme_fast", "theme"),
              ("full", "full_jobs1")]
    for a, b in pairs:
        if ok(builds, a) and ok(builds, b):
            x, y = builds[a], builds[b]
            out[f"{a}/{b}"] = ratio(x["wall_s"], y["wall_s"])
            out[f"{a}/{b} cpu"] = ratio(x["cpu_s"], y["cpu_s"])
            out[f"{a}/{b} memory"] = ratio(x.get("peak_mb"), y.get("peak_mb"))
    return out


def table_rows(result: dict) -> list[dict]:
    """The report's one table: each cold build, then edit-to-page, against plain Pelican."""
    builds = result["builds"]
    plain = ok(builds, "plain") or {}
    rows = []
    for name in ROW_ORDER:
        if name == "edit":
            edit = result.get("edit")
            if not edit:
                continue
            row = {"wall_s": edit.get("page_median_s"), "cpu_s": edit.get("cpu_median_s"),
                   "peak_mb": edit.get("peak_mb"), "peak_pss_mb": edit.get("peak_pss_mb"),
                   "max_s": edit.get("page_max_s"), "done_median_s": edit.get("done_median_s"),
                   "exit": edit.get("exit")}
        elif name in builds:
            b = builds[name]
            row = {key: b.get(key) for key in ("wall_s", "cpu_s", "peak_mb", "peak_pss_mb", "exit")}
        else:
            continue
        source = builds.get(name) if name != "edit" else result.get("edit")
        row.update({"row": name, "label": label(name, builds), "reused_from": (source or {}).get("reused_from"),
                    "x_plain_time": ratio(row["wall_s"], plain.get("wall_s")) if row["exit"] == 0 else None,
                    "x_plain_memory": ratio(row["peak_mb"], plain.get("peak_mb")) if row["exit"] == 0 else None})
        rows.append(row)
    return rows


def plugin_build_emit(result: dict) -> float | None:
    builds = result.get("builds", {})
    full = builds.get("full_jobs1") or builds.get("full") or {}
    stages = full.get("stages")
    return round(stages["build"] + stages["emit"], 4) if stages else None


# --------------------------------------------------------------------------- checks


def _speed_checks(result: dict) -> list[dict]:
    n = result["posts"]
    r = result["ratios"]
    limit, applies = at_size(T_FULL_OVER_PLAIN, n)
    jobs = (result["builds"].get("full") or {}).get("jobs", "N")
    rows = [
        {"check": f"wall, full JOBS={jobs} / plain", "value": fmt(r.get("full/plain")),
         "target": f"≤ {T_FULL_OVER_PLAIN[2000]:.2f} at 2,000, ≤ {T_FULL_OVER_PLAIN[20000]:.2f} at 20,000",
         "result": verdict(r.get("full/plain"), limit, applies)},
        {"check": f"CPU, full JOBS={jobs} / plain", "value": fmt(r.get("full/plain cpu")),
         "target": "(info: the workers' CPU counted)", "result": "(info)"},
        {"check": "wall, full JOBS=1 / plain", "value": fmt(r.get("full_jobs1/plain")),
         "target": "(info: the one-process build)", "result": "(info)"},
        {"check": f"wall, full JOBS={jobs} / JOBS=1", "value": fmt(r.get("full/full_jobs1")),
         "target": "(info: what the workers save)", "result": "(info)"},
        {"check": f"peak memory (tree), full JOBS={jobs} / plain", "value": fmt(r.get("full/plain memory")),
         "target": f"≤ {T_MEMORY_OVER_PLAIN:.2f} (at 2,000 and 20,000)",
         "result": verdict(r.get("full/plain memory"), T_MEMORY_OVER_PLAIN, n in (2000, 20000))},
        {"check": "peak memory (tree), full JOBS=1 / plain", "value": fmt(r.get("full_jobs1/plain memory")),
         "target": "(info)", "result": "(info)"},
    ]
    full, plain = ok(result["builds"], "full"), ok(result["builds"], "plain")
    pss = ratio(full.get("peak_pss_mb"), plain.get("peak_pss_mb")) if full and plain else None
    rows.append({"check": f"peak PSS (tree), full JOBS={jobs} / plain", "value": fmt(pss),
                 "target": "(info: pages shared by forked workers counted once)", "result": "(info)"})
    same = result.get("jobs_identical")
    if same is not None:
        rows.append({"check": f"full JOBS={jobs} output byte-identical to JOBS=1",
                     "value": f"{same['differ']} of {same['files']} files differ (and "
                              f"{same.get('pagefind_differ', 0)} in pagefind/, which no two Pagefind runs write alike)",
                     "target": "0 differ outside pagefind/",
                     "result": "PASS" if same["differ"] == 0 else "FAIL"})
    return rows


def _edit_checks(result: dict) -> list[dict]:
    edit = result.get("edit")
    if not edit:
        return []
    n = result["posts"]
    limit, applies = at_size(T_EDIT_TO_PAGE, n)
    target = f"≤ {T_EDIT_TO_PAGE[2000]:.1f} s at 2,000, ≤ {T_EDIT_TO_PAGE[20000]:.1f} s at 20,000"
    if edit.get("exit") != 0 and edit.get("page_median_s") is None:
        return [{"check": "edit-to-page", "value": f"FAILED: {edit.get('error')}", "target": target, "result": "FAIL"}]
    stopped = edit.get("stopped") or {}
    whole = stopped.get("port_free") and not stopped.get("left_running")
    return [
        {"check": "edit-to-page, median of the edits", "value": fmt(edit.get("page_median_s"), " s", 3),
         "target": target, "result": verdict(edit.get("page_median_s"), limit, applies)},
        {"check": "edit-to-page, slowest edit", "value": fmt(edit.get("page_max_s"), " s", 3),
         "target": target, "result": verdict(edit.get("page_max_s"), limit, applies)},
        {"check": "edit to the post's page and every page showing it (`Edited:`), median",
         "value": fmt(edit.get("all_pages_median_s"), " s", 3), "target": target,
         "result": verdict(edit.get("all_pages_median_s"), limit, applies)},
        {"check": "edit to everything rewritten (next `Done`), median", "value": fmt(edit.get("done_median_s"), " s", 3),
         "target": "(info)", "result": "(info)"},
        {"check": "devserver stopped whole (port free, none of its processes left)",
         "value": f"port free: {stopped.get('port_free')}, left: {stopped.get('left_running')}",
         "target": "yes", "result": "PASS" if whole else "FAIL"},
    ]


def _feature_checks(result: dict, others: dict[int, dict]) -> list[dict]:
    n = result["posts"]
    builds = result["builds"]
    r = result["ratios"]
    full = ok(builds, "full") or ok(builds, "full_jobs1") or {}
    one = ok(builds, "full_jobs1") or {}
    rows = [{"check": "wall, full JOBS=1 / our theme", "value": fmt(r.get("full_jobs1/theme")),
             "target": "(info: the features' cost; was a target of 1.10)", "result": "(info)"}]
    if "full_jobs1/theme_fast" in r:
        rows.append({"check": "wall, full JOBS=1 / our theme + compute_once", "value": fmt(r["full_jobs1/theme_fast"]),
                     "target": "(info: the features' cost without compute_once's saving)", "result": "(info)"})
        rows.append({"check": "wall, our theme + compute_once / our theme", "value": fmt(r.get("theme_fast/theme")),
                     "target": "(info: what compute_once alone saves)", "result": "(info)"})
    stages = one.get("stages")
    theme = ok(builds, "theme")
    own = ratio(sum(stages.get(st, 0.0) for st in STAGES), theme["cpu_s"]) if stages and theme else None
    rows.append({"check": "plugins' own time (stage_timer, JOBS=1) / our theme CPU", "value": fmt(own),
                 "target": "(info: the part of the overhead inside the plugins)", "result": "(info)"})
    peak = full.get("peak_mb")
    rows.append({"check": "peak memory (tree), full build", "value": fmt(peak, " MB", 0),
                 "target": f"≤ {T_PEAK_MB} MB (at 20,000)", "result": verdict(peak, T_PEAK_MB, n == 20000)})
    graph = result.get("graph_page")
    g = graph["gzip_kb"] if graph else None
    rows.append({"check": "graph/index.html + assets, gzip -6", "value": fmt(g, " KB", 1) if graph else "n/a (no graph/index.html)",
                 "target": f"≤ {T_GRAPH_KB} KB (at 2,000)", "result": verdict(g, T_GRAPH_KB, n == 2000)})
    a = full.get("median_article_kb")
    rows.append({"check": f"median article page ({full.get('median_article', '-')})", "value": fmt(a, " KB", 1),
                 "target": f"≤ {T_ARTICLE_KB} KB", "result": verdict(a, T_ARTICLE_KB)})
    mx = full.get("max_article_kb")
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
    return rows


def checks_for(result: dict, others: dict[int, dict]) -> list[dict]:
    return [*_speed_checks(result), *_edit_checks(result), *_feature_checks(result, others)]


def scaling_rows(result: dict, others: dict[int, dict]) -> list[dict]:
    rows = []
    for n, res in sorted({**others, result["posts"]: result}.items()):
        b = res.get("builds", {})

        def wall(name):
            x = b.get(name) or {}
            return x.get("wall_s") if x.get("exit") == 0 else None

        edit = res.get("edit") or {}
        rows.append({"posts": n, "plain_s": wall("plain"), "theme_s": wall("theme"),
                     "full_jobs1_s": wall("full_jobs1"), "full_s": wall("full"),
                     "full/plain": res.get("ratios", {}).get("full/plain"),
                     "full_peak_mb": (b.get("full") or {}).get("peak_mb"),
                     "edit_median_s": edit.get("page_median_s"), "edit_max_s": edit.get("page_max_s"),
                     "build_emit_s": plugin_build_emit(res)})
    return rows


# --------------------------------------------------------------------------- Markdown


def _header(result: dict) -> list[str]:
    n, m = result["posts"], result["machine"]
    s = result["synth"]
    end = m.get("loadavg_at_end")
    return [
        f"## Benchmark, {n:,} posts ({result['when']})",
        "",
        f"Machine: {m['cores']} cores, {m['cpu']}, {m['memory_mb']} MB RAM, {m['os']}; Python {m['python']}, "
        f"Pelican {m['pelican']}, Markdown {m['markdown']}, Jinja2 {m['jinja2']}. Load average (1, 5, 15 min) "
        f"at the start {', '.join(map(str, m['loadavg_at_start']))}"
        + (f", at the end {', '.join(map(str, end))}" if end else "") + ". "
        f"Synthetic site: {s['words']:,} words, {s['internal_links']:,} internal links, {s['diagram_blocks']} "
        f"diagram blocks (seed {s['seed']}). Cold builds: best of {result['repeat']} run(s) each, caches off.",
        "",
    ]


def _table(result: dict) -> list[str]:
    lines = ["| | wall s | CPU s | peak MB (tree) | × plain time | × plain memory | peak PSS MB (tree) |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in result["table"]:
        name = row["label"] + (f" (from the run of {row['reused_from']})" if row.get("reused_from") else "")
        if row["exit"] != 0:
            where = (result["builds"].get(row["row"]) or result.get("edit") or {}).get("log", "")
            lines.append(f"| {name} | FAILED (exit {row['exit']}; {where}) | | | | | |")
            continue
        lines.append(f"| {name} | {fmt(row['wall_s'], digits=3 if row['row'] == 'edit' else 2)} | "
                     f"{fmt(row['cpu_s'])} | {fmt(row['peak_mb'], digits=0)} | {fmt(row['x_plain_time'], digits=3)} | "
                     f"{fmt(row['x_plain_memory'])} | {fmt(row.get('peak_pss_mb'), digits=0)} |")
    edit = result.get("edit")
    if edit and edit.get("exit") == 0:
        lines += ["", "Edit-to-page row: wall = seconds from saving a post to its page rewritten (median; slowest "
                      f"{fmt(edit['page_max_s'], ' s', 3)}); CPU = the devserver's CPU seconds per edit until its "
                      "`Done`; memory = the devserver's whole process tree, first build included."]
    return lines


def _edit_section(result: dict) -> list[str]:
    edit = result.get("edit")
    if not edit:
        return []
    lines = ["", "Edit-to-page with `make devserver` (seconds from the save):", ""]
    if edit.get("error"):
        lines += [f"FAILED: {edit['error']}", "", *[f"    {line}" for line in edit.get("log_tail", [])], ""]
    lines += ["| edit | post's page | page rewritten s | it and every page showing it s | everything rewritten s | devserver CPU s | linked post's page s |",
              "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for e in edit.get("edits", []):
        again = f" (saved {e['retouched']} more time(s): the watcher missed it)" if e.get("retouched") else ""
        lines.append(f"| {e['kind']}{again} | {e['page']} | {fmt(e['page_s'], digits=3)} | "
                     f"{fmt(e.get('all_pages_s'), digits=3)} | {fmt(e['done_s'], digits=3)} | "
                     f"{fmt(e['cpu_s'])} | {fmt(e.get('dependent_s'), digits=3) if e['kind'] == 'link' else ''} |")
    stopped = edit.get("stopped") or {}
    lines += ["", f"First build {fmt(edit.get('first_build_s'))} s; restoring the edited posts rebuilt in "
                  f"{fmt(edit.get('restore_s'))} s (their pages back: {edit.get('pages_restored')}); devserver "
                  f"stopped with status {stopped.get('make_exit')}, port free: {stopped.get('port_free')}, "
                  f"processes left: {stopped.get('left_running')} (of {stopped.get('processes_seen')} seen)."]
    return lines


def _output_section(result: dict) -> list[str]:
    builds = result["builds"]
    if not any(ok(builds, name) for name in builds):
        return []
    lines = ["", "| build | HTML pages | article pages | median article KB | output MB | peak MB, main process alone |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name in ROW_ORDER:
        b = ok(builds, name)
        if b:
            lines.append(f"| {label(name, builds)} | {fmt(b.get('html_pages'))} | {fmt(b.get('article_pages'))} | "
                         f"{fmt(b.get('median_article_kb'), digits=1)} | {fmt(b.get('output_mb'), digits=1)} | "
                         f"{fmt(b.get('process_peak_mb'), digits=0)} |")
    return lines


def _stage_section(result: dict) -> list[str]:
    builds = result["builds"]
    have = [name for name in ("full_jobs1", "full") if (ok(builds, name) or {}).get("stages")]
    lines = ["", "Plugin time by stage (stage_timer, inside the full builds; wall s / CPU s / % of the build's wall):", ""]
    if not have:
        return lines + ["(no stage times: no full build ran, or stage_timer wrote nothing)"]
    lines += ["| stage | " + " | ".join(label(name, builds) for name in have) + " |",
              "| --- |" + " ---: |" * len(have)]

    def cell(b, keys):
        st = b["stages"]
        wall = sum(st.get(k, 0.0) for k in keys)
        cpu = sum(st[k + "_cpu"] for k in keys) if all(k + "_cpu" in st for k in keys) else None
        return f"{wall:.3f} / {fmt(cpu, digits=3)} / {100 * wall / b['wall_s']:.1f}%"

    for title, keys in [*((stage, (stage,)) for stage in STAGES), ("all plugins", STAGES)]:
        lines.append(f"| {title} | " + " | ".join(cell(builds[name], keys) for name in have) + " |")
    for name in have:
        b = builds[name]
        if b.get("plugins_not_loaded"):
            lines += ["", f"WARNING: plugins that did not load in {label(name, builds)}: "
                          f"{', '.join(b['plugins_not_loaded'])} (their cost is missing from these figures)."]
        ar = b.get("author_report")
        if ar is not None and (ar["errors"] or ar["warnings"]):
            lines += ["", f"Author report of {label(name, builds)}: {ar['errors']} errors, {ar['warnings']} warnings "
                          "(the synthetic site is valid: both should be 0)."]
    return lines


def _scaling_section(result: dict) -> list[str]:
    rows = result.get("scaling") or []
    if len(rows) < 2:
        return []
    lines = ["", "All stored runs in this folder (each from its own bench-N.json; the same machine only if the "
                 "Machine lines agree):", "",
             "| posts | plain s | our theme s | full JOBS=1 s | full all cores s | full / plain | full peak MB (tree) | "
             "edit-to-page median s | slowest s | plugin build+emit s |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        lines.append(f"| {row['posts']:,} | {fmt(row['plain_s'])} | {fmt(row['theme_s'])} | {fmt(row['full_jobs1_s'])} | "
                     f"{fmt(row['full_s'])} | {fmt(row['full/plain'])} | {fmt(row['full_peak_mb'], digits=0)} | "
                     f"{fmt(row['edit_median_s'], digits=3)} | {fmt(row['edit_max_s'], digits=3)} | "
                     f"{fmt(row['build_emit_s'], digits=3)} |")
    return lines


def _profile_section(result: dict) -> list[str]:
    prof = result.get("profile")
    if not prof or not prof.get("by_module"):
        return []
    lines = ["", f"Profile of the full build, JOBS=1 (cProfile, {prof['wall_s']:.1f} s under the profiler; "
                 "own time summed by module):", "",
             "| module | own s | cumulative s (entry points) |", "| --- | ---: | ---: |"]
    for row in prof["by_module"][:15]:
        lines.append(f"| {row['module']} | {row['tottime']:.2f} | {fmt(row.get('cumtime'))} |")
    lines += ["", "Hottest functions in plugins/ (own time):", "",
              "| function | calls | own s | cumulative s |", "| --- | ---: | ---: | ---: |"]
    for row in prof["plugin_functions"][:20]:
        lines.append(f"| `{row['function']}` | {row['calls']} | {row['tottime']:.3f} | {row['cumtime']:.3f} |")
    return lines


def report(result: dict) -> str:
    lines = [*_header(result), *_table(result), *_edit_section(result), *_output_section(result),
             *_stage_section(result), "", "| check | value | target | result |", "| --- | ---: | --- | --- |"]
    lines += [f"| {row['check']} | {row['value']} | {row['target']} | {row['result']} |" for row in result["checks"]]
    lines += [*_scaling_section(result), *_profile_section(result)]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    result = json.loads(Path(argv[0]).read_text("utf-8"))
    print(report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
