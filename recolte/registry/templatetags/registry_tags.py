from django import template

from recolte.registry.maps import NATURE_COLOURS

register = template.Library()


@register.filter
def nature_colour(nature: str) -> str:
    """The colour an organisation nature has on every chart and map."""
    return NATURE_COLOURS.get(nature, "#888888")
