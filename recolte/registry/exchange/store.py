"""Write a checked plan to the database, updating records found by their natural keys."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction

from recolte.registry.models import (
    Axis,
    Organisation,
    Partnership,
    Person,
    PilotOperation,
    Programme,
)

from .validate import Plan

ENTITIES = ("programme", "axes", "organisations", "people", "pilot_operations", "partnerships")


@dataclass
class RegistryImportReport:
    """What an import did: counts of created, updated and unchanged records per entity."""

    programme: Programme | None = None
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        lines = []
        for entity in ENTITIES:
            counts = (self.created[entity], self.updated[entity], self.unchanged[entity])
            if any(counts):
                created, updated, unchanged = counts
                lines.append(
                    f"{entity}: {created} created, {updated} updated, {unchanged} unchanged"
                )
        return "\n".join(lines)


class _Writer:
    def __init__(self, report: RegistryImportReport) -> None:
        self.report = report

    def tally(self, entity: str, created: bool, changed: bool) -> None:
        counter = (
            self.report.created
            if created
            else self.report.updated
            if changed
            else self.report.unchanged
        )
        counter[entity] += 1

    def upsert(
        self,
        entity: str,
        found: models.Model | None,
        model: type[models.Model],
        values: dict[str, Any],
    ) -> models.Model:
        obj, created, changed = _save(found, model, values)
        self.tally(entity, created, changed)
        return obj


def _save(
    found: models.Model | None, model: type[models.Model], values: dict[str, Any]
) -> tuple[models.Model, bool, bool]:
    """Create or update one row, saving only when a value differs: (row, created, changed)."""
    if found is None:
        return model.objects.create(**values), True, False
    changed = [k for k, v in values.items() if getattr(found, k) != v]
    for key in changed:
        setattr(found, key, values[key])
    if changed:
        found.save(update_fields=changed)
    return found, False, bool(changed)


def _find_org(programme: Programme, values: dict[str, Any]) -> Organisation | None:
    orgs = Organisation.objects.filter(programme=programme)
    if values["acronym"]:
        found = orgs.filter(acronym=values["acronym"]).first()
        if found:
            return found
    return orgs.filter(name=values["name"]).first()


def _set_m2m(manager, wanted: list) -> bool:
    current = set(manager.all())
    if current == set(wanted):
        return False
    manager.set(wanted)
    return True


def _write_pilots(writer: _Writer, plan: Plan, programme: Programme, orgs, axes) -> None:
    for pilot in plan.pilots:
        values = {**pilot.values, "programme": programme, "lead": orgs[pilot.lead]}
        found = PilotOperation.objects.filter(programme=programme, code=values["code"]).first()
        obj, created, changed = _save(found, PilotOperation, values)
        # Links are replaced by the file's lists; a change there counts as an update.
        changed |= _set_m2m(obj.countries, pilot.countries)
        changed |= _set_m2m(obj.axes, [axes[ref] for ref in pilot.axes])
        wanted = {orgs[org].pk: role for org, role in pilot.partners}
        stale = obj.partnerships.exclude(organisation_id__in=wanted)
        changed |= stale.exists()
        stale.delete()
        for org_pk, role in wanted.items():
            link = obj.partnerships.filter(organisation_id=org_pk).first()
            writer.upsert(
                "partnerships",
                link,
                Partnership,
                {"pilot": obj, "organisation_id": org_pk, "role": role},
            )
        writer.tally("pilot_operations", created, changed and not created)


def write_plan(plan: Plan) -> RegistryImportReport:
    """Apply ``plan`` in one transaction: all of it is written or none of it."""
    report = RegistryImportReport()
    writer = _Writer(report)
    with transaction.atomic():
        found = Programme.objects.filter(slug=plan.programme["slug"]).first()
        programme = writer.upsert("programme", found, Programme, plan.programme)
        report.programme = programme
        axes = {}
        for axis in plan.axes:
            found = Axis.objects.filter(
                programme=programme, kind=axis["kind"], number=axis["number"]
            ).first()
            axes[(axis["kind"], axis["number"])] = writer.upsert(
                "axes", found, Axis, {**axis, "programme": programme}
            )
        orgs = []
        for org in plan.organisations:
            values = {**org.values, "programme": programme}
            orgs.append(
                writer.upsert("organisations", _find_org(programme, values), Organisation, values)
            )
        for person in plan.people:
            values = {**person.values, "organisation": orgs[person.org]}
            found = Person.objects.filter(
                organisation=orgs[person.org],
                first_name=values["first_name"],
                last_name=values["last_name"],
            ).first()
            writer.upsert("people", found, Person, values)
        _write_pilots(writer, plan, programme, orgs, axes)
    return report
