"""The registry JSON format: reading bytes and describing a programme as a document."""

import json
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from recolte.registry.models import ORGANISATION_FIELDS, FieldSpec, Organisation, Programme

from .problems import Problem
from .validate import FORMAT


def read_json(raw: bytes) -> tuple[Any, list[Problem]]:
    """Decode a JSON file; (None, [problem]) if it is not JSON."""
    try:
        return json.loads(raw.decode("utf-8-sig")), []
    except UnicodeDecodeError:
        return None, [Problem("file", None, "", _("The file is not UTF-8 text."))]
    except json.JSONDecodeError as error:
        message = _("Not valid JSON: %(error)s.") % {"error": error.msg}
        return None, [Problem("file", error.lineno, "", message)]
    except RecursionError:  # thousands of nested brackets
        return None, [Problem("file", None, "", _("The JSON is nested too deeply."))]


def _amount(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _organisation_value(organisation: Organisation, spec: FieldSpec) -> Any:
    value = getattr(organisation, spec.name)
    if spec.lines:
        return _lines(value)
    if spec.field.is_relation:  # the country, by its code
        return value.pk if value else ""
    return value


def document_from_programme(programme: Programme) -> dict[str, Any]:
    """The whole programme as a registry document, in a stable order."""
    p = programme
    orgs = list(p.organisations.select_related("country").prefetch_related("people"))
    pilots = p.pilot_operations.select_related("lead").prefetch_related(
        "countries", "axes", "partnerships__organisation"
    )
    return {
        "format": FORMAT,
        "programme": {
            "slug": p.slug,
            "name": p.name,
            "acronym": p.acronym,
            "start_year": p.start_year,
            "end_year": p.end_year,
            "budget": _amount(p.budget),
            "currency": p.currency,
            "summary": p.summary,
            "funders": _lines(p.funders),
            "capitalised_by": p.capitalised_by,
            "is_published": p.is_published,
        },
        "axes": [
            {"kind": a.kind, "number": a.number, "title": a.title, "description": a.description}
            for a in p.axes.all()
        ],
        "organisations": [
            {
                spec.name: _organisation_value(o, spec)
                for spec in ORGANISATION_FIELDS
                if spec.exported
            }
            for o in orgs
        ],
        "people": [
            {
                "first_name": person.first_name,
                "last_name": person.last_name,
                "organisation": o.label,
                "role": person.role,
                "email": person.email,
            }
            for o in orgs
            for person in o.people.all()
        ],
        "pilot_operations": [
            {
                "code": op.code,
                "title": op.title,
                "lead": op.lead.label,
                "partners": [
                    {"organisation": link.organisation.label, "role": link.role}
                    for link in op.partnerships.all()
                ],
                "countries": sorted(c.code for c in op.countries.all()),
                "territories": op.territory_list(),
                "axes": [f"{a.kind}:{a.number}" for a in op.axes.all()],
                "summary": op.summary,
                "shared_stake": op.shared_stake,
                "start_year": op.start_year,
                "end_year": op.end_year,
                "is_published": op.is_published,
            }
            for op in pilots.order_by("code")
        ],
    }


def write_json(doc: dict[str, Any]) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
