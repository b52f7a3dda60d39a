"""Labels of the actor map never overlap: checked on the positions written in the SVG for the
demo programme (the browser test measures the rendered boxes)."""

import re

import pytest

from recolte.portal.demo import demo_load
from recolte.registry.maps import actor_map_svg, actor_network
from recolte.registry.maps.labels import Box, place_labels, text_width
from recolte.registry.models import Programme

TEXT = re.compile(
    r'<text class="label" x="([\d.]+)" y="([\d.]+)" text-anchor="(\w+)"[^>]*>([^<]*)<'
)


def test_places_skip_taken_spots_and_give_up_when_full():
    # Three nodes in a row, close together: the middle label cannot go below the first one's.
    nodes = [(100.0, 100.0, 8.0, "ALPHA"), (100.0, 130.0, 6.0, "BETA"), (20.0, 20.0, 4.0, "X")]
    places = place_labels(nodes, size=11, width=400, height=300)
    boxes = [p.box for p in places if p]
    assert len(boxes) == 3
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    crowded = [(50.0, 50.0, 5.0, f"ORG{i}") for i in range(6)]  # all on one spot
    placed = place_labels(crowded, size=11, width=200, height=200)
    assert 0 < sum(p is not None for p in placed) <= 4  # four sides, then no room is left


def test_boxes_overlap_only_when_they_share_area():
    a = Box(0, 0, 10, 10)
    assert a.overlaps(Box(5, 5, 15, 15)) and not a.overlaps(Box(10, 0, 20, 10))


def _box(x: float, y: float, anchor: str, text: str, size: float = 11) -> Box:
    width = text_width(text, size)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return Box(left, y - size * 0.8, left + width, y + size * 0.25)


@pytest.mark.django_db
def test_demo_map_labels_do_not_overlap():
    demo_load()
    network = actor_network(Programme.objects.get(slug="caac"))
    svg = actor_map_svg(network)
    boxes = [_box(float(x), float(y), a, t) for x, y, a, t in TEXT.findall(svg)]
    assert len(boxes) >= len(network["nodes"]) // 2  # most organisations keep their name
    clashes = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if a.overlaps(b)]
    assert not clashes
