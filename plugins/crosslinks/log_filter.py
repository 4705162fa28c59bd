"""Pelican's own "Unable to find '…'" warning, dropped for the {filename} links crosslinks has
already reported with their path and line, in this build only (`reset` at each build start)."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit


class SilencePelicanDuplicates(logging.Filter):
    def __init__(self):
        super().__init__()
        self.values: set[str] = set()

    def reset(self) -> None:
        """A new build: a devserver runs many in one process, and a link fixed since is news."""
        self.values = set()

    def add(self, href: str) -> None:
        """`href` ({filename}… or |filename|…) was reported: silence Pelican's warning for it."""
        value = href[len("{filename}"):]
        self.values.add(value)
        self.values.add(urlsplit(value).geturl())

    def filter(self, record):
        if isinstance(record.msg, str) and record.msg.startswith("Unable to find") and record.args:
            return str(record.args[0]) not in self.values
        return True


FILTER = SilencePelicanDuplicates()
logging.getLogger("pelican.contents").addFilter(FILTER)
