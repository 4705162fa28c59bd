"""Cross-links: every link between posts found, resolved, checked, and shown as backlinks.

Stages (see docs/crosslinks.md):
- read (per post): `extension.CrossLinksExtension`, added to MARKDOWN's extensions at
  `initialized`, records each post's links with line and context (`ln_links`) and turns
  `[[wiki links]]` into placeholders;
- build (once, `all_generators_finalized`): `build.build` resolves every link through an
  index built once, reports broken ones, attaches `outlinks`, `backlinks`,
  `concept_links`, `citations` (model.py) to every post and page;
- emit: `redirects.RedirectGenerator` writes a redirect page for every alias; the theme's
  partials/backlinks.html and partials/citations.html render the data.
"""

from __future__ import annotations

from pelican import signals

# Sibling plugins (post_data, author_report, stage_timer) are imported by top-level name:
# pelicanconf.py puts the plugins folder on sys.path.
from .model import Backlink, Citation, OutLink
from .settings import apply as apply_settings

__all__ = ["register", "OutLink", "Backlink", "Citation"]


def add_extension(pelican) -> None:
    from .extension import CrossLinksExtension

    apply_settings(pelican)  # first: blinker calls a signal's receivers in no set order
    from post_data import use_extension  # noqa: PLC0415

    settings = pelican.settings
    use_extension(settings, CrossLinksExtension(context_chars=int(settings["CROSSLINKS_CONTEXT_CHARS"])))


def run_build(generators) -> None:
    from stage_timer import timed  # noqa: PLC0415

    from .build import build

    with timed("build"):
        build(generators)


def release_index(_pelican=None) -> None:
    """`get_generators` (a run starts): the index kept from the run before (Index.again) lets
    that run's posts go before this run makes its own."""
    from .resolver import release

    release()


def get_generators(pelican):
    from .redirects import RedirectGenerator

    return RedirectGenerator


def register():
    import post_data  # noqa: PLC0415

    post_data.register()
    signals.initialized.connect(add_extension)
    signals.all_generators_finalized.connect(run_build)
    signals.get_generators.connect(get_generators)
    signals.get_generators.connect(release_index)
