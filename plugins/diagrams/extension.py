"""Python-Markdown extension: fenced diagram blocks -> accessible inline SVG figures (read stage).

The preprocessor runs at priority 28: after whitespace normalisation (30) and before the
meta extension (27) strips the header and before fenced_code (25) sees the blocks, so list
index + 1 is the line in the source file. Each block is replaced by an htmlStash placeholder
followed by blank lines, keeping the line count for later preprocessors.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from . import figure, files
from . import loops as loops_mod
from .settings import DEFAULTS
from .spec import DEFAULT_MAX_NODES, Problem, SpecError, load

FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*?)[ \t]*$")
BLOCK_TYPES = ("intermediary", "causal-loop", "concept-map", "cycle", "diagram")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9][A-Za-z0-9_.-]*)*$")
RENDER_VERSION = "1"  # bump when the renderers change output for the same spec
ANCHOR_TOKEN = "dgANCHORTOKEN"

try:  # stage timing is optional (plugins/stage_timer)
    from stage_timer import timed
except ImportError:  # pragma: no cover
    from contextlib import nullcontext as timed  # type: ignore


def _post_data(md):
    try:
        from post_data import post_data_of  # noqa: PLC0415
    except ImportError:  # pragma: no cover
        data = getattr(md, "post_data", None)
        if data is None:
            data = md.post_data = {}
        return data
    return post_data_of(md)


def _add_problem(md, line, level, message):
    try:
        from post_data import add_problem  # noqa: PLC0415
    except ImportError:  # pragma: no cover
        _post_data(md).setdefault("read_problems", []).append((line, level, message))
        return
    add_problem(md, line, level, message)


def file_digest(content_path: str, diagrams_dir: str, name: str) -> str:
    """SHA-256 of content/diagrams/NAME.yaml (or .yml); "" when there is no such file.

    Posts record the digests of the files they use, so a cached post is read again when
    one of its diagram files changes (see `invalidate_cache` in __init__.py).
    """
    path = files.find(content_path, diagrams_dir, name)
    if path is None:
        return ""
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return ""


class DiagramsExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "content_path": ["", "The content folder (settings PATH); diagrams live in its diagrams/ folder"],
            "diagrams_dir": [DEFAULTS["DIAGRAMS_DIR"], "Folder of reusable diagrams, relative to content_path"],
            "max_loops": [loops_mod.DEFAULT_MAX_LOOPS, "Feedback loops listed per diagram, at most"],
            "max_loop_length": [loops_mod.DEFAULT_MAX_LOOP_LENGTH, "Longest feedback loop searched, in links"],
            "max_nodes": [DEFAULT_MAX_NODES, "Nodes per diagram, at most"],
        }
        super().__init__(**kwargs)
        self.render_cache: dict[str, figure.Built] = {}
        self.file_cache: dict[tuple, object] = {}

    def extendMarkdown(self, md):  # noqa: N802 (Markdown API)
        md.preprocessors.register(DiagramPreprocessor(md, self), "diagrams", 28)
        md.registerExtension(self)

    def reset(self):
        pass

    # --- pure-ish services used by the preprocessor -------------------------------------

    def settings(self):
        return {k: self.getConfig(k) for k in self.config}

    def build(self, spec):
        cfg = self.settings()
        key = hashlib.sha256(
            f"{RENDER_VERSION}|{cfg['max_loops']}|{cfg['max_loop_length']}|{spec.canonical()}".encode()
        ).hexdigest()
        built = self.render_cache.get(key)
        if built is None:
            built = figure.build(spec, int(cfg["max_loops"]), int(cfg["max_loop_length"]))
            self.render_cache[key] = built
        return built, key

    def load_file(self, name: str):
        """content/diagrams/NAME.yaml -> (spec, relative file path); raises SpecError/FileNotFoundError."""
        base = os.path.realpath(os.path.join(self.getConfig("content_path") or ".", self.getConfig("diagrams_dir")))
        path = files.find(self.getConfig("content_path"), self.getConfig("diagrams_dir"), name)
        if path is None:
            raise FileNotFoundError(files.stem(name))
        real = os.path.realpath(path)
        if not real.startswith(base + os.sep):
            raise PermissionError(files.stem(name))
        stat = os.stat(real)
        ckey = (real, stat.st_mtime_ns, stat.st_size, str(self.getConfig("max_nodes")))
        if ckey not in self.file_cache:
            rel = f"{self.getConfig('diagrams_dir')}/{os.path.relpath(real, base).replace(os.sep, '/')}"
            try:
                with open(real, encoding="utf-8") as fh:
                    text = fh.read()
                result = load(text, None, max_nodes=int(self.getConfig("max_nodes")))
                if isinstance(result, tuple):
                    raise SpecError([Problem(result[2], "a diagram file cannot 'use:' another")])
                self.file_cache[ckey] = (result, rel)
            except SpecError as exc:
                self.file_cache[ckey] = (exc, rel)
            except (OSError, UnicodeDecodeError) as exc:
                self.file_cache[ckey] = (SpecError([Problem(0, f"cannot read: {exc}")]), rel)
        value, rel = self.file_cache[ckey]
        if isinstance(value, SpecError):
            raise SpecError([type(p)(p.line, f"{rel}:{p.line}: {p.message}" if p.line else f"{rel}: {p.message}")
                             for p in value.problems])
        return value, rel

    def known_names(self) -> list[str]:
        base = os.path.join(self.getConfig("content_path") or ".", self.getConfig("diagrams_dir"))
        names = []
        for root, _dirs, names_here in os.walk(base):
            for fn in names_here:
                if fn.endswith(files.EXTENSIONS):
                    rel = os.path.relpath(os.path.join(root, fn), base).replace(os.sep, "/")
                    names.append(rel.rsplit(".", 1)[0])
        return sorted(names)


class DiagramPreprocessor(Preprocessor):
    def __init__(self, md, ext: DiagramsExtension):
        super().__init__(md)
        self.ext = ext

    def run(self, lines):
        with timed("read"):
            return self._run(lines)

    def _line_offset(self, lines) -> int:
        """Lines a preprocessor above us removed from the top of the file (normally 0)."""
        source = _post_data(self.md).get("source_path")
        if not source or not os.path.isfile(source):
            return 0
        try:
            with open(source, encoding="utf-8-sig") as fh:
                original = fh.read().replace("\r\n", "\n").replace("\r", "\n").split("\n")
        except (OSError, UnicodeDecodeError):
            return 0
        seen = len(lines)
        while seen and not lines[seen - 1].strip():
            seen -= 1
        total = len(original)
        while total and not original[total - 1].strip():
            total -= 1
        return max(0, total - seen)

    def _run(self, lines):
        out: list[str] = []
        i = 0
        n_block = 0
        offset = None
        data = _post_data(self.md)
        while i < len(lines):
            m = FENCE.match(lines[i])
            if not m:
                out.append(lines[i])
                i += 1
                continue
            fence, info = m.group("fence"), m.group("info")
            word = info.split()[0].strip("{}.") if info.split() else ""
            end = self._closing(lines, i + 1, fence)
            if word.lower().replace("_", "-") in BLOCK_TYPES:
                word = word.lower().replace("_", "-")  # ```Causal_Loop works too
            elif word and end is not None and self._looks_like_diagram(word, lines[i + 1:end]):
                close = difflib.get_close_matches(word.lower(), BLOCK_TYPES, n=1, cutoff=0.7)[0]
                _add_problem(self.md, i + 1 + (offset if offset is not None else self._line_offset(lines)),
                             "warning", f"```{word} is shown as code: did you mean ```{close}?")
            if word not in BLOCK_TYPES:
                # Some other fenced block (code): copy it untouched, diagrams inside are examples.
                stop = len(lines) if end is None else end + 1
                out.extend(lines[i:stop])
                i = stop
                continue
            if offset is None:
                offset = self._line_offset(lines)
            n_block += 1
            first = i + 1 + offset  # file line of the opening fence
            if end is None:
                self._fail([(first, f"```{word} block is never closed (add a line with {fence})")], out, 1)
                i += 1
                continue
            indent = len(m.group("indent"))
            body = "\n".join(line[indent:] if line[:indent].strip() == "" else line for line in lines[i + 1:end])
            html = self._block(word, body, first, n_block, data)
            out.append("")
            out.append(self.md.htmlStash.store(html))
            out.extend([""] * max(1, end - i - 1))
            i = end + 1
        return out

    @staticmethod
    def _looks_like_diagram(word: str, body: list[str]) -> bool:
        """A misspelt diagram type (```causal-loops) on a block that has a `title:` line."""
        if not difflib.get_close_matches(word.lower(), BLOCK_TYPES, n=1, cutoff=0.7):
            return False
        return any(line.startswith(("title:", "use:")) for line in body)

    @staticmethod
    def _closing(lines, start, fence):
        char, size = fence[0], len(fence)
        pat = re.compile(rf"^ {{0,3}}{re.escape(char)}{{{size},}}[ \t]*$")
        for j in range(start, len(lines)):
            if pat.match(lines[j]):
                return j
        return None

    def _fail(self, problems, out=None, nlines=0):
        for line, message in problems:
            _add_problem(self.md, line, "error", message)
        html = figure.error_html([f"line {line}: {message}" if line else message for line, message in problems])
        if out is not None:
            out.append("")
            out.append(self.md.htmlStash.store(html))
            out.append("")
        return html

    def _block(self, word: str, body: str, first: int, n_block: int, data) -> str:
        """One diagram block -> figure HTML (or an error box); records the diagram on the post."""
        try:
            return self._block_inner(word, body, first, n_block, data)
        except Exception as exc:  # noqa: BLE001 - a bug must not break the build; it is reported
            return self._fail([(first, f"internal error while drawing this diagram ({type(exc).__name__}: {exc}); "
                                       "please report it")])

    def _block_inner(self, word, body, first, n_block, data):
        max_nodes = int(self.ext.getConfig("max_nodes"))
        use = used_file = None  # used_file: the `use:`d file, relative to the content folder
        try:
            result = load(body, None if word == "diagram" else word, max_nodes=max_nodes, allow_use=word == "diagram")
        except SpecError as exc:
            return self._fail([(first + p.line if p.line else first, p.message) for p in exc.problems])
        if isinstance(result, tuple):
            _, name, rel_line = result
            use_line = first + rel_line
            problem = self._check_name(name)
            if problem:
                return self._fail([(use_line, problem)])
            data.setdefault("diagram_files", {})[name] = file_digest(
                self.ext.getConfig("content_path"), self.ext.getConfig("diagrams_dir"), name)
            try:
                spec, used_file = self.ext.load_file(name)
            except FileNotFoundError:
                names = self.ext.known_names()
                close = difflib.get_close_matches(name, names, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else (
                    f" (known: {', '.join(names)})" if names else "")
                return self._fail([(use_line, f"no diagram file content/{self.ext.getConfig('diagrams_dir')}/"
                                              f"{name}.yaml{hint}")])
            except PermissionError:
                return self._fail([(use_line, f"use: '{name}' points outside content/diagrams/")])
            except SpecError as exc:
                return self._fail([(use_line, p.message) for p in exc.problems])
            use = files.stem(name)
            line_of = lambda _l: use_line  # noqa: E731 - problems of a used file point at the use: line
        else:
            spec, used_file = result, None
            line_of = lambda rel: first + rel if rel else first  # noqa: E731
        built, key = self.ext.build(spec)
        for rel, message in built.warnings:
            _add_problem(self.md, line_of(rel), "warning", message if not use else f"{used_file}: {message}")
        if built.problems:
            return self._fail([(line_of(rel), message if not use else f"{used_file}:{rel}: {message}")
                               for rel, message in built.problems])
        id_prefix = f"dg{n_block}-{key[:6]}"
        anchor = f"diagram-{n_block}"
        html = figure.figure_html(spec, built, figure.ID_TOKEN, ANCHOR_TOKEN, used=use)
        self._record(spec, use, used_file, first, n_block, html, data, line_of)
        return html.replace(figure.ID_TOKEN, id_prefix).replace(ANCHOR_TOKEN, anchor)

    @staticmethod
    def _check_name(name: str) -> str | None:
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
            return f"use: '{name}' must be a name in content/diagrams/, not an absolute path"
        if ".." in name.replace("\\", "/").split("/") or "\\" in name:
            return f"use: '{name}' may not leave content/diagrams/ ('..' is refused)"
        if not NAME_RE.match(name):
            return f"use: '{name}' is not a diagram name (letters, digits, '-', '_', '/' between folders)"
        return None

    def _record(self, spec, use, used_file, first, n_block, html, data, line_of):
        source = data.get("source_path") or ""
        base = self.ext.getConfig("content_path") or ""
        rel = os.path.relpath(source, base).replace(os.sep, "/") if source and base else os.path.basename(source)
        stem = rel[:-3] if rel.endswith(".md") else rel.rsplit(".", 1)[0] if "." in rel else rel
        ident = use if use else f"{stem}#{n_block}"
        links, external = [], []
        for node in spec.nodes.values():
            if not node.link:
                continue
            entry = {"href": node.link, "label": node.label, "line": line_of(node.line)}
            if used_file:  # where the link is written: the diagram file, at its own line
                entry["file"], entry["file_line"] = used_file, node.line
            (links if node.link.startswith("{filename}") else external).append(entry)
        data.setdefault("diagrams", []).append({
            "id": ident, "type": spec.type, "title": spec.title, "line": first, "use": use,
            "links": links, "external": external, "anchor": f"diagram-{n_block}",
        })
        # The figure (ids as tokens) for diagrams/index.html; one per diagram id.
        data.setdefault("diagram_html", {}).setdefault(ident, html)


def makeExtension(**kwargs):  # noqa: N802 (Markdown API)
    return DiagramsExtension(**kwargs)
