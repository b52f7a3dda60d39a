"""Writes to the registry that span several rows (single-row edits go through model forms)."""

from django.db import transaction

from recolte.access.models import Membership, Role
from recolte.registry.forms import PartnershipFormSet, PilotOperationForm, ProgrammeForm
from recolte.registry.models import PilotOperation, Programme


@transaction.atomic
def programme_create(*, form: ProgrammeForm, by) -> Programme:
    """Save a new programme (form valid) with its creator as administrator."""
    programme = form.save()
    Membership.objects.create(user=by, programme=programme, role=Role.ADMIN)
    return programme


@transaction.atomic
def pilot_save(*, form: PilotOperationForm, partners: PartnershipFormSet) -> PilotOperation:
    """Save a pilot operation with its partners in one transaction (both forms valid)."""
    pilot = form.save()
    partners.instance = pilot
    partners.save()
    return pilot
