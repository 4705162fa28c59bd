"""Run a command (`make devserver`'s `pelican -lr …`) so that stopping this process stops all of it.

`pelican -lr` runs its builder and its HTTP server in two child processes. Killing the parent
alone (`kill PID` of `make devserver`; make passes SIGTERM on to its recipe) left the server
holding the port. Here the command runs in its own process group; SIGTERM, SIGINT (Ctrl-C) and
SIGHUP are passed on to the whole group, and whatever is left of it after a grace period is
killed. The exit status is the command's.

Usage: python tools/devserver.py COMMAND [ARG …]
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

GRACE_SECONDS = 5  # Pelican's processes stop in well under a second; then the group is killed
FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # a process of the group exists (even if not ours to signal)
        return True
    return True


def signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        pass


def stop_group(pgid: int) -> None:
    """Wait for the group to end on its own; kill what is left after GRACE_SECONDS."""
    deadline = time.monotonic() + GRACE_SECONDS
    while group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.05)
    signal_group(pgid, signal.SIGKILL)


def run(command: list[str]) -> int:
    # The group's leader is the command itself: pgid == its pid.
    child = subprocess.Popen(command, process_group=0)
    received: list[int] = []

    def forward(signum, _frame):
        received.append(signum)
        signal_group(child.pid, signum)

    for sig in FORWARDED:
        signal.signal(sig, forward)
    try:
        status = child.wait()
    finally:
        # The command has exited (or this process is going): its children must not outlive it.
        if not received:
            signal_group(child.pid, signal.SIGTERM)
        stop_group(child.pid)
    if received:
        return 128 + received[0]
    return status


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    return run(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
