"""`make devserver` stops whole: a plain `kill PID` of make, or Ctrl-C, leaves no server on the port.

Pelican's `-lr` runs the builder and the HTTP server in two child processes; killing only the
parent used to leave the server holding the port.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tools.bench_edit import free_port, port_answers

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 180  # seconds: a loaded machine may take long for the first build
STOP_TIMEOUT = 30

POST = "Title: Hello\nDate: 2020-01-01 10:00\nSlug: hello\n\nA tiny site.\n"


def children() -> dict[int, int]:
    """{pid: parent pid} of every process on the machine."""
    out = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            out[int(entry.name)] = int(fields[1])
    return out


def descendants(pid: int) -> set[int]:
    parents = children()
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"  # a zombie holds no port and runs nothing


def wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.mark.parametrize("how", ["kill-pid", "ctrl-c"])
def test_devserver_stops_with_all_its_processes(tmp_path: Path, how: str):
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "articles" / "hello.md").write_text(POST, "utf-8")
    port = free_port()
    log = (tmp_path / "devserver.log").open("wb")
    # Its own session, as a terminal would give it: Ctrl-C is SIGINT to that process group.
    make = subprocess.Popen(
        ["make", "devserver", f"PORT={port}", f"INPUTDIR={content}", f"OUTPUTDIR={tmp_path / 'out'}"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    started: set[int] = set()
    try:
        assert wait_until(lambda: port_answers(port) or make.poll() is not None, START_TIMEOUT)
        assert port_answers(port), (tmp_path / "devserver.log").read_text("utf-8", "replace")
        started = descendants(make.pid)
        if how == "kill-pid":
            os.kill(make.pid, signal.SIGTERM)
        else:
            os.killpg(make.pid, signal.SIGINT)
        assert wait_until(lambda: make.poll() is not None, STOP_TIMEOUT), "make did not exit"
        assert wait_until(lambda: not port_answers(port), STOP_TIMEOUT), "the port still answers"
        assert wait_until(lambda: not any(alive(p) for p in started), STOP_TIMEOUT), \
            f"left running: {sorted(p for p in started if alive(p))}"
    finally:
        for pid in [make.pid, *started]:  # clean up whatever this test started, by id
            if alive(pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        make.wait(timeout=STOP_TIMEOUT)
        log.close()
