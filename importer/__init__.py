"""Importer: a Blogger or WordPress export file -> Markdown posts, pages and comments in content/.

Stages, each one module:
- parse: `detect.load` (safe XML, format detection) then `blogger.parse` or `wordpress.parse`
  -> an `model.Export` of `Item`s and `Comment`s;
- transform (pure): `links.LinkMap` rewrites links between imported items to `{filename}`
  links, `images` fetches or finds the old blog's images, `convert` turns HTML to Markdown,
  `comments` sanitises and threads comments;
- write: `write.write_all` writes into a temporary folder and moves the files in when complete;
  `report` prints the problems and the contract's last line.

Run with `python -m importer EXPORT_FILE` or `make import EXPORT=FILE` (docs/import.md).
"""
