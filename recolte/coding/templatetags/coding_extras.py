from django import template

register = template.Library()


@register.filter
def get(mapping: dict, key):
    return mapping.get(key, "")


@register.filter
def indent(depth: int) -> str:
    return "· " * depth
