"""Importer, parse stage: format detection, hostile and broken files refused, real exports read."""

from __future__ import annotations

from pathlib import Path

import pelican
import pytest

from importer import blogger, detect, wordpress
from importer.__main__ import main
from importer.model import RefusedFile

FIXTURES = Path(__file__).parent / "fixtures" / "import"
PELICAN_CONTENT = Path(pelican.__file__).parent / "tests" / "content"
BLOGGER_SAMPLE = PELICAN_CONTENT / "bloggerexport.xml"
WORDPRESS_SAMPLE = PELICAN_CONTENT / "wordpressexport.xml"


@pytest.mark.parametrize("path, fmt", [
    (BLOGGER_SAMPLE, "blogger-classic"),
    (WORDPRESS_SAMPLE, "wordpress"),
    (FIXTURES / "takeout-feed.atom", "blogger-takeout"),
    (FIXTURES / "wordpress-https-1.2.xml", "wordpress"),
    (FIXTURES / "blogger-classic.xml", "blogger-classic"),
])
def test_format_is_detected_from_the_content(path, fmt):
    assert detect.load(str(path))[0] == fmt


def test_undeclared_app_prefix_is_declared_on_the_root_line():
    data = b'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n<entry><app:control/></entry>\n</feed>'
    fixed = detect.declare_app_prefix(data)
    assert fixed.count(b"\n") == data.count(b"\n")
    root = detect.parse_xml(fixed, "x")
    assert root.find(".//{http://www.w3.org/2007/app}control") is not None


@pytest.mark.parametrize("name, line, words", [
    ("bomb.xml", 3, "entity"),
    ("external-entity.xml", 3, "entity"),
    ("truncated.xml", 45, "truncated"),
    ("not-an-export.xml", 1, "not a Blogger or WordPress export"),
])
def test_hostile_and_broken_files_are_refused_and_nothing_is_written(tmp_path, capsys, name, line, words):
    inputdir = tmp_path / "content"
    path = FIXTURES / name
    assert main([str(path), "--inputdir", str(inputdir), "--no-progress"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{path}:{line}: error: ")
    assert words in err
    assert not inputdir.exists()


def test_refused_error_names_the_line_of_a_broken_tag(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text('<?xml version="1.0"?>\n<rss>\n<channel>\n<item></wrong>\n</channel></rss>\n')
    with pytest.raises(RefusedFile) as info:
        detect.load(str(bad))
    assert info.value.line == 4


def test_pelican_blogger_sample():
    export = blogger.parse_classic(detect.load(str(BLOGGER_SAMPLE))[1])
    by_title = {i.title: i for i in export.items}
    steel = by_title["The Steel Windpipe"]
    assert (steel.slug, steel.old_path, steel.status) == ("the-steel-windpipe", "2010/11/the-steel-windpipe.html",
                                                          "published")
    assert by_title["Black as Egypt's Night"].status == "draft"
    assert by_title["Black as Egypt's Night"].tags == ["Interesting cases", "amputations"]  # no kind# term
    assert [c.author for c in steel.comments] == ["Thomas Isidore Noël Sankara"]
    assert export.skipped["Blogger settings entries"] == 58


def test_pelican_wordpress_sample():
    export = wordpress.parse(detect.load(str(WORDPRESS_SAMPLE))[1])
    by_title = {i.title: i for i in export.items}
    tags = by_title["With tags"]
    assert tags.category == "Category 3" and tags.tags == ["tag 1", "Tag2", "Tag 3"]
    assert tags.old_url == "http://thisisa.test/tags/" and tags.aliases == ["http://thisisa.test/?p=25"]
    assert by_title["A normal post"].status == "draft"
    comments = by_title["With comments"].comments
    assert [(c.id, c.parent) for c in comments] == [("116", ""), ("117", "116"), ("122", "121")]  # 121 unapproved


def test_takeout_statuses_and_threads():
    export = blogger.parse_takeout(detect.load(str(FIXTURES / "takeout-feed.atom"))[1])
    assert sorted((i.kind, i.status) for i in export.items) == [
        ("page", "published"), ("post", "draft"), ("post", "published"), ("post", "published")]
    assert export.skipped == {"trashed": 1, "comments not approved": 1}
    post = next(i for i in export.items if i.id == "post-1001")
    assert [(c.id, c.parent) for c in post.comments] == [("post-3001", ""), ("post-3002", "post-3001")]
    assert blogger.infer_host(export) == "http://tutormentor.blogspot.com"


def test_wxr_https_namespace_skips_private_and_trash():
    export = wordpress.parse(detect.load(str(FIXTURES / "wordpress-https-1.2.xml"))[1])
    assert export.skipped == {"private": 1, "trashed": 1}
    assert {i.title: i.status for i in export.items} == {
        "Why networks grow": "published", "Follow-up": "published", "About": "published", "Scheduled": "draft"}
    grow = next(i for i in export.items if i.wp_id == "100")
    assert (grow.category, grow.tags, grow.author) == ("Networks", ["Growth", "volunteers"], "Dan B.")
    assert [c.id for c in grow.comments] == ["7", "8"]  # the unapproved one is left out


def test_classic_threads_by_related_link_and_learns_the_blogspot_name():
    export = blogger.parse_classic(detect.load(str(FIXTURES / "blogger-classic.xml"))[1])
    post = next(i for i in export.items if i.id == "post-501")
    assert [(c.id, c.parent) for c in post.comments] == [("post-901", ""), ("post-902", "post-901")]
    assert export.base_urls == ["http://www.mentoringmatters.org"]
    from importer.links import sibling_hosts

    assert sibling_hosts(export.items, export.base_urls) == ["http://mentoringmatters.blogspot.com"]
