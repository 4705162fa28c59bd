"""Time spent by our plugins, split into the three stages: read, build, emit.

Plugin code wraps its work in `with timed("read"):` (or "build", "emit"). When the setting
`STAGE_TIMER_OUTPUT` names a file, the totals of the build are written there as JSON at
`finalized` (the benchmark uses this); otherwise nothing is written.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from contextlib import contextmanager

from pelican import signals

STAGES = ("read", "build", "emit")
TIMES: dict[str, float] = defaultdict(float)
_depth = defaultdict(int)


@contextmanager
def timed(stage: str):
    # Nested sections of the same stage are counted once.
    _depth[stage] += 1
    start = time.perf_counter()
    try:
        yield
    finally:
        _depth[stage] -= 1
        if _depth[stage] == 0:
            TIMES[stage] += time.perf_counter() - start


def reset(*_args, **_kwargs):
    TIMES.clear()


def write(pelican):
    path = pelican.settings.get("STAGE_TIMER_OUTPUT")
    if path:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump({stage: round(TIMES.get(stage, 0.0), 4) for stage in STAGES}, fh, sort_keys=True)
    reset()


def register():
    signals.initialized.connect(reset)
    signals.finalized.connect(write)
