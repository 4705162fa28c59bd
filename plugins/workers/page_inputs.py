"""A page's inputs, as one digest: when it equals the digest from the run before, the page on disk
is what rendering would write again, so a devserver rebuild leaves it alone.

What a page reads is its template's variables (the template, the templates it extends, includes
and imports, found by Jinja's own `meta` analysis) looked up in the page's context. Their values
are pickled with every post or page in them replaced by a reference (its source path); each post
or page referred to then counts with its *plain* state: its text, numbers, dates, metadata,
category, tags, authors and summary, which is what a listing, a backlink or a related list shows
of it. A post's own page counts its *full* state as well: every attribute, including what the
build stage attached (backlinks with their context, related posts, local graph, previews), with
the plain state of every post those name. So a body edit gives new digests to the edited post's
page, the pages of the posts it links to and that link to it, and the listings that show it; a
title, date or link edit changes the attachments of other posts too, and their pages follow.
The theme shows no more of a post other than the page's own (an assumption this rests on: a
template that showed, say, a listed post's backlinks would need its full state).

A value with a `page_inputs(localcontext)` method (the concept graph, `context["concept_graph"]`)
counts as what that method returns for the page: the whole site graph is not an input of every
page, only its part the page's template reads. Pelican's paginator counts as its numbers (each
page's own posts are in `articles_page`). The settings, and the stamps of the theme's template
files, are in every digest. A value that cannot be pickled, or a template whose includes are not
known before rendering (`{% include name_in_a_variable %}`), gives no digest: that page is
always rendered.

One `Digests` object serves one run; the digests of the run before are the writer's. A wrong
digest could only leave a page stale, so tests/test_incremental.py compares every rebuild with a
cold build, byte for byte, for fourteen kinds of edit.
"""

from __future__ import annotations

import copyreg
import datetime
import hashlib
import io
import os
import pickle
import types
from dataclasses import dataclass

from jinja2 import BytecodeCache, Environment, meta
from markdown.extensions import Extension
from pelican.contents import Content
from pelican.paginator import Page as ListingPage
from pelican.paginator import Paginator
from pelican.urlwrappers import URLWrapper

# A content object's attributes that are not its own state: the generator's shared context (every
# post) and the settings (in every digest already).
NOT_STATE = frozenset({"_context", "settings"})
PLAIN_TYPES = (str, int, float, bool, type(None), datetime.date, datetime.time, dict, URLWrapper)
# Counted by their name, not their state: code, Jinja's machinery (the compiled-template cache
# compute_once puts in JINJA_ENVIRONMENT fills up as pages render) and Markdown extensions in the
# MARKDOWN setting (they collect what each read finds; their configuration comes from settings).
REFERENCE_TYPES = (types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType, type,
                   BytecodeCache, Environment, Extension)


def _hash(*parts: bytes) -> bytes:
    """One digest of several byte strings (pickled together: where one ends is part of it)."""
    return hashlib.blake2b(pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL), digest_size=16).digest()


@dataclass
class State:
    full: bytes
    plain: bytes
    named: list


class _Unknown(Exception):
    """A page input that has no digest."""


def _plain(value) -> bool:
    """An attribute a page may show of a post other than its own: text, numbers, dates, the
    metadata, a category, tags, authors, the summary (`get_summary`, installed on the post)."""
    if isinstance(value, (list, tuple)):
        return all(isinstance(item, (str, URLWrapper)) for item in value)
    return isinstance(value, PLAIN_TYPES) or callable(value)


def _ref(*parts):
    """What a reference unpickles to (digests are never unpickled; pickle wants a callable)."""
    return parts


def _subclasses(*classes) -> list[type]:
    found, todo = [], list(classes)
    while todo:
        cls = todo.pop()
        if cls not in found:
            found.append(cls)
            todo += cls.__subclasses__()
    return found


class _SettingsPickler(pickle.Pickler):
    """Pickles the settings once per run, with code and Jinja's and Markdown's machinery as names."""

    def __init__(self, file):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.fast = True  # no memo: see Digests._pickled

    def persistent_id(self, obj):
        if isinstance(obj, REFERENCE_TYPES):
            return ("ref", getattr(obj, "__module__", None),
                    getattr(obj, "__qualname__", getattr(obj, "__name__", type(obj).__qualname__)))
        return None


class Digests:
    """The digests of one run's pages (`page`). `settings`: the run's settings."""

    def __init__(self, settings: dict):
        self.states: dict[int, State] = {}  # id(content) -> its state
        self.values: dict[int, bytes] = {}  # id(value) -> digest, for values shared between pages
        self.keep: list = []  # the values digested by identity, kept alive while `values` holds their ids
        self._named: list = []  # the contents the pickle being made refers to
        self.dispatch = self._dispatch_table()
        try:
            self.site = self._site(settings)
        except Exception:  # noqa: BLE001 (settings that do not pickle: no page has a digest)
            self.site = None

    # --- the parts -----------------------------------------------------------------------------

    def _dispatch_table(self) -> dict:
        """How the pickles of page inputs write posts, pages, categories, tags, authors and
        listings: as references (by class, so pickle calls no Python code for anything else)."""
        named = self._named

        def content(obj):
            named.append(obj)
            return _ref, ("content", type(obj).__name__, getattr(obj, "source_path", None) or id(obj))

        def wrapper(obj):  # a category, tag or author: its URL follows from these and the settings
            return _ref, ("wrapper", type(obj).__name__, obj.name, obj.slug)

        def paginator(obj):  # its numbers (each listing page's own posts are in its Page)
            return _ref, ("paginator", obj.name, obj.per_page, obj.orphans, obj.count, obj.num_pages)

        def listing_page(obj):  # a listing page: its posts, number and URLs (not its settings)
            return _ref, ("listing", obj.name, obj.number, tuple(obj.object_list), obj.url, obj.save_as)

        table = dict(copyreg.dispatch_table)
        for kinds, reduce in ((_subclasses(Content), content), (_subclasses(URLWrapper), wrapper),
                              (_subclasses(Paginator), paginator), (_subclasses(ListingPage), listing_page)):
            table.update(dict.fromkeys(kinds, reduce))
        return table

    def _pickled(self, value) -> tuple[bytes, list]:
        """(pickle of `value`, the posts and pages it refers to)."""
        buf = io.BytesIO()
        pickler = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = self.dispatch
        # No memo: equal values give equal bytes whichever of their parts happen to be one object
        # (a copy of a post from kept_contents shares its strings differently). A value with a
        # cycle (not through a post) then has no digest.
        pickler.fast = True
        self._named.clear()
        try:
            pickler.dump(value)
        except Exception as exc:  # noqa: BLE001 (anything that does not pickle has no digest)
            raise _Unknown(repr(exc)) from exc
        return buf.getvalue(), list(self._named)

    def state(self, content) -> State:
        """A post's or page's state: all its attributes (`full`), its plain ones (`plain`), and the
        posts and pages its attributes name."""
        found = self.states.get(id(content))
        if found is None:
            attributes = {k: v for k, v in sorted(vars(content).items()) if k not in NOT_STATE}
            full, named = self._pickled((type(content).__qualname__, attributes))
            plain, _ = self._pickled({k: v for k, v in attributes.items() if _plain(v)})
            found = self.states[id(content)] = State(_hash(full), _hash(plain), named)
            self.keep.append(content)
        return found

    def _value(self, value) -> bytes:
        data, named = self._pickled(value)
        return _hash(data, *(self.state(c).plain for c in named))

    def value(self, value) -> bytes:
        """Digest of a value a page reads: its pickle and the plain state of every post it names
        (kept by identity for this run: the shared lists are digested once)."""
        if isinstance(value, (str, int, float, bool, type(None))):
            return _hash(repr(value).encode())
        found = self.values.get(id(value))
        if found is None:
            found = self.values[id(value)] = self._value(value)
            self.keep.append(value)
        return found

    def _site(self, settings) -> bytes:
        """The settings and the theme's template files (path, size, modification time)."""
        buf = io.BytesIO()
        _SettingsPickler(buf).dump(dict(sorted(settings.items())))
        parts = [buf.getvalue()]
        folders = [os.path.join(settings.get("THEME", ""), "templates"),
                   *(settings.get("THEME_TEMPLATES_OVERRIDES") or [])]
        for folder in folders:
            for dirpath, dirnames, filenames in os.walk(folder):
                dirnames.sort()
                for name in sorted(filenames):
                    path = os.path.join(dirpath, name)
                    st = os.stat(path)
                    parts.append(f"{path}\0{st.st_size}\0{st.st_mtime_ns}".encode())
        return _hash(*parts)

    def template_variables(self, template) -> frozenset[str] | None:
        """The top-level names a template and every template it uses may read; None when a used
        template is only known at render time. Kept for the process while the template files
        and the settings stay the same (parsing them all takes about a second)."""
        key = (self.site, template.name)
        if key not in _VARIABLES:
            _VARIABLES[key] = _variables(template.environment, template.name)
        return _VARIABLES[key]

    # --- a page ----------------------------------------------------------------------------------

    def page(self, template, localcontext: dict, own=None, extra: str = "") -> bytes | None:
        """The digest of a page's inputs (None: no digest; render it). `own`: the post or page
        whose own page this is; `extra`: anything else that names the page (its path)."""
        names = self.template_variables(template)
        if names is None or self.site is None:
            return None
        parts = [self.site, template.name.encode(), extra.encode()]
        try:
            for name in sorted(names & localcontext.keys()):
                value = localcontext[name]
                page_inputs = getattr(value, "page_inputs", None)
                if callable(page_inputs) and not isinstance(value, type):
                    part = page_inputs(localcontext)
                    if part is None:  # the page reads all of it
                        return None
                    # its parts are shared between pages (a concept's view by all its listing pages)
                    digest = _hash(*map(self.value, part)) if isinstance(part, tuple) else self._value(part)
                else:
                    digest = self.value(value)
                parts += [name.encode(), digest]
            if own is not None:
                state = self.state(own)
                parts += [b"own", state.full, *(self.state(c).plain for c in state.named)]
        except _Unknown:
            return None
        return _hash(*parts)


_VARIABLES: dict[tuple, frozenset[str] | None] = {}


def _variables(env, name: str) -> frozenset[str] | None:
    seen, names, todo = set(), set(), [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            source = env.loader.get_source(env, current)[0]
        except Exception:  # noqa: BLE001 (`include … ignore missing` of a template that is not there)
            continue
        tree = env.parse(source)
        names |= meta.find_undeclared_variables(tree)
        for used in meta.find_referenced_templates(tree):
            if used is None:
                return None
            todo.append(used)
    return frozenset(names)
