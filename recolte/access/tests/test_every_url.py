"""Every URL pattern × every kind of visitor, checked against one declared table (`POLICY`).

A pattern missing from the table fails: a new page must say who may read and write it. For each
pattern, the arguments come from one world holding objects at each confidentiality level (own /
other organisation, draft / open, published / not); each visitor GETs it, then sends every write
method. Expected answers follow from the table and `policy.ROLE_ACTIONS`: anonymous visitors go
to the login page, non-members get 404, members whose role lacks the action 403, hidden objects
404; allowed requests 200/302. A refused write must change nothing in the database.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from recolte.access.models import Membership, Role
from recolte.access.policy import ROLE_ACTIONS, Action
from recolte.coding.models import Assignment, Code, Coding, Suggestion, SuggestionModel
from recolte.collection import services as svc
from recolte.collection.models import Campaign, Confidentiality, PendingMail, Record
from recolte.collection.services import ResourceMeta, resource_create
from recolte.collection.tests.campaign_fixtures import first_question, logbook
from recolte.corpus.models import UnknownEntity
from recolte.corpus.pipeline import process_version
from recolte.portal import services as publishing
from recolte.registry.models import Person
from recolte.synthesis.models import CampaignSynthesis, Report
from recolte.synthesis.services import report_file_save
from recolte.testing import make_world

ROLES = (
    "anonymous",
    "reader",
    "contributor_a",
    "contributor_b",
    "team",
    "facilitator",
    "other_admin",
    "superuser",
)
WRITES = ("post", "put", "patch", "delete")
PUBLIC = "public"  # anyone, signed in or not
SIGNED_IN = "signed_in"
PLATFORM = "platform"  # platform superusers only (no programme role gives it)
REFUSED = None  # the method is not allowed (405) for anyone
SAME = "same"


@dataclass(frozen=True)
class Case:
    """One set of URL arguments; `sees` (roles) narrows who finds the object (others: 404)."""

    label: str
    kwargs: dict
    sees: frozenset[str] | None = None
    query: str = ""  # what the page needs in its query string


@dataclass(frozen=True)
class Rule:
    get: Action | str | None
    post: Action | str | None = SAME
    cases: Callable[["Site"], list[Case]] = field(default=lambda s: [Case("", {})])


@dataclass
class Site:
    slug: str
    users: dict
    objects: dict


def programme(key: str = "", *extra: str) -> Callable[[Site], list[Case]]:
    """Cases of a programme page whose `key` argument names one object of the site."""

    fixed = dict(e.split("=") for e in extra)

    def build(site: Site) -> list[Case]:
        found = site.objects[key] if key else {}
        variants = found if isinstance(found, list) else [Case(key, found)]
        return [
            Case(c.label, {"slug": site.slug, **c.kwargs, **fixed}, c.sees, c.query)
            for c in variants
        ]

    return build


def public(key: str) -> Callable[[Site], list[Case]]:
    return lambda site: site.objects[key]


V, EDIT, RUN = Action.VIEW, Action.EDIT_REGISTRY, Action.RUN_CAMPAIGNS
ALL, ANSWER, CODE = Action.VIEW_ALL_RESPONSES, Action.ANSWER, Action.CODE
WRITE, PUBLISH, MEMBERS = Action.WRITE_SYNTHESIS, Action.PUBLISH, Action.MANAGE_MEMBERS
POST_ONLY = {"get": REFUSED}

POLICY: dict[str, Rule] = {
    "home": Rule(PUBLIC),
    "favicon": Rule(PUBLIC, REFUSED),
    "login": Rule(PUBLIC),
    "logout": Rule(REFUSED, PUBLIC),
    "password_change": Rule(SIGNED_IN),
    "password_change_done": Rule(SIGNED_IN, REFUSED),
    "set_language": Rule(PUBLIC),
    "platform_audit": Rule(PLATFORM),
    "platform_audit_export": Rule(PLATFORM),
    "programme_audit": Rule(MEMBERS, cases=programme()),
    "programme_audit_export": Rule(MEMBERS, cases=programme()),
    # registry
    "registry:programme_create": Rule(PLATFORM),
    "registry:dashboard": Rule(V, cases=programme()),
    "registry:programme_edit": Rule(EDIT, cases=programme()),
    "registry:axis_create": Rule(EDIT, cases=programme()),
    "registry:axis_edit": Rule(EDIT, cases=programme("axis")),
    "registry:organisations": Rule(V, cases=programme()),
    "registry:organisation_create": Rule(EDIT, cases=programme()),
    "registry:organisation": Rule(V, cases=programme("organisation")),
    "registry:organisation_edit": Rule(EDIT, cases=programme("organisation")),
    "registry:person_create": Rule(EDIT, cases=programme()),
    "registry:person_edit": Rule(EDIT, cases=programme("person")),
    "registry:pilots": Rule(V, cases=programme()),
    "registry:pilot_create": Rule(EDIT, cases=programme()),
    "registry:pilot": Rule(V, cases=programme("pilot")),
    "registry:pilot_edit": Rule(EDIT, cases=programme("pilot")),
    "registry:actor_map": Rule(V, cases=programme()),
    "registry:world_map": Rule(V, cases=programme()),
    "privacy:programme": Rule(EDIT, cases=programme()),
    "privacy:person": Rule(RUN, cases=programme("person")),
    "privacy:person_export": Rule(RUN, cases=programme("person")),
    "privacy:person_erase": Rule(REFUSED, RUN, cases=programme("person")),
    # collection: campaigns
    "collection:campaigns": Rule(V, cases=programme()),
    "collection:campaign_create": Rule(RUN, cases=programme()),
    "collection:campaign": Rule(V, cases=programme("campaigns")),
    "collection:campaign_edit": Rule(RUN, cases=programme("campaign")),
    "collection:campaign_duplicate": Rule(REFUSED, RUN, cases=programme("campaign")),
    "collection:campaign_open": Rule(REFUSED, RUN, cases=programme("campaign")),
    "collection:campaign_close": Rule(REFUSED, RUN, cases=programme("campaign")),
    "collection:campaign_questions": Rule(RUN, cases=programme("campaign")),
    "collection:question_edit": Rule(RUN, cases=programme("question")),
    "collection:question_move": Rule(REFUSED, RUN, cases=programme("question")),
    "collection:question_delete": Rule(REFUSED, RUN, cases=programme("question")),
    "collection:campaign_invite": Rule(REFUSED, RUN, cases=programme("campaign")),
    "collection:invitation_create": Rule(REFUSED, RUN, cases=programme("campaign")),
    "collection:invitation_revoke": Rule(REFUSED, RUN, cases=programme("invitation")),
    "collection:tracking": Rule(ALL, cases=programme("campaign")),
    "collection:tracking_export": Rule(ALL, cases=programme("campaign", "fmt=csv")),
    "collection:answers_export": Rule(ALL, cases=programme("campaign", "fmt=xlsx")),
    "collection:programme_tracking": Rule(ALL, cases=programme()),
    "collection:programme_tracking_export": Rule(ALL, cases=programme("", "fmt=xlsx")),
    "collection:response": Rule(V, cases=programme("responses")),
    "collection:answer_file": Rule(V, cases=programme("answer_files")),
    "collection:respond": Rule(ANSWER, cases=programme("respond")),
    "collection:respond_save": Rule(ANSWER, cases=programme("respond")),
    "collection:respond_file": Rule(ANSWER, cases=programme("respond")),
    "collection:respond_docx": Rule(ANSWER, cases=programme("respond")),
    "collection:respond_reading": Rule(ANSWER, cases=programme("respond")),
    "collection:respond_submit": Rule(ANSWER, cases=programme("respond")),
    "collection:invitation": Rule(PUBLIC, cases=public("tokens")),
    "collection:invitation_save": Rule(PUBLIC, cases=public("tokens")),
    "collection:invitation_file": Rule(PUBLIC, cases=public("tokens")),
    "collection:invitation_docx": Rule(PUBLIC, cases=public("tokens")),
    "collection:invitation_reading": Rule(PUBLIC, cases=public("tokens")),
    "collection:invitation_submit": Rule(PUBLIC, cases=public("tokens")),
    # collection: library, records, mail
    "collection:library": Rule(V, cases=programme()),
    "collection:resource_upload": Rule(RUN, cases=programme()),
    "collection:uploads": Rule(RUN, cases=programme()),
    "collection:resource": Rule(V, cases=programme("resources")),
    "collection:resource_edit": Rule(RUN, cases=programme("resource")),
    "collection:resource_text_edit": Rule(RUN, cases=programme("resource")),
    "collection:resource_original": Rule(V, cases=programme("resources")),
    "collection:records": Rule(V, cases=programme()),
    "collection:record_create": Rule(RUN, cases=programme()),
    "collection:record": Rule(V, cases=programme("records")),
    "collection:record_edit": Rule(RUN, cases=programme("record")),
    "collection:box_create": Rule(RUN, cases=programme("meeting")),
    "collection:mail_import": Rule(RUN, cases=programme()),
    "collection:mail_review": Rule(RUN, cases=programme()),
    "collection:mail_decide": Rule(REFUSED, RUN, cases=programme("mail")),
    # corpus
    "corpus:search": Rule(V, cases=programme()),
    "corpus:similar": Rule(V, cases=programme("passages")),
    "corpus:unknown": Rule(CODE, cases=programme()),
    "corpus:unknown_resolve": Rule(REFUSED, CODE, cases=programme("entity")),
    "corpus:progress": Rule(V, cases=programme()),
    "corpus:resource_passages": Rule(V, cases=programme("resources")),
    "corpus:api_search": Rule(V, cases=programme()),
    # coding
    "coding:codebook": Rule(CODE, cases=programme()),
    "coding:code_add": Rule(REFUSED, CODE, cases=programme()),
    "coding:code_edit": Rule(REFUSED, CODE, cases=programme("code")),
    "coding:code_move": Rule(REFUSED, CODE, cases=programme("code")),
    "coding:code_merge": Rule(REFUSED, CODE, cases=programme("code")),
    "coding:code_delete": Rule(CODE, cases=programme("code")),
    "coding:codebook_export": Rule(CODE, cases=programme()),
    "coding:codebook_import": Rule(REFUSED, CODE, cases=programme()),
    "coding:workbench": Rule(CODE, cases=programme("resource")),
    "coding:codings": Rule(CODE, cases=programme("version")),
    "coding:coding_detail": Rule(CODE, cases=programme("coding")),
    "coding:coding_delete": Rule(REFUSED, CODE, cases=programme("coding")),
    "coding:coding_adjust": Rule(REFUSED, CODE, cases=programme("coding")),
    "coding:undo": Rule(REFUSED, CODE, cases=programme()),
    "coding:memo_add": Rule(REFUSED, CODE, cases=programme()),
    "coding:frequencies": Rule(CODE, cases=programme()),
    "coding:matrix": Rule(CODE, cases=programme()),
    "coding:matrix_cell": Rule(CODE, cases=programme("cell")),
    "coding:cooccurrence": Rule(CODE, cases=programme()),
    "coding:quotes": Rule(CODE, cases=programme()),
    "coding:quote_queue": Rule(CODE, cases=programme()),
    "coding:quote_confirm": Rule(REFUSED, CODE, cases=programme("version")),
    "coding:quote_dismiss": Rule(REFUSED, CODE, cases=programme("version")),
    "coding:agreement": Rule(CODE, cases=programme()),
    "coding:agreement_round": Rule(CODE, cases=programme("round")),
    "coding:settle": Rule(REFUSED, CODE, cases=programme("round")),
    "coding:review": Rule(CODE, cases=programme()),
    "coding:suggestions_retrain": Rule(REFUSED, CODE, cases=programme()),
    "coding:suggestion_accept": Rule(REFUSED, CODE, cases=programme("suggestion")),
    "coding:suggestion_pick": Rule(REFUSED, CODE, cases=programme("suggestion")),
    "coding:suggestion_reject": Rule(REFUSED, CODE, cases=programme("suggestion")),
    "coding:passage_reject": Rule(REFUSED, CODE, cases=programme("passage")),
    "coding:suggestions_panel": Rule(CODE, cases=programme("version")),
    # synthesis
    "synthesis:analysis": Rule(WRITE, cases=programme()),
    "synthesis:node": Rule(WRITE, cases=programme("code")),
    "synthesis:preview": Rule(REFUSED, WRITE, cases=programme()),
    "synthesis:export": Rule(REFUSED, WRITE, cases=programme()),
    "synthesis:report": Rule(WRITE, cases=programme("report")),
    "synthesis:report_publish": Rule(REFUSED, PUBLISH, cases=programme("report")),
    "synthesis:report_file": Rule(WRITE, cases=programme("report", "fmt=md")),
    "synthesis:campaign": Rule(WRITE, cases=programme("campaign")),
    "synthesis:campaign_save": Rule(REFUSED, WRITE, cases=programme("campaign")),
    "synthesis:campaign_publish": Rule(REFUSED, PUBLISH, cases=programme("campaign")),
    "synthesis:campaign_export": Rule(WRITE, cases=programme("campaign", "fmt=md")),
    # portal: what is published, to everyone; the publication desk
    "portal:index": Rule(PUBLIC),
    "portal:programme": Rule(PUBLIC, cases=public("portal_programme")),
    "portal:pilots": Rule(PUBLIC, cases=public("portal_programme")),
    "portal:pilot": Rule(PUBLIC, cases=public("portal_pilot")),
    "portal:library": Rule(PUBLIC, cases=public("portal_programme")),
    "portal:resource": Rule(PUBLIC, cases=public("portal_resource")),
    "portal:syntheses": Rule(PUBLIC, cases=public("portal_programme")),
    "portal:synthesis": Rule(PUBLIC, cases=public("portal_synthesis")),
    "portal:report": Rule(PUBLIC, cases=public("portal_report")),
    "portal:report_file": Rule(PUBLIC, cases=public("portal_report_file")),
    "portal:publication": Rule(PUBLISH, cases=programme()),
    "portal:publish": Rule(REFUSED, PUBLISH, cases=programme("publishable")),
}


def url_names() -> set[str]:
    def walk(patterns, namespace: str = ""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":  # Django's admin keeps its own permission checks
                    continue
                inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
                yield from walk(p.url_patterns, inner)
            elif isinstance(p, URLPattern):
                yield f"{namespace}{p.name}"

    return set(walk(get_resolver().url_patterns))


def test_every_url_pattern_is_declared():
    names = url_names()
    assert names - POLICY.keys() == set(), "declare these URLs in POLICY"
    assert POLICY.keys() - names == set(), "these POLICY entries name no URL"


# The world -----------------------------------------------------------------------------------

EVERY_MEMBER = frozenset(ROLES) - {"anonymous", "other_admin"}


def _role_of(who: str) -> str | None:
    return {
        "reader": Role.READER,
        "contributor_a": Role.CONTRIBUTOR,
        "contributor_b": Role.CONTRIBUTOR,
        "team": Role.TEAM,
        "facilitator": Role.FACILITATOR,
        "superuser": Role.ADMIN,
    }.get(who)


def build_site() -> Site:
    world = make_world()
    users = {k: world.users[k] for k in ("reader", "team", "facilitator")}
    users["contributor_a"] = world.users["contributor"]  # answers for world.lead
    model = get_user_model()
    users["contributor_b"] = model.objects.create_user("contributor-b", password="x" * 16)
    Membership.objects.create(
        user=users["contributor_b"],
        programme=world.programme,
        role=Role.CONTRIBUTOR,
        organisation=world.partner,
    )
    users["other_admin"] = model.objects.create_user("other-admin", password="x" * 16)
    Membership.objects.create(
        user=users["other_admin"], programme=world.other_programme, role=Role.ADMIN
    )
    users["superuser"] = model.objects.create_superuser("root", password="x" * 16)
    facilitator = users["facilitator"]
    slug = world.programme.slug

    resources, passages, records, resource_cases, record_cases = {}, [], {}, [], []
    for label, level, org in (
        ("facilitators own", Confidentiality.FACILITATORS, world.lead),
        ("programme own", Confidentiality.PROGRAMME, world.lead),
        ("programme other", Confidentiality.PROGRAMME, world.partner),
        ("published", Confidentiality.PUBLISHED, world.partner),
    ):
        resource = resource_create(
            programme=world.programme,
            text=f"Le comité de gestion du puits se réunit chaque mois ({label}).",
            meta=ResourceMeta(title=label, organisations=[org], confidentiality=level),
            original=(f"{label}.txt", b"original"),
        )
        process_version(resource.current)
        resources[label] = resource
        record = Record.objects.create(
            programme=world.programme, instrument="interview", title=label, confidentiality=level
        )
        record.organisations.set([org])
        records[label] = record
    staff = frozenset({"facilitator", "superuser"})
    sees = {  # the confidentiality rule, stated here rather than asked of the policy
        "facilitators own": staff,
        "programme own": staff | {"team", "contributor_a"},
        "programme other": staff | {"team", "contributor_b"},
        "published": EVERY_MEMBER,
    }
    for label, resource in resources.items():
        resource_cases.append(Case(label, {"pk": resource.pk}, sees[label]))
        record_cases.append(Case(label, {"pk": records[label].pk}, sees[label]))
        passage = resource.passages.first()
        passages.append(Case(label, {"pk": passage.pk}, sees[label]))
    programme_own = resources["programme own"]

    # Campaigns: an open one addressed to both organisations, a draft one.
    campaign = logbook(world)
    draft = logbook(world, status=Campaign.Status.DRAFT)
    question = first_question(campaign)
    file_question = svc.question_add(campaign=campaign, text_fr="Un fichier", answer_type="file")
    responses, answer_files = [], []
    for org, level, label, readers in (
        (world.lead, Confidentiality.PROGRAMME, "own programme", sees["programme own"]),
        (world.partner, Confidentiality.FACILITATORS, "other facilitators", staff),
    ):
        response = svc.response_for(campaign, org, "browser")
        svc.answer_save(response=response, question=question, text="Réponse.")
        svc.response_submit(response=response)
        response.refresh_from_db()
        response.resource.confidentiality = level
        response.resource.save()
        key = {"pk": campaign.pk, "org": org.pk}
        responses.append(Case(label, key, readers))
        answer_files.append(Case(label, {**key, "qid": file_question.pk}, frozenset()))
    invitation, token = svc.invitation_issue(
        campaign=campaign, organisation=world.partner, email="b@beta.ml", person=None
    )
    meeting = Record.objects.create(
        programme=world.programme, instrument="site_meeting", title="Visite"
    )
    mail = PendingMail.objects.create(
        programme=world.programme, filename="m.eml", raw=b"x", sha256="0" * 64
    )
    entity = UnknownEntity.objects.create(programme=world.programme, surface="Gamma", count=1)

    # Coding and synthesis.
    code = Code.objects.create(programme=world.programme, key="a1", name="Axe", kind="axis")
    version = programme_own.current
    coding = Coding.objects.create(version=version, start=0, end=9, code=code)
    Assignment.objects.create(
        programme=world.programme, round="r1", resource=programme_own, coder=facilitator
    )
    trained = SuggestionModel.objects.create(
        programme=world.programme, name="m", version=1, status="ready"
    )
    passage = programme_own.passages.first()
    suggestion = Suggestion.objects.create(
        passage=passage, code=code, model=trained, score=0.9, rank=1
    )
    report = Report.objects.create(
        programme=world.programme, title="Rapport", formats=["md"], status=Report.Status.DONE
    )
    report_file_save(report=report, fmt="md", data=b"# Rapport", stem="rapport")
    synthesis = CampaignSynthesis.objects.create(campaign=campaign, text="Analyse.")

    # The portal: a published programme with a published pilot, resource, synthesis and report.
    publishing.programme_publish(world.programme, by=facilitator)
    publishing.pilot_publish(world.pilot, by=facilitator)
    publishing.synthesis_set_published(synthesis, True, by=facilitator)
    hidden_report = Report.objects.create(programme=world.programme, title="Interne")
    everyone = frozenset(ROLES)
    nobody = frozenset()
    o = world.other_programme.slug
    objects = {
        "axis": {"pk": world.programme.axes.first().pk},
        "organisation": {"pk": world.lead.pk},
        "person": {"pk": Person.objects.create(organisation=world.lead, first_name="Awa").pk},
        "pilot": {"pk": world.pilot.pk},
        "campaign": {"pk": campaign.pk},
        "campaigns": [
            Case("open", {"pk": campaign.pk}),
            Case("draft", {"pk": draft.pk}, staff),
        ],
        "respond": [  # addressed to both organisations; the superuser answers for none
            Case("open", {"pk": campaign.pk}, frozenset({"contributor_a", "contributor_b"})),
            Case("draft", {"pk": draft.pk}, nobody),
        ],
        "question": {"pk": campaign.pk, "qid": question.pk},
        "invitation": {"pk": campaign.pk, "iid": invitation.pk},
        "responses": responses,
        "answer_files": answer_files,  # no file attached: nobody finds one
        "tokens": [
            Case("valid", {"token": token}, everyone),
            Case("forged", {"token": "x" * 43}, nobody),
        ],
        "resource": {"pk": programme_own.pk},
        "resources": resource_cases,
        "records": record_cases,
        "record": {"pk": records["programme own"].pk},
        "meeting": {"pk": meeting.pk},
        "mail": {"pk": mail.pk},
        "passages": passages,
        "passage": {"pk": passage.pk},
        "entity": {"pk": entity.pk},
        "code": {"pk": code.pk},
        "version": {"pk": version.pk},
        "cell": [Case("code", {}, query=f"code={code.pk}&attribute=nature&value=ngo")],
        "coding": {"pk": coding.pk},
        "round": {"name": "r1"},
        "suggestion": {"pk": suggestion.pk},
        "report": {"pk": report.pk},
        "publishable": [
            Case("resource", {"kind": "resource", "pk": programme_own.pk}),
            Case("foreign", {"kind": "programme", "pk": world.other_programme.pk}, nobody),
        ],
        "portal_programme": [
            Case("published", {"slug": slug}, everyone),
            Case("unpublished", {"slug": o}, nobody),
        ],
        "portal_pilot": [
            Case("published", {"slug": slug, "code": world.pilot.code}, everyone),
            Case("unknown", {"slug": slug, "code": "nope"}, nobody),
        ],
        "portal_resource": [
            Case(
                c.label, {"slug": slug, **c.kwargs}, everyone if c.label == "published" else nobody
            )
            for c in resource_cases
        ],
        "portal_synthesis": [
            Case("published", {"slug": slug, "pk": synthesis.pk}, everyone),
        ],
        "portal_report": [Case("unpublished", {"slug": slug, "pk": hidden_report.pk}, nobody)],
        "portal_report_file": [
            Case("unpublished", {"slug": slug, "pk": hidden_report.pk, "fmt": "md"}, nobody)
        ],
    }
    return Site(slug, users, objects)


# Expected answers ----------------------------------------------------------------------------

LOGIN = "login"
DENIED = "denied"  # 403, or the login page for anonymous visitors


def expected(rule_who, who: str, case: Case) -> str | int:
    """ "ok", LOGIN, DENIED, 403, 404 or 405 for `who` asking with `rule_who` (a Rule's get or
    post)."""
    if rule_who is REFUSED:
        return 405
    if rule_who == PLATFORM:
        return "ok" if who == "superuser" else DENIED
    if rule_who != PUBLIC and who == "anonymous":
        return LOGIN
    if rule_who not in (PUBLIC, SIGNED_IN):
        role = _role_of(who)
        if role is None:
            return 404
        if rule_who not in ROLE_ACTIONS[role]:
            return 403
    if case.sees is not None and who not in case.sees:
        return 404
    return "ok"


# Sign-in bookkeeping and the audit trail legitimately change on any request.
UNWATCHED = {
    "sessions.session",
    "access.auditevent",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
}
STAMPS = {"last_login", "last_used"}  # a sign-in, an invitation link opened


def fingerprint() -> str:
    """A digest of every row of every table: a refused write must leave it unchanged."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed or model._meta.label_lower in UNWATCHED:
            continue
        columns = [f.attname for f in model._meta.concrete_fields if f.attname not in STAMPS]
        for row in model._default_manager.order_by("pk").values_list(*columns):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def check(status: int, location: str, want) -> bool:
    if want == "ok":
        return status in (200, 302) and not location.startswith(reverse("login"))
    if want == LOGIN:
        return status == 302 and location.startswith(reverse("login"))
    if want == DENIED:
        return status == 403 or status == 302 and location.startswith(reverse("login"))
    return status == want


def refused(status: int, location: str) -> bool:
    return status in (403, 404, 405) or status == 302 and location.startswith(reverse("login"))


@pytest.mark.django_db
def test_every_url_answers_each_visitor_as_declared(settings):
    settings.RECOLTE_OPEN_PROGRAMME_CREATION = False
    site = build_site()
    clients = {}
    for who in ROLES:
        clients[who] = Client(raise_request_exception=False)
        if who != "anonymous":
            clients[who].force_login(site.users[who])
    wrong, checked = [], 0
    for name in sorted(url_names()):
        rule = POLICY[name]
        post_rule = rule.get if rule.post == SAME else rule.post
        for case in rule.cases(site):
            url = reverse(name, kwargs=case.kwargs) + (f"?{case.query}" if case.query else "")
            before = fingerprint()
            allowed_writes = []
            for who, client in clients.items():
                checked += 1
                answer = client.get(url)
                want = expected(rule.get, who, case)
                if not check(answer.status_code, answer.get("Location", ""), want):
                    wrong.append((name, case.label, who, "GET", answer.status_code, want))
                if expected(post_rule, who, case) == "ok":
                    allowed_writes.append(who)
                    continue
                for method in WRITES:
                    answer = getattr(client, method)(url)
                    if not refused(answer.status_code, answer.get("Location", "")):
                        wrong.append((name, case.label, who, method, answer.status_code))
            if fingerprint() != before:
                wrong.append((name, case.label, "refused writes changed data"))
            for who in allowed_writes:  # empty forms, rolled back: allowed, never a 500
                with transaction.atomic():
                    answer = clients[who].post(url)
                    transaction.set_rollback(True)
                if answer.status_code not in (200, 302, 400, 404, 409):
                    wrong.append((name, case.label, who, "allowed POST", answer.status_code))
                if who != "anonymous" and "_auth_user_id" not in clients[who].session:
                    clients[who].force_login(site.users[who])  # it was a sign-out
    print(f"{checked} (URL case × visitor) checks over {len(POLICY)} patterns")
    assert not wrong, "\n".join(map(str, wrong))
