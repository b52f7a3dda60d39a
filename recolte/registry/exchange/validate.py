"""Check a whole registry document before anything is written.

The document is the JSON format described in docs/registry-format.md, whatever file it came
from. Records may carry a ``_loc`` pair (sheet, line) set by the reader so that problems point
at the spreadsheet row rather than the list position.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email, validate_slug
from django.db import models
from django.utils.translation import gettext_lazy as _

from recolte.registry.countries import find_country
from recolte.registry.models import (
    ORGANISATION_FIELDS,
    Axis,
    Country,
    FieldSpec,
    Organisation,
    Partnership,
    Person,
    PilotOperation,
    Programme,
)
from recolte.registry.services import partner_problem

from .checks import Checker, Location, OrgIndex, norm
from .problems import Problem, RegistryImportError

FORMAT = "recolte-registry/1"


@dataclass
class OrgPlan:
    values: dict[str, Any]


@dataclass
class PersonPlan:
    org: int
    values: dict[str, Any]


@dataclass
class PilotPlan:
    values: dict[str, Any]
    lead: int
    partners: list[tuple[int, str]]
    countries: list[Country]
    axes: list[tuple[str, int]]


@dataclass
class Plan:
    """Everything to write, with references already resolved to list positions."""

    programme: dict[str, Any]
    axes: list[dict[str, Any]] = field(default_factory=list)
    organisations: list[OrgPlan] = field(default_factory=list)
    people: list[PersonPlan] = field(default_factory=list)
    pilots: list[PilotPlan] = field(default_factory=list)


def _programme(check: Checker, doc: dict) -> dict[str, Any]:
    rec, loc = doc.get("programme"), ("programme", None)
    if not isinstance(rec, dict):
        check.add(loc, "", _("The programme section is missing or is not an object."))
        return {}
    values = {
        "slug": check.text(rec, "slug", loc, Programme, required=True),
        "name": check.text(rec, "name", loc, Programme, required=True),
        "acronym": check.text(rec, "acronym", loc, Programme),
        "summary": check.text(rec, "summary", loc, Programme),
        "capitalised_by": check.text(rec, "capitalised_by", loc, Programme),
        "currency": check.text(rec, "currency", loc, Programme).upper() or "EUR",
        "funders": "\n".join(check.strings(rec, "funders", loc)),
        "is_published": check.boolean(rec, "is_published", loc),
    }
    if values["slug"]:
        try:
            validate_slug(values["slug"])
        except ValidationError:
            check.add(loc, "slug", _("Use only letters, digits, hyphens and underscores."))
    values["start_year"], values["end_year"] = check.year_range(rec, loc, required=True)
    budget = rec.get("budget")
    values["budget"] = None
    if budget not in (None, ""):
        try:
            values["budget"] = Decimal(str(budget).replace(" ", "").replace(",", "."))
        except InvalidOperation:
            check.add(loc, "budget", _("Not an amount: %(value)s.") % {"value": budget})
        else:
            if values["budget"] < 0 or not values["budget"].is_finite():
                check.add(loc, "budget", _("Not an amount: %(value)s.") % {"value": budget})
    if not re.fullmatch(r"[A-Z]{3}", values["currency"]):
        check.add(loc, "currency", _("Use a three-letter currency code such as EUR."))
    return values


def _axes(check: Checker, doc: dict) -> list[dict[str, Any]]:
    axes, seen = [], set()
    for rec, loc in check.records(doc, "axes"):
        kind = check.text(rec, "kind", loc, Axis, required=True)
        if kind and kind not in Axis.Kind.values:
            check.add(
                loc,
                "kind",
                _("Unknown axis kind %(kind)s: use programme or capitalisation.") % {"kind": kind},
            )
        number = str(rec.get("number")).strip().removesuffix(".0")
        if not number.isdigit() or int(number) == 0:
            check.add(loc, "number", _("The axis number must be a positive whole number."))
            continue
        number = int(number)
        if (kind, number) in seen:
            check.add(loc, "number", _("Axis %(ref)s appears twice.") % {"ref": f"{kind}:{number}"})
        seen.add((kind, number))
        axes.append(
            {
                "kind": kind,
                "number": number,
                "title": check.text(rec, "title", loc, Axis, required=True),
                "description": check.text(rec, "description", loc, Axis),
            }
        )
    return axes


def _country(check: Checker, text: str, loc: Location, name: str) -> Country | None:
    country = find_country(text)
    if country is None:
        check.add(loc, name, _("Unknown country or region: %(value)s.") % {"value": text})
    return country


def _organisation_value(check: Checker, rec: dict, loc: Location, spec: FieldSpec) -> Any:
    """One field of an organisation, read and checked by the type of its model field."""
    name, field = spec.name, spec.field
    if spec.lines:
        return "\n".join(check.strings(rec, name, loc))
    if isinstance(field, models.BooleanField):
        return check.boolean(rec, name, loc)
    if field.is_relation:  # a country or region
        text = rec.get(name)
        text = str(text).strip() if text not in (None, "") else ""
        return _country(check, text, loc, name) if text else None
    value = check.text(rec, name, loc, Organisation, required=not (field.blank or field.choices))
    choices = [str(choice) for choice, _label in field.choices or ()]
    if choices and value not in choices:
        check.add(
            loc,
            name,
            _("Unknown %(field)s %(value)s; expected one of: %(choices)s.")
            % {"field": name, "value": value or '""', "choices": ", ".join(choices)},
        )
    if isinstance(field, models.URLField) and value:
        try:
            URLValidator()(value)
        except ValidationError:
            check.add(loc, name, _("Not a web address: %(value)s.") % {"value": value})
    return value


def _organisation_values(check: Checker, rec: dict, loc: Location) -> dict[str, Any]:
    return {
        spec.name: _organisation_value(check, rec, loc, spec)
        for spec in ORGANISATION_FIELDS
        if spec.exported
    }


def _organisations(check: Checker, doc: dict, index: OrgIndex) -> list[OrgPlan]:
    plans, lines = [], []
    for rec, loc in check.records(doc, "organisations"):
        values = _organisation_values(check, rec, loc)
        aliases = values["aliases"].splitlines()
        position = len(plans)
        for name in ("acronym", "name"):
            key = norm(values[name])
            if not key or index.keys.get(key) == position:
                continue
            if key in index.keys:
                message = (
                    _("Duplicate acronym %(value)s (also on line %(line)s).")
                    if name == "acronym"
                    else _("Duplicate organisation name %(value)s (also on line %(line)s).")
                )
                check.add(
                    loc, name, message % {"value": values[name], "line": lines[index.keys[key]]}
                )
            else:
                index.keys[key] = position
        for alias in aliases:
            index.aliases.setdefault(norm(alias), set()).add(position)
        plans.append(OrgPlan(values))
        lines.append(loc[1])
    return plans


def _reference(check: Checker, index: OrgIndex, label: Any, loc: Location, name: str) -> int | None:
    label = "" if label is None else str(label).strip()
    if not label:
        check.add(loc, name, _("Name the organisation (acronym or name)."))
        return None
    position, ambiguous = index.resolve(label)
    if ambiguous:
        check.add(loc, name, _("%(value)s matches several organisations.") % {"value": label})
    elif position is None:
        check.add(
            loc,
            name,
            _("Organisation %(value)s is not among the organisations.") % {"value": label},
        )
    return position


def _people(check: Checker, doc: dict, index: OrgIndex) -> list[PersonPlan]:
    plans, seen = [], set()
    for rec, loc in check.records(doc, "people"):
        values = {
            name: check.text(rec, name, loc, Person, required=name == "first_name")
            for name in ("first_name", "last_name", "role", "email")
        }
        if values["email"]:
            try:
                validate_email(values["email"])
            except ValidationError:
                check.add(
                    loc,
                    "email",
                    _("Not an e-mail address: %(value)s.") % {"value": values["email"]},
                )
        org = _reference(check, index, rec.get("organisation"), loc, "organisation")
        key = (norm(values["first_name"]), norm(values["last_name"]), org)
        if org is not None and key in seen:
            check.add(loc, "last_name", _("This person appears twice in the same organisation."))
        seen.add(key)
        if org is not None:
            plans.append(PersonPlan(org, values))
    return plans


def _pilot_axes(
    check: Checker, rec: dict, loc: Location, axes: list[dict]
) -> list[tuple[str, int]]:
    known = {(a["kind"], a["number"]) for a in axes}
    refs = []
    for ref in check.strings(rec, "axes", loc):
        kind, _sep, number = ref.partition(":")
        key = (kind.strip(), int(number)) if number.strip().isdigit() else None
        if key not in known:
            check.add(
                loc,
                "axes",
                _(
                    "Unknown axis %(ref)s; write kind:number, e.g. programme:1, "
                    "for an axis of the axes section."
                )
                % {"ref": ref},
            )
        elif key not in refs:
            refs.append(key)
    return refs


def _partners(
    check: Checker, rec: dict, loc: Location, index: OrgIndex, lead: int | None
) -> list[tuple[int, str]]:
    items = rec.get("partners") or []
    if not isinstance(items, list):
        check.add(loc, "partners", _("Expected a list."))
        return []
    partners: list[tuple[int, str]] = []
    for j, item in enumerate(items, start=1):
        if isinstance(item, str):
            item = {"organisation": item}
        if not isinstance(item, dict):
            check.add(loc, f"partners[{j}]", _("Expected an object with named fields."))
            continue
        where = tuple(item.get("_loc") or loc)
        name = "organisation" if "_loc" in item else f"partners[{j}].organisation"
        org = _reference(check, index, item.get("organisation"), where, name)
        role = check.text(item, "role", where, Partnership)
        if org is None:
            continue
        problem = partner_problem(lead=lead, earlier=[p for p, _r in partners], partner=org)
        if problem:
            check.add(where, name, problem)
            continue
        partners.append((org, role))
    return partners


def _pilots(check: Checker, doc: dict, index: OrgIndex, axes: list[dict]) -> list[PilotPlan]:
    plans, codes = [], set()
    for rec, loc in check.records(doc, "pilot_operations"):
        values = {
            name: check.text(rec, name, loc, PilotOperation, required=name in {"code", "title"})
            for name in ("code", "title", "summary", "shared_stake")
        }
        if values["code"]:
            try:
                validate_slug(values["code"])
            except ValidationError:
                check.add(loc, "code", _("Use only letters, digits, hyphens and underscores."))
            if values["code"] in codes:
                check.add(
                    loc, "code", _("Duplicate pilot code %(value)s.") % {"value": values["code"]}
                )
            codes.add(values["code"])
        values["start_year"], values["end_year"] = check.year_range(rec, loc)
        values["territories"] = "\n".join(check.strings(rec, "territories", loc))
        values["is_published"] = check.boolean(rec, "is_published", loc)
        if rec.get("lead") in (None, ""):
            check.add(loc, "lead", _("A pilot operation needs a lead organisation."))
            lead = None
        else:
            lead = _reference(check, index, rec.get("lead"), loc, "lead")
        partners = _partners(check, rec, loc, index, lead)
        countries = [
            c
            for c in (
                _country(check, text, loc, "countries")
                for text in check.strings(rec, "countries", loc)
            )
            if c
        ]
        refs = _pilot_axes(check, rec, loc, axes)
        if lead is not None:
            unique = list(dict.fromkeys(countries))
            plans.append(PilotPlan(values, lead, partners, unique, refs))
    return plans


def build_plan(doc: Any, problems: list[Problem] | None = None) -> Plan:
    """Check every part of ``doc``; return what to write or raise with every problem found.

    ``problems`` already found by the file reader are reported together with these.
    """
    problems = list(problems or [])
    check = Checker(problems)
    if not isinstance(doc, dict):
        check.add(("file", None), "", _("The file does not hold a registry object."))
        raise RegistryImportError(problems)
    if doc.get("format") != FORMAT:
        check.add(
            ("file", None),
            "format",
            _("Expected format %(expected)s, got %(value)s.")
            % {"expected": FORMAT, "value": doc.get("format")},
        )
    plan = Plan(programme=_programme(check, doc), axes=_axes(check, doc))
    index = OrgIndex()
    plan.organisations = _organisations(check, doc, index)
    plan.people = _people(check, doc, index)
    plan.pilots = _pilots(check, doc, index, plan.axes)
    if problems:
        raise RegistryImportError(problems)
    return plan
