"""Where the actor map's labels go: beside their node, never over another label or node.

Larger nodes (more partners) are labelled first; each label tries below, above, right and left
of its node and takes the first place that is free. A node with no free place keeps no label:
its name is in its tooltip (`<title>`) and on its organisation page. Text widths are estimated
(no font metrics on the server) on the generous side, so rendered labels stay apart.
"""

from dataclasses import dataclass

# Glyph widths of the map's sans-serif, in font sizes, rounded up: capitals and digits are
# wide, most lower-case letters narrower; the halo drawn round each label adds `HALO`.
WIDE, NARROW, SPACE = 0.72, 0.6, 0.32
HALO = 2.0
GAP = 3.0  # between a node's circle and its label


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: "Box") -> bool:
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # the text's baseline
    anchor: str  # SVG text-anchor
    box: Box


def text_width(text: str, size: float) -> float:
    units = sum(
        SPACE if c.isspace() else WIDE if c.isupper() or c.isdigit() else NARROW for c in text
    )
    return units * size


def _candidates(x: float, y: float, r: float, width: float, size: float) -> list[Label]:
    """Below, above, right and left of a node, as (x, baseline, anchor, box)."""
    ascent, descent = size * 0.8, size * 0.25
    below, above, middle = y + r + GAP + ascent, y - r - GAP - descent, y + size * 0.3
    spots = [
        (x, below, "middle", x - width / 2),
        (x, above, "middle", x - width / 2),
        (x + r + GAP, middle, "start", x + r + GAP),
        (x - r - GAP, middle, "end", x - r - GAP - width),
    ]
    return [
        Label(
            tx,
            ty,
            anchor,
            Box(left - HALO, ty - ascent - HALO, left + width + HALO, ty + descent + HALO),
        )
        for tx, ty, anchor, left in spots
    ]


def place_labels(
    nodes: list[tuple[float, float, float, str]], *, size: float, width: float, height: float
) -> list[Label | None]:
    """A place for each node's label (`nodes`: x, y, radius, text), or None where none is free."""
    circles = [Box(x - r, y - r, x + r, y + r) for x, y, r, _text in nodes]
    taken: list[Box] = []
    placed: list[Label | None] = [None] * len(nodes)
    for i in sorted(range(len(nodes)), key=lambda i: (-nodes[i][2], i)):
        x, y, r, text = nodes[i]
        for label in _candidates(x, y, r, text_width(text, size), size):
            box = label.box
            inside = box.x0 >= 0 and box.y0 >= 0 and box.x1 <= width and box.y1 <= height
            others = (c for j, c in enumerate(circles) if j != i)
            if (
                inside
                and not any(box.overlaps(b) for b in taken)
                and not any(box.overlaps(c) for c in others)
            ):
                placed[i] = label
                taken.append(box)
                break
    return placed
