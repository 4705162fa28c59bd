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

from pelican import signals
from pelican.readers import MarkdownReader

from pelican_internals import read_markdown  # a sibling module (pelicanconf.py puts plugins/ on sys.path)

PROBLEMS = "read_problems"


def post_data_of(md) -> dict:
    data = getattr(md, "post_data", None)
    if data is None:
        data = md.post_data = {}
    return data


def use_extension(settings: dict, extension) -> None:
    """Put `extension` in settings["MARKDOWN"]["extensions"], replacing one of its class.

    The MARKDOWN dict is copied first: Pelican's settings share it with the loaded `pelicanconf`
    module, so changing it in place would hand this build's extension objects to the next build
    in the same process (tests, a `publishconf.py` build after a `pelicanconf.py` one).
    """
    markdown = dict(settings.get("MARKDOWN") or {})
    extensions = [e for e in markdown.get("extensions", ()) if not isinstance(e, type(extension))]
    markdown["extensions"] = [*extensions, extension]
    settings["MARKDOWN"] = markdown


def add_problem(md, line: int, level: str, message: str) -> None:
    post_data_of(md).setdefault(PROBLEMS, []).append((int(line or 0), level, message))


class PostDataMarkdownReader(MarkdownReader):
    def read(self, source_path):
        def prepare(md):
            md.post_data = {"source_path": source_path}

        def take(md):  # before the metadata is parsed: that converts a Summary with the same object
            data = dict(md.post_data)
            data.pop("source_path", None)
            return data

        content, metadata, data = read_markdown(self, source_path, prepare, take)
        metadata.update(data)
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
