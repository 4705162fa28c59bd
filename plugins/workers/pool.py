"""Run a function over a list in forked worker processes; results, logs and exceptions come back in order.

Fork, not spawn: a worker starts as a copy of the build at that moment (every post, the graph, the
templates), so nothing but the results crosses a process boundary. Item i goes to worker i % n;
worker 0 is this process itself. A worker's log records (messages already formatted) and the
author problems it recorded (`author_report`) are replayed here in item order once every worker
has finished, so the log and the author report read the same at any JOBS. An exception in a worker
is raised here, naming the item, after every worker has stopped.

Objects given as `shared` (the settings) existed before the fork, so both sides have them: a
result that refers to one is sent as a reference and arrives referring to this process's object,
not to a copy of it (a read post's tags and category keep the build's settings).

`jobs(settings)`: the JOBS setting as a number of processes; when it is 0, the JOBS environment
variable (`make html JOBS=N` exports it); when that is unset too, every core this process may use.
"""

from __future__ import annotations

import io
import logging
import os
import pickle
import traceback

logger = logging.getLogger(__name__)
ENVIRONMENT = "JOBS"  # the environment variable `make html JOBS=N` exports


def jobs(settings) -> int:
    wanted = int(settings["JOBS"] or os.getenv(ENVIRONMENT) or 0)
    if wanted > 0:
        return wanted
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class WorkerFailed(RuntimeError):
    """A worker's exception, re-raised in the parent with the worker's traceback in its message."""


class _Capture(logging.Handler):
    """Keeps every record a worker logs, formatted (arguments may not pickle), with the item it belongs to."""

    def __init__(self):
        super().__init__(level=logging.NOTSET)
        self.records: list[tuple[int, logging.LogRecord]] = []
        self.item = -1

    def emit(self, record):
        self.records.append((self.item, formatted(record)))


def formatted(record: logging.LogRecord) -> logging.LogRecord:
    """The record with its message formatted and its traceback as text: it can be pickled, and
    replayed later whatever its arguments have become."""
    try:
        record.msg = record.getMessage()
    except Exception:  # a malformed log call: keep what there is
        record.msg = str(record.msg)
    record.args = None
    if record.exc_info:
        record.exc_text = "".join(traceback.format_exception(*record.exc_info))
        record.exc_info = None
    return record


def _all_handlers() -> dict:
    loggers = [logging.getLogger(), *(log for log in logging.root.manager.loggerDict.values()
                                      if isinstance(log, logging.Logger))]
    return {log: list(log.handlers) for log in loggers if log.handlers}


def replay(records) -> None:
    """Log `records` again, each through its own logger (its filters, then its handlers)."""
    from pelican.log import FilteredMessage  # noqa: PLC0415

    for record in records:
        try:
            logging.getLogger(record.name).handle(record)
        except FilteredMessage:  # Pelican's limiter dropped it (a warning already shown): as its _log does
            pass


def _problems_so_far():
    try:
        from author_report import COLLECTOR  # noqa: PLC0415
    except ImportError:  # the plugin is not loaded
        return None
    return COLLECTOR


def _own_problems(collector, start: int) -> list:
    """Problems a worker recorded with author_report.report (Pelican's own warnings are counted
    again from their replayed log records, so those are left out)."""
    if collector is None:
        return []
    return [p for p in list(collector.problems)[start:] if p.path != "(pelican)"]


def dumps_sharing(payload, shared=()) -> bytes:
    """pickle.dumps, the `shared` objects as references (`loads_sharing` puts the receiver's own there)."""
    ids = {id(obj): index for index, obj in enumerate(shared)}
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.persistent_id = lambda obj: ids.get(id(obj))
    pickler.dump(payload)
    return buffer.getvalue()


def loads_sharing(data: bytes, shared=()):
    unpickler = pickle.Unpickler(io.BytesIO(data))
    unpickler.persistent_load = lambda index: shared[index]
    return unpickler.load()


def _work(indexed, function, capture):
    results = []
    for index, item in indexed:
        capture.item = index
        results.append((index, function(item)))
    return results


def _child(fd, indexed, function, shared):
    status = 1
    try:
        capture = _Capture()
        # Only the capture: the parent prints (and counts) the records once, in order.
        for log, handlers in _all_handlers().items():
            for handler in handlers:
                log.removeHandler(handler)
        logging.getLogger().addHandler(capture)
        collector = _problems_so_far()
        start = len(collector.problems) if collector is not None else 0
        try:
            payload = {"results": _work(indexed, function, capture), "error": None}
        except BaseException as exc:  # noqa: BLE001 - everything is reported to the parent
            payload = {"results": [], "error": (capture.item, f"{type(exc).__name__}: {exc}",
                                                traceback.format_exc())}
        payload["logs"] = capture.records
        payload["problems"] = _own_problems(collector, start)
        data = dumps_sharing(payload, shared)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        status = 0
    finally:
        os._exit(status)


def _read_all(fd) -> bytes:
    with os.fdopen(fd, "rb") as src:
        return src.read()


def fork_map(function, items: list, n: int, describe=str, shared=(), logs=None) -> list:
    """[function(item) for item in items], spread over `n` processes (this one included); the
    results may refer to the `shared` objects (see above). `logs`: a dict that receives each
    item's log records (item index -> records) instead of their being logged here; every item then
    runs in one of `n` workers and this process only waits, so all that an item logs is caught."""
    n = max(1, min(n, len(items)))
    if n == 1 and logs is None:
        return [function(item) for item in items]
    shares = [[(i, items[i]) for i in range(k, len(items), n)] for k in range(n)]
    own, others = (shares[0], shares[1:]) if logs is None else ([], shares)
    children = [_spawn(share, function, shared) for share in others]
    results: dict[int, object] = {}
    error = None
    try:
        for index, value in _work(own, function, _Capture()):
            results[index] = value
    except BaseException as exc:  # noqa: BLE001 - the workers are collected first
        error = exc
    payloads = [_collect(pid, read_fd, shared) for pid, read_fd in children]
    if error is not None:
        raise error
    if logs is not None:  # each item's records go to the caller; a record of no item is logged here
        for payload in payloads:
            unowned = []
            for index, record in payload["logs"]:
                if 0 <= index < len(items):
                    logs.setdefault(index, []).append(record)
                else:
                    unowned.append((index, record))
            payload["logs"] = unowned
    _replay(payloads)
    for payload in payloads:
        _raise_failure(payload, items, describe)
        results.update(payload["results"])
    return [results[i] for i in range(len(items))]


def _spawn(indexed, function, shared=()) -> tuple[int, int]:
    """A forked worker doing `function` over the (index, item) pairs: (its pid, its pipe)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker
        os.close(read_fd)
        _child(write_fd, indexed, function, shared)
    os.close(write_fd)
    return pid, read_fd


def _raise_failure(payload, items, describe) -> None:
    """A worker's exception, raised here naming its item."""
    if payload["error"]:
        index, message, trace = payload["error"]
        where = describe(items[index]) if 0 <= index < len(items) else "a worker"
        raise WorkerFailed(f"{where}: {message}\n{trace}")


def _collect(pid: int, read_fd: int, shared=()) -> dict:
    """A worker's payload (results, log records, author problems, error), once it has ended."""
    data = _read_all(read_fd)  # before waiting: a worker blocks until its pipe is read
    _, status = os.waitpid(pid, 0)
    if not data:
        return {"results": [], "logs": [], "problems": [],
                "error": (-1, f"a worker process died (status {status})", "")}
    return loads_sharing(data, shared)


class Started:
    """`function(item)` in a forked worker, while this process goes on (`start`). `result()`
    waits for it: its log records and author problems are replayed here, its exception raised
    here (naming `describe(item)`), its value returned."""

    def __init__(self, function, item, describe=str):
        self.worker, self.item, self.describe = _spawn([(0, item)], function), item, describe

    def result(self):
        payload = _collect(*self.worker)
        _replay([payload])
        _raise_failure(payload, [self.item], self.describe)
        return dict(payload["results"])[0]


def start(function, item, settings, describe=str):
    """`function(item)` begun in a worker process when JOBS allows more than one (a `Started`),
    else run here at once (an object whose `result()` gives the value): either way, call
    `result()` where the value is needed."""
    if jobs(settings) > 1:
        return Started(function, item, describe)
    return _Done(function(item))


class _Done:
    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


def _replay(payloads) -> None:
    """The workers' log records and author problems, here, in item order."""
    records = sorted((index, seq, record) for payload in payloads
                     for seq, (index, record) in enumerate(payload["logs"]))
    replay(record for _index, _seq, record in records)
    collector = _problems_so_far()
    if collector is None:
        return
    for payload in payloads:
        for problem in payload["problems"]:
            collector.add(problem.path, problem.line, problem.level, problem.message)
