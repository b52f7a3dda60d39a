"""Personal data, for staff: a person's (export, erasure confirmed by typing the name) and the
programme's retention of original files."""

import json

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from recolte.access import audit
from recolte.access.decorators import programme_view
from recolte.access.policy import Action
from recolte.privacy.forms import RetentionForm
from recolte.privacy.models import Retention
from recolte.privacy.services import person_erase, person_export, retention_save
from recolte.registry.models import Person, Programme


class EraseForm(forms.Form):
    confirm = forms.CharField(
        label=gettext_lazy("Type the person's name to confirm"), max_length=200
    )

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_confirm(self) -> str:
        typed = self.cleaned_data["confirm"].strip()
        if typed.casefold() != str(self.person).casefold():
            raise forms.ValidationError(_("The name typed does not match."))
        return typed


def _person(programme: Programme, pk: int) -> Person:
    return get_object_or_404(Person, organisation__programme=programme, pk=pk)


@programme_view(Action.RUN_CAMPAIGNS)
def person_privacy(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    person = _person(programme, pk)
    context = {"programme": programme, "person": person, "form": EraseForm(person=person)}
    return render(request, "privacy/person.html", context)


@programme_view(Action.RUN_CAMPAIGNS)
def person_export_view(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    person = _person(programme, pk)
    data = json.dumps(person_export(person=person), ensure_ascii=False, indent=2)
    audit.record(user=request.user, verb=audit.Verb.EXPORT, target=person, request=request)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
    return response


@require_POST
@programme_view(Action.RUN_CAMPAIGNS)
def person_erase_view(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    person = _person(programme, pk)
    form = EraseForm(request.POST, person=person)
    if not form.is_valid():
        context = {"programme": programme, "person": person, "form": form}
        return render(request, "privacy/person.html", context, status=400)
    done = person_erase(person=person, by=request.user)
    messages.success(request, _("The name is now %(alias)s everywhere.") % {"alias": done.alias})
    return redirect("privacy:person", programme.slug, person.pk)


@programme_view(Action.EDIT_REGISTRY)
def programme_privacy(request: HttpRequest, programme: Programme) -> HttpResponse:
    current = Retention.objects.filter(programme=programme).first()
    form = RetentionForm(request.POST or None, instance=current or Retention(programme=programme))
    if request.method == "POST":
        if form.is_valid():
            retention_save(programme=programme, by=request.user, **form.cleaned_data)
            messages.success(request, _("Retention saved."))
            return redirect("privacy:programme", programme.slug)
        status = 400
    else:
        status = 200
    context = {"programme": programme, "form": form, "cancel_url": programme.get_absolute_url()}
    return render(request, "privacy/programme.html", context, status=status)
