"""The registry's maps: the actor network's data (`data`), its layout (`layout`), and the SVG
of both maps (`svg`)."""

from .data import actor_network
from .layout import force_layout
from .svg import NATURE_COLOURS, actor_map_svg, world_map_svg

__all__ = ["NATURE_COLOURS", "actor_map_svg", "actor_network", "force_layout", "world_map_svg"]
