"""Link resolution (pure, no Pelican): an index of every post and page, built once.

`Index(entries, scheme, ...)` indexes the posts by source path, by URL path (url and
save_as, "x/" and "x/index.html" alike), by alias, and by normalised title, slug and file
name for wiki links. `Index.resolve(href, source)` then answers in O(1) (dictionary
look-ups) what a link points at; only a broken link costs more (one difflib search for the
closest key, cached).
"""

from __future__ import annotations

import difflib
import hashlib
import html
import pickle
import posixpath
import re
from dataclasses import dataclass, field
from typing import Any, Iterable
from urllib.parse import parse_qsl, unquote, urlsplit

from .text import normalize_key
from .urls import MARKER_RE, UrlScheme, display_like, looks_like_page, normalize_path, path_variants


@dataclass(eq=False)
class Entry:
    """One post or page, as the index sees it."""

    obj: Any  # the Pelican content object (anything in tests)
    source: str  # source path relative to the content folder, posix
    url: str  # site-relative URL
    save_as: str = ""
    title: str = ""
    slug: str = ""
    aliases: tuple[str, ...] = ()
    listed: bool = True  # published (or a hidden page): a valid outlink/backlink end
    wiki: bool = True  # findable by [[wiki link]] (drafts and translations are not)
    alias_line: int = 0

    @property
    def stem(self) -> str:
        return posixpath.splitext(posixpath.basename(self.source))[0]


@dataclass(frozen=True)
class Resolution:
    kind: str  # content | concept | external | static | known | ignored | broken | ambiguous
    target: Entry | None = None
    concept: tuple[str, str] | None = None  # ("tag" | "category", name)
    display: str = ""  # the target as the author wrote it
    suggestion: str | None = None
    candidates: tuple[Entry, ...] = ()
    fragment: str = ""  # "#x" of a wiki link, kept on the resolved URL
    by_query: bool = False  # matched by a query alias ("/?p=123"): the query is not kept
    static_source: str = ""  # a {filename} link to a static file: its source path

    @property
    def is_error(self) -> bool:
        return self.kind in ("broken", "ambiguous")

    def message(self) -> str:
        """The author error, `broken link to 'x' (did you mean 'y'?)`."""
        text = f"broken link to '{self.display}'"
        if self.kind == "ambiguous":
            listed = ", ".join(f"'{c.source}' ({c.title})" for c in self.candidates)
            return f"{text}: ambiguous, {len(self.candidates)} posts match: {listed}"
        if self.suggestion:
            text += f" (did you mean '{self.suggestion}'?)"
        return text


@dataclass
class Concept:
    kind: str  # "tag" or "category"
    name: str
    slug: str
    url: str


# The last index `Index.again` made, with the digest of its inputs.
_LAST: dict = {"key": None, "index": None}


@dataclass
class Index:
    entries: list[Entry]
    scheme: UrlScheme = field(default_factory=UrlScheme)
    concepts: Iterable[Concept] = ()
    static_sources: Iterable[str] = ()  # source paths of static files
    static_paths: Iterable[str] = ()  # their URLs
    static_files: dict[str, str] = field(default_factory=dict)  # URL -> source path (static_file)
    known_paths: Iterable[str] = ()  # other generated pages: index.html, archives.html …
    known_patterns: Iterable[str] = ()  # regexes over site paths (archives, plugin pages)
    failed_sources: Iterable[str] = ()  # source files Pelican could not read
    problems: list[tuple[Entry, int, str]] = field(default_factory=list)  # alias conflicts

    def __post_init__(self):
        self.by_source: dict[str, Entry | None] = {s: None for s in self.failed_sources}
        self.by_path: dict[str, Entry] = {}
        self.by_alias: dict[str, Entry] = {}
        self.by_alias_url: dict[str, Entry] = {}  # "host/path" of aliases on other hosts
        self.redirects: dict[str, Entry] = {}  # site path of each alias -> post
        # aliases with a query ("/?p=123"): (site path or "host/path", normalised query) -> post;
        # no page can be written for them, the home page redirects its own (query -> post)
        self.by_query: dict[tuple[str, str], Entry] = {}
        self.query_redirects: dict[str, Entry] = {}
        self.wiki: dict[str, list[Entry]] = {}
        self.wiki_display: dict[str, str] = {}
        self.concept_by_path: dict[str, tuple[str, str]] = {}
        self.concept_by_name: dict[tuple[str, str], str] = {}
        self.static_sources = set(self.static_sources)
        self.static_paths = {p for s in self.static_paths for p in path_variants(s)}
        self.static_by_path = {normalize_path(url): src for url, src in dict(self.static_files).items()}
        self.known_paths = {p for s in self.known_paths for p in path_variants(s)}
        self._known_re = re.compile("|".join(f"(?:{p})" for p in self.known_patterns)) \
            if self.known_patterns else None
        self._suggest_cache: dict[tuple[str, str], str | None] = {}
        self._keys: dict[str, Suggester] = {}
        self._resolved: dict[tuple, Resolution] = {}  # what `resolve` found, by what it depends on

        for entry in self.entries:
            self.by_source[entry.source] = entry
            for value in (entry.url, entry.save_as):
                if value:
                    for path in path_variants(value):
                        self.by_path.setdefault(path, entry)
        for concept in self.concepts:
            value = (concept.kind, concept.name)
            for path in path_variants(concept.url):
                self.concept_by_path.setdefault(path, value)
            self.concept_by_name.setdefault((concept.kind, normalize_key(concept.name)), concept.name)
            self.concept_by_name.setdefault((concept.kind, normalize_key(concept.slug)), concept.name)
        for entry in self.entries:
            self._add_aliases(entry)
            if entry.wiki:
                for key in {normalize_key(entry.title), normalize_key(entry.slug),
                            normalize_key(entry.stem), normalize_key(posixpath.basename(entry.source)),
                            normalize_key(entry.source), normalize_key(posixpath.splitext(entry.source)[0])}:
                    if not key:
                        continue
                    bucket = self.wiki.setdefault(key, [])
                    if entry not in bucket:
                        bucket.append(entry)
                self.wiki_display.setdefault(normalize_key(entry.title), entry.title)
                self.wiki_display.setdefault(normalize_key(entry.slug), entry.slug)

    @classmethod
    def again(cls, entries: list[Entry], **inputs) -> Index:
        """`Index(entries, **inputs)`; or, when the last index made here had the same inputs
        (a devserver's run before, with no title, URL, alias, tag or static file changed), that
        index, its entries bound to these entries' content objects: every link resolves as it
        did, and what it resolved then is not resolved again. `release()` before the next run."""
        inputs = {name: value if name in ("scheme", "static_files") else list(value) for name, value in inputs.items()}
        key = _inputs_key(entries, inputs)
        last = _LAST["index"]
        if last is not None and _LAST["key"] == key:
            for old, new in zip(last.entries, entries):
                old.obj = new.obj
            return last
        index = cls(entries, **inputs)
        _LAST.update(key=key, index=index)
        return index

    # -- aliases -----------------------------------------------------------------------------
    def _add_aliases(self, entry: Entry) -> None:
        for alias in entry.aliases:
            kind, value = self.scheme.classify(alias, "")
            query = query_key(alias)
            if query and kind in ("path", "external"):
                self._add_query_alias(entry, alias, kind, value, query)
                continue
            if kind == "path":
                site_path = value
            elif kind == "external":
                parts = urlsplit(alias)
                key = _url_key(alias)
                self._claim(self.by_alias_url, key, entry, alias)
                site_path = normalize_path(parts.path or "/")
            else:
                self.problems.append((entry, entry.alias_line, f"alias '{alias}' is not a URL of a page"))
                continue
            if not site_path:
                self.problems.append((entry, entry.alias_line,
                                      f"alias '{alias}' is the site's home page"))
                continue
            owner = self.by_path.get(site_path)
            if owner is not None and owner is not entry:
                self.problems.append((entry, entry.alias_line,
                                      f"alias '{alias}' is the URL of '{owner.source}'"))
                continue
            if owner is entry:
                continue  # the post's own URL: nothing to redirect
            if (site_path in self.known_paths or site_path in self.static_paths
                    or site_path in self.concept_by_path):
                self.problems.append((entry, entry.alias_line,
                                      f"alias '{alias}' is the URL of another page of the site"))
                continue
            if self._claim(self.by_alias, site_path, entry, alias):
                for variant in path_variants(site_path):
                    self.by_alias.setdefault(variant, entry)
                self.redirects.setdefault(site_path, entry)

    def _add_query_alias(self, entry: Entry, alias: str, kind: str, value, query: str) -> None:
        site_path = value if kind == "path" else normalize_path(urlsplit(alias).path or "/")
        keys = [(site_path, query)] + ([(_url_key(alias), query)] if kind == "external" else [])
        if all(self._claim(self.by_query, key, entry, alias) for key in keys):
            if site_path in ("", "index.html"):
                self.query_redirects.setdefault(query, entry)

    def _claim(self, table: dict, key, entry: Entry, alias: str) -> bool:
        owner = table.get(key)
        if owner is not None and owner is not entry:
            self.problems.append((entry, entry.alias_line,
                                  f"alias '{alias}' is also an alias of '{owner.source}'"))
            return False
        table[key] = entry
        return True

    # -- resolution --------------------------------------------------------------------------
    def resolve(self, href: str, source: Entry) -> Resolution:
        """What `href`, written in `source`'s post, points at. Remembered for this index: a link
        written the same way from the same folder (its source's folder for Pelican's `{…}`
        markers, its URL's folder too for the others) resolves the same (Resolution is frozen)."""
        folder = posixpath.dirname(source.source)
        if href[:1] in ("{", "|") and MARKER_RE.match(href.strip()):
            key = (href, folder)
        else:
            key = (href, folder, posixpath.dirname(source.url.lstrip("/")))
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = self._resolve(href, source)
        return found

    def _resolve(self, href: str, source: Entry) -> Resolution:
        kind, value = self.scheme.classify(href, source.url)
        if kind == "fragment" or kind == "other":
            return Resolution("ignored", display=href)
        query = query_key(href) if self.by_query and kind in ("path", "external") else ""
        if query:
            key = value if kind == "path" else _url_key(href)
            entry = self.by_query.get((key, query))
            if entry is not None:
                return Resolution("content", target=entry, display=href, by_query=True)
        if kind == "external":
            entry = self.by_alias_url.get(_url_key(href))
            if entry is not None:
                return Resolution("content", target=entry, display=href)
            return Resolution("external", display=href)
        if kind == "path":
            return self._resolve_path(value, href, source)
        if kind == "outside":
            best = self._suggest("path", posixpath.basename(value),
                                 lambda: list(self.by_path) + list(self.by_alias))
            suggestion = display_like(href, best, source.url, self.scheme) if best is not None else None
            return Resolution("broken", display=href, suggestion=suggestion)
        what, rest = value
        if what == "filename":
            return self._resolve_filename(rest, href, source)
        if what == "wiki":
            return self.resolve_wiki(unquote(rest))
        if what in ("tag", "category"):
            return self._resolve_concept(what, rest, href)
        if what in ("static", "attach"):
            return Resolution("static", display=href)
        return Resolution("known", display=href)  # {index}, {author}, unknown markers

    def static_file(self, href: str, source: Entry) -> tuple[str, str]:
        """What an image or file reference points at, for plugins that read the file:
        ("file", source path of the static file), ("missing", site path or source path it
        names), ("external", href) on another host, or ("other", href) (data:, fragments …).

        The same rules as links: {static}/{attach}/{filename} from the content folder or the
        post's folder, relative URLs from the post's URL, site-relative and absolute URLs on
        SITEURL or a legacy host.
        """
        kind, value = self.scheme.classify(href, source.url)
        if kind == "external":
            return "external", href
        if kind == "path":
            found = self.static_by_path.get(value)
            return ("file", found) if found is not None else ("missing", value)
        if kind == "outside":
            return "missing", value
        if kind != "marker" or value[0] not in ("static", "attach", "filename"):
            return "other", href
        base = posixpath.dirname(source.source)
        path = urlsplit(value[1]).path
        tries = [path, unquote(path), urlsplit(html.unescape(value[1])).path]
        keys = [c[1:] if c.startswith("/") else posixpath.normpath(posixpath.join(base, c)) for c in tries]
        for key in keys:
            if key in self.static_sources:
                return "file", key
        return "missing", keys[0]

    def _resolve_path(self, path: str, href: str, source: Entry) -> Resolution:
        for variant in path_variants(path):
            entry = self.by_path.get(variant)
            if entry is not None:
                return Resolution("content", target=entry, display=href)
            entry = self.by_alias.get(variant)
            if entry is not None:
                return Resolution("content", target=entry, display=href)
            concept = self.concept_by_path.get(variant)
            if concept is not None:
                return Resolution("concept", concept=concept, display=href)
            if variant in self.static_paths:
                return Resolution("static", display=href)
            if variant in self.known_paths or (self._known_re and self._known_re.fullmatch(variant)):
                return Resolution("known", display=href)
        paginated = re.sub(r"(\d+)(\.html?)$", r"\2", path)
        if paginated != path and (paginated in self.known_paths or paginated in self.concept_by_path):
            return Resolution("known", display=href)
        if not looks_like_page(path):
            return Resolution("ignored", display=href)  # an image or file: not a cross-link
        best = self._suggest("path", path, lambda: list(self.by_path) + list(self.by_alias))
        suggestion = display_like(href, best, source.url, self.scheme) if best is not None else None
        return Resolution("broken", display=href, suggestion=suggestion)

    def _resolve_filename(self, value: str, href: str, source: Entry) -> Resolution:
        written = value
        path = urlsplit(value).path
        base = posixpath.dirname(source.source)
        tries = [path, unquote(path), urlsplit(html.unescape(value)).path]
        for candidate in tries:
            if candidate.startswith("/"):
                key = candidate[1:]
            else:
                key = posixpath.normpath(posixpath.join(base, candidate)) if base else posixpath.normpath(candidate)
            if key in self.by_source:
                entry = self.by_source[key]
                if entry is None:  # Pelican could not read it
                    return Resolution("broken", display=written, suggestion=None)
                return Resolution("content", target=entry, display=written)
            if key in self.static_sources:
                return Resolution("static", display=written, static_source=key)
        key = path[1:] if path.startswith("/") else posixpath.normpath(posixpath.join(base, path))
        best = self._suggest("source", key, lambda: [k for k, v in self.by_source.items() if v is not None])
        suggestion = None
        if best is not None:
            suggestion = "/" + best if path.startswith("/") else posixpath.relpath(best, base or ".")
        return Resolution("broken", display=written, suggestion=suggestion)

    def resolve_wiki(self, target: str) -> Resolution:
        name, _, fragment = target.partition("#")
        key = normalize_key(name)
        found = self.wiki.get(key)
        if not found and key.endswith((" md", ".md")):
            found = self.wiki.get(key[:-3].rstrip(". "))
        fragment = "#" + fragment if fragment else ""
        if found and len(found) == 1:
            return Resolution("content", target=found[0], display=target, fragment=fragment)
        if found:
            candidates = tuple(sorted(found, key=lambda e: e.source))
            return Resolution("ambiguous", display=target, candidates=candidates)
        best = self._suggest("wiki", key, lambda: list(self.wiki))
        suggestion = None
        if best is not None:
            entries = self.wiki[best]
            suggestion = self.wiki_display.get(best) or (entries[0].title if entries else best)
        return Resolution("broken", display=target, suggestion=suggestion)

    def _resolve_concept(self, what: str, value: str, href: str) -> Resolution:
        name = unquote(urlsplit(value).path)
        found = self.concept_by_name.get((what, normalize_key(name)))
        if found is not None:
            return Resolution("concept", concept=(what, found), display=href)
        best = self._suggest(what, normalize_key(name),
                             lambda: [k for (kind, k) in self.concept_by_name if kind == what])
        suggestion = None
        if best is not None:
            suggestion = "{" + what + "}" + self.concept_by_name[(what, best)]
        return Resolution("broken", display=href, suggestion=suggestion)

    def _suggest(self, kind: str, query: str, keys) -> str | None:
        cache_key = (kind, query)
        if cache_key not in self._suggest_cache:
            if kind not in self._keys:
                self._keys[kind] = Suggester(keys())
            self._suggest_cache[cache_key] = self._keys[kind].best(query)
        return self._suggest_cache[cache_key]


class Suggester:
    """The closest key to a misspelt one (difflib ratio >= 0.6), fast on many keys.

    difflib over every key costs O(keys) SequenceMatcher runs per query; here a trigram
    index (built on the first query) keeps the 32 keys sharing most trigrams with the query
    (trigrams found in more than 5% of the keys, like ".ht", are skipped), and difflib only
    compares those.
    """

    SHORTLIST = 32

    def __init__(self, keys):
        self.keys = sorted(set(keys))
        self._grams: dict[str, list[int]] | None = None

    @staticmethod
    def trigrams(text: str) -> set[str]:
        text = f"  {text.casefold()} "
        return {text[i:i + 3] for i in range(len(text) - 2)}

    def best(self, query: str) -> str | None:
        if not self.keys or not query:
            return None
        candidates = self.keys
        if len(self.keys) > self.SHORTLIST:
            if self._grams is None:
                grams: dict[str, list[int]] = {}
                for i, key in enumerate(self.keys):
                    for gram in self.trigrams(key):
                        grams.setdefault(gram, []).append(i)
                self._grams = grams
            limit = max(self.SHORTLIST, len(self.keys) // 20)
            counts: dict[int, int] = {}
            for gram in self.trigrams(query):
                posting = self._grams.get(gram, ())
                if len(posting) > limit:
                    continue
                for i in posting:
                    counts[i] = counts.get(i, 0) + 1
            ranked = sorted(counts, key=lambda i: (-counts[i], i))[: self.SHORTLIST]
            candidates = [self.keys[i] for i in sorted(ranked)]
        matches = difflib.get_close_matches(query, candidates, n=1, cutoff=0.6)
        return matches[0] if matches else None


def _url_key(url: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.lower()
    host = host[4:] if host.startswith("www.") else host
    return host + "/" + normalize_path(parts.path or "/")


def query_key(url: str) -> str:
    """The query of a URL, normalised ("b=2&a=1" -> "a=1&b=2"); "" when it has none."""
    query = urlsplit(url.strip()).query
    if not query:
        return ""
    return "&".join(f"{k}={v}" for k, v in sorted(parse_qsl(query, keep_blank_values=True)))


def _inputs_key(entries: list[Entry], inputs: dict) -> bytes:
    """A digest of everything an Index's resolutions depend on: each entry but its content
    object, and the other inputs (concepts, static files, known pages, URL rules)."""
    rows = [(e.source, e.url, e.save_as, e.title, e.slug, tuple(e.aliases), e.listed, e.wiki, e.alias_line)
            for e in entries]
    scheme = inputs.get("scheme")
    other = {name: (value if name != "static_files" else sorted(dict(value).items()))
             for name, value in sorted(inputs.items()) if name != "scheme"}
    other["concepts"] = [(c.kind, c.name, c.slug, c.url) for c in other.get("concepts", [])]
    rules = (scheme.siteurl, tuple(scheme.legacy_hosts), scheme.relative_to_root) if scheme is not None else None
    return hashlib.blake2b(pickle.dumps((rows, other, rules), protocol=pickle.HIGHEST_PROTOCOL),
                           digest_size=16).digest()


def release() -> None:
    """A new run starts: the last index lets its content objects go (it keeps their sources)."""
    index = _LAST["index"]
    if index is not None:
        for entry in index.entries:
            entry.obj = None
