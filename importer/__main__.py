"""Command line: `python -m importer EXPORT [--inputdir content] [--images keep|download|DIR] …`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "plugins") not in sys.path:  # the importer reuses crosslinks' URL rules, as pelicanconf does
    sys.path.append(str(ROOT / "plugins"))

from .model import RefusedFile  # noqa: E402
from .report import Report  # noqa: E402
from .run import Options, import_export  # noqa: E402


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m importer",
                                     description="Import a Blogger or WordPress export into Markdown posts.")
    parser.add_argument("export", help="the export file (Takeout feed.atom, Blogger backup Atom, WordPress WXR)")
    parser.add_argument("--inputdir", default="content", help="the content folder (default: content)")
    parser.add_argument("--images", default="keep", help="keep (default), download, or a folder of images")
    parser.add_argument("--comments", default="keep", choices=["keep", "skip"])
    parser.add_argument("--blog-url", default="", help="the old blog's address (Takeout exports do not name it)")
    parser.add_argument("--force", action="store_true", help="overwrite files edited since the last import")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    if args.images not in ("keep", "download") and not os.path.isdir(args.images):
        parser.error(f"--images: '{args.images}' is neither keep, download nor a folder")
    return args


class Progress:
    """rich progress bars for posts and downloads (silent when not on a terminal)."""

    def __init__(self, enabled: bool):
        from rich.console import Console
        from rich.progress import Progress as RichProgress

        console = Console(stderr=True)
        self.bar = RichProgress(console=console, transient=True) if enabled and console.is_terminal else None
        self.tasks = {}

    def __enter__(self):
        if self.bar:
            self.bar.__enter__()
        return self

    def __exit__(self, *exc):
        if self.bar:
            self.bar.__exit__(*exc)

    def __call__(self, what: str, total: int | None = None):
        if not self.bar:
            return
        if what.endswith("-total"):
            what = what[: -len("-total")]
            label = {"posts": "converting posts", "images": "downloading images"}.get(what, what)
            self.tasks[what] = self.bar.add_task(label, total=total)
            return
        if what not in self.tasks:
            self.tasks[what] = self.bar.add_task(what, total=None)
        self.bar.advance(self.tasks[what])


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    options = Options(export=args.export, inputdir=args.inputdir, images=args.images, comments=args.comments,
                      blog_url=args.blog_url, force=args.force)
    report = Report()
    try:
        with Progress(not args.no_progress) as progress:
            import_export(options, report, progress)
    except RefusedFile as exc:
        print(str(exc), file=sys.stderr)
        return 1
    for line in report.lines():
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
