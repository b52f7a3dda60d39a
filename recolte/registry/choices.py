"""The choices every form offers for organisations and people of one programme.

Pickers show an organisation by its label (acronym, else name) and a person as "Name — ORG":
homonyms are common across organisations, and a list sorted by a hidden full name reads as
unsorted. Forms of every room take their choices from here so that all pickers agree.
"""

from django import forms
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce, Lower, NullIf

from recolte.registry.models import Organisation, Person, Programme


def shown_label(prefix: str = "") -> Lower:
    """What `Organisation.label` shows (reached through `prefix`), for the database to sort."""
    return Lower(Coalesce(NullIf(F(f"{prefix}acronym"), Value("")), F(f"{prefix}name")))


def organisation_choices(programme: Programme) -> QuerySet[Organisation]:
    return Organisation.objects.filter(programme=programme).order_by(shown_label(), "name")


def people_choices(programme: Programme) -> QuerySet[Person]:
    return (
        Person.objects.filter(organisation__programme=programme)
        .select_related("organisation")
        .order_by(Lower("first_name"), Lower("last_name"), shown_label("organisation__"))
    )


def person_label(person: Person) -> str:
    return f"{person} — {person.organisation.label}"


class PersonSelect(forms.Select):
    """Each option carries its person's organisation: choosing a person fills it in."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        person = getattr(value, "instance", None)
        if person is not None:
            option["attrs"]["data-organisation"] = person.organisation_id
        return option


def scope_choices(form: forms.BaseForm, programme: Programme) -> None:
    """Offer in every organisation and person field of `form` only `programme`'s, labelled.

    A single person field of a form that also asks for the organisation fills it in the
    browser (`data-fills`, read by pickers.js).
    """
    for field in form.fields.values():
        model = getattr(getattr(field, "queryset", None), "model", None)
        if model is Organisation:
            field.queryset = organisation_choices(programme)
        elif model is Person:
            if not isinstance(field.widget, forms.SelectMultiple):
                field.widget = PersonSelect(attrs=field.widget.attrs)
                if "organisation" in form.fields:
                    field.widget.attrs["data-fills"] = form.add_prefix("organisation")
            field.queryset = people_choices(programme)  # also hands the widget its choices
            field.label_from_instance = person_label
