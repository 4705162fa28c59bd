"""Emit stage: the variants into the output, and graphics/index.html (template graphics_index.html).

Every graphic shown by at least one published post or page, most used first, with its
thumbnail, alt texts, files and the posts that show it (newest first).
"""

from __future__ import annotations

import os
import shutil
import tempfile

from pelican.generators import Generator

from output_files import copy_if_changed
from site_page import write_site_page

from . import variants
from .build import CONTEXT_KEY

try:
    from stage_timer import timed
except ImportError:  # pragma: no cover
    from contextlib import nullcontext as timed  # type: ignore


def write_variants(catalog, output_path: str, variants_dir: str) -> int:
    """Make the missing variants in the cache and copy each into the output (a file already there
    with the same bytes is left alone); how many."""
    folder = os.path.join(catalog.cache_folder, "variants") if catalog.cache_folder else tempfile.mkdtemp()
    target = os.path.join(output_path, variants_dir)
    os.makedirs(target, exist_ok=True)
    for source_path, fp, width in catalog.jobs:
        made = variants.make(source_path, fp, width, folder)
        copy_if_changed(made, os.path.join(target, os.path.basename(made)))
    if not catalog.cache_folder:
        shutil.rmtree(folder, ignore_errors=True)
    return len(catalog.jobs)


class GraphicsIndexGenerator(Generator):
    """Writes GRAPHICS_INDEX_SAVE_AS (default graphics/index.html) and the image variants."""

    def generate_context(self):
        pass  # the catalog is built in all_generators_finalized, once every post is read

    def generate_output(self, writer):
        catalog = self.context.get(CONTEXT_KEY)
        if catalog is None:
            return
        with timed("emit"):
            write_variants(catalog, self.output_path, self.settings["GRAPHICS_VARIANTS_DIR"].strip("/"))
            save_as = catalog.index_url
            if not save_as:
                return
            write_site_page(
                self, writer, save_as, "graphics_index",
                graphics=catalog.graphics,
            )
