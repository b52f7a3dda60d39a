"""The coding workbench: a version's text, the code picker, and a small JSON API for the script.

The browser counts offsets in UTF-16 code units; they are converted to code points here, at
the boundary, and everything sent back carries UTF-16 offsets (`start16`, `end16`).
"""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from recolte.access.decorators import programme_view
from recolte.access.policy import Action
from recolte.coding import services
from recolte.coding.agreement import paragraphs
from recolte.coding.forms import MemoForm, QuoteForm
from recolte.coding.models import Code, Coding, Memo, Quote
from recolte.coding.selectors import quote_reviews, tree
from recolte.collection.models import Resource, ResourceVersion
from recolte.registry import params
from recolte.registry.models import Programme

PLACEHOLDER = 999999999


def _version(programme: Programme, pk: int) -> ResourceVersion:
    return get_object_or_404(
        ResourceVersion.objects.select_related("resource"), pk=pk, resource__programme=programme
    )


def _payload(version: ResourceVersion, user) -> dict:
    text = version.text
    rows = []
    found = version.codings.select_related("code", "coder", "quote")
    for c in found.order_by("start", "end", "pk"):
        rows.append(
            {
                "id": c.pk,
                "start16": services.codepoints_to_utf16(text, c.start),
                "end16": services.codepoints_to_utf16(text, c.end),
                "code": c.code_id,
                "name": c.code.name,
                "colour": c.code.colour or "#999999",
                "coder": c.coder.get_username() if c.coder else "",
                "mine": c.coder_id == user.pk,
                "memo": c.memo,
                "assistant": c.assistant,
                "quote": hasattr(c, "quote"),
                "excerpt": text[c.start : c.end][:160],
            }
        )
    return {"codings": rows}


@programme_view(Action.CODE)
def workbench(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    resource = get_object_or_404(Resource, programme=programme, pk=pk)
    versions = resource.versions.order_by("-number")
    number = params.parse_id(request.GET.get("version"))
    version = (versions.filter(number=number) if number else versions).first()
    if version is None:
        messages.error(request, _("This resource has no text to code yet."))
        return redirect(resource.get_absolute_url())
    text = version.text
    blocks = [
        {"start16": services.codepoints_to_utf16(text, s), "text": text[s:e]}
        for s, e in paragraphs(text)
    ]
    codes = [
        {
            "id": c.pk,
            "name": c.name,
            "key": c.key,
            "colour": c.colour or "#999999",
            "depth": d,
            "codable": c.codable,
            "path": c.description[:120],
        }
        for c, d in tree(programme)
    ]
    context = {
        "programme": programme,
        "resource": resource,
        "version": version,
        "blocks": blocks,
        "boot": {
            "codes": codes,
            "api": reverse("coding:codings", args=[programme.slug, version.pk]),
            "undo": reverse("coding:undo", args=[programme.slug]),
            "version": version.pk,
            # URL patterns for one coding: the script puts the id in place of PLACEHOLDER.
            **{
                name: reverse(f"coding:coding_{name}", args=[programme.slug, PLACEHOLDER])
                for name in ("detail", "delete", "adjust")
            },
            **_payload(version, request.user),
        },
        "memos": Memo.objects.filter(resource=resource).select_related("author"),
        "memo_form": MemoForm(),
        "quotes_found": len(quote_reviews(programme, request.user, resource)),
    }
    return render(request, "coding/workbench.html", context)


def _body(request: HttpRequest) -> dict:
    """The JSON object the workbench script posts; any other body carries nothing."""
    if request.content_type != "application/json":
        return {}
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _span(version: ResourceVersion, data: dict) -> tuple[int, int]:
    try:
        start16, end16 = int(data["start16"]), int(data["end16"])
    except (KeyError, TypeError, ValueError):
        raise ValidationError(_("Select some text first.")) from None
    text = version.text
    return services.utf16_to_codepoints(text, start16), services.utf16_to_codepoints(text, end16)


def _refused(error: ValidationError) -> JsonResponse:
    return JsonResponse({"error": " ".join(error.messages)}, status=400)


@programme_view(Action.CODE)
def codings(request: HttpRequest, programme: Programme, pk: int) -> JsonResponse:
    """GET: the version's codings; POST {start16, end16, codes: [ids], memo}: code the span."""
    version = _version(programme, pk)
    if request.method == "POST":
        data = _body(request)
        ids = [int(i) for i in data.get("codes", []) if str(i).isdigit()]
        found = list(Code.objects.filter(programme=programme, pk__in=ids))
        try:
            if not found:
                raise ValidationError(_("Choose a code."))
            start, end = _span(version, data)
            for code in found:
                services.coding_create(
                    version=version,
                    start=start,
                    end=end,
                    code=code,
                    coder=request.user,
                    memo=str(data.get("memo", "")),
                )
        except ValidationError as error:
            return _refused(error)
    return JsonResponse(_payload(version, request.user))


def _coding(programme: Programme, pk: int) -> Coding:
    return get_object_or_404(
        Coding.objects.select_related("version__resource", "code"), pk=pk, code__programme=programme
    )


@require_POST
@programme_view(Action.CODE)
def coding_delete(request: HttpRequest, programme: Programme, pk: int) -> JsonResponse:
    coding = _coding(programme, pk)
    version = coding.version
    services.coding_delete(coding=coding, user=request.user)
    return JsonResponse(_payload(version, request.user))


@require_POST
@programme_view(Action.CODE)
def coding_adjust(request: HttpRequest, programme: Programme, pk: int) -> JsonResponse:
    coding = _coding(programme, pk)
    try:
        start, end = _span(coding.version, _body(request))
        services.coding_adjust(coding=coding, start=start, end=end, user=request.user)
    except ValidationError as error:
        return _refused(error)
    return JsonResponse(_payload(coding.version, request.user))


@require_POST
@programme_view(Action.CODE)
def undo(request: HttpRequest, programme: Programme) -> JsonResponse:
    action = services.undo_last(user=request.user, programme=programme)
    version_id = _body(request).get("version")
    payload = {"undone": action.kind if action else None}
    if str(version_id).isdigit():
        payload.update(_payload(_version(programme, int(version_id)), request.user))
    return JsonResponse(payload)


@programme_view(Action.CODE)
def coding_detail(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    """A coding's memo and quote attribution (prefilled from the resource's provenance)."""
    coding = _coding(programme, pk)
    quote = Quote.objects.filter(coding=coding).first()
    initial = None if quote else services.quote_defaults(coding)
    quote_form = QuoteForm(instance=quote, initial=initial, programme=programme)
    memo_form = MemoForm(initial={"text": coding.memo})
    if request.method == "POST":
        back = reverse("coding:coding_detail", args=[programme.slug, coding.pk])
        action = request.POST.get("action")
        if action == "memo":
            services.coding_memo_save(coding=coding, text=request.POST.get("text", ""))
            return redirect(back)
        if action == "unquote":
            services.quote_unmark(coding=coding)
            return redirect(back)
        quote_form = QuoteForm(request.POST, instance=quote, programme=programme)
        if quote_form.is_valid():
            try:
                services.quote_mark(coding=coding, **quote_form.cleaned_data)
            except ValidationError as error:
                quote_form.add_error(None, error)
            else:
                messages.success(request, _("Quote saved."))
                return redirect(back)
    return render(
        request,
        "coding/coding_detail.html",
        {
            "programme": programme,
            "coding": coding,
            "quote": quote,
            "quote_form": quote_form,
            "memo_form": memo_form,
            "resource": coding.version.resource,
        },
        status=400 if quote_form.errors else 200,
    )


@require_POST
@programme_view(Action.CODE)
def memo_add(request: HttpRequest, programme: Programme) -> HttpResponse:
    """A memo on a resource (`resource`) or a code (`code`); back to where it was written."""
    form = MemoForm(request.POST)
    target = {}
    if request.POST.get("resource"):
        target["resource"] = params.object_or_404(
            Resource, request.POST["resource"], programme=programme
        )
        back = reverse("coding:workbench", args=[programme.slug, target["resource"].pk])
    else:
        target["code"] = params.object_or_404(Code, request.POST.get("code"), programme=programme)
        back = reverse("coding:codebook", args=[programme.slug]) + f"?code={target['code'].pk}"
    if form.is_valid():
        services.memo_add(author=request.user, text=form.cleaned_data["text"], **target)
    return redirect(back)
