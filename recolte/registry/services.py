"""Every write of the registry, named `<noun>_<verb>`, taking plain values (a form's
`cleaned_data`, a command's arguments): views, commands and the import call them.

`values` maps field names to values already checked by the caller's form or file reader;
many-to-many fields (a pilot's countries and axes) take lists.
"""

from collections.abc import Collection, Hashable, Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from recolte.access.models import Membership, Role
from recolte.registry.models import Axis, Organisation, Person, PilotOperation, Programme

Row = TypeVar("Row", bound=models.Model)


def _write(instance: Row, values: dict[str, Any]) -> Row:
    """Set `values` on `instance`, save it, then set its many-to-many fields."""
    related = {}
    for name, value in values.items():
        if instance._meta.get_field(name).many_to_many:
            related[name] = value
        else:
            setattr(instance, name, value)
    instance.save()
    for name, value in related.items():
        getattr(instance, name).set(value)
    return instance


@transaction.atomic
def programme_create(*, by, values: dict[str, Any]) -> Programme:
    """A new programme with its creator as administrator."""
    programme = _write(Programme(), values)
    membership_add(user=by, programme=programme, role=Role.ADMIN)
    return programme


def programme_update(*, programme: Programme, values: dict[str, Any]) -> Programme:
    return _write(programme, values)


def membership_add(*, user, programme: Programme, role: str) -> Membership:
    return Membership.objects.create(user=user, programme=programme, role=role)


def axis_save(*, programme: Programme, axis: Axis | None, values: dict[str, Any]) -> Axis:
    """Create (`axis` None) or update an axis of `programme`."""
    return _write(axis or Axis(programme=programme), values)


def organisation_save(
    *, programme: Programme, organisation: Organisation | None, values: dict[str, Any]
) -> Organisation:
    """Create (`organisation` None) or update an organisation of `programme`."""
    return _write(organisation or Organisation(programme=programme), values)


def person_save(*, person: Person | None, values: dict[str, Any]) -> Person:
    """Create (`person` None) or update a person; `values` names their organisation."""
    return _write(person or Person(), values)


Key = TypeVar("Key", bound=Hashable)


def partner_problem(*, lead: Key, earlier: Collection[Key], partner: Key) -> str | None:
    """The partner rule of a pilot operation, for one more partner: why it cannot be listed.

    Its lead is not also its partner, and no organisation is listed twice. Organisations are
    compared as given (rows in a form, positions in an import file).
    """
    if partner == lead:
        return _("The lead organisation is already the lead; do not list it as a partner.")
    if partner in earlier:
        return _("An organisation is listed twice among the partners.")
    return None


@transaction.atomic
def pilot_save(
    *,
    programme: Programme,
    pilot: PilotOperation | None,
    values: dict[str, Any],
    partners: Iterable[tuple[Organisation, str]],
) -> PilotOperation:
    """Create (`pilot` None) or update a pilot operation with exactly these (partner, role)s.

    ValidationError, nothing written, when the partners break the partner rule.
    """
    partners = list(partners)
    lead = values.get("lead", pilot.lead if pilot else None)
    problems, earlier = [], []
    for organisation, _role in partners:
        if problem := partner_problem(lead=lead, earlier=earlier, partner=organisation):
            problems.append(problem)
        earlier.append(organisation)
    if problems:
        raise ValidationError(list(dict.fromkeys(problems)))
    pilot = _write(pilot or PilotOperation(programme=programme), values)
    roles = {organisation.pk: role for organisation, role in partners}
    pilot.partnerships.exclude(organisation_id__in=roles).delete()
    for organisation_id, role in roles.items():
        pilot.partnerships.update_or_create(
            organisation_id=organisation_id, defaults={"role": role}
        )
    return pilot
