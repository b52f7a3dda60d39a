from django import template

from recolte.coding.selectors import Cell

register = template.Library()


@register.filter
def get(mapping: dict, key):
    return mapping.get(key, "")


@register.simple_tag
def cell_count(cell: Cell, measure: str) -> int:
    if measure == "codings":
        return cell.codings
    if measure == "organisations":
        return len(cell.organisations)
    return len(cell.passages)


@register.filter
def indent(depth: int) -> str:
    return "· " * depth
