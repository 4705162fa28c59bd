"""Summarise a cProfile file of a build by module, plugins first (`python -m tools.bench --profile`).

    python -m tools.bench_profile FILE.prof [TOP]
"""

from __future__ import annotations

import json
import pstats
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = (ROOT / "plugins").resolve().as_posix()


def module_of(filename: str) -> str:
    """`plugins/NAME[/file]` for our plugins, the top-level package for installed ones."""
    if filename in ("~", "") or filename.startswith("<"):
        return "(built-ins)"
    path = Path(filename).resolve().as_posix() if not filename.startswith("<") else filename
    if path.startswith(PLUGINS + "/"):
        rel = path[len(PLUGINS) + 1:]
        parts = rel.split("/")
        return "plugins/" + (parts[0] if len(parts) > 1 else parts[0].removesuffix(".py"))
    m = re.search(r"/site-packages/([^/]+)", path)
    if m:
        return m.group(1).removesuffix(".py")
    m = re.search(r"/python3\.\d+/([^/]+)", path)
    if m:
        return "stdlib:" + m.group(1).removesuffix(".py")
    return path


def summarize(prof: Path | str, top: int = 25) -> dict:
    stats = pstats.Stats(str(prof)).stats
    own = defaultdict(float)
    entry = defaultdict(float)
    plugin_funcs = []
    for (filename, line, func), (_cc, nc, tt, ct, callers) in stats.items():
        mod = module_of(filename)
        own[mod] += tt
        # Entry points of a module: functions called from outside it (cumulative time, no double count).
        if mod != "(built-ins)" and not any(module_of(c[0]) == mod for c in callers):
            entry[mod] += ct
        if mod.startswith("plugins/"):
            rel = Path(filename).resolve().as_posix()[len(PLUGINS) + 1:]
            plugin_funcs.append({"function": f"{rel}:{line}({func})", "calls": nc, "tottime": round(tt, 4),
                                 "cumtime": round(ct, 4)})
    by_module = sorted(({"module": m, "tottime": round(t, 3), "cumtime": round(entry[m], 3) if m in entry else None}
                        for m, t in own.items()), key=lambda r: -r["tottime"])
    plugin_modules = sorted((r for r in by_module if r["module"].startswith("plugins/")),
                            key=lambda r: -(r["cumtime"] or 0))
    total = max((ct for (_f, _l, _n), (_cc, _nc, _tt, ct, _c) in stats.items()), default=0.0)
    return {
        "total_s": round(total, 3),
        "by_module": by_module[:top],
        "plugin_modules": plugin_modules,
        "plugin_functions": sorted(plugin_funcs, key=lambda r: -r["tottime"])[:top],
        "plugin_functions_cumulative": sorted(plugin_funcs, key=lambda r: -r["cumtime"])[:top],
    }


def main(argv: list[str]) -> int:
    top = int(argv[2]) if len(argv) > 2 else 25
    print(json.dumps(summarize(argv[1], top), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
