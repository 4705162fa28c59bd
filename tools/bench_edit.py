"""Edit-to-page: with the real `make devserver` running, the seconds from saving a post to its page rewritten.

`run(content, work, ...)` starts `make devserver INPUTDIR=<synthetic blog> OUTPUTDIR=<work>/out-devserver
PORT=<free port>` in its own session (process group), with a fresh CACHE_PATH, and waits for the first
build: a `Done` line in its log, the edited posts' pages on disk, and the output tree unchanged for
a second. Then, one after the other, it saves these edits (EDIT_KINDS), each to another post:

    body   a paragraph appended to the body
    title  the title changed (a post no other post links to by title, so no link breaks)
    link   a paragraph with a link to another post appended

For each edit it notes the time just before writing the file, then polls every POLL seconds:

    page_s   the edited post's own page (YYYY/MM/slug.html) holds the edit's marker and is
             complete (ends with </html>): "the page is rewritten"; an mtime change is not enough
    all_pages_s the devserver's log has a new `Edited:` line: the post's page and every page
             that shows it (its neighbours, listings, redirects, site-wide pages) are on disk
             (workers/priority.py), what the issue calls edit-to-page in full
    done_s   the devserver's log has a new `Done` line: the whole rebuild has finished
    dependent_s (link edits) the linked post's page names the edited post once more than before
             (its backlink), info only
    cpu_s    CPU seconds the devserver's process tree spent from the save to `Done`

Between edits it waits for the log to be quiet for SETTLE seconds (Pelican's autoreload sets its
file watcher up again only after each build). If nothing at all happens for RETOUCH seconds
after a save (no log line, no page changed), the file's mtime is moved once more (recorded as
`retouched`; the time still counts from the first save). The edited files are restored byte for
byte afterwards, and the bench waits for that rebuild too. The devserver is stopped with SIGTERM to its process group;
anything of its tree still running after STOP_TIMEOUT is killed by pid and listed in the result
(`stopped.left_running`, expected empty), with whether the port still answers.

Memory: the peak of the devserver's whole process tree (tools/bench_proctree.py), first build
included. Nothing here is kept per output file; the output tree is only walked for its
signature (count, bytes, newest mtime).
"""

from __future__ import annotations

import json
import math
import os
import re
import shlex
import signal
import socket
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tools.bench_proctree import TreeSampler

EDIT_KINDS = ("body", "title", "link")
POLL = 0.01  # seconds between looks at the page and the log (a look costs ~0.2 ms)
SETTLE = 1.0  # seconds of a quiet log after `Done` before the next save
RETOUCH = 10.0  # seconds without any sign of a rebuild before the save is repeated (mtime only)
STOP_TIMEOUT = 30.0
MAKE_VARIABLES = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")
DONE_RE = re.compile(rb"\bDone\b")
EDITED_RE = re.compile(rb"\bEdited: ")
WIKI_RE = re.compile(r"\[\[([^\]|]+)")


@dataclass(frozen=True)
class Post:
    path: Path
    title: str
    slug: str
    page: str  # output path of its page, relative to OUTPUTDIR

    @property
    def url_tail(self) -> bytes:
        return f"/{self.slug}.html".encode()


# --------------------------------------------------------------------------- pure parts


def parse_header(text: str) -> dict[str, str]:
    """The `Key: value` lines before the first blank line of a Markdown post."""
    header = text.split("\n\n", 1)[0]
    return dict(line.split(": ", 1) for line in header.splitlines() if ": " in line)


def page_of(meta: dict[str, str]) -> str:
    """ARTICLE_SAVE_AS of pelicanconf.py, `{date:%Y}/{date:%m}/{slug}.html`."""
    return f"{meta['Date'][:4]}/{meta['Date'][5:7]}/{meta['Slug']}.html"


def apply_edit(kind: str, text: str, marker: str, other: Post | None = None) -> str:
    """The post's text after an edit of `kind` that puts `marker` (a plain word) on its page."""
    if kind == "body":
        return text.rstrip("\n") + f"\n\nEdited while the devserver runs: {marker} is one more paragraph about volunteers.\n"
    if kind == "title":
        edited, count = re.subn(r"^Title: (.*)$", lambda m: f"Title: {m.group(1)} {marker}", text, count=1, flags=re.M)
        if not count:
            raise ValueError("no Title line")
        return edited
    if kind == "link":
        if other is None:
            raise ValueError("a link edit needs the post it links to")
        return text.rstrip("\n") + f"\n\nMore in [{marker} notes]({{filename}}/posts/{other.path.name}).\n"
    raise ValueError(f"unknown edit kind {kind!r}")


def summary(values: list[float | None]) -> tuple[float | None, float | None]:
    """(median, max) of the measured values; None when one of them was never reached."""
    if not values or any(v is None for v in values):
        return None, None
    return round(statistics.median(values), 3), round(max(values), 3)


# --------------------------------------------------------------------------- choosing posts


def load_post(path: Path) -> Post:
    with open(path, encoding="utf-8") as fh:
        head = []
        for line in fh:
            if not line.strip():
                break
            head.append(line)
    meta = parse_header("".join(head))
    return Post(path, meta["Title"], meta["Slug"], page_of(meta))


def stride(n: int) -> int:
    """A step about a seventh of n and coprime with it: n steps visit every index once."""
    step = max(1, n // 7)
    while math.gcd(step, n) != 1:
        step += 1
    return step


def choose_posts(content: Path, rounds: int) -> list[tuple[str, Post, Post | None]]:
    """(kind, post, linked post) for each edit: distinct posts, from the middle of the blog on.

    One pass over the posts collects the titles other posts link to with [[Title]]; a title edit
    goes to a post outside that set. A link edit links to a post it does not mention yet.
    """
    names = sorted(p.name for p in (content / "posts").glob("*.md"))
    linked: set[str] = set()
    for name in names:
        linked.update(WIKI_RE.findall((content / "posts" / name).read_text("utf-8")))
    kinds = [kind for _ in range(max(1, rounds)) for kind in EDIT_KINDS]
    order = (names[(len(names) // 2 + i * stride(len(names))) % len(names)] for i in range(len(names)))
    used: set[str] = set()
    plan = []
    for name in order:
        if len(plan) == len(kinds):
            break
        kind = kinds[len(plan)]
        post = load_post(content / "posts" / name)
        if name in used or (kind == "title" and post.title in linked):
            continue
        other = None
        if kind == "link":
            text = post.path.read_text("utf-8")
            other_name = next((n for n in names if n not in used and n != name and Path(n).stem not in text), None)
            if other_name is None:
                continue
            other = load_post(content / "posts" / other_name)
            used.add(other_name)
        used.add(name)
        plan.append((kind, post, other))
    if len(plan) < len(kinds):
        raise RuntimeError(f"only {len(plan)} posts fit {len(kinds)} edits")
    return plan


# --------------------------------------------------------------------------- watching the devserver


class LogWatch:
    """Follows the devserver's log file: `Done` lines seen so far and when it last grew."""

    def __init__(self, path: Path):
        self.path = path
        self.offset = 0
        self.partial = b""
        self.done = 0
        self.edited = 0
        self.last_growth = time.perf_counter()

    def poll(self) -> None:
        try:
            with open(self.path, "rb") as fh:
                fh.seek(self.offset)
                data = fh.read()
        except OSError:
            return
        if not data:
            return
        self.offset += len(data)
        self.last_growth = time.perf_counter()
        lines = (self.partial + data).split(b"\n")
        self.partial = lines.pop()
        self.done += sum(1 for line in lines if DONE_RE.search(line))
        self.edited += sum(1 for line in lines if EDITED_RE.search(line))

    def tail(self, n: int = 20) -> list[str]:
        try:
            return self.path.read_text("utf-8", errors="replace").splitlines()[-n:]
        except OSError:
            return []


def page_has(path: Path, marker: bytes) -> bool:
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return marker in data and b"</html>" in data[-400:]


def page_lacks(path: Path, marker: bytes) -> bool:
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return marker not in data and b"</html>" in data[-400:]


def page_count(path: Path, needle: bytes) -> int | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data.count(needle) if b"</html>" in data[-400:] else None


def tree_signature(out: Path) -> tuple[int, int, int]:
    """(files, bytes, newest mtime in ns) of the output tree, without keeping its file list."""
    files = size = newest = 0
    stack = [out]
    while stack:
        try:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    elif entry.is_file(follow_symlinks=False):
                        st = entry.stat(follow_symlinks=False)
                        files += 1
                        size += st.st_size
                        newest = max(newest, st.st_mtime_ns)
        except OSError:
            continue
    return files, size, newest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def watchable(content: Path) -> tuple[Path, Path | None]:
    """The path to give the devserver for `content`, and a temporary folder to remove afterwards.

    Pelican's watcher matches IGNORE_FILES (default `**/.*`) against absolute paths, so it ignores
    every file under a hidden folder such as `.bench/`: no save there starts a rebuild. The blog
    is then reached through a symlink in a temporary folder (the files stay where they are).
    """
    if not any(part.startswith(".") for part in content.parts):
        return content, None
    folder = Path(tempfile.mkdtemp(prefix="bench-devserver-"))
    link = folder / content.name
    link.symlink_to(content, target_is_directory=True)
    return link, folder


def devserver_env(env: dict) -> dict:
    """`env` without what an outer `make bench` passes down: its MAKEFLAGS, and its command-line
    variables (make exports them: `make bench JOBS=1` would otherwise set the devserver's JOBS)."""
    outer = set(re.findall(r"(?:^| )([A-Za-z_][A-Za-z0-9_]*)=", env.get("MAKEFLAGS", "")))
    return {k: v for k, v in env.items() if k not in MAKE_VARIABLES and k not in outer}


class DevserverGone(RuntimeError):
    pass


class Session:
    """A running `make devserver`, its log and its process tree's sampler."""

    def __init__(self, content: Path, out: Path, cache: Path, log: Path, env: dict, root: Path):
        self.content, self.out, self.log_path = content, out, log
        self.port = free_port()
        opts = f"-e CACHE_PATH={shlex.quote(json.dumps(str(cache)))}"
        self.command = ["make", "--no-print-directory", "devserver", f"INPUTDIR={content}", f"OUTPUTDIR={out}",
                        f"PORT={self.port}", f"PELICANOPTS={opts}"]
        self._log_fh = open(log, "wb")
        env = devserver_env(env)
        self.proc = subprocess.Popen(self.command, cwd=root, stdout=self._log_fh, stderr=subprocess.STDOUT,
                                     env={**env, "PYTHONUNBUFFERED": "1"}, start_new_session=True)
        self.started = time.perf_counter()
        self.log = LogWatch(log)
        self.sampler = TreeSampler(self.proc.pid)
        self.sampler.start()

    def check_alive(self) -> None:
        if self.proc.poll() is not None:
            raise DevserverGone(f"make devserver exited with status {self.proc.returncode}")

    def settle(self) -> None:
        """Until the log has been quiet for SETTLE seconds (the watcher is being set up again)."""
        while True:
            self.check_alive()
            self.log.poll()
            if time.perf_counter() - self.log.last_growth >= SETTLE:
                return
            time.sleep(0.05)

    def wait_first_build(self, pages: list[Path], timeout: float) -> float:
        deadline = self.started + timeout
        while time.perf_counter() < deadline:
            self.check_alive()
            self.log.poll()
            if self.log.done and all(p.exists() for p in pages):
                break
            time.sleep(0.1)
        else:
            raise TimeoutError(f"no first build within {timeout:.0f} s")
        first = time.perf_counter() - self.started
        previous = tree_signature(self.out)
        while time.perf_counter() < deadline:
            time.sleep(1.0)
            current = tree_signature(self.out)
            if current == previous:
                break
            previous = current
        self.settle()
        return round(first, 3)

    def wait_rebuild(self, t0: float, done_before: int, checks: dict, retouch: Path | None,
                     timeout: float) -> dict:
        """Seconds from t0 until each check (name -> callable) holds and until the next `Done` line."""
        reached: dict[str, float | None] = {name: None for name in checks}
        done_at = None
        retouched = 0
        last_sign = t0
        deadline = t0 + timeout
        while time.perf_counter() < deadline:
            self.check_alive()
            self.log.poll()
            now = time.perf_counter()
            for name, check in checks.items():
                if reached[name] is None and check():
                    reached[name] = round(now - t0, 3)
            if done_at is None and self.log.done > done_before:
                done_at = round(now - t0, 3)
            if done_at is not None and all(v is not None for v in reached.values()):
                break
            if done_at is not None and now - t0 > done_at + 10:
                break  # rebuilt, but a check never held: reported as None
            quiet = self.log.last_growth <= last_sign and all(v is None for v in reached.values())
            if retouch is not None and quiet and now - last_sign > RETOUCH and retouched < 3:
                os.utime(retouch)  # no sign at all of a rebuild: the watcher missed the save; save again
                retouched += 1
                last_sign = now
            time.sleep(POLL)
        return {**reached, "done_s": done_at, "retouched": retouched}

    def served(self, page: str) -> int | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{page}", timeout=5) as resp:
                return resp.status
        except OSError:
            return None

    def stop(self) -> dict:
        """SIGTERM to the process group; kill by pid whatever of the tree outlives STOP_TIMEOUT."""
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            status = self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            status = None
        deadline = time.perf_counter() + STOP_TIMEOUT
        while self.sampler.left_running() and time.perf_counter() < deadline:
            time.sleep(0.1)
        self.sampler.stop()
        left = self.sampler.left_running()
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if status is None:
            status = self.proc.wait(timeout=STOP_TIMEOUT)
        self._log_fh.close()
        return {"make_exit": status, "left_running": left, "port_free": not port_answers(self.port),
                "processes_seen": len(self.sampler.ever)}


# --------------------------------------------------------------------------- the measurement


def edit_once(session: Session, kind: str, post: Post, other: Post | None, marker: str,
              timeout: float) -> dict:
    out = session.out
    text = post.path.read_text("utf-8")
    edited = apply_edit(kind, text, marker, other)
    session.log.poll()
    edited_before = session.log.edited
    checks = {"page_s": lambda: page_has(out / post.page, marker.encode()),
              "all_pages_s": lambda: session.log.edited > edited_before}
    if other is not None:
        before = page_count(out / other.page, post.url_tail) or 0
        checks["dependent_s"] = lambda: (page_count(out / other.page, post.url_tail) or 0) > before
    session.log.poll()
    done_before = session.log.done
    cpu_before = session.sampler.cpu_s()
    t0 = time.perf_counter()
    post.path.write_text(edited, "utf-8")
    timing = session.wait_rebuild(t0, done_before, checks, post.path, timeout)
    timing["cpu_s"] = round(session.sampler.cpu_s() - cpu_before, 3)
    session.settle()
    row = {"kind": kind, "post": post.path.name, "page": post.page, "marker": marker, **timing}
    if other is not None:
        row["linked"] = other.page
    return row


def restore(session: Session, originals: dict[Path, bytes], markers: dict[Path, str], timeout: float) -> dict:
    """Write the original bytes back and wait for the rebuild that takes every marker off its page."""
    pages = {path: load_post(path).page for path in originals}
    session.log.poll()
    done_before = session.log.done
    t0 = time.perf_counter()
    for path, data in originals.items():
        path.write_bytes(data)
    checks = {str(path): (lambda p=path: page_lacks(session.out / pages[p], markers[p].encode()))
              for path in originals}
    timing = session.wait_rebuild(t0, done_before, checks, next(iter(originals), None), timeout)
    session.settle()
    pages_ok = all(timing[str(p)] is not None for p in originals)
    return {"restore_s": timing["done_s"], "pages_restored": pages_ok}


def interrupt_on_sigterm():
    """A SIGTERM to the bench raises KeyboardInterrupt, so that the edited posts are restored and
    the devserver (in its own session, out of reach of a signal to the bench's group) stopped.
    Returns the previous handler, or None off the main thread."""
    def handler(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    try:
        return signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        return None


def run(content: Path, work: Path, root: Path, env: dict, rounds: int = 1, keep: bool = False) -> dict:
    """The whole edit-to-page measurement; the result is a JSON-ready dict (`exit` 0 when it worked)."""
    n = len(list((content / "posts").glob("*.md")))
    timeout_first = 600 + 0.1 * n
    timeout_edit = 120 + 0.05 * n
    out, cache, log = work / "out-devserver", work / "cache-devserver", work / "log-devserver.txt"
    for stale in (out, cache):
        shutil.rmtree(stale, ignore_errors=True)
    plan = choose_posts(content, rounds)
    originals: dict[Path, bytes] = {}
    markers: dict[Path, str] = {}
    result: dict = {"exit": 1, "log": str(log), "edits": []}
    inputdir, link_folder = watchable(content)
    result["inputdir"] = str(inputdir)
    previous_handler = interrupt_on_sigterm()
    session = Session(inputdir, out, cache, log, env, root)
    result["command"] = " ".join(shlex.quote(c) for c in session.command)
    try:
        result["first_build_s"] = session.wait_first_build([out / post.page for _, post, _ in plan], timeout_first)
        result["served_status"] = session.served(plan[0][1].page)
        token = f"{int(time.time()) % 100000:05d}"
        for i, (kind, post, other) in enumerate(plan):
            originals[post.path] = post.path.read_bytes()
            markers[post.path] = marker = f"benchedit{kind}{token}x{i}"
            print(f"  edit {i + 1}/{len(plan)}: {kind} of {post.path.name} ...", file=sys.stderr, flush=True)
            result["edits"].append(edit_once(session, kind, post, other, marker, timeout_edit))
        result.update(restore(session, originals, markers, timeout_edit))
        originals.clear()
        result["exit"] = 0
    except (DevserverGone, TimeoutError, OSError, ValueError, RuntimeError) as exc:
        result["error"] = f"{type(exc).__name__}: {exc}"
        result["log_tail"] = session.log.tail()
    finally:
        for path, data in originals.items():  # an interrupted run still leaves the blog as it was
            path.write_bytes(data)
        result["stopped"] = session.stop()
        result["peak_mb"] = session.sampler.peak_mb
        result["peak_pss_mb"] = session.sampler.peak_pss_mb
        if previous_handler is not None:
            signal.signal(signal.SIGTERM, previous_handler)
        if link_folder is not None:
            shutil.rmtree(link_folder, ignore_errors=True)  # the symlink only, not the blog
        if not keep:
            for stale in (out, cache):
                shutil.rmtree(stale, ignore_errors=True)
    edits = result["edits"]
    result["page_median_s"], result["page_max_s"] = summary([e["page_s"] for e in edits])
    result["all_pages_median_s"], result["all_pages_max_s"] = summary([e.get("all_pages_s") for e in edits])
    result["done_median_s"], result["done_max_s"] = summary([e["done_s"] for e in edits])
    result["cpu_median_s"] = summary([e["cpu_s"] for e in edits])[0]
    stopped = result["stopped"]
    if result["exit"] == 0 and (result["page_median_s"] is None or stopped["left_running"] or not stopped["port_free"]):
        result["exit"] = 1
        result.setdefault("error", "an edit never reached its page, or the devserver did not stop whole")
    return result


def main(argv: list[str]) -> int:
    """python -m tools.bench_edit CONTENT WORK [ROUNDS]: the measurement alone, as JSON."""
    from tools.bench import ROOT, child_env

    content, work = Path(argv[0]).resolve(), Path(argv[1]).resolve()
    work.mkdir(parents=True, exist_ok=True)
    result = run(content, work, ROOT, child_env(), int(argv[2]) if len(argv) > 2 else 1)
    print(json.dumps(result, indent=1, sort_keys=True))
    return result["exit"]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
