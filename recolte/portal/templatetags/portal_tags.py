from dataclasses import dataclass
from datetime import datetime

from django import template
from django.urls import reverse

from recolte.access.policy import Action, can
from recolte.portal.models import Kind
from recolte.portal.publication import kind_of
from recolte.portal.services import published_at

register = template.Library()


@dataclass
class State:
    kind: str
    pk: int
    published: bool
    may_publish: bool
    action_url: str
    public_url: str
    since: datetime | None
    snapshot: bool  # published as a snapshot, so "publish again" takes later changes
    changed: bool  # a resource edited since it was published
    pending: bool  # a report whose public files are rendering: the button polls until done


@register.simple_tag(takes_context=True)
def publication(context, obj) -> State:
    """`{% publication pilot as pub %}`: is `obj` public, and may the user change that?"""
    publishable = kind_of(obj)
    programme = context["programme"]
    published = publishable.is_public(obj)
    user = context.get("user")
    return State(
        kind=publishable.kind,
        pk=obj.pk,
        published=published,
        may_publish=bool(user and can(user, Action.PUBLISH, programme)),
        action_url=reverse("portal:publish", args=[programme.slug, publishable.kind, obj.pk]),
        public_url=publishable.public_url(obj),
        since=_since(publishable.kind, obj) if published else None,
        snapshot=publishable.kind in (Kind.SYNTHESIS, Kind.REPORT),
        changed=published and publishable.changed(obj),
        pending=publishable.pending(obj),
    )


def _since(kind: str, obj) -> datetime | None:
    # Syntheses and reports carry their own date; registry objects and resources use the log.
    return getattr(obj, "published_at", None) or published_at(kind, obj.pk)
