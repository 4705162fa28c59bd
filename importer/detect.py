"""Parse stage: read an export file safely (defusedxml) and tell which format it is.

Refuses entity expansion, external entities and malformed XML with `FILE:LINE: error: ...`.
Blogger's classic export uses the `app:` prefix without declaring it; the declaration is
added to the root's start tag, on the same line, so every line number stays right.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import defusedxml
import defusedxml.ElementTree as DET

from .model import RefusedFile

ATOM = "http://www.w3.org/2005/Atom"
BLOGGER_2018 = "http://schemas.google.com/blogger/2018"
BLOGGER_KIND = "http://schemas.google.com/blogger/2008/kind#"
APP = "http://www.w3.org/2007/app"
WXR_RE = re.compile(r"^https?://wordpress\.(?:org|com)/export/1\.[0-2]/$")

_ROOT_TAG_RE = re.compile(rb"<(?![?!])([A-Za-z_][\w.\-]*(?::[\w.\-]+)?)")


def declare_app_prefix(data: bytes) -> bytes:
    """Declare `xmlns:app` on the root element when the file uses `app:` without declaring it."""
    if b"<app:" not in data or b"xmlns:app=" in data:
        return data
    m = _ROOT_TAG_RE.search(data)
    if not m:
        return data
    return data[: m.end()] + b' xmlns:app="' + APP.encode() + b'"' + data[m.end():]


def _line_of(data: bytes, needle: bytes) -> int:
    pos = data.find(needle)
    return data.count(b"\n", 0, pos) + 1 if pos >= 0 else 1


def parse_xml(data: bytes, path: str) -> ET.Element:
    """The root element, or RefusedFile naming the line of the problem."""
    data = declare_app_prefix(data)
    try:
        return DET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.EntitiesForbidden as exc:
        raise RefusedFile(path, _line_of(data, b"<!ENTITY"),
                          f"refused: the file declares an XML entity ('{exc.name}'); "
                          "entity expansion is not allowed in an export") from None
    except (defusedxml.ExternalReferenceForbidden, defusedxml.DTDForbidden) as exc:
        raise RefusedFile(path, _line_of(data, b"<!DOCTYPE"),
                          f"refused: the file refers to an external resource ({exc.__class__.__name__})") from None
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else 1
        reason = str(exc).split(":")[0]
        if "no element found" in str(exc) or "unclosed token" in str(exc):
            reason = f"{reason}: the file is truncated or malformed"
        raise RefusedFile(path, line, f"not well-formed XML: {reason}") from None


def wxr_namespace(root: ET.Element) -> str | None:
    """The WordPress export namespace the file uses, in whichever spelling."""
    for el in root.iter():
        tag = el.tag
        if isinstance(tag, str) and tag.startswith("{"):
            ns = tag[1:].split("}", 1)[0]
            if WXR_RE.match(ns):
                return ns
    return None


def detect(root: ET.Element) -> str | None:
    """'blogger-takeout', 'blogger-classic', 'wordpress', or None for anything else."""
    if root.tag == f"{{{ATOM}}}feed":
        for el in root.iter():
            if isinstance(el.tag, str) and el.tag.startswith(f"{{{BLOGGER_2018}}}"):
                return "blogger-takeout"
        for cat in root.iter(f"{{{ATOM}}}category"):
            if cat.get("term", "").startswith(BLOGGER_KIND):
                return "blogger-classic"
        return None
    if root.tag == "rss" and wxr_namespace(root):
        return "wordpress"
    return None


def load(path: str) -> tuple[str, ET.Element]:
    """Read, parse and detect `path`: (format, root) or RefusedFile."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise RefusedFile(path, 0, f"cannot read the export: {exc.strerror}") from None
    root = parse_xml(data, path)
    fmt = detect(root)
    if fmt is None:
        raise RefusedFile(path, 1, "not a Blogger or WordPress export: expected Google Takeout's "
                          "Blogger feed.atom, Blogger's 'Back up content' Atom, or a WordPress WXR file")
    return fmt, root
