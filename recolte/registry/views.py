"""Registry pages: thin views over selectors, forms and the access policy."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from recolte.access.decorators import programme_view
from recolte.access.policy import Action, can, can_create_programme
from recolte.registry import maps, selectors, services
from recolte.registry.forms import (
    AxisForm,
    OrganisationForm,
    PartnershipFormSet,
    PersonForm,
    PilotOperationForm,
    ProgrammeForm,
)
from recolte.registry.models import Axis, Country, Nature, Organisation, Person, PilotOperation


@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    if not can_create_programme(request.user):
        raise PermissionDenied
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        programme = services.programme_create(by=request.user, values=form.cleaned_data)
        messages.success(request, _("Programme created."))
        return redirect(programme)
    return render(request, "registry/form.html", {"form": form, "heading": _("New programme")})


@programme_view(Action.EDIT_REGISTRY)
def programme_edit(request: HttpRequest, programme) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        services.programme_update(programme=programme, values=form.cleaned_data)
        messages.success(request, _("Programme saved."))
        return redirect(programme)
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "programme": programme,
            "heading": _("Edit the programme"),
            "cancel_url": programme.get_absolute_url(),
        },
    )


@programme_view()
def dashboard(request: HttpRequest, programme) -> HttpResponse:
    facts = selectors.programme_facts(programme)
    biggest = max((n for _, _, n in facts.partners_by_nature), default=1)
    context = {
        "programme": programme,
        "facts": facts,
        "biggest": biggest,
        "axes": programme.axes.all(),
        "pilots": programme.pilot_operations.select_related("lead").prefetch_related("countries"),
        "can_edit": can(request.user, Action.EDIT_REGISTRY, programme),
    }
    return render(request, "registry/dashboard.html", context)


@programme_view()
def organisations(request: HttpRequest, programme) -> HttpResponse:
    params = {key: request.GET.get(key, "") for key in ("nature", "country", "standing", "q")}
    orgs = selectors.organisations_filtered(programme, **params)
    context = {
        "programme": programme,
        "organisations": orgs,
        "definition": selectors.STANDINGS.get(params["standing"], selectors.STANDINGS[""]),
        "params": params,
        "natures": Nature.choices,
        "countries": Country.objects.filter(organisation__programme=programme).distinct(),
        "can_edit": can(request.user, Action.EDIT_REGISTRY, programme),
    }
    template = (
        "registry/_organisation_rows.html"
        if request.headers.get("HX-Request")
        else "registry/organisations.html"
    )
    return render(request, template, context)


@programme_view()
def organisation_detail(request: HttpRequest, programme, pk: int) -> HttpResponse:
    org = get_object_or_404(
        Organisation.objects.select_related("country"), programme=programme, pk=pk
    )
    context = {
        "programme": programme,
        "org": org,
        "roles": selectors.organisation_roles(org),
        "people": org.people.all(),
        "can_edit": can(request.user, Action.EDIT_REGISTRY, programme),
    }
    return render(request, "registry/organisation.html", context)


def _edit(request, programme, form_class, instance, heading, save, done):
    """The page of one registry form; `save(values)` writes through the service."""
    form = form_class(request.POST or None, instance=instance, programme=programme)
    if request.method == "POST" and form.is_valid():
        saved = save(form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect(done(saved))
    cancel = (
        instance.get_absolute_url() if instance and hasattr(instance, "get_absolute_url") else None
    )
    context = {
        "form": form,
        "programme": programme,
        "heading": heading,
        "cancel_url": cancel or programme.get_absolute_url(),
    }
    return render(request, "registry/form.html", context)


@programme_view(Action.EDIT_REGISTRY)
def organisation_edit(request: HttpRequest, programme, pk: int | None = None) -> HttpResponse:
    org = get_object_or_404(Organisation, programme=programme, pk=pk) if pk else None
    heading = _("Edit %(name)s") % {"name": org} if org else _("New organisation")
    return _edit(
        request,
        programme,
        OrganisationForm,
        org,
        heading,
        lambda values: services.organisation_save(
            programme=programme, organisation=org, values=values
        ),
        lambda o: o,
    )


@programme_view(Action.EDIT_REGISTRY)
def person_edit(request: HttpRequest, programme, pk: int | None = None) -> HttpResponse:
    person = get_object_or_404(Person, organisation__programme=programme, pk=pk) if pk else None
    heading = _("Edit %(name)s") % {"name": person} if person else _("New person")
    return _edit(
        request,
        programme,
        PersonForm,
        person,
        heading,
        lambda values: services.person_save(person=person, values=values),
        lambda p: p.organisation,
    )


@programme_view(Action.EDIT_REGISTRY)
def axis_edit(request: HttpRequest, programme, pk: int | None = None) -> HttpResponse:
    axis = get_object_or_404(Axis, programme=programme, pk=pk) if pk else None
    heading = _("Edit the axis") if axis else _("New axis")
    return _edit(
        request,
        programme,
        AxisForm,
        axis,
        heading,
        lambda values: services.axis_save(programme=programme, axis=axis, values=values),
        lambda a: programme,
    )


@programme_view()
def pilots(request: HttpRequest, programme) -> HttpResponse:
    context = {
        "programme": programme,
        "pilots": programme.pilot_operations.select_related("lead").prefetch_related(
            "countries", "partnerships"
        ),
        "can_edit": can(request.user, Action.EDIT_REGISTRY, programme),
    }
    return render(request, "registry/pilots.html", context)


@programme_view()
def pilot_detail(request: HttpRequest, programme, pk: int) -> HttpResponse:
    pilot = get_object_or_404(
        PilotOperation.objects.select_related("lead", "lead__country"), programme=programme, pk=pk
    )
    context = {
        "programme": programme,
        "pilot": pilot,
        "partnerships": pilot.partnerships.select_related("organisation", "organisation__country"),
        "can_edit": can(request.user, Action.EDIT_REGISTRY, programme),
    }
    return render(request, "registry/pilot.html", context)


@programme_view(Action.EDIT_REGISTRY)
def pilot_edit(request: HttpRequest, programme, pk: int | None = None) -> HttpResponse:
    pilot = get_object_or_404(PilotOperation, programme=programme, pk=pk) if pk else None
    data = request.POST if request.method == "POST" else None
    form = PilotOperationForm(data, instance=pilot, programme=programme)
    partners = PartnershipFormSet(
        data,
        instance=pilot or PilotOperation(programme=programme),
        form_kwargs={"programme": programme},
    )
    if data is not None and form.is_valid() and partners.is_valid():
        chosen = [
            (sub.cleaned_data["organisation"], sub.cleaned_data.get("role", ""))
            for sub in partners.forms
            if sub.cleaned_data.get("organisation") and not sub.cleaned_data.get("DELETE")
        ]
        try:
            saved = services.pilot_save(
                programme=programme, pilot=pilot, values=form.cleaned_data, partners=chosen
            )
        except ValidationError as error:
            partners._non_form_errors = partners.error_class(error.messages)
        else:
            messages.success(request, _("Pilot operation saved."))
            return redirect(saved)
    heading = _("Edit the pilot operation") if pilot else _("New pilot operation")
    context = {
        "form": form,
        "partners": partners,
        "programme": programme,
        "heading": heading,
        "cancel_url": pilot.get_absolute_url() if pilot else programme.get_absolute_url(),
    }
    return render(request, "registry/pilot_form.html", context)


@programme_view()
def actor_map(request: HttpRequest, programme) -> HttpResponse:
    network = maps.actor_network(programme)
    context = {
        "programme": programme,
        "network": network,
        "svg": maps.actor_map_svg(network),
        "natures": Nature.choices,
    }
    return render(request, "registry/actor_map.html", context)


@programme_view()
def world_map(request: HttpRequest, programme) -> HttpResponse:
    counts: dict[str, int] = {}
    rows = []
    for country in selectors.pilot_countries(programme):
        pilots = list(programme.pilot_operations.filter(countries=country))
        counts[country.code] = len(pilots)
        rows.append((country, pilots))
    rows.sort(key=lambda row: (-len(row[1]), str(row[0])))
    context = {
        "programme": programme,
        "svg": maps.world_map_svg(counts, title=_("Countries with pilot operations")),
        "rows": rows,
        "facts": selectors.programme_facts(programme),
    }
    return render(request, "registry/world_map.html", context)
