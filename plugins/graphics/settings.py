"""The graphics plugin's settings and their defaults (listed in docs/settings.md)."""

from __future__ import annotations

from plugin_settings import receiver

DEFAULTS = {
    # Size budget of one image file, in bytes; a larger file is a warning.
    "GRAPHICS_MAX_BYTES": 1_000_000,
    # Pillow's pixel limit (None: Pillow's own, 89,478,485); an image over twice it is refused as a
    # decompression bomb (an error).
    "GRAPHICS_MAX_PIXELS": None,
    # CSS pixels of the content column (the theme's 46rem); wider files get a srcset.
    "GRAPHICS_CONTENT_WIDTH": 736,
    # Widths of the downscaled variants in a srcset (those below the file's own width).
    "GRAPHICS_SRCSET_WIDTHS": [480, 736, 1472],
    # The sizes attribute written with a srcset.
    "GRAPHICS_SIZES": "(min-width: 46rem) 46rem, 100vw",
    # Width of the gallery's thumbnails.
    "GRAPHICS_THUMB_WIDTH": 320,
    # Bits of 256 within which two files' perceptual hashes are the same picture (docs/graphics.md).
    "GRAPHICS_DHASH_THRESHOLD": 32,
    # Where the gallery is written; "" turns it off (and the reuse links).
    "GRAPHICS_INDEX_SAVE_AS": "graphics/index.html",
    # Where the variants and thumbnails are written.
    "GRAPHICS_VARIANTS_DIR": "graphics/variants",
}

# `initialized` receiver (module level: blinker keeps weak references).
apply = receiver(DEFAULTS)
