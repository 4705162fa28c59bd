"""Devserver-style warm rebuild, for `python -m tools.bench --rebuild`.

    python -m tools.bench_rebuild CONTENT OUTPUT CACHE RESULT.json

Like `pelican -r` (autoreload): one Pelican instance, content cache on (pelicanconf.py's
CACHE_CONTENT / LOAD_CONTENT_CACHE, reader layer), `run()` once cold with an empty cache, then
one post is edited (a paragraph appended, mtime moved forward) and `run()` again. Writes the
two times, their ratio and the plugin stage times of each run to RESULT.json; the edited post
is restored afterwards.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    content, output, cache, result_path = (Path(a).resolve() for a in argv[1:5])
    os.chdir(ROOT)
    from pelican import Pelican
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

    init_logging(level=logging.WARNING)
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(output, ignore_errors=True)
    stage_file = result_path.with_name("stages-rebuild.json")
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={
        "PATH": str(content), "OUTPUT_PATH": str(output), "CACHE_PATH": str(cache),
        "CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "STAGE_TIMER_OUTPUT": str(stage_file),
    })
    pelican = Pelican(settings)

    def timed_run():
        stage_file.unlink(missing_ok=True)
        start = time.perf_counter()
        pelican.run()
        elapsed = time.perf_counter() - start
        stages = json.loads(stage_file.read_text("utf-8")) if stage_file.exists() else None
        return elapsed, stages

    cold, cold_stages = timed_run()
    posts = sorted((content / "posts").glob("*.md"))
    victim = posts[len(posts) // 2]
    original = victim.read_bytes()
    stat = victim.stat()
    try:
        victim.write_bytes(original + b"\nEdited while the devserver runs: one more paragraph about volunteers.\n")
        os.utime(victim, (stat.st_atime + 5, stat.st_mtime + 5))
        rebuild, rebuild_stages = timed_run()
    finally:
        victim.write_bytes(original)
    result = {
        "cold_s": round(cold, 3), "rebuild_s": round(rebuild, 3), "ratio": round(rebuild / cold, 3),
        "edited": victim.relative_to(content).as_posix(),
        "cold_stages": cold_stages, "rebuild_stages": rebuild_stages,
    }
    result_path.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", "utf-8")
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
