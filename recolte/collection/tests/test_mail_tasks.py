"""E-mail tasks: invitations with a working personal link, reminders once and only when due."""

from datetime import timedelta

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from recolte.collection import services as svc
from recolte.collection.models import Campaign, Invitation, Response
from recolte.collection.services import mailing
from recolte.collection.tasks import schedule_reminders, send_campaign_invitations
from recolte.collection.tests.campaign_fixtures import first_question, logbook, people
from recolte.testing import PASSWORD

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@override_settings(TASKS=IMMEDIATE)
def test_invitation_task_sends_personal_links_once(world, mailoutbox, client):
    alice, bakary = people(world)
    campaign = logbook(world)
    result = send_campaign_invitations.enqueue(campaign.pk, "https://recolte.example.org/")
    assert result.return_value == {"sent": 2, "skipped": 0, "failed": 0, "without_address": []}
    assert sorted(m.to[0] for m in mailoutbox) == sorted([bakary.email, alice.email])
    mail = next(m for m in mailoutbox if m.to == [alice.email])
    assert "Carnet de route n°1" in mail.subject and "Alice" in mail.body
    link = next(line for line in mail.body.splitlines() if line.startswith("https://"))
    assert link.startswith("https://recolte.example.org/invitation/")
    page = client.get(link.removeprefix("https://recolte.example.org"))
    assert page.status_code == 200 and world.lead.name in page.content.decode()
    again = send_campaign_invitations.enqueue(campaign.pk, "https://recolte.example.org/")
    assert again.return_value["sent"] == 0 and again.return_value["skipped"] == 2
    assert len(mailoutbox) == 2


def test_organisations_without_address_are_reported(world, mailoutbox):
    campaign = logbook(world)
    report = mailing.invitations_send(campaign)
    assert report.sent == 0 and sorted(report.without_address) == ["ALPHA", "BETA"]


def _invited(world, closes_in):
    people(world)
    campaign = logbook(world, closes_in=closes_in)
    mailing.invitations_send(campaign)
    # Pretend the invitations went out when the campaign opened.
    Invitation.objects.update(sent=timezone.now() - timedelta(days=5))
    return campaign


def test_reminders_once_per_date_and_not_to_submitters(world, mailoutbox):
    campaign = _invited(world, closes_in=2)  # today is the "2 days before" reminder date
    response = svc.response_for(campaign, world.partner, Response.Channel.LINK)
    svc.answer_save(response=response, question=first_question(campaign), text="Fait.")
    svc.response_submit(response=response)
    mailoutbox.clear()
    assert mailing.reminders_send_due() == 1
    assert [m.to for m in mailoutbox] == [["alice@alpha.org"]]
    assert "Carnet de route n°1" in mailoutbox[0].subject
    assert svc.invitation_token(Invitation.objects.get(email="alice@alpha.org")) in (
        mailoutbox[0].body
    )
    assert mailing.reminders_send_due() == 0  # same day, same date: nothing new
    call_command("send_reminders")
    assert len(mailoutbox) == 1
    invitation = Invitation.objects.get(email="alice@alpha.org")
    assert invitation.reminders_sent == 1 and invitation.last_reminder


def test_a_reminders_link_opens_the_response(world, mailoutbox, client):
    campaign = _invited(world, closes_in=2)
    mailoutbox.clear()
    assert mailing.reminders_send_due(base_url="https://recolte.example.org/") == 2
    for mail in mailoutbox:
        link = next(line for line in mail.body.splitlines() if line.startswith("https://"))
        page = client.get(link.removeprefix("https://recolte.example.org"))
        assert page.status_code == 200 and campaign.title in page.content.decode()


def test_no_reminder_before_the_date_nor_when_closed(world, mailoutbox):
    campaign = _invited(world, closes_in=10)  # reminders at 7 and 2 days before: not yet
    mailoutbox.clear()
    assert mailing.reminders_send_due() == 0
    Campaign.objects.filter(pk=campaign.pk).update(closes_on=timezone.localdate() + timedelta(1))
    Campaign.objects.filter(pk=campaign.pk).update(status="closed")
    assert mailing.reminders_send_due() == 0
    assert mailoutbox == []


@override_settings(TASKS=DATABASE)
def test_opening_schedules_deferred_reminders(world):
    campaign = logbook(world, status="draft", closes_in=10)
    results = schedule_reminders(campaign)
    assert len(results) == 2  # 7 and 2 days before closing
    runs = sorted(DBTaskResult.objects.values_list("run_after", flat=True))
    expected = [campaign.closes_on - timedelta(days=7), campaign.closes_on - timedelta(days=2)]
    assert [timezone.localtime(r).date() for r in runs] == expected


@override_settings(TASKS=IMMEDIATE)
def test_send_button_enqueues_the_task(client, world, mailoutbox):
    people(world)
    campaign = logbook(world)
    client.login(username=world.users["facilitator"].username, password=PASSWORD)
    client.post(reverse("collection:campaign_invite", args=["prog", campaign.pk]))
    assert len(mailoutbox) == 2
    assert Invitation.objects.filter(campaign=campaign, sent__isnull=False).count() == 2
