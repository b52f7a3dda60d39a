"""Heat-map shading of the count tables (code × attribute matrix, co-occurrence).

The level is computed here, not in the browser, so the page reads the same without script;
`app.css` maps `heat-1`…`heat-5` to shades, light text on the two darkest.
"""

from math import ceil

LEVELS = 5


def heat_level(count: int, top: int) -> int:
    """0 for an empty cell, else 1…LEVELS in proportion to the largest count of the table."""
    if count <= 0 or top <= 0:
        return 0
    return min(LEVELS, ceil(LEVELS * count / top))
