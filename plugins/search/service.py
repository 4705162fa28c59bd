"""A client of Pagefind's service mode (`pagefind --service`): HTML in, the bundle's files out.

The binary is the one the `pagefind` PyPI package ships (`pagefind.service.get_executable`, which
also honours PAGEFIND_BINARY_PATH). Its service reads requests on stdin and answers on stdout, each
message base64-encoded JSON followed by a comma, handled one after the other in the order sent
(the protocol the package's own asyncio wrapper speaks; that wrapper reads one answer per 0.1 s,
minutes for a few thousand pages). Here every request is written at once, when the run starts;
Pagefind reads them on a thread of its own into an unbounded queue, so the writes never wait for
the indexing, and it indexes while the build goes on. The answers are read when `files()` is
called: by then Pagefind has usually finished.

Why not `pagefind --site`: the CLI writes its bundle with many threads at once, and creating some
two thousand new files that way cost about 2.5 s more than the indexing itself at 2,000 posts
(docs/bench.md); here the bundle comes back as data, and the caller writes only what changed.
Not the service's WriteFiles either: it answers before its last files are on disk, and the
service exits as soon as its input is closed, which cut `pagefind-highlight.js` short at 32 KB
in a test run.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import tempfile


class PagefindError(RuntimeError):
    """Pagefind could not run, or refused a request; the message says what it said."""


def _message(message_id: int, payload: dict) -> bytes:
    return base64.b64encode(json.dumps({"message_id": message_id, "payload": payload}).encode()) + b","


class IndexRun:
    """One index: `pages` ({url: html}) sent to a new Pagefind service at once; `files()` waits for
    the bundle."""

    def __init__(self, pages: dict[str, str], config: dict):
        from pagefind.service import get_executable  # noqa: PLC0415

        binary = get_executable()
        if binary is None:
            raise PagefindError("the pagefind binary was not found (pagefind[bin] installs it)")
        self.said = tempfile.TemporaryFile()  # its stderr: a file never fills up
        try:
            self.process = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=self.said,
                                            env={**os.environ, "NO_COLOR": "1"})
        except OSError as exc:
            self.said.close()
            raise PagefindError(f"pagefind could not run: {exc}") from exc
        # The first index of a new service is number 0 (its position in the service's list).
        requests = [_message(1, {"type": "NewIndex", "config": config})]
        requests += [_message(n, {"type": "AddFile", "index_id": 0, "url": url, "file_path": None,
                                  "file_contents": html})
                     for n, (url, html) in enumerate(sorted(pages.items()), start=2)]
        self.last = len(requests) + 1
        requests.append(_message(self.last, {"type": "GetFiles", "index_id": 0}))
        try:
            self.process.stdin.write(b"".join(requests))
            self.process.stdin.flush()
        except OSError as exc:  # the service has already stopped
            problem = self._stopped(f"pagefind stopped reading: {exc}")
            self.close()
            raise PagefindError(problem) from exc

    def files(self) -> dict[str, bytes]:
        """Wait for the bundle: {path relative to the bundle folder: bytes}. Stops the service."""
        try:
            buffer = bytearray()
            while True:
                cut = buffer.find(b",")
                if cut < 0:
                    chunk = self.process.stdout.read1(1 << 20)
                    if not chunk:
                        raise PagefindError(self._stopped("pagefind stopped before answering"))
                    buffer += chunk
                    continue
                answer = json.loads(base64.b64decode(bytes(buffer[:cut])))
                del buffer[:cut + 1]
                payload = answer.get("payload") or {}
                if payload.get("type") == "Error":
                    raise PagefindError(f"pagefind refused a request: {payload.get('message')}")
                if answer.get("message_id") == self.last:
                    return {f["path"].replace(os.sep, "/"): base64.b64decode(f["content"])
                            for f in payload.get("files", ())}
        finally:
            self.close()

    def close(self) -> None:
        """Stop the service (it exits when its input ends)."""
        for pipe in (self.process.stdin, self.process.stdout):
            try:
                pipe.close()
            except OSError:
                pass
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:  # a forked worker may still hold its input open
            self.process.kill()
            self.process.wait()
        self.said.close()

    def _stopped(self, what: str) -> str:
        try:
            self.process.wait(timeout=10)
            self.said.seek(0)
            said = " ".join(self.said.read().decode("utf-8", "replace").split())[-400:]
        except (subprocess.TimeoutExpired, OSError, ValueError):
            said = ""
        status = self.process.returncode
        return f"{what} (exit status {status}){': ' + said if said else ''}"
