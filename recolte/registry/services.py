"""Writes to the registry that span several rows (single-row edits go through model forms)."""

from django.db import transaction

from recolte.registry.forms import PartnershipFormSet, PilotOperationForm
from recolte.registry.models import PilotOperation


@transaction.atomic
def pilot_save(*, form: PilotOperationForm, partners: PartnershipFormSet) -> PilotOperation:
    """Save a pilot operation with its partners in one transaction (both forms valid)."""
    pilot = form.save()
    partners.instance = pilot
    partners.save()
    return pilot
