"""Pickers list organisations in the order of what they show, people with their organisation,
and mark the fields the browser turns into searchable pickers."""

from django import forms

from recolte.pickers import use_pickers
from recolte.registry.choices import organisation_choices, people_choices, person_label
from recolte.registry.forms import PersonForm, PilotOperationForm
from recolte.registry.models import Nature, Organisation, Person


def test_organisations_sort_by_the_label_shown(world):
    # "Zèbre" shows as "AAA": first, though its name sorts last; no acronym: the name is shown.
    Organisation.objects.create(
        programme=world.programme, name="Zèbre", acronym="AAA", nature=Nature.NGO
    )
    Organisation.objects.create(programme=world.programme, name="beaux jardins", nature=Nature.NGO)
    shown = [o.label for o in organisation_choices(world.programme)]
    assert shown == ["AAA", "ALPHA", "beaux jardins", "BETA"]
    field = PilotOperationForm(programme=world.programme).fields["lead"]
    assert [label for _value, label in list(field.choices)[1:]] == shown


def test_homonyms_are_told_apart_by_organisation(world):
    for org in (world.partner, world.lead):
        Person.objects.create(organisation=org, first_name="Awa", last_name="Diop")
    labels = [person_label(p) for p in people_choices(world.programme)]
    assert labels == ["Awa Diop — ALPHA", "Awa Diop — BETA"]
    other = Person.objects.create(
        organisation=Organisation.objects.create(
            programme=world.other_programme, name="Ailleurs", nature=Nature.NGO
        ),
        first_name="Awa",
    )
    assert other not in people_choices(world.programme)


def test_pickers_mark_multiple_and_long_lists_only(world):
    pilot = PilotOperationForm(programme=world.programme)
    marks = {name: f.widget.attrs.get("data-picker") for name, f in pilot.fields.items()}
    assert marks["countries"] == marks["axes"] == "multiple"
    assert marks["lead"] == "single" and marks["title"] is None
    person = PersonForm(programme=world.programme).fields["quote_consent"]
    assert "data-picker" not in person.widget.attrs  # four choices: the native select is quicker

    class Long(forms.Form):
        year = forms.ChoiceField(choices=[(y, y) for y in range(2000, 2030)])

    form = Long()
    use_pickers(form)
    assert form.fields["year"].widget.attrs["data-picker"] == "single"
