"""The coding room: a programme's codebook, codings of resource text, quotes, memos, agreement.

A coding anchors on (resource version, start, end): Unicode code-point offsets into
`ResourceVersion.text`, end exclusive, like the corpus passages. Codings may overlap.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from recolte.collection.models import Resource, ResourceVersion
from recolte.registry.models import Axis, Country, Organisation, Person, Programme, QuoteConsent


class Code(models.Model):
    """A node of the codebook tree; folders (`codable=False`) only group other codes."""

    class Kind(models.TextChoices):
        AXIS = "axis", _("axis")
        SECTION = "section", _("section")
        RUBRIC = "rubric", _("rubric")
        THEME = "theme", _("theme")
        SUBTHEME = "subtheme", _("sub-theme")
        OTHER = "other", _("other")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="codes")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    # Stable external identifier (e.g. "a1.s11.A.interconnaissance") used by JSON import/export.
    key = models.CharField(_("key"), max_length=200)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    questions = models.TextField(_("guiding questions"), blank=True, help_text=_("One per line."))
    colour = models.CharField(_("colour"), max_length=7, blank=True)
    codable = models.BooleanField(_("can be applied to text"), default=True)
    axis = models.ForeignKey(
        Axis,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="codes",
        verbose_name=_("axis"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    order = models.PositiveIntegerField(_("order"), default=0)
    # Fields of the exchange format we do not model (scope, number, ...), kept for round trips.
    extra = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["programme", "key"], name="code_unique_key")]
        verbose_name = _("code")
        verbose_name_plural = _("codes")

    def __str__(self) -> str:
        return self.name

    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]


class Coding(models.Model):
    """A span of a resource version tagged with a code by a coder."""

    version = models.ForeignKey(ResourceVersion, on_delete=models.CASCADE, related_name="codings")
    start = models.PositiveIntegerField()  # code points into version.text
    end = models.PositiveIntegerField()  # exclusive
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="codings")
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="codings"
    )
    created = models.DateTimeField(auto_now_add=True)
    memo = models.TextField(_("memo"), blank=True)
    # Name of the suggestion model credited when the coding came from an accepted suggestion.
    assistant = models.CharField(max_length=120, blank=True)
    # The corpus passage the span matches or lies within, when there is one.
    passage = models.ForeignKey(
        "corpus.Passage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="codings",
    )

    class Meta:
        ordering = ["version", "start", "end", "pk"]
        indexes = [
            models.Index(fields=["version", "start"]),
            models.Index(fields=["code", "version"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="coding_span"
            )
        ]
        verbose_name = _("coding")
        verbose_name_plural = _("codings")

    def __str__(self) -> str:
        return f"{self.code} @ {self.version_id}[{self.start}:{self.end}]"

    @property
    def text(self) -> str:
        return self.version.text[self.start : self.end]


class Consent(models.TextChoices):
    GIVEN = "given", _("given")
    REFUSED = "refused", _("refused")
    UNKNOWN = "unknown", _("unknown")


def effective_consent(person_consent: str | None, quote_consent: str) -> str:
    """The consent a quote is used under: the person's, made stricter by the quote's own.

    Given: may be named; unknown: printed without a name; refused: never quoted. The quote's
    consent alone decides only when no consent is recorded for its person.
    """
    if quote_consent == Consent.REFUSED or person_consent == QuoteConsent.NONE:
        return Consent.REFUSED
    if person_consent == QuoteConsent.ANONYMOUS:
        return Consent.UNKNOWN
    if person_consent == QuoteConsent.NAMED:
        return Consent.GIVEN
    return quote_consent


class Quote(models.Model):
    """A coded span kept as a verbatim quote with its attribution."""

    coding = models.OneToOneField(Coding, on_delete=models.CASCADE, related_name="quote")
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quotes",
        verbose_name=_("person"),
    )
    person_name = models.CharField(_("name as attributed"), max_length=160, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quotes",
        verbose_name=_("organisation"),
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country"),
    )
    # Said by someone not to be named: printed as such, never as an empty attribution.
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("The speaker is not named; the organisation and country may still be given."),
    )
    consent = models.CharField(
        _("consent to be quoted"), max_length=10, choices=Consent.choices, default=Consent.UNKNOWN
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")

    def __str__(self) -> str:
        return self.attribution()

    @property
    def effective_consent(self) -> str:
        return effective_consent(self.person.quote_consent if self.person else None, self.consent)

    def attribution(self) -> str:
        """« … » (First name, ORG, Country), as the cross-cutting analysis prints it."""
        speaker = self.person_name or (str(self.person) if self.person else "")
        parts = [
            gettext("anonymous") if self.anonymous else speaker,
            self.organisation.label if self.organisation else "",
            str(self.country) if self.country else "",
        ]
        return ", ".join(p for p in parts if p)


class QuoteDismissal(models.Model):
    """A detected quotation a person said is not a quote: never proposed again for its resource.

    Keyed on the resource and the quoted words, not on offsets, so that a new version of the
    same text does not bring it back."""

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="quote_dismissals"
    )
    text = models.TextField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dismissed quotation")
        verbose_name_plural = _("dismissed quotations")

    def __str__(self) -> str:
        return self.text[:60]


class Memo(models.Model):
    """A dated, signed note on a code or a resource (exactly one); a coding has `Coding.memo`."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    code = models.ForeignKey(
        Code, on_delete=models.CASCADE, null=True, blank=True, related_name="memos"
    )
    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, null=True, blank=True, related_name="memos"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("memo"))
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__isnull=False, resource__isnull=True)
                | models.Q(code__isnull=True, resource__isnull=False),
                name="memo_one_target",
            )
        ]
        verbose_name = _("memo")
        verbose_name_plural = _("memos")

    def __str__(self) -> str:
        return self.text[:60]


class CodingAction(models.Model):
    """One step of a coder's undo log, with what is needed to revert it."""

    class Kind(models.TextChoices):
        CREATE = "create", _("created")
        DELETE = "delete", _("deleted")
        ADJUST = "adjust", _("adjusted")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coding_actions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    coding_id_ref = models.PositiveBigIntegerField()  # not a key: the coding may be gone
    # create: nothing; delete: the coding (and quote) as it was; adjust: the previous span.
    data = models.JSONField(default=dict)
    created = models.DateTimeField(auto_now_add=True)
    undone = models.BooleanField(default=False)

    class Meta:
        ordering = ["-pk"]
        indexes = [models.Index(fields=["user", "programme", "undone"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.coding_id_ref}"


class Assignment(models.Model):
    """A resource given to a coder in an agreement round (two coders code the same resources)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    round = models.CharField(_("round"), max_length=80)
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="assignments")
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coding_assignments"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "resource", "coder"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "round", "resource", "coder"], name="assignment_unique"
            )
        ]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return f"{self.round}: {self.resource} → {self.coder}"


class SuggestionModel(models.Model):
    """One trained code-suggestion model of a programme (the fitted object is pickled in `file`).

    A row is created `queued` when (re)training is asked for, so that a burst of codings
    enqueues one training, not one per coding.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        TRAINING = "training", _("training")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="suggestion_models"
    )
    name = models.CharField(max_length=80)
    version = models.PositiveIntegerField()  # per programme, 1, 2, …
    # Embedder and feature pipeline the file was fitted with: another one needs retraining.
    features_version = models.CharField(max_length=160, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    created = models.DateTimeField(auto_now_add=True)
    trained_at = models.DateTimeField(null=True, blank=True)
    n_training = models.PositiveIntegerField(default=0)  # labelled passages used
    n_codings = models.PositiveIntegerField(default=0)  # programme codings when trained
    # The pickled fitted model, tens of MB: a file, so that listing models stays cheap.
    file = models.FileField(upload_to="suggestion-models/", blank=True)
    metrics = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["programme", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "version"], name="suggestion_model_unique_version"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """How codings from accepted suggestions credit the assistant."""
        return f"{self.name} {self.version}"


class Suggestion(models.Model):
    """A code proposed for a corpus passage, waiting for a person's decision."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")
        PICKED = "picked", _("another code picked")

    passage = models.ForeignKey(
        "corpus.Passage", on_delete=models.CASCADE, related_name="suggestions"
    )
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="suggestions")
    model = models.ForeignKey(SuggestionModel, on_delete=models.CASCADE, related_name="suggestions")
    score = models.FloatField()
    rank = models.PositiveSmallIntegerField()  # 1 = best for this passage
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # The coding an accept or a pick created (a pick codes another code).
    coding = models.ForeignKey(
        Coding, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["passage", "rank"]
        indexes = [models.Index(fields=["passage", "status"])]

    def __str__(self) -> str:
        return f"{self.code} ? {self.passage_id} ({self.score:.2f})"
