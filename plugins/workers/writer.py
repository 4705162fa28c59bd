"""The build's Writer: pages are rendered after every generator has asked for them, on every core.

Pelican's Writer renders each page as soon as a generator asks for it. This one (from
`get_writer`) lets Pelican's own `write_file` do everything else (pagination, the page's
context, the checks against writing a file twice) but keeps the rendering for later: the template
is stood in for by a `_Deferred` whose `render` records the job. `flush()` then renders every
job, spread over JOBS worker processes (pool.fork_map), and writes each file only when its bytes
changed, so a rebuild leaves unchanged pages, and their modification times, alone.

`flush()` runs at `finalized`. Other plugins can have work done alongside: `before_rest(callback)`
is called once the pages showing an edited post are written (at once in a cold build), before
the other pages are rendered; `after_pages(callback)` once every page is written (the search
index starts Pagefind at the first and waits for it at the second).
Feeds are written at once, as Pelican does. Every file this writer wrote or found unchanged is in
`produced` (paths relative to the output folder); `written` has those it actually wrote.

Rendering is order-free: a job carries its page's context and the `localsiteurl` Pelican had set
when it asked for the page, and sets it again before rendering, so any JOBS gives the same bytes.
`content_written` is sent when the page is asked for, before the file exists (output_sync
records it as one of the build's outputs then; nothing reads the file at that moment).
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass

from pelican.log import console
from pelican.writers import Writer

from output_files import keep, write_if_changed  # a sibling module: only when the bytes changed

from .page_inputs import Digests
from .pool import fork_map, jobs
from .settings import skips_unchanged_pages
from .priority import content_of, edited_contents, first_and_rest

logger = logging.getLogger(__name__)
MARKER_START = "\x00deferred-page-"
MARKER = MARKER_START + "{}\x00"


@dataclass
class Job:
    template: object
    localcontext: dict
    context: dict  # the generator's shared context, whose localsiteurl the page's links read
    localsiteurl: object
    path: str = ""
    digest: bytes | None = None  # of the page's inputs (page_inputs.py), when digests are on


def render(job: Job) -> bool:
    """Render one page and write it if its bytes changed; True when written."""
    job.context["localsiteurl"] = job.localsiteurl
    html = job.template.render(job.localcontext)
    return write_if_changed(job.path, html.encode("utf-8"))


class _Deferred:
    """Stands in for a template in Pelican's write_file: `render` records a job, returns its marker."""

    def __init__(self, writer, template, context):
        self.writer, self.template, self.context = writer, template, context

    def __getattr__(self, name):
        return getattr(self.template, name)

    def render(self, localcontext):
        job = Job(self.template, localcontext, self.context, self.context.get("localsiteurl"))
        self.writer.pending.append(job)
        return MARKER.format(len(self.writer.pending) - 1)


class _Sink:
    """What `_open_w` returns for a page: remembers the path of the job whose marker is written to it."""

    def __init__(self, writer, path, encoding):
        self.writer, self.path, self.encoding = writer, path, encoding
        self.parts: list[str] = []

    def write(self, text):
        self.parts.append(text)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is not None:
            return False
        if len(self.parts) == 1 and isinstance(self.parts[0], str):
            job = self.writer.job_of(self.parts[0])
            if job is not None:
                job.path = self.path
                return False
        # A feed (feedgenerator writes str or bytes): written now.
        data = b"".join(p if isinstance(p, bytes) else p.encode(self.encoding) for p in self.parts)
        self.writer.finish(self.path, data)
        return False


class WorkersWriter(Writer):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.pending: list[Job] = []
        self.produced: set[str] = set()
        self.written: set[str] = set()
        self.finishers: list = []
        self.starters: list = []
        self.edited: set[int] = set()  # ids of the posts saved since their page was written
        self.announced = False
        # the digests of this run's pages, when SKIP_UNCHANGED_PAGES applies (a rebuild will follow)
        self.digests = Digests(self.settings) if skips_unchanged_pages(self.settings) else None
        self.skipped = 0  # pages whose inputs did not change: not rendered
        self.rendered: list[str] = []  # paths (relative to the output folder) of the pages rendered
        _current[:] = [self]

    def write_file(self, name, template, context, *args, **kwargs):
        return super().write_file(name, _Deferred(self, template, context), context, *args, **kwargs)

    def _open_w(self, filename, encoding, override=False):
        # Pelican's checks (Writer._open_w), without opening the file: it is written later, and
        # only if its bytes change.
        if filename in self._overridden_files:
            if override:
                from pelican.utils import FileOverwriteFailedError  # noqa: PLC0415
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time '
                                               "(was previously overwritten)")
            logger.info('Skipping "%s", not overwriting', filename)
            return open(os.devnull, "w", encoding=encoding)
        if filename in self._written_files:
            if override:
                logger.info('Overwriting "%s"', filename)
                self._drop_pending(filename)
            else:
                from pelican.utils import FileOverwriteFailedError  # noqa: PLC0415
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" as Pelican has already '
                                               "written to it previously (set `override=True` if intended)")
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return _Sink(self, filename, encoding)

    def before_rest(self, callback) -> None:
        """Call `callback()` once the pages showing an edited post are written, before the other
        pages are rendered; at the start of the rendering when there are no others (a cold build:
        every page is new)."""
        self.starters.append(callback)

    def after_pages(self, callback) -> None:
        """Call `callback()` once every page of the build is written (at `finalized`)."""
        self.finishers.append(callback)

    def job_of(self, text: str) -> Job | None:
        if not (text.startswith(MARKER_START) and text.endswith("\x00")):
            return None
        index = int(text[len(MARKER_START):-1])
        job = self.pending[index] if index < len(self.pending) else None
        return job if job is not None and not job.path else None

    def _drop_pending(self, filename):
        for job in self.pending:  # the later page replaces the earlier one, as Pelican's second write does
            if job.path == filename:
                job.path = ""

    def finish(self, path: str, data: bytes) -> None:
        self._record(path, write_if_changed(path, data))

    def _record(self, path: str, was_written: bool) -> str:
        """`path` (relative to the output folder) as produced by this build; returned."""
        rel = os.path.relpath(path, self.output_path).replace(os.sep, "/")
        self.produced.add(rel)
        if was_written:
            self.written.add(rel)
        return rel

    def flush(self) -> None:
        """Render and write every page asked for so far.

        The pages that show a post saved since its page was written go first (priority.py); in a
        rebuild, when they are on disk, a line says so and how long the run has taken. Then the
        `before_rest` callbacks are called, and the other pages rendered. When page
        digests are on (SKIP_UNCHANGED_PAGES), each other page is rendered only when its inputs
        changed since the run before (page_inputs.py); the file on disk is kept as it is.
        """
        ready = [job for job in self.pending if job.path]
        self.edited |= edited_contents(ready)
        first, rest = first_and_rest(ready, self.edited)
        if self.digests is not None and not self.edited:
            first, rest = [], first + rest  # nothing saved (a diagram file, an image): digests decide
        self.pending = []
        if not rest:  # a cold build (every page shows an edit), or nothing to render: no need to wait
            self._start_alongside()
        self._render(first)
        if rest and first and not self.announced:
            self.announced = True
            edited = sum(1 for job in first if id(content_of(job.localcontext)) in self.edited)
            others = len(first) - edited
            which = " (those whose inputs changed)" if self.digests is not None else ""
            console.print(f"Edited: {_count(edited, 'post')} and the {_count(others, 'page')} showing "
                          f"{'it' if edited == 1 else 'them'} written in {time.monotonic() - run_started[0]:.2f} s; "
                          f"now the other {_count(len(rest), 'page')}{which}.")
        self._note_digests(first)
        self._start_alongside()
        rest = self._inputs_changed(rest)
        self._render(rest)
        self._note_digests(rest)

    def _start_alongside(self) -> None:
        starters, self.starters = self.starters, []
        for callback in starters:
            callback()

    def _digest(self, job: Job) -> bytes | None:
        return self.digests.page(job.template, job.localcontext, own=content_of(job.localcontext),
                                 extra=f"{job.path}\0{job.localsiteurl}")

    def _inputs_changed(self, todo: list[Job]) -> list[Job]:
        """The jobs whose inputs changed since the run before (all of them when digests are off);
        the others' files are kept and counted as produced."""
        if self.digests is None:
            return todo
        changed = []
        for job in todo:
            job.digest = self._digest(job)
            before = _page_digests.pop(job.path, None)
            if job.digest is not None and job.digest == before and os.path.exists(job.path):
                _page_digests[job.path] = before
                keep(job.path)
                self._record(job.path, False)
                self.skipped += 1
            else:
                changed.append(job)
        return changed

    def _note_digests(self, done: list[Job]) -> None:
        """After rendering `done`: their digests, for the next run."""
        if self.digests is None:
            return
        for job in done:
            digest = job.digest if job.digest is not None else self._digest(job)
            if digest is None:
                _page_digests.pop(job.path, None)
            else:
                _page_digests[job.path] = digest

    def _render(self, todo: list[Job]) -> None:
        if not todo:
            return
        current = {id(job.context): job.context.get("localsiteurl") for job in todo}
        try:
            wrote = fork_map(render, todo, jobs(self.settings), describe=lambda job: job.path)
        finally:
            for job in todo:  # this process's renderings moved it; put back what Pelican had set last
                job.context["localsiteurl"] = current[id(job.context)]
        for job, was_written in zip(todo, wrote):
            self.rendered.append(self._record(job.path, was_written))


# The writer of the run in progress: Pelican makes one per run() and keeps it to itself.
_current: list[WorkersWriter] = []
# output path -> the digest of the inputs of the page written there, by the runs of this process
_page_digests: dict[str, bytes] = {}


def current() -> WorkersWriter | None:
    return _current[-1] if _current else None


def flush_current(_pelican=None) -> None:
    """`finalized`: the pages still waiting are rendered and written."""
    writer = current()
    if writer is not None:
        writer.flush()
        if writer.digests is not None:
            logger.info("Rendered %s; %s whose inputs did not change since the run before left as they are.",
                        _count(len(writer.rendered), "page"), _count(writer.skipped, "page"))
        finishers, writer.finishers = writer.finishers, []
        for callback in finishers:
            callback()


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


run_started = [time.monotonic()]


def start_run(*_args) -> None:
    """`get_generators` (the start of every run, devserver rebuilds included)."""
    run_started[0] = time.monotonic()
