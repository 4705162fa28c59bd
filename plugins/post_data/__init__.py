"""Hand per-post data from Markdown extensions to Pelican content objects (read stage).

A Markdown extension that collects something about the post it converts puts it in
`md.post_data[KEY]` (use `post_data_of(md)`). This plugin installs a Markdown reader that
copies every such entry into the post's metadata, so it becomes an attribute of the
Article/Page (`article.KEY`) and is stored by Pelican's reader cache with the content.

Problems found while reading go to `md.post_data["read_problems"]` as
`(line, level, message)` tuples; they are reported in the build stage, so a cached
rebuild reports them again.
"""

from __future__ import annotations

from markdown import Markdown
from pelican import signals
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

PROBLEMS = "read_problems"


def post_data_of(md) -> dict:
    data = getattr(md, "post_data", None)
    if data is None:
        data = md.post_data = {}
    return data


def add_problem(md, line: int, level: str, message: str) -> None:
    post_data_of(md).setdefault(PROBLEMS, []).append((int(line or 0), level, message))


class PostDataMarkdownReader(MarkdownReader):
    def read(self, source_path):
        self._source_path = source_path
        self._md = Markdown(**self.settings["MARKDOWN"])
        self._md.post_data = {"source_path": source_path}
        with pelican_open(source_path) as text:
            content = self._md.convert(text)
        # Taken before _parse_metadata, which may reset the converter for formatted fields.
        data = dict(self._md.post_data)
        data.pop("source_path", None)
        metadata = self._parse_metadata(self._md.Meta) if hasattr(self._md, "Meta") else {}
        for key, value in data.items():
            metadata[key] = value
        return content, metadata


def install(readers):
    for ext in PostDataMarkdownReader.file_extensions:
        readers.reader_classes[ext] = PostDataMarkdownReader


def report_read_problems(generators):
    """Report the problems recorded while reading every post and page, whatever its status."""
    from author_report import report  # noqa: PLC0415 (plugins load from PLUGIN_PATHS)
    from content_walk import walk  # noqa: PLC0415

    for item in walk(generators):
        content = item.content
        for line, level, message in getattr(content, PROBLEMS, None) or ():
            report(content.settings, content.source_path, line, level, message)


def register():
    signals.readers_init.connect(install)
    signals.all_generators_finalized.connect(report_read_problems)
