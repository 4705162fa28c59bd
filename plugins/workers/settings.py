"""The workers plugin's settings and their defaults (listed in docs/settings.md)."""

from __future__ import annotations

import sys

from plugin_settings import receiver

DEFAULTS = {
    # Worker processes that read posts and render pages (`make html JOBS=N`); 0: one per core this
    # process may use; 1: everything in one process. Any value builds the same bytes.
    "JOBS": 0,
    # A rebuild renders only the pages whose inputs changed since the run before (page_inputs.py);
    # the others stay on disk as they are. None: when Pelican runs with --autoreload (-r; make
    # devserver), where there are rebuilds. Every value builds the same bytes.
    "SKIP_UNCHANGED_PAGES": None,
}

# `initialized` receiver (module level: blinker keeps weak references).
apply = receiver(DEFAULTS)


def skips_unchanged_pages(settings, argv=None) -> bool:
    return unless_set(settings.get("SKIP_UNCHANGED_PAGES"), argv)


def unless_set(value, argv=None) -> bool:
    """A setting whose None means "when Pelican autoreloads" (there will be rebuilds): its value,
    or whether this process's command line (`argv`, default sys.argv) autoreloads."""
    if value is None:
        return autoreloading(sys.argv[1:] if argv is None else argv)
    return bool(value)


def autoreloading(argv) -> bool:
    """Whether this process's command line asks Pelican to autoreload: `-r`, `--autoreload`, or
    `r` in a cluster of short flags (`make devserver` runs `pelican -lr`). The devserver's
    builder is a child process with the same command line."""
    for arg in argv:
        if arg in ("-r", "--autoreload"):
            return True
        if len(arg) > 2 and arg[0] == "-" and arg[1] != "-" and arg[1:].isalpha() and "r" in arg[1:]:
            return True
    return False
