"""The audit log: who viewed, exported or changed confidential material, and who published what.

`record` is called by the services and views of every room; it costs one insert and never
raises on an odd target, so an audit line can never break the page it describes.
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse

from recolte.access.models import AuditEvent
from recolte.access.policy import User
from recolte.registry.models import Programme
from recolte.registry.tables import Format, table_response

Verb = AuditEvent.Verb


def _programme_of(target: Model | str) -> Programme | None:
    if isinstance(target, Programme):
        return target
    found = getattr(target, "programme", None)
    return found if isinstance(found, Programme) else None


def record(
    *,
    user: User | None,
    verb: str,
    target: Model | str,
    programme: Programme | None = None,
    request: HttpRequest | None = None,
    kind: str = "export",
) -> AuditEvent:
    """Add one audit line. `target` is a model instance, or the name of what was exported (or
    of another `kind` of target, e.g. the query of a search)."""
    if isinstance(target, Model):
        target_type, target_id = target._meta.label_lower, str(target.pk or "")
    else:
        target_type, target_id = kind, ""
    known = user if user is not None and user.is_authenticated else None
    return AuditEvent.objects.create(
        user=known,
        username=known.get_username() if known else "",
        programme=programme or _programme_of(target),
        verb=verb,
        target_type=target_type[:60],
        target_id=target_id[:60],
        target_label=str(target)[:300],
        ip=(request.META.get("REMOTE_ADDR") or None) if request is not None else None,
    )


def exported_table(
    *,
    request: HttpRequest,
    programme: Programme,
    name: str,
    header: list,
    rows: Iterable,
    fmt: Format,
    title: str | None = None,
) -> HttpResponse:
    """A table export page's answer: recorded as an export, written by the one table writer."""
    record(
        user=request.user,
        verb=Verb.EXPORT,
        target=f"{name}.{fmt}",
        programme=programme,
        request=request,
    )
    return table_response(name=name, header=header, rows=rows, fmt=fmt, title=title)


def record_view(*, user: User, target: Model, request: HttpRequest | None = None) -> None:
    """Log a reading of unpublished material (anything public is not worth a line)."""
    # Confidentiality values belong to the collection room, which access cannot import.
    if getattr(target, "confidentiality", "") != "published":
        record(user=user, verb=Verb.VIEW, target=target, request=request)


def record_results(
    *,
    user: User,
    programme: Programme,
    kind: str,
    label: str,
    levels: Iterable[str],
    request: HttpRequest | None = None,
) -> None:
    """Log one line for a list of results (a search, "more like this") that showed unpublished
    material, whatever the number of such hits; `levels` are the hits' confidentiality."""
    if any(level != "published" for level in levels):
        record(
            user=user,
            verb=Verb.VIEW,
            target=label,
            kind=kind,
            programme=programme,
            request=request,
        )


@dataclass(frozen=True)
class AuditFilters:
    username: str = ""
    verb: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def events(*, programme: Programme | None, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """The events of one programme (or of every programme, for platform admins), newest first."""
    found = AuditEvent.objects.all()
    if programme is not None:
        found = found.filter(programme=programme)
    query = Q()
    if filters.username:
        query &= Q(username__icontains=filters.username)
    if filters.verb:
        query &= Q(verb=filters.verb)
    if filters.date_from:
        query &= Q(at__date__gte=filters.date_from)
    if filters.date_to:
        query &= Q(at__date__lte=filters.date_to)
    return found.filter(query).select_related("programme")


HEADER = ["when", "user", "programme", "action", "object type", "object id", "object", "ip"]


def rows(found: QuerySet[AuditEvent]) -> Iterator[list[str]]:
    """The events as table rows under HEADER, for the CSV export."""
    return (
        [
            e.at.isoformat(timespec="seconds"),
            e.username,
            e.programme.slug if e.programme else "",
            e.verb,
            e.target_type,
            e.target_id,
            e.target_label,
            e.ip or "",
        ]
        for e in found.iterator()
    )
