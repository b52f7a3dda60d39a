"""A person's decisions on the quotations found in text: confirm one as a quote, or dismiss it.

Detection is `selectors.quote_candidates`; confirming goes through the same verbs as marking a
quote by hand (`coding_create`, `quote_mark`), so the undo log and the checks are the same.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from recolte.coding.models import Code, Coding, Quote, QuoteDismissal
from recolte.coding.services.codings import coding_create, quote_mark
from recolte.collection.models import Resource, ResourceVersion
from recolte.registry.models import Country, Organisation, Person


@transaction.atomic
def quote_confirm(
    *,
    version: ResourceVersion,
    start: int,
    end: int,
    code: Code,
    coder,
    person: Person | None = None,
    person_name: str = "",
    organisation: Organisation | None = None,
    country: Country | None = None,
    consent: str,
    anonymous: bool = False,
) -> Quote:
    """Keep `version.text[start:end]` as a quote: on a coding of exactly that span with `code`
    (the existing one if there is one, else a new one by `coder`), attributed as given."""
    if Quote.objects.filter(coding__version=version, coding__start=start, coding__end=end).exists():
        raise ValidationError(_("This quotation is already kept as a quote."))
    coding = Coding.objects.filter(
        version=version, start=start, end=end, code=code, quote__isnull=True
    ).first() or coding_create(version=version, start=start, end=end, code=code, coder=coder)
    # quote_mark fills what is None from the resource's provenance: what the person left empty
    # here stays empty, so the names are passed as they are.
    return quote_mark(
        coding=coding,
        person=person,
        person_name=person_name.strip(),
        organisation=organisation,
        country=country,
        consent=consent,
        anonymous=anonymous,
    )


def quote_dismiss(*, resource: Resource, text: str, user) -> QuoteDismissal:
    """Never propose this quotation of `resource` again (in this or a later version)."""
    text = text.strip()
    if not text:
        raise ValidationError(_("No quotation to dismiss."))
    dismissal, _created = QuoteDismissal.objects.get_or_create(
        resource=resource, text=text, defaults={"user": user}
    )
    return dismissal
