"""One SVG kit for every drawing of the site (diagrams, local graphs, concept and site maps).

A plain package, not a Pelican plugin: `diagrams` and `concept_graph` import it by name
(pelicanconf.py puts plugins/ on sys.path), so either works without the other. Pure functions:
`markup` (the one escaping function and number formatter), `textmetrics` (the one text-width
table), `geometry` (boxes and curves) and `elements` (labels, nodes, arrows, the canvas).
"""

from .elements import (  # noqa: F401
    LABEL_SIZE, LINE_HEIGHT, NODE_SIZE, PAD_X, PAD_Y, Canvas, Label, arrowhead, edge_label,
    line_path, make_label, node, node_box, quad_path, text_lines,
)
from .geometry import (  # noqa: F401
    Box, Point, clip_quad, control_point, curve_points, edge_between, free_spot, quad_point, quad_sub,
    quad_tangent, spiral, union,
)
from .markup import clean, esc, f, fmt  # noqa: F401
from .textmetrics import FONT_FAMILY, block_size, text_width, wrap  # noqa: F401
