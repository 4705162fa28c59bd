"""A devserver stand-in for tests: `pelican -r`'s process, with the rebuilds on command.

`pelican -r ARGS` makes one `Pelican` object (`get_instance`) and calls its `run()` again each
time watchfiles reports a change. This script makes the same object from the same arguments
and calls `run()` once per line `run` read on stdin (`reload`: first a new object from the
re-read settings file, as `pelican -r` does when that file changed), answering `DRIVER: done` (or `DRIVER:
error …`) on stdout, after `DRIVER: rendered [paths…]` (the pages the workers plugin rendered) when the build is over; the test decides when a build happens instead of a
file watcher, so nothing depends on timing. Like the devserver, an exception is reported and the
process lives on. The process exits at the end of stdin.

Usage: python tests/rebuild_driver.py CONTENT -o OUTPUT -s pelicanconf.py [-r] [-e KEY=VALUE …]
(-r: as `make devserver`; plugins that look for it, kept_contents, act as in a devserver)
"""

from __future__ import annotations

import json
import sys
import traceback

MARK = "DRIVER:"


def _rendered() -> list[str] | None:
    """The pages the run's writer rendered (the workers plugin), or None without it."""
    writer = sys.modules.get("workers.writer")
    current = writer.current() if writer is not None else None
    return sorted(current.rendered) if current is not None else None


def main(argv: list[str]) -> int:
    from pelican import get_instance, parse_arguments  # noqa: PLC0415

    args = parse_arguments(argv)
    pelican, _settings = get_instance(args)
    for line in sys.stdin:
        if line.strip() not in ("run", "reload"):
            continue
        if line.strip() == "reload":  # `pelican -r` when the settings file changed: a new object
            pelican, _settings = get_instance(args)
        try:
            pelican.run()
        except Exception:  # noqa: BLE001 (the devserver, too, reports and goes on)
            message = traceback.format_exc().strip().replace("\n", " | ")
            print(f"{MARK} error {message}", flush=True)
        else:
            print(f"{MARK} rendered {json.dumps(_rendered())}", flush=True)
            print(f"{MARK} done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
