"""graphics' read stage: every image of a Markdown post recorded with its alt text and line."""

from __future__ import annotations

from markdown import Markdown

from crosslinks.extension import CrossLinksExtension
from graphics.extension import KEY, GraphicsExtension
from post_data import post_data_of

POST = """\
Title: Pictures
Date: 2020-01-01

A picture ![The hub](images/hub.png "Hub") inline.

![][chart] by reference, then raw HTML <img src="/images/a&amp;b.png" alt="A and B"> inline.

<figure>
  <img src="{static}/images/loop.png">
  <figcaption>No alt here</figcaption>
</figure>

```html
<img src="not-an-image.png" alt="code">
```

    ![indented code](no.png)

Not code: <img src="{attach}pic.jpg" alt="" role="presentation">

[chart]: http://legacy.example/images/chart.png
"""


def images(text, crosslinks=True):
    exts = ["markdown.extensions.extra", "markdown.extensions.meta", GraphicsExtension()]
    if crosslinks:
        exts.append(CrossLinksExtension())
    md = Markdown(extensions=exts, output_format="html5")
    md.convert(text)
    return post_data_of(md)[KEY]


def test_every_image_with_alt_and_line():
    found = images(POST)
    assert [(i["src"], i["alt"], i["line"], i["raw"]) for i in found] == [
        ("images/hub.png", "The hub", 4, False),
        ("http://legacy.example/images/chart.png", "", 21, False),  # the line of its definition
        ("/images/a&b.png", "A and B", 6, True),
        ("{static}/images/loop.png", None, 9, True),
        ("{attach}pic.jpg", "", 19, True),
    ]
    assert [i["decorative"] for i in found] == [False, False, False, False, True]


def test_lines_without_the_crosslinks_extension():
    assert [i["line"] for i in images(POST, crosslinks=False)] == [4, 21, 6, 9, 19]


def test_a_summary_converted_afterwards_does_not_add_its_images():
    md = Markdown(extensions=["markdown.extensions.meta", GraphicsExtension()], output_format="html5")
    md.convert("Title: x\n\n![a](a.png)\n")
    first = post_data_of(md)[KEY]
    md.reset()
    md.convert("![b](b.png)")
    assert [i["src"] for i in first] == ["a.png"]
