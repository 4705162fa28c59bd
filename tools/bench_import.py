"""Import speed (not a timed test): a generated Blogger Takeout export with N posts and 5 links per
post (10,000 links at 2,000 posts) is imported in a subprocess; wall time and peak memory printed.

    .venv/bin/python -m tools.bench_import [--posts 2000] [--format takeout|wordpress] [--keep DIR]

Target (issue 13): 2,000 posts / 10,000 links in at most 30 s and 500 MB, without downloads.
"""

from __future__ import annotations

import argparse
import html
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOST = "http://bench-blog.blogspot.com"
WORDS = ("network volunteers mentors tutoring youth city program learning support map intermediary "
         "donors business school leaders time growth story reflection plan share").split()
LINKS_PER_POST = 5


def _posts(n: int, rng: random.Random):
    for i in range(n):
        year, month = 2005 + i * 20 // n, 1 + i % 12
        yield i, year, month, f"post-{i:05d}-{rng.choice(WORDS)}"


def _body(i: int, posts: list, rng: random.Random, wordpress: bool) -> str:
    paragraphs = []
    for p in range(6):
        words = [rng.choice(WORDS) for _ in range(50)]
        if p < LINKS_PER_POST:
            j, year, month, slug = posts[rng.randrange(len(posts))]
            form = (i + p) % 4
            if wordpress:
                href = [f"{HOST}/{year}/{month:02d}/{slug}/", f"/?p={j + 1}", f"{HOST}/?p={j + 1}#c",
                        f"/{year}/{month:02d}/{slug}/"][form]
            else:
                href = [f"{HOST}/{year}/{month:02d}/{slug}.html", f"/{year}/{month:02d}/{slug}.html",
                        f"https://bench-blog.blogspot.co.uk/{year}/{month:02d}/{slug}.html?m=1",
                        f"{HOST}/{year}/{month:02d}/{slug}.html#more"][form]
            words[10] = f'<a href="{href}">{words[10]}</a>'
        paragraphs.append(" ".join(words))
    return "<br /><br />".join(paragraphs) if not wordpress else "\n\n".join(paragraphs)


def takeout(n: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    posts = list(_posts(n, rng))
    out = ["<?xml version='1.0' encoding='utf-8'?>",
           "<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>"]
    for i, year, month, slug in posts:
        out.append(f"<entry><id>tag:blogger.com,1999:blog-1.post-{i + 1}</id><blogger:type>POST</blogger:type>"
                   f"<blogger:status>LIVE</blogger:status><author><name>Bench</name></author>"
                   f"<title>Post {i} about {slug}</title><content type='html'>"
                   f"{html.escape(_body(i, posts, rng, False))}</content>"
                   f"<published>{year}-{month:02d}-10T10:00:00.000Z</published>"
                   f"<category term='{rng.choice(WORDS)}'/><blogger:filename>/{year}/{month:02d}/{slug}.html"
                   f"</blogger:filename></entry>")
        if i % 4 == 0:
            out.append(f"<entry><id>tag:blogger.com,1999:blog-1.post-c{i}</id><blogger:type>COMMENT</blogger:type>"
                       f"<blogger:status>LIVE</blogger:status><blogger:parent>tag:blogger.com,1999:blog-1.post-{i + 1}"
                       f"</blogger:parent><author><name>Reader</name></author><content type='html'>Nice, "
                       f"&lt;b&gt;thanks&lt;/b&gt;</content><published>{year}-{month:02d}-11T10:00:00.000Z</published></entry>")
    out.append("</feed>")
    return "\n".join(out)


def wordpress(n: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    posts = list(_posts(n, rng))
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
           'xmlns:wp="https://wordpress.org/export/1.2/"><channel><title>Bench</title>'
           f"<link>{HOST}</link><wp:base_blog_url>{HOST}</wp:base_blog_url>"]
    for i, year, month, slug in posts:
        out.append(f"<item><title>Post {i}</title><link>{HOST}/{year}/{month:02d}/{slug}/</link>"
                   f"<content:encoded><![CDATA[{_body(i, posts, rng, True)}]]></content:encoded>"
                   f"<wp:post_id>{i + 1}</wp:post_id><wp:post_date>{year}-{month:02d}-10 10:00:00</wp:post_date>"
                   f"<wp:post_name>{slug}</wp:post_name><wp:status>publish</wp:status>"
                   f"<wp:post_type>post</wp:post_type></item>")
    out.append("</channel></rss>")
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--format", choices=["takeout", "wordpress"], default="takeout")
    parser.add_argument("--keep", help="import into this folder (default: a temporary one)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / ("feed.atom" if args.format == "takeout" else "export.xml")
        export.write_text((takeout if args.format == "takeout" else wordpress)(args.posts), "utf-8")
        target = args.keep or str(Path(tmp) / "content")
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "importer", str(export), "--inputdir", target, "--no-progress"],
                              capture_output=True, text=True)
        seconds = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr
        print(f"{args.format}: {args.posts} posts, {args.posts * LINKS_PER_POST} links, "
              f"{export.stat().st_size / 1e6:.1f} MB export")
        print(last)
        print(f"import: {seconds:.1f} s wall, peak memory {peak_mb:.0f} MB (exit {proc.returncode})")
        return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
