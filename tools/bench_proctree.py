"""Measure a whole process tree (a build and its workers, the devserver and its children) from /proc.

`os.wait4`'s `ru_maxrss` is the peak of one process; a build that forks workers, or runs Pagefind,
has several alive at once. `TreeSampler` is a thread that, every `interval` seconds, finds the
root's descendants and sums their resident memory (and, near the peak and less often, their
proportional set size, which counts a copy-on-write page shared by forked workers once
instead of once per process; being sampled less often, it may miss the exact peak).

Membership is sticky: a process seen once in the tree stays counted until it exits, even if its
parent dies and it is re-parented. Processes are identified by (pid, start time), so a reused pid
is never mistaken for one of ours. Linux only (reads /proc).

Cost per sample: one listdir of /proc, one read of /proc/PID/stat for each process not seen
before, and one /proc/PID/statm per member: about 0.1 ms on the bench machine (0.5% of a core).
"""

from __future__ import annotations

import os
import threading
import time

PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
TICKS = os.sysconf("SC_CLK_TCK")
# PSS costs much more than RSS (smaps_rollup walks the page tables: ~50 ms for a 2.4 GB tree, ~1 ms
# for 50 MB, against 0.1 ms for a whole RSS sample), so it is read only near the RSS peak (within
# PSS_NEAR_PEAK of it), and after each reading the sampler waits PSS_COST_FACTOR times what that
# reading cost, at least PSS_MIN_INTERVAL: at most 2% of a core, and several readings even in a
# build of under a second.
PSS_MIN_INTERVAL = 0.2
PSS_COST_FACTOR = 50
PSS_NEAR_PEAK = 0.9


def parse_stat(raw: bytes) -> dict:
    """The fields of /proc/PID/stat that we use (the name in parentheses may hold spaces)."""
    fields = raw[raw.rindex(b")") + 2:].split()
    # fields[0] is field 3 (state) of proc(5)
    return {
        "state": fields[0].decode(),
        "ppid": int(fields[1]),
        "cpu_ticks": sum(int(x) for x in fields[11:15]),  # utime stime cutime cstime
        "start": int(fields[19]),
    }


def read_stat(pid: int) -> dict | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return parse_stat(fh.read())
    except (OSError, ValueError, IndexError):
        return None


def rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * PAGE_KB
    except (OSError, ValueError, IndexError):
        return 0


def pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def alive(pid: int, start: int) -> bool:
    """The process (pid, start time) still runs (a zombie holds no memory, port or CPU)."""
    st = read_stat(pid)
    return st is not None and st["start"] == start and st["state"] not in ("Z", "X")


class TreeSampler(threading.Thread):
    """Samples the tree under `root_pid` until `stop()`; read `peak_mb`, `peak_pss_mb`, `members`."""

    def __init__(self, root_pid: int, interval: float = 0.02):
        super().__init__(daemon=True)
        self.root = root_pid
        self.interval = interval
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._known: dict[int, tuple[int, int]] = {}  # pid -> (ppid, start) of every process on the machine
        self.members: dict[int, int] = {}  # pid -> start time, every process ever in the tree
        self.peak_kb = 0
        self.peak_pss_kb = 0
        self._pss_at = float("-inf")
        self._pss_gap = PSS_MIN_INTERVAL
        self.samples = 0
        root = read_stat(root_pid)
        if root is not None:
            self.members[root_pid] = root["start"]
        self.ever: dict[int, int] = dict(self.members)  # never shrinks: checked for leftovers at the end

    # -- membership

    def _refresh(self) -> None:
        pids = {int(name) for name in os.listdir("/proc") if name.isdigit()}
        for gone in set(self._known) - pids:
            del self._known[gone]
        for pid in pids - set(self._known):
            st = read_stat(pid)
            if st is not None:
                self._known[pid] = (st["ppid"], st["start"])
        with self._lock:
            for pid, start in list(self.members.items()):
                if self._known.get(pid, (0, start))[1] != start:
                    self.members.pop(pid)  # gone (or the pid was reused)
            # New descendants: a process whose parent is a member (repeat for grandchildren).
            grew = True
            while grew:
                grew = False
                for pid, (ppid, start) in self._known.items():
                    if pid not in self.members and ppid in self.members:
                        self.members[pid] = start
                        self.ever[pid] = start
                        grew = True

    # -- sampling

    def sample(self) -> None:
        self._refresh()
        with self._lock:
            pids = list(self.members)
        total = sum(rss_kb(p) for p in pids)
        self.peak_kb = max(self.peak_kb, total)
        now = time.perf_counter()
        if total >= PSS_NEAR_PEAK * self.peak_kb and now - self._pss_at >= self._pss_gap:
            self.peak_pss_kb = max(self.peak_pss_kb, sum(pss_kb(p) for p in pids))
            self._pss_at = time.perf_counter()
            self._pss_gap = max(PSS_MIN_INTERVAL, PSS_COST_FACTOR * (self._pss_at - now))
        self.samples += 1

    def run(self) -> None:
        while not self._stopped.is_set():
            self.sample()
            self._stopped.wait(self.interval)

    def stop(self) -> None:
        self._stopped.set()
        if self.is_alive():
            self.join()

    # -- readings

    def cpu_s(self) -> float:
        """CPU seconds (user + system, reaped children included) of the tree's live processes now."""
        with self._lock:
            pids = list(self.members.items())
        total = 0
        for pid, start in pids:
            st = read_stat(pid)
            if st is not None and st["start"] == start:
                total += st["cpu_ticks"]
        return total / TICKS

    def left_running(self) -> list[int]:
        """Processes ever seen in the tree that are still running."""
        return sorted(pid for pid, start in self.ever.items() if alive(pid, start))

    @property
    def peak_mb(self) -> float:
        return round(self.peak_kb / 1024, 1)

    @property
    def peak_pss_mb(self) -> float:
        return round(self.peak_pss_kb / 1024, 1)


def measure(pid: int) -> TreeSampler:
    sampler = TreeSampler(pid)
    sampler.start()
    return sampler


def self_test() -> None:  # pragma: no cover - a manual check: python -m tools.bench_proctree
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "import os,time; x=b\"x\"*(200<<20); os.fork(); time.sleep(1)"])
    sampler = measure(proc.pid)
    proc.wait()
    time.sleep(1.2)
    sampler.stop()
    print(f"peak {sampler.peak_mb} MB, PSS {sampler.peak_pss_mb} MB, members {sorted(sampler.ever)}, "
          f"samples {sampler.samples}; left {sampler.left_running()}")


if __name__ == "__main__":
    self_test()
