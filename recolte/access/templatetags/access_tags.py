from django import template

from recolte.access.policy import Action, can

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, action: str) -> bool:
    """`{% may "code" as may_code %}`: whether the user may do `action` in the page's programme."""
    programme = context.get("programme")
    user = context.get("user")
    return bool(programme and user and can(user, Action(action), programme))
