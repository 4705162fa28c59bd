"""Time spent by our plugins, split into the three stages: read, build, emit.

Plugin code wraps its work in `with timed("read"):` (or "build", "emit"). When the setting
`STAGE_TIMER_OUTPUT` names a file, the totals of the build are written there as JSON at
`finalized` (the benchmark uses this); otherwise nothing is written. Each stage has its wall
time (`read`, `build`, `emit`) and the process CPU time spent in it (`read_cpu`, …), which
is less sensitive to other load on a shared machine.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from contextlib import contextmanager

from pelican import signals

from .settings import apply as apply_settings

STAGES = ("read", "build", "emit")
TIMES: dict[str, float] = defaultdict(float)  # "read", "build", "emit" and "read_cpu", …
_depth = defaultdict(int)


@contextmanager
def timed(stage: str):
    # Nested sections of the same stage are counted once.
    _depth[stage] += 1
    start, start_cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        _depth[stage] -= 1
        if _depth[stage] == 0:
            TIMES[stage] += time.perf_counter() - start
            TIMES[stage + "_cpu"] += time.process_time() - start_cpu


def reset(*_args, **_kwargs):
    TIMES.clear()


def write(pelican):
    path = pelican.settings["STAGE_TIMER_OUTPUT"]
    if path:
        with open(path, "w", encoding="utf-8") as fh:
            keys = [*STAGES, *(stage + "_cpu" for stage in STAGES)]
            json.dump({key: round(TIMES.get(key, 0.0), 4) for key in keys}, fh, sort_keys=True)
    reset()


def register():
    signals.initialized.connect(apply_settings)
    signals.initialized.connect(reset)
    signals.finalized.connect(write)
