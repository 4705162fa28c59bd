"""Graphics: every image of every post recorded, the same picture recognised under any name or
size, a gallery of where each is used, alt text and files checked, images sized for the page.

Stages (docs/graphics.md):
- read (per post): `extension.GraphicsExtension`, added to MARKDOWN's extensions at
  `initialized`, records each image with its line (`graphics_images`);
- build (once, `all_generators_finalized`, after crosslinks, before concept_graph):
  `build.build` resolves, hashes, groups, checks and rewrites the <img> tags;
- emit: `gallery.GraphicsIndexGenerator` writes the variants and graphics/index.html; the
  theme's partials/graphics_reuse.html links a post's reused graphics to their entries.
"""

from __future__ import annotations

import logging

from pelican import signals


class _SilencePelicanEmptyAlt(logging.Filter):
    """Pelican warns "Empty alt attribute for image x in path" without a line; we report every
    image without alt text as `path:line: warning:` (build.check), so its copy is dropped."""

    def filter(self, record):
        return not (isinstance(record.msg, str) and record.msg.startswith("Empty alt attribute for image"))


_FILTER = _SilencePelicanEmptyAlt()


def add_extension(pelican) -> None:
    from .extension import GraphicsExtension

    from post_data import use_extension  # noqa: PLC0415

    use_extension(pelican.settings, GraphicsExtension())


def run_build(generators) -> None:
    from stage_timer import timed  # noqa: PLC0415

    from .build import build

    with timed("build"):
        build(generators)


def get_generators(pelican):
    from .gallery import GraphicsIndexGenerator

    return GraphicsIndexGenerator


def register():
    import post_data  # noqa: PLC0415

    post_data.register()
    from .settings import apply  # noqa: PLC0415

    logging.getLogger("pelican.readers").addFilter(_FILTER)
    signals.initialized.connect(apply)
    signals.initialized.connect(add_extension)
    signals.all_generators_finalized.connect(run_build)
    signals.get_generators.connect(get_generators)
