"""Coding verbs: create, delete, adjust and undo codings; mark quotes; write memos.

Offsets are Unicode code points into `ResourceVersion.text`, end exclusive. Browsers count in
UTF-16 code units: the conversion happens at the boundary (`utf16_to_codepoints`), never here.
Every create/delete/adjust is logged in `CodingAction` so that a coder can undo their last step.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from recolte.coding.models import Code, Coding, CodingAction, Consent, Memo, Quote
from recolte.collection.models import Resource, ResourceVersion
from recolte.registry.models import Country, Organisation, Person, QuoteConsent


def utf16_to_codepoints(text: str, offset: int) -> int:
    """The code-point offset matching a UTF-16 offset into `text` (clamped to the text)."""
    units = 0
    for index, char in enumerate(text):
        if units >= offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


def codepoints_to_utf16(text: str, offset: int) -> int:
    return offset + sum(1 for char in text[:offset] if ord(char) > 0xFFFF)


def _check_span(version: ResourceVersion, start: int, end: int) -> None:
    if not (0 <= start < end <= len(version.text)):
        raise ValidationError(_("The selection is outside the text or empty."))
    if not version.text[start:end].strip():
        raise ValidationError(_("The selection holds only spaces."))


def _passage_for(version: ResourceVersion, start: int, end: int):
    """The corpus passage of this version that contains the span, if any."""
    passage = apps.get_model("corpus", "Passage")
    return (
        passage.objects.filter(version=version, start__lte=start, end__gte=end)
        .order_by("start")
        .first()
    )


def _log(coding: Coding, user, kind: str, data: dict | None = None) -> None:
    CodingAction.objects.create(
        programme_id=coding.code.programme_id,
        user=user,
        kind=kind,
        coding_id_ref=coding.pk,
        data=data or {},
    )


@transaction.atomic
def coding_create(
    *,
    version: ResourceVersion,
    start: int,
    end: int,
    code: Code,
    coder,
    memo: str = "",
    assistant: str = "",
) -> Coding:
    """Code `version.text[start:end]`; the same span, code and coder twice gives the first back."""
    _check_span(version, start, end)
    if code.programme_id != version.resource.programme_id:
        raise ValidationError(_("This code belongs to another programme."))
    if not code.codable:
        raise ValidationError(_("This code is a folder: choose one of its codes."))
    twin = Coding.objects.filter(
        version=version, start=start, end=end, code=code, coder=coder
    ).first()
    if twin is not None:
        return twin
    coding = Coding.objects.create(
        version=version,
        start=start,
        end=end,
        code=code,
        coder=coder,
        memo=memo.strip(),
        assistant=assistant,
        passage=_passage_for(version, start, end),
    )
    _log(coding, coder, CodingAction.Kind.CREATE)
    return coding


def _snapshot(coding: Coding) -> dict:
    data = {
        "version": coding.version_id,
        "start": coding.start,
        "end": coding.end,
        "code": coding.code_id,
        "coder": coding.coder_id,
        "memo": coding.memo,
        "assistant": coding.assistant,
        "created": coding.created.isoformat(),
    }
    quote = Quote.objects.filter(coding=coding).first()
    if quote is not None:
        data["quote"] = {
            "person": quote.person_id,
            "person_name": quote.person_name,
            "organisation": quote.organisation_id,
            "country": quote.country_id,
            "consent": quote.consent,
        }
    return data


@transaction.atomic
def coding_delete(*, coding: Coding, user) -> None:
    _log(coding, user, CodingAction.Kind.DELETE, _snapshot(coding))
    coding.delete()


@transaction.atomic
def coding_adjust(*, coding: Coding, start: int, end: int, user) -> Coding:
    _check_span(coding.version, start, end)
    _log(coding, user, CodingAction.Kind.ADJUST, {"start": coding.start, "end": coding.end})
    coding.start, coding.end = start, end
    coding.passage = _passage_for(coding.version, start, end)
    coding.save(update_fields=["start", "end", "passage"])
    return coding


def _restore(action: CodingAction) -> None:
    data = action.data
    version = ResourceVersion.objects.get(pk=data["version"])
    coding = Coding.objects.create(
        pk=action.coding_id_ref,
        version=version,
        start=data["start"],
        end=data["end"],
        code_id=data["code"],
        coder_id=data["coder"],
        memo=data["memo"],
        assistant=data["assistant"],
        passage=_passage_for(version, data["start"], data["end"]),
    )
    if "quote" in data:
        Quote.objects.create(
            coding=coding,
            **{
                f"{k}_id" if k in ("person", "organisation", "country") else k: v
                for k, v in data["quote"].items()
            },
        )


@transaction.atomic
def undo_last(*, user, programme=None) -> CodingAction | None:
    """Revert the user's last coding step not yet undone (in `programme` if given)."""
    actions = CodingAction.objects.filter(user=user, undone=False)
    if programme is not None:
        actions = actions.filter(programme=programme)
    action = actions.select_for_update().order_by("-pk").first()
    if action is None:
        return None
    existing = Coding.objects.filter(pk=action.coding_id_ref)
    if action.kind == CodingAction.Kind.CREATE:
        existing.delete()
    elif action.kind == CodingAction.Kind.DELETE:
        if not existing.exists() and Code.objects.filter(pk=action.data["code"]).exists():
            _restore(action)
    else:
        coding = existing.first()
        if coding is not None:
            coding.start, coding.end = action.data["start"], action.data["end"]
            coding.passage = _passage_for(coding.version, coding.start, coding.end)
            coding.save(update_fields=["start", "end", "passage"])
    action.undone = True
    action.save(update_fields=["undone"])
    return action


# --- quotes and memos -------------------------------------------------------------------------


def quote_defaults(coding: Coding) -> dict:
    """Attribution guessed from the resource's provenance; the coder confirms or edits it."""
    resource: Resource = coding.version.resource
    people = list(resource.people.select_related("organisation__country")[:2])
    organisations = list(resource.organisations.select_related("country")[:2])
    person = people[0] if len(people) == 1 else None
    organisation = (
        person.organisation if person else (organisations[0] if len(organisations) == 1 else None)
    )
    country = organisation.country if organisation and organisation.country else None
    if country is None and resource.pilot_id:
        countries = list(resource.pilot.countries.all()[:2])
        country = countries[0] if len(countries) == 1 else None
    consent = Consent.UNKNOWN
    if resource.record_id:
        consent = Consent.GIVEN if resource.record.consent_given else Consent.UNKNOWN
    return {
        "person": person,
        "person_name": person.first_name if person else "",
        "organisation": organisation,
        "country": country,
        "consent": consent,
    }


def quote_mark(
    *,
    coding: Coding,
    person: Person | None = None,
    person_name: str | None = None,
    organisation: Organisation | None = None,
    country: Country | None = None,
    consent: str | None = None,
    anonymous: bool = False,
) -> Quote:
    """Mark a coding as a quote; unspecified attribution comes from `quote_defaults`.

    A quote names who said it (a person, a name or an organisation) or is marked anonymous,
    which drops the speaker's name: a report never prints an empty attribution.
    """
    given = {
        "person": person,
        "person_name": person_name,
        "organisation": organisation,
        "country": country,
        "consent": consent,
    }
    values = quote_defaults(coding)
    values.update({k: v for k, v in given.items() if v is not None})
    values["anonymous"] = anonymous
    if anonymous:
        values.update(person=None, person_name="")
    elif not (values["person"] or (values["person_name"] or "").strip() or values["organisation"]):
        raise ValidationError(
            _("Say who said it (a person or an organisation), or mark the quote as anonymous.")
        )
    if values["consent"] not in Consent.values:
        raise ValidationError(_("Unknown consent status."))
    if values["person"] and values["person"].quote_consent == QuoteConsent.NONE:
        raise ValidationError(
            _("%(person)s did not consent to be quoted.") % {"person": values["person"]}
        )
    programme_id = coding.code.programme_id
    for thing in (values["organisation"], values["person"] and values["person"].organisation):
        if thing and thing.programme_id != programme_id:
            raise ValidationError(_("The attribution names another programme's organisation."))
    quote, _created = Quote.objects.update_or_create(coding=coding, defaults=values)
    return quote


def quote_unmark(*, coding: Coding) -> None:
    Quote.objects.filter(coding=coding).delete()


def coding_memo_save(*, coding: Coding, text: str) -> Coding:
    """A coding's memo (its one note; empty text clears it)."""
    coding.memo = text.strip()
    coding.save(update_fields=["memo"])
    return coding


def memo_add(
    *, author, text: str, code: Code | None = None, resource: Resource | None = None
) -> Memo:
    """A dated, signed memo on a code or a resource (a coding's note is `coding_memo_save`)."""
    text = text.strip()
    if not text:
        raise ValidationError(_("A memo needs some text."))
    if (code is None) == (resource is None):
        raise ValidationError(_("A memo is written on one code or resource."))
    programme_id = (code or resource).programme_id
    return Memo.objects.create(
        programme_id=programme_id, author=author, text=text, code=code, resource=resource
    )
