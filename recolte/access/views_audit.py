"""The audit log pages: a programme's events for its administrators, every event for platform
administrators, each exportable as CSV."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from recolte.access import audit
from recolte.access.decorators import programme_view
from recolte.access.policy import Action
from recolte.registry.models import Programme
from recolte.registry.tables import table_response

PAGE_SIZE = 100


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("User"), max_length=150, required=False)
    verb = forms.ChoiceField(
        label=_("Action"), choices=[("", "—"), *audit.Verb.choices], required=False
    )
    date_from = forms.DateField(label=_("From"), required=False)
    date_to = forms.DateField(label=_("To"), required=False)

    def filters(self) -> audit.AuditFilters:
        data = self.cleaned_data
        return audit.AuditFilters(
            username=data["user"],
            verb=data["verb"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )


def _audit_page(request: HttpRequest, programme: Programme | None, export: bool) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        context = {"programme": programme, "form": form, "page": None}
        return render(request, "access/audit.html", context, status=400)
    found = audit.events(programme=programme, filters=form.filters())
    if export:
        name = f"audit-{programme.slug if programme else 'all'}"
        return table_response(name=name, header=audit.HEADER, rows=audit.rows(found), fmt="csv")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"programme": programme, "form": form, "page": page, "query": query.urlencode()}
    return render(request, "access/audit.html", context)


@programme_view(Action.MANAGE_MEMBERS)
def programme_audit(request: HttpRequest, programme: Programme) -> HttpResponse:
    return _audit_page(request, programme, export=False)


@programme_view(Action.MANAGE_MEMBERS)
def programme_audit_export(request: HttpRequest, programme: Programme) -> HttpResponse:
    return _audit_page(request, programme, export=True)


def _platform_admin(request: HttpRequest) -> None:
    if not (request.user.is_authenticated and request.user.is_superuser):
        raise PermissionDenied


def platform_audit(request: HttpRequest) -> HttpResponse:
    _platform_admin(request)
    return _audit_page(request, None, export=False)


def platform_audit_export(request: HttpRequest) -> HttpResponse:
    _platform_admin(request)
    return _audit_page(request, None, export=True)
