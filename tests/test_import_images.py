"""Importer, images: the old blog's pictures fetched from a real HTTP server on 127.0.0.1 (one
404s, one times out), the largest size kept once, links rewritten; and taken from a local folder."""

from __future__ import annotations

import http.server
import threading
import time

import pytest

from importer import images
from importer.__main__ import main

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
BIG_PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 4096
SLOW_SECONDS = 3.0  # the server's delay for /slow/: well past the 0.5 s timeout the test sets

WXR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Pics</title><link>http://pics.example</link><wp:base_blog_url>http://pics.example</wp:base_blog_url>
<item><title>Pictures</title><link>http://pics.example/2016/01/pictures/</link>
<content:encoded><![CDATA[<p><a href="{base}/wp-content/uploads/2016/01/tree.png"><img src="{base}/wp-content/uploads/2016/01/tree-300x200.png" alt="Tree"></a></p>
<p><img src="{base}/wp-content/uploads/2016/01/tree-150x100.png" alt="Small tree"></p>
<p><img src="{base}/wp-content/uploads/2016/01/gone.png" alt="Gone"></p>
<p><img src="{base}/slow/wp-content/uploads/2016/01/slow.png" alt="Slow"></p>
<p><img src="https://example.org/not-ours.png" alt="Elsewhere"></p>]]></content:encoded>
<wp:post_id>1</wp:post_id><wp:post_date>2016-01-05 10:00:00</wp:post_date><wp:post_name>pictures</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>
"""


class Handler(http.server.BaseHTTPRequestHandler):
    hits: dict[str, int] = {}

    def do_GET(self):  # noqa: N802
        Handler.hits[self.path] = Handler.hits.get(self.path, 0) + 1
        if self.path.startswith("/slow/"):
            time.sleep(SLOW_SECONDS)
        body = {"/wp-content/uploads/2016/01/tree.png": BIG_PNG,
                "/wp-content/uploads/2016/01/tree-300x200.png": PNG,
                "/wp-content/uploads/2016/01/tree-150x100.png": PNG,
                "/slow/wp-content/uploads/2016/01/slow.png": PNG}.get(self.path)
        try:
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_blogger_sizes_are_one_picture_and_the_largest_wins():
    found = images.ImageSet(lambda host: False)
    for url in ["https://1.bp.blogspot.com/-a/B/C/s320/map.png", "https://2.bp.blogspot.com/-a/B/C/s1600/map.png",
                "https://blogger.googleusercontent.com/img/b/R29v/AVvX/s400/map2.jpg",
                "https://blogger.googleusercontent.com/img/b/R29v/AVvX/w640-h480/map2.jpg",
                "https://blogger.googleusercontent.com/img/a/AVvXsEh=s400", "https://blogger.googleusercontent.com/img/a/AVvXsEh=s1600",
                "https://example.org/s1600/x.png"]:
        found.add(url)
    best = sorted(g.best for g in found.groups.values())
    assert best == ["https://2.bp.blogspot.com/-a/B/C/s1600/map.png",
                    "https://blogger.googleusercontent.com/img/a/AVvXsEh=s1600",
                    "https://blogger.googleusercontent.com/img/b/R29v/AVvX/w640-h480/map2.jpg"]


def test_download_keeps_the_largest_once_and_reports_failures(server, tmp_path):
    export = tmp_path / "pics.xml"
    export.write_text(WXR.format(base=server))
    Handler.hits.clear()
    from importer import run

    options = run.Options(export=str(export), inputdir=str(tmp_path / "content"), images="download",
                          fetch_timeout=0.5, fetch_retries=2)
    report = run.Report()
    run.import_export(options, report)
    content = tmp_path / "content"
    assert (content / "images" / "tree.png").read_bytes() == BIG_PNG
    assert sorted(p.name for p in (content / "images").iterdir()) == ["tree.png"]
    assert Handler.hits.get("/wp-content/uploads/2016/01/tree.png") == 1
    assert "/wp-content/uploads/2016/01/tree-300x200.png" not in Handler.hits  # only the largest is fetched
    assert Handler.hits.get("/wp-content/uploads/2016/01/gone.png") == 1  # a 404 is not retried
    text = (content / "articles" / "2016-01-pictures.md").read_text("utf-8")
    assert "![Tree]({static}/images/tree.png)" in text  # the thumbnail's link to itself is unwrapped
    assert "![Small tree]({static}/images/tree.png)" in text
    assert f"{server}/wp-content/uploads/2016/01/gone.png" in text  # failures keep the remote URL
    assert f"{server}/slow/wp-content/uploads/2016/01/slow.png" in text
    assert "https://example.org/not-ours.png" in text
    assert report.last_line().endswith("1 images downloaded, 2 failed")
    failed = sorted(p.url for p in report.problems if "image" in p.message)
    assert failed == [f"{server}/slow/wp-content/uploads/2016/01/slow.png", f"{server}/wp-content/uploads/2016/01/gone.png"]


def test_size_cap_refuses_a_too_large_image(server):
    with pytest.raises(ValueError):
        images.fetch(f"{server}/wp-content/uploads/2016/01/tree.png", timeout=2, retries=1, max_bytes=100)


def test_images_from_a_folder_prefer_the_largest_file(tmp_path, server):
    export = tmp_path / "pics.xml"
    export.write_text(WXR.format(base=server))
    mirror = tmp_path / "mirror"
    (mirror / "a").mkdir(parents=True)
    (mirror / "b").mkdir()
    (mirror / "a" / "tree.png").write_bytes(PNG)
    (mirror / "b" / "tree.png").write_bytes(BIG_PNG)
    (mirror / "b" / "slow.png").write_bytes(PNG)
    assert main([str(export), "--inputdir", str(tmp_path / "content"), "--images", str(mirror), "--no-progress"]) == 0
    content = tmp_path / "content"
    assert (content / "images" / "tree.png").read_bytes() == BIG_PNG
    assert (content / "images" / "slow.png").read_bytes() == PNG
    text = (content / "articles" / "2016-01-pictures.md").read_text("utf-8")
    assert "{static}/images/slow.png" in text and f"{server}/wp-content/uploads/2016/01/gone.png" in text


def test_imported_images_are_served_by_the_built_site(tmp_path, server):
    from bs4 import BeautifulSoup

    from conftest import build_site

    export = tmp_path / "pics.xml"
    export.write_text(WXR.format(base=server))
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "tree.png").write_bytes(BIG_PNG)
    content, out = tmp_path / "content", tmp_path / "out"
    assert main([str(export), "--inputdir", str(content), "--images", str(mirror), "--no-progress"]) == 0
    records = build_site(content, out)
    assert not [r for r in records if ": error:" in r.getMessage()]
    soup = BeautifulSoup((out / "2016" / "01" / "pictures.html").read_text("utf-8"), "html.parser")
    srcs = [img["src"] for img in soup.select(".entry-content img")]
    assert srcs[:2] == ["../../images/tree.png", "../../images/tree.png"]
    assert (out / "images" / "tree.png").read_bytes() == BIG_PNG
