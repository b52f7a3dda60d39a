"""Synthesis pages: the cross-cutting analysis tree, node editor, exports, campaign syntheses."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from recolte.access import audit
from recolte.access.decorators import programme_view
from recolte.access.policy import Action
from recolte.coding.models import Code
from recolte.collection.models import Campaign, Instrument
from recolte.registry import params
from recolte.registry.models import Programme

from . import central, publication
from .assemble import Assembler, scoped_codes
from .campaigns import campaign_report, campaign_synthesis
from .drafts import draft
from .evidence import Filters
from .models import CampaignSynthesis, NodeText, Pseudonymise, Report
from .report import FORMATS
from .report import render as render_document
from .report.charts import render_chart
from .report.html_writer import markdown_html
from .services import StaleEdit, history, report_create, save_campaign_text, save_node_text
from .tasks import report_publish_start, report_start


class VersionParam(forms.Form):
    version = forms.IntegerField(required=False, min_value=0, max_value=params.MAX_ID)


@programme_view(Action.WRITE_SYNTHESIS)
def analysis(request: HttpRequest, programme: Programme) -> HttpResponse:
    filters = Filters.from_query(request.GET.get)
    a = Assembler(programme, filters, Pseudonymise.FIRST_NAME, use_vectors=False)
    own = {pk: len(items) for pk, items in a.by_code.items()}
    subtree: dict[int, int] = {}
    for code, _depth in reversed(a.codes):
        subtree[code.pk] = subtree.get(code.pk, 0) + own.get(code.pk, 0)
        if code.parent_id:
            subtree[code.parent_id] = subtree.get(code.parent_id, 0) + subtree[code.pk]
    texts = set(
        NodeText.objects.filter(programme=programme)
        .exclude(text="")
        .values_list("code_id", flat=True)
    )
    leaves = {c.pk for c, _d in a.codes} - {c.parent_id for c, _d in a.codes}
    rows = [
        {
            "code": c,
            "depth": d,
            "own": own.get(c.pk, 0),
            "total": subtree.get(c.pk, 0),
            "orgs": len({o.pk for i in a.by_code.get(c.pk, []) for o in i.orgs}),
            "has_text": c.pk in texts,
            "empty": c.pk in leaves and not subtree.get(c.pk),
        }
        for c, d in a.codes
    ]
    return render(
        request,
        "synthesis/analysis.html",
        {
            "programme": programme,
            "rows": rows,
            "filters": filters,
            "never_cited": a.never_cited(),
            "empty": [r["code"] for r in rows if r["empty"]],
            "axes": [c for c, d in scoped_codes(programme, "") if d == 0],
            "instruments": Instrument.choices,
            "pilots": programme.pilot_operations.all(),
            "reports": programme.reports.all()[:10],
            "formats": FORMATS.values(),
            "pseudonymise": Pseudonymise.choices,
            "query": request.GET.urlencode(),
            "campaigns": Campaign.objects.filter(programme=programme),
            "passages": len(a.items),
        },
    )


def _node_context(programme: Programme, code: Code) -> dict:
    a = Assembler(programme, Filters(), Pseudonymise.FIRST_NAME)
    own = a.by_code.get(code.pk, [])
    prose = [i for i in own if i.quote is None]
    key = central.central(prose, central.embed(prose, a.store), 3) if prose else []
    node = NodeText.objects.filter(code=code).first()
    return {
        "programme": programme,
        "code": code,
        "items": own,
        "draft": draft(own, key) if own else "",
        "node": node,
        "history": history(node) if node else [],
        "quotes": [i for i in own if i.quote],
    }


@programme_view(Action.WRITE_SYNTHESIS)
def node_edit(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    code = get_object_or_404(Code, programme=programme, pk=pk)
    if request.method == "POST":
        try:
            base = int(request.POST.get("version", "0"))
        except ValueError:
            base = -1
        try:
            save_node_text(
                code=code, text=request.POST.get("text", ""), base_version=base, user=request.user
            )
        except StaleEdit as stale:
            context = _node_context(programme, code)
            context.update(
                {
                    "stale": stale,
                    "preview_mine": markdown_html(stale.mine),
                    "preview_theirs": markdown_html(stale.current_text),
                }
            )
            return render(request, "synthesis/merge.html", context, status=409)
        return redirect("synthesis:node", programme.slug, code.pk)
    context = _node_context(programme, code)
    node = context["node"]
    text = node.text if node else ""
    if request.GET.get("draft"):
        text = context["draft"]
    context.update(
        {"text": text, "version": node.version if node else 0, "preview": markdown_html(text)}
    )
    return render(request, "synthesis/node.html", context)


@require_POST
@programme_view(Action.WRITE_SYNTHESIS)
def preview(request: HttpRequest, programme: Programme) -> HttpResponse:
    return HttpResponse(markdown_html(request.POST.get("text", "")))


@require_POST
@programme_view(Action.WRITE_SYNTHESIS)
def export(request: HttpRequest, programme: Programme) -> HttpResponse:
    filters = Filters.from_query(request.POST.get)
    report = report_create(
        programme=programme,
        formats=request.POST.getlist("format"),
        filters=filters,
        pseudonymise=request.POST.get("pseudonymise", Pseudonymise.FIRST_NAME),
        by=request.user,
    )
    report_start(report)
    return redirect(f"{_analysis_url(programme)}#report-{report.pk}")


def _publish_or_withdraw(
    request: HttpRequest, obj: CampaignSynthesis | Report, publish: bool
) -> bool:
    """Snapshot `obj` for the portal (again, if already public) or withdraw it; the publisher
    is told what the snapshot left out, that a report's files render in the background, or
    why an empty synthesis was refused (False: nothing changed)."""
    if not publish:
        publication.unpublish(obj)
        return True
    if isinstance(obj, Report):
        done = publication.snapshot_of(report_publish_start(obj, by=request.user))
    else:
        try:
            done = publication.publish(obj, by=request.user)
        except publication.NothingToPublish as refused:
            messages.error(request, str(refused))
            return False
    if done is None:
        messages.info(request, publication.PUBLISHING_LATER)
    elif done.left_out:
        items = "; ".join(done.left_out)
        messages.warning(request, _("Left out of the public page: %(items)s") % {"items": items})
    return True


def _publish_verb(publish: bool) -> str:
    return audit.Verb.PUBLISH if publish else audit.Verb.UNPUBLISH


def _analysis_url(programme: Programme) -> str:
    return reverse("synthesis:analysis", args=[programme.slug])


@programme_view(Action.WRITE_SYNTHESIS)
def report_status(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    report = get_object_or_404(Report, programme=programme, pk=pk)
    return render(request, "synthesis/_report_row.html", {"programme": programme, "r": report})


@programme_view(Action.WRITE_SYNTHESIS)
def report_file(request: HttpRequest, programme: Programme, pk: int, fmt: str) -> HttpResponse:
    report = get_object_or_404(Report, programme=programme, pk=pk)
    found = report.file(fmt)
    if found is None:
        raise Http404
    audit.record(user=request.user, verb=audit.Verb.EXPORT, target=report, request=request)
    return FileResponse(
        found.open("rb"),
        as_attachment=True,
        filename=found.name.rsplit("/", 1)[-1],
        content_type=FORMATS[fmt].content_type,
    )


@require_POST
@programme_view(Action.PUBLISH)
def report_publish(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    report = get_object_or_404(Report, programme=programme, pk=pk, status=Report.Status.DONE)
    publish = request.POST.get("publish") == "1"
    if _publish_or_withdraw(request, report, publish):
        verb = _publish_verb(publish)
        audit.record(user=request.user, verb=verb, target=report, request=request)
    return redirect(f"{_analysis_url(programme)}#report-{report.pk}")


@programme_view(Action.WRITE_SYNTHESIS)
def campaign(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    found = get_object_or_404(Campaign, programme=programme, pk=pk)
    view = campaign_synthesis(found, language=get_language() or settings.LANGUAGE_CODE)
    for node in view.nodes:
        node.html = markdown_html(node.text)
    return render(
        request,
        "synthesis/campaign.html",
        {
            "programme": programme,
            "campaign": found,
            "view": view,
            "version": view.synthesis.version if view.synthesis else 0,
            "overall": markdown_html(view.synthesis.text) if view.synthesis else "",
            "chart": mark_safe(render_chart(view.chart).svg) if view.chart else "",  # noqa: S308
            "formats": FORMATS.values(),
            "changed_since_publication": bool(view.synthesis)
            and publication.changed_since_publication(view.synthesis),
        },
    )


@require_POST
@programme_view(Action.WRITE_SYNTHESIS)
def campaign_save(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    found = get_object_or_404(Campaign, programme=programme, pk=pk)
    key = request.POST.get("key", "")
    if key and not Code.objects.filter(programme=programme, key=key).exists():
        raise Http404
    try:
        save_campaign_text(
            campaign=found,
            key=key,
            text=request.POST.get("text", ""),
            base_version=params.clean(VersionParam, request.POST)["version"] or 0,
            user=request.user,
        )
    except StaleEdit as stale:
        return render(
            request,
            "synthesis/campaign_merge.html",
            {
                "programme": programme,
                "campaign": found,
                "key": key,
                "stale": stale,
                "title": key or _("Overall analysis"),
            },
            status=409,
        )
    return redirect("synthesis:campaign", programme.slug, found.pk)


@require_POST
@programme_view(Action.PUBLISH)
def campaign_publish(request: HttpRequest, programme: Programme, pk: int) -> HttpResponse:
    found = get_object_or_404(Campaign, programme=programme, pk=pk)
    synthesis = publication.synthesis_of(found)
    publish = request.POST.get("publish") == "1"
    if _publish_or_withdraw(request, synthesis, publish):
        audit.record(
            user=request.user,
            verb=_publish_verb(publish),
            target=synthesis,
            programme=programme,
            request=request,
        )
    return redirect("synthesis:campaign", programme.slug, found.pk)


@programme_view(Action.WRITE_SYNTHESIS)
def campaign_export(request: HttpRequest, programme: Programme, pk: int, fmt: str) -> HttpResponse:
    found = get_object_or_404(Campaign, programme=programme, pk=pk)
    spec = FORMATS.get(fmt)
    if spec is None:
        raise Http404
    data = render_document(campaign_report(campaign_synthesis(found)), fmt)
    name = spec.file_name(f"synthese-{found.pk}")
    audit.record(
        user=request.user, verb=audit.Verb.EXPORT, target=name, programme=programme, request=request
    )
    response = HttpResponse(data, content_type=spec.content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
