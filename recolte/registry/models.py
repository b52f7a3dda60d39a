"""The programme registry: who takes part in a programme, where, through which operations."""

from dataclasses import dataclass

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from recolte.l10n import colon


class Continent(models.TextChoices):
    AFRICA = "AF", _("Africa")
    AMERICAS = "AM", _("Americas")
    ASIA = "AS", _("Asia")
    EUROPE = "EU", _("Europe")
    OCEANIA = "OC", _("Oceania")


class Country(models.Model):
    """A country (ISO 3166 alpha-2) or a wider region (UN M49 code) where actors work."""

    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name_fr = models.CharField(_("name (French)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    continent = models.CharField(_("continent"), max_length=2, choices=Continent.choices)
    is_region = models.BooleanField(_("region rather than a country"), default=False)

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr


class Programme(models.Model):
    slug = models.SlugField(_("short name in addresses"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    budget = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    summary = models.TextField(_("summary"), blank=True)
    funders = models.TextField(_("funders and partners"), blank=True, help_text=_("One per line."))
    capitalised_by = models.CharField(
        _("capitalisation facilitated by"), max_length=200, blank=True
    )
    is_published = models.BooleanField(_("published on the public portal"), default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_year", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.acronym or self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:dashboard", args=[self.slug])


class Axis(models.Model):
    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("programme axis")
        CAPITALISATION = "capitalisation", _("capitalisation axis")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="axes")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "kind", "number"], name="axis_unique_number"
            )
        ]
        verbose_name = _("axis")
        verbose_name_plural = _("axes")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}{colon()} {self.title}"


class Nature(models.TextChoices):
    NGO = "ngo", _("NGO / association")
    UNION = "union", _("trade union")
    LOCAL_AUTHORITY = "local_authority", _("local authority")
    PUBLIC_AGENCY = "public_agency", _("national public agency")
    COOPERATIVE = "cooperative", _("cooperative / producers' organisation")
    SOCIAL_ECONOMY = "social_economy", _("social and solidarity economy network")
    COMPANY = "company", _("company")
    CONSUMERS = "consumers", _("consumers' association")
    TRAINING = "training", _("training centre")
    NETWORK = "network", _("network / federation")
    RESEARCH = "research", _("research institute")
    FUNDER = "funder", _("funder")
    OTHER = "other", _("other")


class Organisation(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="organisations")
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    nature = models.CharField(_("nature"), max_length=20, choices=Nature.choices)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("country")
    )
    city = models.CharField(_("city or territory"), max_length=120, blank=True)
    is_member = models.BooleanField(_("member of the network"), default=False)
    website = models.URLField(_("website"), blank=True)
    aliases = models.TextField(
        _("other names and spellings"),
        blank=True,
        help_text=_("One per line; used to find mentions."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="organisation_unique_name"),
            models.UniqueConstraint(
                fields=["programme", "acronym"],
                condition=~models.Q(acronym=""),
                name="organisation_unique_acronym",
            ),
        ]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.acronym or self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:organisation", args=[self.programme.slug, self.pk])

    @property
    def label(self) -> str:
        return self.acronym or self.name

    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


@dataclass(frozen=True)
class FieldSpec:
    """Where an organisation field goes beyond the model; its label is the model field's.

    The form, the JSON/XLSX exchange (in this order) and the actor map read
    `ORGANISATION_FIELDS`: adding a field there and to the model (with its migration) is all
    it takes; the import checks a value by the model field's type.
    """

    name: str
    exported: bool = True  # a key of the JSON exchange and a column of the workbook
    on_map: bool = False  # in the actor map's node data and tooltip
    lines: bool = False  # one item per line in the database, a list in the exchange

    @property
    def field(self) -> models.Field:
        return Organisation._meta.get_field(self.name)

    @property
    def label(self) -> str:
        return self.field.verbose_name


ORGANISATION_FIELDS = (
    FieldSpec("name"),
    FieldSpec("acronym"),
    FieldSpec("nature", on_map=True),
    FieldSpec("country"),
    FieldSpec("city"),
    FieldSpec("is_member", on_map=True),
    FieldSpec("website"),
    FieldSpec("aliases", lines=True),
    FieldSpec("description"),
)


class QuoteConsent(models.TextChoices):
    """What a person agreed to, for every quote of theirs (a quote may only be stricter)."""

    UNKNOWN = "unknown", _("not recorded")
    NAMED = "named", _("may be quoted by name")
    ANONYMOUS = "anonymous", _("may be quoted anonymously")
    NONE = "none", _("may not be quoted")


class Person(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="people",
        verbose_name=_("organisation"),
    )
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80, blank=True)
    role = models.CharField(_("role or position"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    quote_consent = models.CharField(
        _("consent to quotation"),
        max_length=10,
        choices=QuoteConsent.choices,
        default=QuoteConsent.UNKNOWN,
    )
    consent_date = models.DateField(_("consent given on"), null=True, blank=True)
    consent_source = models.CharField(
        _("consent recorded from"),
        max_length=200,
        blank=True,
        help_text=_("E.g. signed form, e-mail of 12 March, recorded at the interview."),
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class PilotOperation(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="pilot_operations"
    )
    code = models.SlugField(_("short code"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    # RESTRICT: a lead cannot be deleted on its own, but goes with its programme.
    lead = models.ForeignKey(
        Organisation,
        on_delete=models.RESTRICT,
        related_name="led_operations",
        verbose_name=_("lead organisation"),
    )
    summary = models.TextField(_("summary"), blank=True)
    shared_stake = models.CharField(_("shared stake"), max_length=200, blank=True)
    countries = models.ManyToManyField(Country, verbose_name=_("countries"), blank=True)
    territories = models.TextField(
        _("territories here and there"), blank=True, help_text=_("One per line.")
    )
    axes = models.ManyToManyField(Axis, verbose_name=_("axes"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    is_published = models.BooleanField(_("published on the public portal"), default=False)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="pilot_unique_code")
        ]
        verbose_name = _("pilot operation")
        verbose_name_plural = _("pilot operations")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("registry:pilot", args=[self.programme.slug, self.pk])

    def territory_list(self) -> list[str]:
        return [line.strip() for line in self.territories.splitlines() if line.strip()]


class Partnership(models.Model):
    """An organisation taking part in a pilot operation beside its lead."""

    pilot = models.ForeignKey(PilotOperation, on_delete=models.CASCADE, related_name="partnerships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="partnerships"
    )
    role = models.CharField(_("role in the operation"), max_length=200, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["pilot", "organisation"], name="partnership_unique")
        ]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self) -> str:
        return f"{self.organisation} – {self.pilot}"
