"""Who was invited, who started, who submitted, who is late: per campaign and programme-wide."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from recolte.collection.models import Campaign, Response
from recolte.collection.selectors import audience_organisations
from recolte.registry.models import Organisation


class State:
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"


@dataclass
class Row:
    organisation: Organisation
    invited: bool
    response: Response | None
    started: datetime | None
    submitted: datetime | None
    late: bool  # submitted after the closing date, or still not submitted after it

    @property
    def state(self) -> str:
        if self.submitted:
            return State.SUBMITTED
        return State.DRAFT if self.started else State.NOT_STARTED


def _rate(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


@dataclass
class CampaignTracking:
    campaign: Campaign
    rows: list[Row] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def invited(self) -> int:
        return sum(r.invited for r in self.rows)

    @property
    def started(self) -> int:
        return sum(bool(r.started) for r in self.rows)

    @property
    def submitted(self) -> int:
        return sum(bool(r.submitted) for r in self.rows)

    @property
    def late(self) -> int:
        return sum(r.late for r in self.rows)

    @property
    def started_rate(self) -> int:
        return _rate(self.started, self.expected)

    @property
    def submitted_rate(self) -> int:
        return _rate(self.submitted, self.expected)


def campaign_tracking(campaign: Campaign) -> CampaignTracking:
    """One row per organisation addressed, invited or answering, in name order."""
    responses = {
        r.organisation_id: r
        for r in campaign.responses.annotate(
            filled=Count("answers", filter=~Q(answers__text="") | ~Q(answers__file=""))
        )
    }
    invited = set(
        campaign.invitations.filter(revoked__isnull=True, sent__isnull=False).values_list(
            "organisation_id", flat=True
        )
    )
    ids = set(audience_organisations(campaign).values_list("pk", flat=True))
    ids |= invited | set(responses)
    today = timezone.localdate()
    overdue = bool(campaign.closes_on) and today > campaign.closes_on
    tracking = CampaignTracking(campaign)
    for org in Organisation.objects.filter(pk__in=ids).order_by("name"):
        response = responses.get(org.pk)
        submitted = response.submitted if response and response.submitted else None
        started = response.started if response and (response.filled or submitted) else None
        late = (
            timezone.localdate(submitted) > campaign.closes_on
            if submitted and campaign.closes_on
            else overdue and not submitted
        )
        tracking.rows.append(Row(org, org.pk in invited, response, started, submitted, late))
    return tracking


@dataclass
class ProgrammeTracking:
    campaigns: list[CampaignTracking]
    organisations: list[Organisation]
    cells: dict[int, list[Row | None]]  # organisation id → its row in each campaign (or None)


def programme_tracking(programme) -> ProgrammeTracking:
    """Every non-draft campaign side by side, one line per organisation concerned."""
    campaigns = [
        campaign_tracking(c)
        for c in programme.campaigns.exclude(status=Campaign.Status.DRAFT).order_by(
            "opens_on", "title"
        )
    ]
    orgs: dict[int, Organisation] = {}
    for tracking in campaigns:
        for row in tracking.rows:
            orgs.setdefault(row.organisation.pk, row.organisation)
    cells = {}
    for pk in orgs:
        cells[pk] = [next((r for r in t.rows if r.organisation.pk == pk), None) for t in campaigns]
    ordered = sorted(orgs.values(), key=lambda o: o.name.casefold())
    return ProgrammeTracking(campaigns, ordered, cells)


def _when(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def export_table(trackings: list[CampaignTracking]) -> tuple[list[str], list[list]]:
    header = [
        _("campaign"),
        _("organisation"),
        _("invited"),
        _("started"),
        _("submitted"),
        _("late"),
        _("status"),
    ]
    states = {
        State.NOT_STARTED: _("not started"),
        State.DRAFT: _("draft"),
        State.SUBMITTED: _("submitted"),
    }
    rows = [
        [
            t.campaign.title,
            r.organisation.label,
            _("yes") if r.invited else _("no"),
            _when(r.started),
            _when(r.submitted),
            _("yes") if r.late else _("no"),
            states[r.state],
        ]
        for t in trackings
        for r in t.rows
    ]
    return header, rows
