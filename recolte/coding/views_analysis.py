"""Analysis pages: frequencies, code × attribute matrix with drill-down, co-occurrence, quotes."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from recolte.access import audit
from recolte.access.decorators import programme_view
from recolte.access.policy import Action
from recolte.coding import selectors
from recolte.coding.heat import heat_level
from recolte.coding.models import Code
from recolte.coding.selectors import tree
from recolte.registry import params
from recolte.registry.models import Programme


def _export(request, programme: Programme, name: str, header, data, fmt: str) -> HttpResponse:
    return audit.exported_table(
        request=request, programme=programme, name=name, header=header, rows=data, fmt=fmt
    )


def _fmt(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format")
    return fmt if fmt in ("csv", "xlsx") else None


@programme_view(Action.CODE)
def frequencies(request: HttpRequest, programme: Programme) -> HttpResponse:
    rows = selectors.frequencies(programme)
    if fmt := _fmt(request):
        header = [
            _("key"),
            _("code"),
            _("codings"),
            _("passages (with codes below)"),
            _("resources (with codes below)"),
        ]
        data = [
            [r["code"].key, r["code"].name, r["codings"], r["passages"], r["resources"]]
            for r in rows
        ]
        return _export(request, programme, f"frequencies-{programme.slug}", header, data, fmt)
    top = max((r["passages"] for r in rows), default=0) or 1
    for row in rows:
        row["width"] = round(100 * row["passages"] / top)
    return render(request, "coding/frequencies.html", {"programme": programme, "rows": rows})


def _matrix_args(request: HttpRequest) -> tuple[str, bool]:
    attribute = request.GET.get("attribute", "nature")
    return (attribute if attribute in selectors.ATTRIBUTES else "nature"), bool(
        request.GET.get("rollup")
    )


@programme_view(Action.CODE)
def matrix(request: HttpRequest, programme: Programme) -> HttpResponse:
    attribute, rollup = _matrix_args(request)
    found = selectors.matrix(programme, attribute, rollup=rollup)
    measure = request.GET.get("measure", "passages")
    if fmt := _fmt(request):
        header = [_("key"), _("code")]
        for _value, label in found.columns:
            header += [
                f"{label} · {_('passages')}",
                f"{label} · {_('codings')}",
                f"{label} · {_('organisations')}",
            ]
        data = []
        for code, _depth, cells in found.rows:
            row = [code.key, code.name]
            for value, _label in found.columns:
                cell = cells.get(value, selectors.Cell())
                row += [len(cell.passages), cell.codings, len(cell.organisations)]
            data.append(row)
        name = f"matrix-{attribute}-{programme.slug}"
        return _export(request, programme, name, header, data, fmt)
    counts = [
        (
            code,
            depth,
            [
                (value, cells.get(value, selectors.Cell()).count(measure))
                for value, _label in found.columns
            ],
        )
        for code, depth, cells in found.rows
    ]
    top = max((n for _code, _depth, row in counts for _value, n in row), default=0)
    table = [
        (code, depth, [(value, n, heat_level(n, top)) for value, n in row])
        for code, depth, row in counts
    ]
    return render(
        request,
        "coding/matrix.html",
        {
            "programme": programme,
            "matrix": found,
            "table": table,
            "attributes": selectors.ATTRIBUTES,
            "attribute": attribute,
            "rollup": rollup,
            "measure": measure,
        },
    )


@programme_view(Action.CODE)
def matrix_cell(request: HttpRequest, programme: Programme) -> HttpResponse:
    attribute, rollup = _matrix_args(request)
    code = params.object_or_404(Code, request.GET.get("code"), programme=programme)
    value = request.GET.get("value", "")
    codings = selectors.cell_codings(programme, attribute, code, value, rollup=rollup)
    return render(
        request,
        "coding/matrix_cell.html",
        {
            "programme": programme,
            "code": code,
            "codings": codings,
            "value": value,
            "attribute": attribute,
            "attribute_label": selectors.ATTRIBUTES[attribute],
        },
    )


@programme_view(Action.CODE)
def cooccurrence(request: HttpRequest, programme: Programme) -> HttpResponse:
    pairs = selectors.co_occurrence(programme)
    codes = {c.pk: c for c, _depth in tree(programme)}
    rows = sorted(
        ((codes[a], codes[b], n) for (a, b), n in pairs.items()), key=lambda r: (-r[2], r[0].order)
    )
    if fmt := _fmt(request):
        data = [[a.key, a.name, b.key, b.name, n] for a, b, n in rows]
        header = [_("key"), _("code"), _("key"), _("code"), _("co-occurrences")]
        return _export(request, programme, f"cooccurrence-{programme.slug}", header, data, fmt)
    top = rows[0][2] if rows else 0  # sorted by count, largest first
    shaded = [(a, b, n, heat_level(n, top)) for a, b, n in rows]
    return render(request, "coding/cooccurrence.html", {"programme": programme, "rows": shaded})


@programme_view(Action.CODE)
def quotes(request: HttpRequest, programme: Programme) -> HttpResponse:
    code = None
    if request.GET.get("code"):
        code = params.object_or_404(Code, request.GET["code"], programme=programme)
    found = list(selectors.quotes_bank(programme, code))
    if fmt := _fmt(request):
        header = [_("key"), _("code"), _("quote"), _("attribution"), _("consent"), _("resource")]
        data = [
            [
                q.coding.code.key,
                q.coding.code.name,
                q.coding.text,
                q.attribution(),
                q.get_consent_display(),
                q.coding.version.resource.title,
            ]
            for q in found
        ]
        return _export(request, programme, f"quotes-{programme.slug}", header, data, fmt)
    return render(
        request,
        "coding/quotes.html",
        {
            "programme": programme,
            "quotes": found,
            "code": code,
            "codes": tree(programme),
        },
    )
