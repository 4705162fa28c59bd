"""Our Markdown extensions are added to each build's own settings, never to the MARKDOWN dict of the
loaded configuration module (which Pelican's settings share), so one build's extension objects
do not leak into the next build in the same process."""

from __future__ import annotations

import sys

from conftest import build_site


def test_a_build_leaves_the_configuration_modules_markdown_untouched(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.md").write_text("Title: A\nDate: 2020-01-01\n\nText.\n", "utf-8")
    build_site(content, tmp_path / "out")
    config = sys.modules.get("pelicanconf")
    assert config is not None, "Pelican registers the loaded settings file as a module"
    ours = [type(e).__module__ for e in config.MARKDOWN.get("extensions", [])
            if not isinstance(e, str) and type(e).__module__.split(".")[0] in
            {"crosslinks", "diagrams", "graphics"}]
    assert ours == []
