"""The public portal: open to anonymous visitors, reading only through `selectors`.

Templates get the programme as `site`, never `programme`, so the internal navigation of
`base.html` stays hidden.
"""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from recolte.portal import selectors
from recolte.portal.public_synthesis import snapshot_nodes
from recolte.synthesis.report import FORMATS
from recolte.synthesis.report.html_writer import markdown_html

PAGE = 20


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/index.html", {"sites": selectors.published_programmes()})


def programme_home(request: HttpRequest, slug: str) -> HttpResponse:
    site = selectors.programme_or_404(slug)
    context = {
        "site": site,
        "facts": selectors.public_facts(site),
        "axes": site.axes.all(),
        "pilots": selectors.published_pilots(site),
        "map_svg": selectors.pilots_map_svg(site),
        "resources": selectors.published_resources(site)[:5],
        "syntheses": selectors.published_syntheses(site),
        "reports": selectors.published_reports(site),
    }
    return render(request, "portal/programme.html", context)


def pilots(request: HttpRequest, slug: str) -> HttpResponse:
    site = selectors.programme_or_404(slug)
    context = {
        "site": site,
        "pilots": selectors.published_pilots(site),
        "map_svg": selectors.pilots_map_svg(site),
    }
    return render(request, "portal/pilots.html", context)


def pilot(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    site = selectors.programme_or_404(slug)
    sheet = selectors.pilot_or_404(site, code)
    context = {
        "site": site,
        "pilot": sheet,
        "partnerships": sheet.partnerships.select_related("organisation", "organisation__country"),
        "resources": selectors.published_resources(site).filter(pilot=sheet),
    }
    return render(request, "portal/pilot.html", context)


def library(request: HttpRequest, slug: str) -> HttpResponse:
    site = selectors.programme_or_404(slug)
    query = request.GET.get("q", "").strip()[:200]
    context = {"site": site, "query": query}
    if query:
        offset = _int(request.GET.get("offset"))
        context["results"] = selectors.search_published(site, query, offset=offset, limit=PAGE)
    else:
        pages = Paginator(
            selectors.published_resources(site).prefetch_related("organisations"), PAGE
        )
        context["page"] = pages.get_page(request.GET.get("page"))
    return render(request, "portal/library.html", context)


def resource(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    site = selectors.programme_or_404(slug)
    found = selectors.resource_or_404(site, pk)
    pilot_public = found.pilot if found.pilot and found.pilot.is_published else None
    context = {
        "site": site,
        "resource": found,
        "passages": selectors.resource_passages(found),
        "organisations": found.organisations.all(),
        "pilot": pilot_public,
    }
    return render(request, "portal/resource.html", context)


def _int(value: str | None) -> int:
    try:
        return max(0, int(value or 0))
    except ValueError:
        return 0


def syntheses(request: HttpRequest, slug: str) -> HttpResponse:
    site = selectors.programme_or_404(slug)
    context = {
        "site": site,
        "syntheses": selectors.published_syntheses(site),
        "reports": selectors.published_reports(site),
    }
    return render(request, "portal/syntheses.html", context)


def synthesis(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    site = selectors.programme_or_404(slug)
    found = selectors.synthesis_or_404(site, pk)
    content = found.publication.content
    context = {
        "site": site,
        "synthesis": found,
        "title": content["title"],
        "overall": markdown_html(content["overall"]),
        "nodes": snapshot_nodes(content),
    }
    return render(request, "portal/synthesis.html", context)


def report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    site = selectors.programme_or_404(slug)
    found = selectors.report_or_404(site, pk)
    context = {"site": site, "report": found, "formats": selectors.report_formats(found)}
    return render(request, "portal/report.html", context)


def report_file(request: HttpRequest, slug: str, pk: int, fmt: str) -> FileResponse:
    site = selectors.programme_or_404(slug)
    found = selectors.report_or_404(site, pk)
    stored = found.publication.file(fmt)  # the public rendering made when it was published
    spec = FORMATS.get(fmt)
    if stored is None or spec is None:
        raise Http404
    # The HTML report is our own standalone rendering and reads in the browser; the rest download.
    return FileResponse(
        stored.open("rb"),
        as_attachment=not spec.inline,
        filename=spec.file_name(slugify(found) or "report"),
        content_type=spec.content_type,
    )
