"""The one access policy: every view asks it, nothing else decides who may do what.

A programme's pages answer 404 to signed-in users who have no role in it (its existence is not
revealed), 403 to members whose role lacks the action, and send anonymous visitors to the login
page; published material is served separately by the portal.
"""

import operator
from enum import StrEnum
from functools import reduce

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from recolte.access.models import Membership, Role
from recolte.registry.models import Programme


class Action(StrEnum):
    VIEW = "view"  # the programme's internal pages: dashboard, directory, sheets, maps
    EDIT_REGISTRY = "edit_registry"  # programme, axes, organisations, people, pilot operations
    MANAGE_MEMBERS = "manage_members"
    RUN_CAMPAIGNS = "run_campaigns"  # instruments, campaigns, records, imports
    ANSWER = "answer"  # answer a campaign for one's own organisation
    VIEW_ALL_RESPONSES = "view_all_responses"  # every organisation's unpublished material
    CODE = "code"  # codebook and coding
    WRITE_SYNTHESIS = "write_synthesis"
    PUBLISH = "publish"


_STAFF = {
    Action.VIEW,
    Action.EDIT_REGISTRY,
    Action.RUN_CAMPAIGNS,
    Action.VIEW_ALL_RESPONSES,
    Action.CODE,
    Action.WRITE_SYNTHESIS,
    Action.PUBLISH,
}
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.FACILITATOR: frozenset(_STAFF),
    Role.TEAM: frozenset({Action.VIEW, Action.EDIT_REGISTRY, Action.VIEW_ALL_RESPONSES}),
    Role.CONTRIBUTOR: frozenset({Action.VIEW, Action.ANSWER}),
    Role.READER: frozenset({Action.VIEW}),
}

User = AbstractBaseUser | AnonymousUser

# The levels of collection.models.Confidentiality (access sits below collection).
PROGRAMME, PUBLISHED = "programme", "published"


def membership(user: User, programme: Programme) -> Membership | None:
    if not user.is_authenticated:
        return None
    cache = getattr(user, "_recolte_memberships", None)
    if cache is None:
        cache = {m.programme_id: m for m in Membership.objects.filter(user=user)}
        user._recolte_memberships = cache
    return cache.get(programme.pk)


def role(user: User, programme: Programme) -> str | None:
    if user.is_authenticated and user.is_superuser:
        return Role.ADMIN
    found = membership(user, programme)
    return found.role if found else None


def can(user: User, action: Action, programme: Programme) -> bool:
    current = role(user, programme)
    return current is not None and action in ROLE_ACTIONS[current]


def own_organisation_id(user: User, programme: Programme) -> int | None:
    """The organisation a contributor answers for (None for staff and readers)."""
    found = membership(user, programme)
    return found.organisation_id if found else None


def can_create_programme(user: User) -> bool:
    """Starting a programme is a platform permission, open to all only where configured."""
    if not user.is_authenticated:
        return False
    return settings.RECOLTE_OPEN_PROGRAMME_CREATION or user.has_perm("registry.add_programme")


def visible_programmes(user: User):
    if user.is_authenticated and user.is_superuser:
        return Programme.objects.all()
    if not user.is_authenticated:
        return Programme.objects.none()
    return Programme.objects.filter(memberships__user=user)


def require(user: User, action: Action, programme: Programme) -> None:
    """Raise the answer a view must give when `user` may not do `action` in `programme`."""
    if can(user, action, programme):
        return
    if role(user, programme) is None:
        raise Http404
    raise PermissionDenied


def programme_or_404(user: User, slug: str, action: Action = Action.VIEW) -> Programme:
    try:
        programme = Programme.objects.get(slug=slug)
    except Programme.DoesNotExist:
        raise Http404 from None
    require(user, action, programme)
    return programme


def visible_material(user: User, programme: Programme, prefix: str = "") -> Q:
    """Which resources (or anything carrying `confidentiality` and `organisations`) a user sees.

    "Facilitators only" is for facilitators and admins, whatever the organisation; "programme"
    for them, the programme team and contributors of a linked organisation; "published" for
    everyone. `prefix` reaches the resource from another model, e.g. "version__resource__".
    """
    return reduce(operator.or_, visible_material_branches(user, programme, prefix), Q())


def visible_material_branches(user: User, programme: Programme, prefix: str = "") -> list[Q]:
    """`visible_material` as alternatives, none with an OR inside: a resource is visible when it
    meets any one of them, and every resource when there are none. Callers may ask SQL for each
    branch separately (an OR across a join defeats the indexes)."""
    current = role(user, programme)
    level = f"{prefix}confidentiality"
    if current in (Role.ADMIN, Role.FACILITATOR):
        return []
    if current == Role.TEAM:
        return [Q(**{f"{level}__in": [PROGRAMME, PUBLISHED]})]
    own = own_organisation_id(user, programme) if current == Role.CONTRIBUTOR else None
    if own is None:
        return [Q(**{level: PUBLISHED})]
    return [Q(**{level: PUBLISHED}), Q(**{level: PROGRAMME, f"{prefix}organisations": own})]
