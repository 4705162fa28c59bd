"""Emit stage: a redirect page at the old site-relative path of every alias.

Each page has `<meta http-equiv="refresh">`, `<link rel="canonical">` and a visible link,
rendered with the theme's `redirect.html` (or the built-in template below when the theme
has none).
"""

from __future__ import annotations

import posixpath

from jinja2 import TemplateNotFound
from pelican.generators import Generator

from .build import CONTEXT_REDIRECTS

FALLBACK_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ DEFAULT_LANG|e }}">
<head>
<meta charset="utf-8">
<title>Moved: {{ target.title|striptags|e }}</title>
<meta http-equiv="refresh" content="0; url={{ SITEURL|e }}/{{ target.url|e }}">
<link rel="canonical" href="{{ SITEURL|e }}/{{ target.url|e }}">
<meta name="robots" content="noindex">
</head>
<body>
<main>
<h1>This page has moved</h1>
<p><a href="{{ SITEURL|e }}/{{ target.url|e }}">{{ target.title|striptags|e }}</a></p>
</main>
</body>
</html>
"""


def redirect_save_as(site_path: str) -> str:
    """Output file of an alias: 'a/b.html' as is, 'a/b/' and 'a/b' as 'a/b/index.html'."""
    path = site_path.lstrip("/")
    if not path or path.endswith("/"):
        return path + "index.html"
    last = posixpath.basename(path)
    if "." not in last:
        return path + "/index.html"
    return path


class RedirectGenerator(Generator):
    def generate_context(self):
        pass

    def _template(self):
        try:
            return self.get_template("redirect")
        except (TemplateNotFound, Exception):  # Pelican raises its own PelicanTemplateNotFound
            return self.env.from_string(FALLBACK_TEMPLATE)

    def generate_output(self, writer):
        redirects = self.context.get(CONTEXT_REDIRECTS) or []
        if not redirects:
            return
        from stage_timer import timed  # noqa: PLC0415

        with timed("emit"):
            template = self._template()
            for site_path, target in redirects:
                save_as = redirect_save_as(site_path)
                try:
                    writer.write_file(save_as, template, self.context,
                                      relative_urls=self.settings.get("RELATIVE_URLS", False),
                                      url=site_path, target=target, alias=site_path)
                except Exception as exc:  # a file already written: report, keep building
                    from author_report import report  # noqa: PLC0415

                    report(self.settings, target.source_path, 0, "error",
                           f"alias '{site_path}' cannot be written: {exc}")
