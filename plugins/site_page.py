"""Emit stage: write one site-wide page (the map, reading paths, diagram index, gallery, search, A–Z).

Each plugin's page is a Pelican `Generator` (returned from `get_generators`) whose
`generate_output` calls this, so every such page is written the same way Pelican writes its own
direct templates: through the writer, with the site's RELATIVE_URLS, at its SAVE_AS.
"""

from __future__ import annotations


def write_site_page(generator, writer, save_as: str, template: str, **values) -> None:
    """Render `template` with the generator's context plus `values` into `save_as`."""
    writer.write_file(
        save_as,
        generator.get_template(template),
        generator.context,
        relative_urls=generator.settings.get("RELATIVE_URLS", False),
        override_output=True,
        url=save_as,
        page_name=save_as.rsplit(".", 1)[0],
        **values,
    )
