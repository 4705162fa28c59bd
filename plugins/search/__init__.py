"""Search: full-text search (Pagefind) and the A-Z index (docs/search.md).

Emit stage only: `search.html` (the form, the filters and a small script over Pagefind's JS API),
`a-z.html` (every concept, post and page title, like the back of a book), then the Pagefind index
of the written posts and pages (`OUTPUT_PATH/pagefind/`). Each is a generator from
`get_generators`; `register()` only wires signals.
"""

from __future__ import annotations

from pelican import signals

from .settings import apply as apply_settings


def get_generators(pelican):
    from .index import SearchIndex  # noqa: PLC0415
    from .pages import AZPage, SearchPage  # noqa: PLC0415

    return (SearchPage, AZPage, SearchIndex)


def register():
    signals.initialized.connect(apply_settings)
    signals.get_generators.connect(get_generators)
