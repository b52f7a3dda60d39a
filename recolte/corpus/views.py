"""Search page and API, more-like-this, unknown entities, processing progress."""

from django import forms
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from recolte.access import audit
from recolte.access.decorators import programme_view
from recolte.access.policy import Action, can
from recolte.collection.models import Confidentiality, Instrument
from recolte.collection.selectors import visible_campaigns, visible_resources
from recolte.registry import params
from recolte.registry.models import Country, Nature, Organisation, PilotOperation, Programme

from . import services
from .filters import hit_json, parse_filters
from .models import Passage, ProcessingRun, UnknownEntity
from .search import passages_search, similar_passages

PAGE = 20


MAX_OFFSET = 100_000  # far past any result list; bounds what a query string can ask for


class PageParams(forms.Form):
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_OFFSET // PAGE)


class ApiParams(forms.Form):
    limit = forms.IntegerField(required=False, min_value=1, max_value=100)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET)


def _page(request: HttpRequest) -> int:
    return params.clean(PageParams, request.GET)["page"] or 1


def _audit(request: HttpRequest, programme: Programme, kind: str, label: str, passages) -> None:
    """One audit line per list of results that showed unpublished passages."""
    levels = (p.resource.confidentiality for p in passages)
    audit.record_results(
        user=request.user,
        programme=programme,
        kind=kind,
        label=label,
        levels=levels,
        request=request,
    )


@programme_view(Action.VIEW)
def search(request: HttpRequest, programme: Programme) -> HttpResponse:
    page = _page(request)
    results = passages_search(
        user=request.user,
        programme=programme,
        query=request.GET.get("q", ""),
        filters=parse_filters(request.GET.get),
        limit=PAGE,
        offset=(page - 1) * PAGE,
    )
    shown = [p for h in results.hits + results.related for p in (h.passage, *h.similar)]
    _audit(request, programme, "search", results.query, shown)
    context = {
        "programme": programme,
        "results": results,
        "page": page,
        "params": _params(request),
        "why": can(request.user, Action.CODE, programme),  # how the engine ranks: coders only
    }
    if request.headers.get("HX-Request"):
        return render(request, "corpus/search_results.html", context)
    context |= {
        "instruments": Instrument.choices,
        "campaigns": visible_campaigns(request.user, programme),
        "organisations": Organisation.objects.filter(programme=programme),
        "natures": Nature.choices,
        "pilots": PilotOperation.objects.filter(programme=programme),
        "countries": Country.objects.filter(
            Q(pilotoperation__programme=programme) | Q(mentions__passage__programme=programme)
        ).distinct(),
        "languages": Passage.objects.filter(programme=programme)
        .values_list("language", flat=True)
        .distinct()
        .order_by("language"),
        "confidentialities": Confidentiality.choices,
        "get": request.GET,
    }
    return render(request, "corpus/search.html", context)


def _params(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@programme_view(Action.VIEW)
def api_search(request: HttpRequest, programme: Programme) -> JsonResponse:
    form = ApiParams(request.GET)
    if not form.is_valid():  # a JSON client gets its errors as JSON, field by field
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    limit, offset = form.cleaned_data["limit"] or 20, form.cleaned_data["offset"] or 0
    results = passages_search(
        user=request.user,
        programme=programme,
        query=request.GET.get("q", ""),
        filters=parse_filters(request.GET.get),
        limit=limit,
        offset=offset,
    )
    shown = [p for h in results.hits + results.related for p in (h.passage, *h.similar)]
    _audit(request, programme, "search", results.query, shown)
    why = can(request.user, Action.CODE, programme)
    return JsonResponse(
        {
            "query": results.query,
            "total": results.total,
            "offset": offset,
            "limit": limit,
            "hits": [hit_json(h, why=why) for h in results.hits],
            "related": [hit_json(h, why=why) for h in results.related],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _visible_passage(request: HttpRequest, programme: Programme, pk: int) -> Passage:
    visible = visible_resources(request.user, programme)
    return get_object_or_404(Passage, pk=pk, programme=programme, resource__in=visible)


@programme_view(Action.VIEW)
def similar(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    passage = _visible_passage(request, programme, pk)
    hits = similar_passages(passage, request.user, k=5)
    _audit(request, programme, "similar", str(passage), [passage, *(h.passage for h in hits)])
    return render(request, "corpus/similar.html", {"passage": passage, "hits": hits})


@programme_view(Action.CODE)
def unknown_entities(request: HttpRequest, programme: Programme) -> HttpResponse:
    entities = UnknownEntity.objects.filter(
        programme=programme, ignored=False, mapped_to__isnull=True, count__gt=0
    )
    return render(
        request,
        "corpus/unknown.html",
        {
            "programme": programme,
            "entities": entities[:300],
            "organisations": Organisation.objects.filter(programme=programme),
        },
    )


@require_POST
@programme_view(Action.CODE)
def unknown_entity_resolve(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    """Ignore the name, or map it: it becomes an alias of the organisation and is linked."""
    entity = get_object_or_404(UnknownEntity, pk=pk, programme=programme)
    if request.POST.get("action") == "ignore":
        services.unknown_entity_ignore(entity=entity)
    else:
        org = params.object_or_404(
            Organisation, request.POST.get("organisation"), programme=programme
        )
        services.unknown_entity_map(entity=entity, organisation=org)
    return redirect("corpus:unknown", programme.slug)


@programme_view(Action.VIEW)
def resource_passages(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    """The live passages of a resource with their `p-<id>` anchors (for the resource page)."""
    resource = get_object_or_404(visible_resources(request.user, programme), pk=pk)
    passages = (
        Passage.objects.filter(resource=resource, retired_in__isnull=True)
        .prefetch_related("mentions__organisation", "mentions__country")
        .order_by("ordinal")
    )
    audit.record_view(user=request.user, target=resource, request=request)
    return render(
        request, "corpus/resource_passages.html", {"programme": programme, "passages": passages}
    )


@programme_view(Action.VIEW)
def progress(request: HttpRequest, programme: Programme) -> HttpResponse:
    """A fragment the library and resource pages include; it polls while work is pending."""
    resource_id = request.GET.get("resource")
    # Counts of visible resources only: the box must not reveal how much is hidden.
    resources = visible_resources(request.user, programme)
    runs = ProcessingRun.objects.filter(programme=programme)
    if resource_id:
        resource = params.object_or_404(resources, resource_id)
        runs = runs.filter(label__startswith=f"resource {resource.pk} ")
    active = list(runs.live()[:5])  # a stale run (killed process) is shown interrupted
    latest = runs.first()
    processed = resources.filter(passages__isnull=False).distinct().count()
    context = {
        "programme": programme,
        "active": active,
        "latest": latest,
        "processed": processed,
        "resources": resources.count(),
        "poll": bool(active) or processed < resources.count(),
        "query": request.GET.urlencode(),
        "label": _("Corpus processing"),
    }
    return render(request, "corpus/progress.html", context)
