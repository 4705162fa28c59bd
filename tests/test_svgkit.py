"""The shared SVG kit (plugins/svgkit): escaping, numbers, text metrics; pure, no Pelican."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

import svgkit as sk
from svgkit import textmetrics as tm


@pytest.mark.parametrize("value, text", [
    (0.0, "0"), (-0.0, "0"), (-0.04, "0"), (0.04, "0"), (-0.05, "-0.1"), (-0.06, "-0.1"),
    (12.0, "12"), (100.0, "100"), (12.25, "12.2"), (-3.5, "-3.5"), (1e-12, "0"), (-1e-12, "0"),
    (720.0, "720"), (10.96, "11"),
])
def test_fmt_one_decimal_never_negative_zero(value, text):
    assert sk.fmt(value) == text
    assert sk.f is sk.fmt


def test_fmt_never_negative_zero_anywhere_near_zero():
    for i in range(-2000, 2001):
        text = sk.fmt(i / 20000)
        assert text != "-0" and not (text.startswith("-") and float(text) == 0)
        assert float(text) == pytest.approx(i / 20000, abs=0.05 + 1e-9)


def test_esc_makes_hostile_text_safe_in_text_and_attributes():
    hostile = 'a<b>&"c\' \x00\x0b  d\ufffe'
    escaped = sk.esc(hostile)
    assert escaped == "a&lt;b&gt;&amp;&quot;c&#39; d"
    # Parses as an attribute value and as a text node, and round-trips to the cleaned text.
    root = ET.fromstring(f'<svg title="{escaped}"><text>{escaped}</text></svg>')
    assert root.get("title") == "a<b>&\"c' d"
    assert root.find("text").text == "a<b>&\"c' d"


def test_one_escaping_function_for_both_plugins():
    from concept_graph import svg_local, svg_map

    assert svg_local.esc is sk.esc and svg_map.esc is sk.esc
    assert svg_local.fmt is sk.fmt and svg_map.fmt is sk.fmt
    assert not hasattr(svg_local, "escape") and not hasattr(svg_map, "escape")


def test_text_width_from_the_metric_table():
    # Helvetica: "i" is 222/1000 em, "W" 944/1000 em; widths scale with the size.
    assert tm.text_width("W", 10) > tm.text_width("i", 10) * 4
    assert tm.text_width("abc", 20) == pytest.approx(2 * tm.text_width("abc", 10))
    assert tm.text_width("abc", 10, bold=True) > tm.text_width("abc", 10)


def test_wrap_breaks_between_words_and_fits():
    lines = tm.wrap("Where are the programs? Mapping every tutoring site", 120, 12)
    assert len(lines) > 1
    assert all(tm.text_width(line, 12) <= 120 for line in lines)
    assert " ".join(lines) == "Where are the programs? Mapping every tutoring site"
