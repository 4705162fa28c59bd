"""Read every post of a generator in worker processes before Pelican asks for the first one.

At a generator's first `*_generator_preread` (its init receivers, the diagram cache check among
them, have all run) the files it will read and does not have in its reader cache are read by
JOBS processes with the generator's own readers (so our Markdown extensions run as usual and leave
their data in the metadata), and the results are put in the reader cache
(`pelican_internals.prime_cached_read`). Pelican's `read_file` then takes them from there and does
the rest (path metadata, the content object, its signals) in this process, in its own order. A
file a worker could not read is left out: Pelican reads it, and reports the problem, itself.

Every file is read in a worker (this process only waits), and what reading it logged is logged
here when Pelican makes that file's content object (`content_object_init`): the log reads in the
same order at any JOBS, and each record comes while Pelican handles its own file
(kept_contents keeps a file's records with it).
"""

from __future__ import annotations

import os

from pelican.utils import file_suffix

from pelican_internals import is_cached_read, prime_cached_read  # sibling modules on sys.path

from .pool import fork_map, jobs, replay

# generator kind -> (paths setting, excludes setting)
PATHS = {"ArticlesGenerator": ("ARTICLE_PATHS", "ARTICLE_EXCLUDES"),
         "PagesGenerator": ("PAGE_PATHS", "PAGE_EXCLUDES")}
MIN_FILES = 8  # below this, forking costs more than it saves
PRIMED = "workers_primed"  # set on a generator once its posts have been read
_logged: dict[str, list] = {}  # absolute path -> what reading it in a worker logged, not yet replayed


def files_to_read(generator) -> list[str]:
    """Absolute paths of the generator's files that its readers would read, not take from the cache."""
    paths_key, excludes_key = PATHS[type(generator).__name__]
    readers = generator.readers
    todo = []
    for rel in sorted(generator.get_files(generator.settings[paths_key], exclude=generator.settings[excludes_key])):
        path = os.path.abspath(os.path.join(generator.path, rel))
        if file_suffix(path) in readers.readers and not is_cached_read(readers, path):
            todo.append(path)
    return todo


def prime(generator) -> None:
    """`*_generator_preread` receiver: once per generator object."""
    if getattr(generator, PRIMED, False) or type(generator).__name__ not in PATHS:
        return
    setattr(generator, PRIMED, True)
    _logged.clear()
    n = jobs(generator.settings)
    if n <= 1:
        return
    todo = files_to_read(generator)
    if len(todo) < MIN_FILES:
        return
    readers = generator.readers

    def read(path):
        try:
            return readers.readers[file_suffix(path)].read(path)
        except Exception:  # noqa: BLE001 - Pelican reads it again and reports it
            return None

    logged: dict[int, list] = {}
    done_all = fork_map(read, todo, n, describe=str, shared=(generator.settings,), logs=logged)
    for index, (path, done) in enumerate(zip(todo, done_all)):
        if done is not None:
            prime_cached_read(readers, path, *done)
            if logged.get(index):
                _logged[path] = logged[index]


def replay_logged(content) -> None:
    """`content_object_init`: what reading this file in a worker logged."""
    records = _logged.pop(getattr(content, "source_path", None), None)
    if records:
        replay(records)

