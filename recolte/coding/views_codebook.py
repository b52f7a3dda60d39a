"""The codebook editor: a tree with add, edit, move, merge and delete-after-confirmation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from recolte.access.decorators import programme_view
from recolte.access.policy import Action
from recolte.coding import services
from recolte.coding.forms import CodeAddForm, CodeChoiceForm, CodeForm, ImportForm
from recolte.coding.models import Code
from recolte.coding.selectors import descendants, tree
from recolte.registry.models import Programme
from recolte.registry.params import parse_id


def _back(programme: Programme, code: Code | None = None) -> HttpResponse:
    url = reverse("coding:codebook", args=[programme.slug])
    return redirect(f"{url}?code={code.pk}#code-panel" if code else url)


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@programme_view(Action.CODE)
def codebook_page(request: HttpRequest, programme: Programme) -> HttpResponse:
    counts = dict(
        Code.objects.filter(programme=programme).annotate(n=Count("codings")).values_list("pk", "n")
    )
    rows = [(code, depth, counts.get(code.pk, 0)) for code, depth in tree(programme)]
    selected = None
    context = {"programme": programme, "rows": rows, "add_form": CodeAddForm(programme=programme)}
    if code_id := parse_id(request.GET.get("code")):
        selected = Code.objects.filter(programme=programme, pk=code_id).first()
    if selected is not None:
        below = [c.pk for c in descendants(selected)]
        context |= {
            "selected": selected,
            "edit_form": CodeForm(instance=selected),
            "move_form": CodeChoiceForm(programme=programme, exclude=[selected.pk, *below]),
            "merge_form": CodeChoiceForm(programme=programme, exclude=[selected.pk, *below]),
        }
    return render(request, "coding/codebook.html", context)


@require_POST
@programme_view(Action.CODE)
def code_add(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = CodeAddForm(request.POST, programme=programme)
    if not form.is_valid():
        messages.error(request, _("The code was not added: check its name."))
        return _back(programme)
    data = form.cleaned_data
    try:
        code = services.code_add(
            programme=programme,
            name=data["name"],
            parent=data["parent"],
            kind=data["kind"],
            description=data["description"],
            questions=data["questions"],
            codable=data["codable"],
        )
    except ValidationError as error:
        _errors(request, error)
        return _back(programme)
    return _back(programme, code)


@require_POST
@programme_view(Action.CODE)
def code_edit(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    code = get_object_or_404(Code, programme=programme, pk=pk)
    form = CodeForm(request.POST, instance=code)
    if not form.is_valid():
        messages.error(request, _("The code was not saved: check its fields."))
        return _back(programme, code)
    try:
        services.code_update(code=code, **form.cleaned_data)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Code saved."))
    return _back(programme, code)


@require_POST
@programme_view(Action.CODE)
def code_move(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    code = get_object_or_404(Code, programme=programme, pk=pk)
    form = CodeChoiceForm(request.POST, programme=programme)
    if form.is_valid():
        try:
            services.code_move(code=code, parent=form.cleaned_data["target"])
            messages.success(request, _("Code moved."))
        except ValidationError as error:
            _errors(request, error)
    return _back(programme, code)


@require_POST
@programme_view(Action.CODE)
def code_merge(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    code = get_object_or_404(Code, programme=programme, pk=pk)
    form = CodeChoiceForm(request.POST, programme=programme)
    target = form.cleaned_data["target"] if form.is_valid() else None
    if target is None:
        messages.error(request, _("Choose the code to merge into."))
        return _back(programme, code)
    try:
        moved = services.code_merge(source=code, target=target)
    except ValidationError as error:
        _errors(request, error)
        return _back(programme, code)
    messages.success(request, _("Merged: %(n)d codings moved.") % {"n": moved})
    return _back(programme, target)


@programme_view(Action.CODE)
def code_delete(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    code = get_object_or_404(Code, programme=programme, pk=pk)
    confirm = request.method == "POST" and request.POST.get("confirm") == "yes"
    impact = services.code_delete(code=code, confirm=confirm)
    if impact.deleted:
        messages.success(request, _("Code deleted."))
        return _back(programme)
    return render(
        request, "coding/code_delete.html", {"programme": programme, "code": code, "impact": impact}
    )


@programme_view(Action.CODE)
def codebook_export(request: HttpRequest, programme: Programme) -> HttpResponse:
    response = JsonResponse(
        services.codebook_export(programme), json_dumps_params={"ensure_ascii": False, "indent": 1}
    )
    response["Content-Disposition"] = f'attachment; filename="codebook-{programme.slug}.json"'
    return response


@require_POST
@programme_view(Action.CODE)
def codebook_import(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a JSON file."))
        return _back(programme)
    try:
        data = services.codebook_parse(form.cleaned_data["file"].read())
        report = services.codebook_import(programme=programme, data=data)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("Codebook imported: %(c)d codes created, %(u)d updated.")
            % {"c": report.created, "u": report.updated},
        )
    return _back(programme)
