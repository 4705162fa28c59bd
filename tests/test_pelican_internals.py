"""Every private internal of Pelican and Python-Markdown our plugins rely on, checked against the
installed versions (plugins/pelican_internals.py). A failure here after an upgrade names the
internal that changed: adapt that one function, nothing else in plugins/ touches it."""

from __future__ import annotations

import os
from pathlib import Path

import markdown
import pelican
import pytest
from markdown import Markdown

import pelican_internals as pi


def _article(settings_override=None, content='<p><a href="{filename}/b.md">b</a></p>', **metadata):
    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG

    settings = {**DEFAULT_CONFIG, **(settings_override or {})}
    return Article(content, metadata={"title": "A", "date": __import__("datetime").datetime(2020, 1, 1),
                                      **metadata}, settings=settings, source_path="/c/a.md",
                   context={"generated_content": {}, "static_content": {}, "localsiteurl": ""})


def _must(condition, internal: str):
    if not condition:
        pytest.fail(f"{internal} changed in Pelican {pelican.__version__} / Markdown {markdown.__version__} "
                    f"(checked with {pi.CHECKED_WITH}): adapt plugins/pelican_internals.py")


def test_checked_with_names_the_installed_major_versions():
    _must(pelican.__version__.split(".")[:2] == pi.CHECKED_WITH["pelican"].split(".")[:2],
          "the Pelican version")
    _must(markdown.__version__.split(".")[:2] == pi.CHECKED_WITH["markdown"].split(".")[:2],
          "the Markdown version")


def test_raw_content_is_the_unresolved_html():
    article = _article()
    _must(hasattr(article, "_content"), "Content._content")
    assert pi.raw_content(article) == '<p><a href="{filename}/b.md">b</a></p>'
    pi.set_raw_content(article, "<p>new</p>")
    _must(article.get_content("") == "<p>new</p>", "Content._content as get_content's input")


def test_intrasite_links_resolve_through_update_content():
    article = _article()
    _must(callable(getattr(article, "_update_content", None)), "Content._update_content")
    _must(callable(getattr(article, "_get_intrasite_link_regex", None)), "Content._get_intrasite_link_regex")
    assert pi.has_intrasite_link(article, '<a href="{filename}/x.md">x</a>')
    assert not pi.has_intrasite_link(article, '<a href="/x.html">x</a>')
    # An unknown target stays as written (Pelican logs it): the call itself works.
    assert "{filename}/nowhere.md" in pi.resolve_intrasite_links(article, '<a href="{filename}/nowhere.md">x</a>', "")


def test_metadata_summary_is_kept_in_both_places():
    article = _article(summary="<p>old</p>")
    pi.set_metadata_summary(article, "<p>new</p>")
    _must(article.get_summary("") == "<p>new</p>", "Content._summary (copied over metadata['summary'])")


def test_memoized_caches_are_forgotten():
    from pelican.contents import Content

    _must(hasattr(Content.__dict__.get("get_content"), "cache"), "the @memoized Content.get_content.cache")
    _must(hasattr(Content.__dict__.get("get_summary"), "cache"), "the @memoized Content.get_summary.cache")
    article = _article(content="<p>one</p>")
    assert article.get_content("") == "<p>one</p>"
    pi.set_raw_content(article, "<p>two</p>")
    pi.forget_memoized(article)
    assert article.get_content("") == "<p>two</p>"


def test_memoized_caches_can_be_emptied_whole():
    import gc
    import weakref

    article = _article(content="<p>kept alive by the memo</p>")
    assert article.get_content("") and article.get_summary("") is not None
    alive = weakref.ref(article)
    del article
    gc.collect()
    _must(alive() is not None, "the memo (Content.get_content.cache) keeping a rendered content alive")
    assert pi.clear_memoized() >= 1
    gc.collect()
    assert alive() is None


def test_reader_cache_entries_can_be_listed_and_dropped(tmp_path: Path):
    from pelican.readers import Readers
    from pelican.settings import DEFAULT_CONFIG

    settings = {**DEFAULT_CONFIG, "CACHE_PATH": str(tmp_path), "CACHE_CONTENT": True,
                "LOAD_CONTENT_CACHE": True, "CONTENT_CACHING_LAYER": "reader"}
    readers = Readers(settings, cache_name="Readers")
    _must(isinstance(getattr(readers, "_cache", None), dict), "Readers._cache (the reader cache dict)")
    source = tmp_path / "a.md"
    source.write_text("Title: A\n\nText.\n")
    readers.cache_data(str(source), ("<p>Text.</p>", {"diagram_files": {"x": "d"}}))
    _must(list(pi.cached_reads(readers)) == [(str(source), {"diagram_files": {"x": "d"}})],
          "Readers._cache entries as (stamp, (content, metadata))")
    pi.drop_cached_read(readers, str(source))
    assert list(pi.cached_reads(readers)) == []


def test_read_markdown_hands_the_markdown_object_over_before_metadata(tmp_path: Path):
    from pelican.readers import MarkdownReader
    from pelican.settings import DEFAULT_CONFIG

    reader = MarkdownReader({**DEFAULT_CONFIG})
    _must(callable(getattr(reader, "_parse_metadata", None)), "MarkdownReader._parse_metadata")
    source = tmp_path / "a.md"
    source.write_text("Title: A\nSummary: *short*\n\nBody *text*.\n")
    seen = []
    html, metadata, taken = pi.read_markdown(reader, str(source), lambda md: seen.append(md),
                                             lambda md: md.Meta["title"])
    assert html == "<p>Body <em>text</em>.</p>"
    assert taken == ["A"] and isinstance(seen[0], Markdown)
    _must(metadata["title"] == "A" and metadata["summary"] == "<p><em>short</em></p>",
          "MarkdownReader._parse_metadata(md.Meta) with reader._md and reader._source_path")


def test_markdown_escape_and_inline_placeholders():
    """What crosslinks' wiki-link pattern (priority 172) sees of `[[a\\|b]]`: an inline placeholder
    whose stashed node is the escape placeholder of "|"."""
    import re

    from markdown.inlinepatterns import InlineProcessor

    seen = {}

    class Probe(InlineProcessor):
        def handleMatch(self, m, data):  # noqa: N802 (Markdown API)
            seen["sep"] = m.group(1)
            seen["stashed"] = pi.stashed_inline(self.md, m.group(1))
            return None, None, None

    md = Markdown(extensions=["tables"])  # tables makes "|" escapable, as in the site's settings (extra)
    md.inlinePatterns.register(Probe(r"\[\[a(" + pi.INLINE_PLACEHOLDER_PATTERN + r")b\]\]", md), "probe", 172)
    md.convert(r"[[a\|b]]")
    _must("sep" in seen and re.fullmatch(pi.INLINE_PLACEHOLDER_PATTERN, seen["sep"]),
          "inline placeholders (markdown.util.INLINE_PLACEHOLDER_PREFIX + N + ETX)")
    _must(seen["stashed"] == pi.escaped_char("|"),
          "the inline processor's stashed_nodes, holding the escape placeholder STX + ord(char) + ETX")
    assert pi.unescape_chars("a" + pi.escaped_char("|") + "b") == "a|b"


def test_raw_html_stash():
    md = Markdown()
    md.convert("<div>raw</div>\n\ntext")
    _must(any("<div>raw</div>" in str(b) for b in pi.raw_html_blocks(md)), "Markdown.htmlStash.rawHtmlBlocks")


def test_theme_static_files_are_the_files_pelican_copies(tmp_path: Path):
    """theme_static_files lists what StaticGenerator._copy_paths copies, where it copies them
    (THEME_STATIC_PATHS into THEME_STATIC_DIR, IGNORE_FILES skipped); copy_theme_static_with
    replaces that copy on the generator."""
    from pelican.generators import StaticGenerator
    from pelican.settings import DEFAULT_CONFIG

    theme = tmp_path / "theme"
    (theme / "static" / "css").mkdir(parents=True)
    (theme / "static" / "css" / "main.css").write_text("a")
    (theme / "static" / "css" / ".#main.css").write_text("editor lock")  # Pelican's IGNORE_FILES
    (theme / "extra.txt").write_text("b")
    settings = {**DEFAULT_CONFIG, "THEME_STATIC_PATHS": ["static", "extra.txt"], "THEME_STATIC_DIR": "theme"}
    _must(hasattr(StaticGenerator, "_copy_paths"), "StaticGenerator._copy_paths")
    made = tmp_path / "pelican"
    generator = StaticGenerator.__new__(StaticGenerator)
    generator.settings, generator.theme, generator.output_path = settings, str(theme), str(made)
    generator._copy_paths(settings["THEME_STATIC_PATHS"], str(theme), "theme", str(made), os.curdir)
    pelican_copies = sorted(p.relative_to(made).as_posix() for p in made.rglob("*") if p.is_file())
    listed = sorted(Path(t).relative_to(made).as_posix() for t in pi.theme_static_outputs(generator))
    _must(listed == pelican_copies, f"StaticGenerator._copy_paths destinations ({pelican_copies})")
    copied = []
    pi.copy_theme_static_with(generator, lambda source, target: copied.append(target))
    generator._copy_paths(settings["THEME_STATIC_PATHS"], str(theme), "theme", str(made), os.curdir)
    assert sorted(Path(t).relative_to(made).as_posix() for t in copied) == pelican_copies


def _posts(seed: int):
    """Article-like objects over several years, some translated, in a shuffled order."""
    import random
    from datetime import datetime
    from types import SimpleNamespace

    rng = random.Random(seed)
    posts = []
    for i in range(120):
        slug = f"post-{i % 90}"  # 30 slugs with two versions
        lang = "en" if i < 90 else "fr"
        meta = {"translation": "true"} if (lang == "fr" and i % 3) else {}
        posts.append(SimpleNamespace(name=f"p{i}", slug=slug, lang=lang, in_default_lang=lang == "en",
                                     metadata=meta, source_path=f"/c/p{i}.md",
                                     date=datetime(2005 + i % 7, 1 + i % 12, 1 + i % 28, i % 24)))
    rng.shuffle(posts)
    return posts


def test_linear_process_translations_is_pelicans():
    from pelican.utils import process_translations as pelicans

    from pelican_internals import process_translations

    def names(result):
        index, translations = result
        return [p.name for p in index], [p.name for p in translations], \
            sorted((p.name, tuple(t.name for t in p.translations)) for p in index + translations)

    for seed in range(3):
        assert names(process_translations(_posts(seed), "slug")) == names(pelicans(_posts(seed), "slug"))
        assert names(process_translations(_posts(seed), ("slug", "lang"))) == \
            names(pelicans(_posts(seed), ("slug", "lang")))
    assert process_translations(_posts(0), None)[1] == []
    assert len(names(pelicans(_posts(0), "slug"))[1]) > 0  # the sample has translations


def test_linear_period_archives_are_pelicans():
    import pelican.generators as generators

    from pelican_internals import PELICANS, build_period_archives, use_linear_pelican

    use_linear_pelican()
    assert generators.ArticlesGenerator._build_period_archives is build_period_archives
    assert generators.process_translations is not None and "process_translations" in PELICANS
    pelicans = PELICANS["build_period_archives"]
    settings = {"YEAR_ARCHIVE_SAVE_AS": "{date:%Y}/index.html", "YEAR_ARCHIVE_URL": "{date:%Y}/",
                "MONTH_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/index.html", "MONTH_ARCHIVE_URL": "{date:%Y}/{date:%m}/",
                "DAY_ARCHIVE_SAVE_AS": "", "DAY_ARCHIVE_URL": ""}

    def names(archives):
        return {g: [(a["save_as"], a["url"], a["period"], a["period_num"], [p.name for p in a["dates"]],
                     [p.name for p in a["articles"]]) for a in lst] for g, lst in archives.items()}

    posts = _posts(5)
    by_date = sorted(posts, key=lambda p: p.date, reverse=True)
    mine, theirs = build_period_archives(None, by_date, posts, settings), pelicans(None, by_date, posts, settings)
    assert names(mine) == names(theirs) and set(mine) == {"year", "month"}


def test_remembered_static_links_are_pelicans(tmp_path):
    """Content.get_static_links is remembered per file while its HTML stays the same: the same
    answer as Pelican's own, and a new one when the HTML changes."""
    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG

    from pelican_internals import PELICANS, get_static_links, use_linear_pelican

    use_linear_pelican()
    settings = dict(DEFAULT_CONFIG, PATH=str(tmp_path))
    html = '<img src="{static}/images/hub.png"><a href="{filename}other.md">x</a><a href="{attach}map.pdf">m</a>'
    post = Article(html, metadata={"title": "Hub"}, settings=settings,
                   source_path=str(tmp_path / "posts" / "hub.md"), context={})
    pelicans = PELICANS["get_static_links"]
    assert get_static_links(post) == pelicans(post) == {"images/hub.png", "posts/map.pdf"}
    links = get_static_links(post)
    links.add("changed by the caller")  # a copy: the remembered answer is not changed
    assert get_static_links(post) == {"images/hub.png", "posts/map.pdf"}
    post._content = '<img src="{static}/images/loop.png">'
    assert get_static_links(post) == pelicans(post) == {"images/loop.png"}


def test_a_file_saved_while_a_run_builds_is_not_lost(tmp_path):
    """Pelican's autoreload makes a new watcher after each run, so a post saved during a run
    waited for the next save. Ours keeps one: a change made between two calls (while a run
    would build) is what the second call returns."""
    import threading

    import pelican

    from pelican_internals import PELICANS, use_persistent_watcher, wait_for_changes

    content, theme = tmp_path / "content", tmp_path / "theme"
    content.mkdir()
    theme.mkdir()
    conf = tmp_path / "pelicanconf.py"
    conf.write_text("", "utf-8")
    settings = {"PATH": str(content), "THEME": str(theme), "STATIC_PATHS": [], "IGNORE_FILES": [".#*"]}

    def call():
        found: list = []
        thread = threading.Thread(target=lambda: found.append(wait_for_changes(str(conf), settings)), daemon=True)
        thread.start()
        return thread, found

    thread, found = call()
    for attempt in range(100):  # the watcher starts inside the call: save until it sees a save
        (content / "first.md").write_text(f"Title: First {attempt}\n", "utf-8")
        thread.join(0.2)
        if found:
            break
    assert found and any(path.endswith("first.md") for _, path in found[0])
    (content / "during-the-run.md").write_text("Title: Saved while building\n", "utf-8")  # no call waiting
    thread, found = call()
    thread.join(30)  # a hang guard, not a timing assertion: the change is already recorded
    assert found and {path.rsplit("/", 1)[-1] for _, path in found[0]} >= {"during-the-run.md"}
    use_persistent_watcher()
    assert pelican.wait_for_changes is wait_for_changes and "wait_for_changes" in PELICANS
