"""How experience enters Récolte: campaigns and their responses, records of the other
instruments, and the resource library that every later room reads from."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from recolte.collection.instruments import Instrument
from recolte.registry.models import Axis, Organisation, Person, PilotOperation, Programme


class Confidentiality(models.TextChoices):
    FACILITATORS = "facilitators", _("facilitators only")
    PROGRAMME = "programme", _("programme")
    PUBLISHED = "published", _("published")


class Campaign(models.Model):
    """One issue of an instrument sent to an audience, e.g. "Field logbook no. 2"."""

    class Audience(models.TextChoices):
        PILOT_LEADS = "pilot_leads", _("pilot operation leads")
        ALL_MEMBERS = "all_members", _("all members")
        CHOSEN = "chosen", _("chosen organisations or people")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="campaigns")
    title = models.CharField(_("title"), max_length=200)
    instrument = models.CharField(_("instrument"), max_length=20, choices=Instrument.choices)
    introduction = models.TextField(_("introduction for respondents"), blank=True)
    axes = models.ManyToManyField(Axis, blank=True, verbose_name=_("capitalisation axes addressed"))
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    chosen_organisations = models.ManyToManyField(
        Organisation, blank=True, verbose_name=_("chosen organisations")
    )
    chosen_people = models.ManyToManyField(Person, blank=True, verbose_name=_("chosen people"))
    opens_on = models.DateField(_("opening date"), null=True, blank=True)
    closes_on = models.DateField(_("closing date"), null=True, blank=True)
    reminder_days = models.CharField(
        _("reminders (days before closing)"),
        max_length=40,
        blank=True,
        default="7,2",
        help_text=_("Comma-separated, e.g. 7,2."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "title"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("collection:campaign", args=[self.programme.slug, self.pk])

    @property
    def is_open(self) -> bool:
        today = timezone.localdate()
        return self.status == self.Status.OPEN and (
            self.closes_on is None or today <= self.closes_on
        )


class Question(models.Model):
    class AnswerType(models.TextChoices):
        LONG_TEXT = "long_text", _("long text")
        SHORT_TEXT = "short_text", _("short text")
        CHOICE = "choice", _("choice")
        MULTIPLE = "multiple", _("multiple choice")
        NUMBER = "number", _("number")
        DATE = "date", _("date")
        SCALE = "scale", _("scale")
        YES_NO = "yes_no", _("yes/no")
        FILE = "file", _("file")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_fr = models.TextField(_("question (French)"))
    text_en = models.TextField(_("question (English)"), blank=True)
    text_es = models.TextField(_("question (Spanish)"), blank=True)
    help_text = models.TextField(_("help text"), blank=True)
    required = models.BooleanField(_("required"), default=False)
    answer_type = models.CharField(
        _("answer type"), max_length=12, choices=AnswerType.choices, default=AnswerType.LONG_TEXT
    )
    choices = models.TextField(_("choices"), blank=True, help_text=_("One per line."))
    # Bounds of a number, or the ends of a scale (1 to 5 when blank).
    minimum = models.DecimalField(
        _("minimum"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    maximum = models.DecimalField(
        _("maximum"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    scale_low = models.CharField(_("label of the lowest point"), max_length=80, blank=True)
    scale_high = models.CharField(_("label of the highest point"), max_length=80, blank=True)
    # Skip logic: shown only when this earlier question's answer is one of `show_if_values`.
    show_if = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependents",
        verbose_name=_("show only if the answer to"),
    )
    show_if_values = models.TextField(_("is one of"), blank=True)

    class Meta:
        ordering = ["campaign", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text_fr[:80]

    def text_in(self, language: str) -> str:
        return getattr(self, f"text_{language[:2]}", "") or self.text_fr

    @property
    def text(self) -> str:
        """The question in the active language, in French when it has no translation."""
        return self.text_in(get_language() or settings.LANGUAGE_CODE)

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def show_if_list(self) -> list[str]:
        return [line.strip() for line in self.show_if_values.splitlines() if line.strip()]


class Response(models.Model):
    """One organisation's answer to one campaign: a draft until it is submitted."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    class Channel(models.TextChoices):
        BROWSER = "browser", _("in the browser")
        LINK = "link", _("through an invitation link")
        DOCX = "docx", _("uploaded document")
        EMAIL = "email", _("e-mail reply")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="responses"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.BROWSER)
    started = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    submitted = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resource = models.OneToOneField(
        "Resource", on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organisation"], name="response_unique")
        ]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.campaign} — {self.organisation}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(blank=True)
    file = models.FileField(upload_to="answers/%Y/%m/", blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.response} · {self.question}"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """A personal link that opens one organisation's response without a password.

    Only the token's hash is stored, so a database leak does not leak working links.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(_("e-mail"))
    # The respondent's language: the e-mails and the answering page speak it (blank: the
    # programme's default language); a language chosen on the page itself wins.
    language = models.CharField(_("language"), max_length=8, blank=True, choices=settings.LANGUAGES)
    token_hash = models.CharField(max_length=64, unique=True)
    # The random token encrypted under a key derived from SECRET_KEY (see campaigns.py), so the
    # page and reminders can show the same link; empty for links issued before it existed.
    token_sealed = models.TextField(blank=True, editable=False)
    expires = models.DateTimeField(_("expires"))
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)
    sent = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminder = models.DateTimeField(null=True, blank=True)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} · {self.campaign}"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def issue_token(self) -> str:
        """Give the invitation a fresh token; returns the clear token (to put in the e-mail)."""
        token = _new_token()
        self.token_hash = self.hash(token)
        return token

    @property
    def is_valid(self) -> bool:
        return self.revoked is None and timezone.now() < self.expires


class Resource(models.Model):
    """Anything that carries experience: a response, a transcript, minutes, a document, a box."""

    class Kind(models.TextChoices):
        RESPONSE = "response", _("response")
        TRANSCRIPT = "transcript", _("transcript")
        MINUTES = "minutes", _("minutes")
        NOTES = "notes", _("notes")
        DOCUMENT = "document", _("document")
        BOX = "box", _("boxed example")
        EMAIL = "email", _("e-mail")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.DOCUMENT)
    instrument = models.CharField(
        _("instrument"), max_length=20, choices=Instrument.choices, blank=True
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("campaign"),
    )
    record = models.ForeignKey(
        "Record", on_delete=models.CASCADE, null=True, blank=True, related_name="resources"
    )
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="resources", verbose_name=_("organisations")
    )
    pilot = models.ForeignKey(
        PilotOperation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("pilot operation"),
    )
    people = models.ManyToManyField(
        Person, blank=True, related_name="resources", verbose_name=_("people")
    )
    date = models.DateField(_("date"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=12,
        choices=Confidentiality.choices,
        default=Confidentiality.PROGRAMME,
    )
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-created"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        # The access rule reads "published (or ours)" at every search and listing.
        indexes = [models.Index(fields=["programme", "confidentiality"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("collection:resource", args=[self.programme.slug, self.pk])

    @property
    def current(self) -> "ResourceVersion | None":
        return self.versions.order_by("-number").first()


class ResourceVersion(models.Model):
    """The normalised text of a resource at one moment, never edited once stored.

    Offsets into `text` are Unicode code points; coding anchors on (version, start, end).
    """

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    text_sha256 = models.CharField(max_length=64, db_index=True)
    original = models.FileField(upload_to="originals/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    original_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    format = models.CharField(max_length=10, blank=True)
    needs_transcript = models.BooleanField(default=False)
    extra = models.JSONField(default=dict, blank=True)  # cues, notes, mail headers, warnings
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["resource", "number"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.resource} v{self.number}"


class Record(models.Model):
    """An interview, on-site meeting, workshop, seminar or video: the event behind resources."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="records")
    instrument = models.CharField(_("instrument"), max_length=20, choices=Instrument.choices)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="records", verbose_name=_("organisations")
    )
    pilot = models.ForeignKey(
        PilotOperation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("pilot operation"),
    )
    people = models.ManyToManyField(
        Person,
        blank=True,
        related_name="records",
        verbose_name=_("interviewees, participants or speakers"),
    )
    other_participants = models.TextField(
        _("other participants"),
        blank=True,
        help_text=_("People not in the registry, one per line."),
    )
    interviewer = models.CharField(_("interviewer or facilitator"), max_length=200, blank=True)
    consent_given = models.BooleanField(_("consent to be quoted given"), default=False)
    link = models.URLField(_("link to the video or recording"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=12,
        choices=Confidentiality.choices,
        default=Confidentiality.PROGRAMME,
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "title"]
        verbose_name = _("record")
        verbose_name_plural = _("records")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("collection:record", args=[self.programme.slug, self.pk])


class PendingMail(models.Model):
    """One message kept whole (raw bytes) so that assigning it stores exactly what arrived."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    instrument = models.CharField(max_length=20, blank=True)
    confidentiality = models.CharField(
        max_length=12, choices=Confidentiality.choices, default=Confidentiality.PROGRAMME
    )
    sender = models.CharField(_("sender"), max_length=300, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    sent = models.DateTimeField(_("sent"), null=True, blank=True)
    body = models.TextField(_("message"), blank=True)
    filename = models.CharField(max_length=255)
    raw = models.BinaryField()
    sha256 = models.CharField(max_length=64, db_index=True)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "sha256"], name="pendingmail_unique")
        ]
        verbose_name = _("unmatched e-mail")
        verbose_name_plural = _("unmatched e-mails")

    def __str__(self) -> str:
        return f"{self.sender} · {self.subject}"


class Upload(models.Model):
    """A file a page received, stored before it is read: extracting the largest accepted
    documents takes seconds, so a task reads it and the page shows this row's status."""

    class Purpose(models.TextChoices):
        LIBRARY = "library", _("library files")
        MAIL = "mail", _("e-mail replies")
        ANSWERS = "answers", _("answers in a document")
        RECORD = "record", _("record transcript")

    class Status(models.TextChoices):
        PENDING = "pending", _("being read")
        DONE = "done", _("read")
        FAILED = "failed", _("failed")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    file = models.FileField(upload_to="uploads/%Y/%m/", blank=True)
    filename = models.CharField(max_length=255)
    meta = models.JSONField(default=dict, blank=True)  # the provenance given with the file
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    record = models.ForeignKey(
        "Record", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    language = models.CharField(max_length=8, blank=True)  # the uploader's, for the messages
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    message = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} · {self.status}"
