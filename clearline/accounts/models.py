import hashlib
import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models

from clearline.checks import CheckConfig, ConfigError
from clearline.core import business_days, limits
from clearline.core.ids import new_public_id


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone (try Europe/Berlin or UTC).")


def default_working_days() -> list[str]:
    return list(business_days.DEFAULT_WORKING_DAYS)


class Organisation(models.Model):
    """The one organisation this install speaks for (clearline is single-tenant)."""

    public_id = models.CharField(max_length=12, unique=True, default=new_public_id, editable=False)
    name = models.CharField(max_length=120, default="Example Co")
    page_url = models.URLField(blank=True, help_text="Public address of the status page.")
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    cadence_major_minutes = models.PositiveIntegerField(
        default=30, help_text="Minutes to the next update for major and critical incidents."
    )
    cadence_minor_minutes = models.PositiveIntegerField(
        default=60, help_text="Minutes to the next update for minor and none-impact incidents."
    )
    remind_before_minutes = models.PositiveIntegerField(
        default=10,
        help_text="Minutes before a promised update is due when the comms owner is reminded; "
        "0 sends only the overdue reminder.",
    )
    support_url = models.URLField(blank=True)
    logo = models.FileField(
        upload_to="logos/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "svg"])],
        help_text="PNG, JPEG or SVG, shown at the top of exported incident reports.",
    )
    support_email = models.EmailField(blank=True)
    check_glossary = models.TextField(
        "internal names",
        blank=True,
        help_text="Names of services, hosts, queues and ticket ids that mean nothing to "
        "customers, one per line; the checks flag them as jargon.",
    )
    check_grade_target = models.FloatField(
        "readability target",
        default=10.0,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text="Highest Flesch-Kincaid grade a customer update may read at.",
    )
    check_max_sentence_words = models.PositiveIntegerField(
        "long-sentence limit",
        default=35,
        validators=[MinValueValidator(5), MaxValueValidator(200)],
        help_text="Words above which a sentence is flagged as hard to read.",
    )
    check_phrases = models.JSONField(
        "extra phrases",
        default=dict,
        blank=True,
        help_text='More phrases to flag, per rule: {"jargon": ["pod restart"]}.',
    )
    check_severities = models.JSONField(
        "severity overrides",
        default=dict,
        blank=True,
        help_text='A severity per rule code or name: {"CL118": "error"}.',
    )
    check_disabled = models.JSONField(
        "rules turned off",
        default=list,
        blank=True,
        help_text='Rule codes or names that do not run: ["CL107"].',
    )
    allow_self_approval = models.BooleanField(
        "let writers approve their own text",
        default=False,
        help_text="For a one-person team only: whoever wrote an update or answer may approve it "
        "too. Each such approval is written in the audit log. Off, a second person approves.",
    )
    holiday_country = models.CharField(
        "country for public holidays",
        max_length=3,
        blank=True,
        help_text="ISO 3166 code such as GB, DE or US. Its public holidays are not business "
        "days (reviews are scheduled in business days). Blank: no public holidays.",
    )
    holiday_subdivision = models.CharField(
        "region for public holidays",
        max_length=32,
        blank=True,
        help_text="The state, province or nation whose holidays apply too, e.g. ENG for "
        "England, BY for Bavaria, CA for California. Blank: the country's national holidays.",
    )
    working_days = models.JSONField(
        default=default_working_days,
        help_text='The days of the week people work, e.g. ["mon", "tue", "wed", "thu", "fri"].',
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name

    @property
    def calendar(self) -> business_days.Calendar:
        """The organisation's business days: its working days less its public holidays."""
        days = self.working_days
        if business_days.working_day_problems(days):
            days = business_days.DEFAULT_WORKING_DAYS  # a value saved around clean()
        return business_days.Calendar(
            working_days=tuple(days),
            country=self.holiday_country,
            subdivision=self.holiday_subdivision,
        )

    @property
    def glossary_terms(self) -> list[str]:
        return [line.strip() for line in self.check_glossary.splitlines() if line.strip()]

    def _check_settings(self) -> dict[str, dict]:
        """The organisation's check settings as the `[checks]` table of clearline.toml, per
        field: each part is validated on its own so an error names the field at fault."""
        return {
            "check_glossary": {"glossary": self.glossary_terms},
            "check_grade_target": {"readability": {"grade": self.check_grade_target}},
            "check_max_sentence_words": {
                "readability": {"max_sentence_words": self.check_max_sentence_words}
            },
            "check_phrases": {"phrases": self.check_phrases},
            "check_severities": {"severity": self.check_severities},
            "check_disabled": {"disable": self.check_disabled},
        }

    def check_config(self) -> CheckConfig:
        """The settings the checks run with; a stored setting that no longer fits raises
        ConfigError (clean() keeps that from being saved)."""
        table: dict = {}
        for part in self._check_settings().values():
            for key, value in part.items():
                table[key] = {**table.get(key, {}), **value} if key == "readability" else value
        return CheckConfig.from_mapping(table)

    def clean(self) -> None:
        super().clean()
        errors = {}
        for field, part in self._check_settings().items():
            try:
                CheckConfig.from_mapping(part)
            except ConfigError as error:
                errors[field] = str(error)
        self.holiday_country = self.holiday_country.strip().upper()
        self.holiday_subdivision = business_days.canonical_region(
            self.holiday_country, self.holiday_subdivision.strip()
        )
        errors.update(business_days.region_problems(self.holiday_country, self.holiday_subdivision))
        if problem := business_days.working_day_problems(self.working_days):
            errors["working_days"] = problem
        if errors:
            raise ValidationError(errors)

    @classmethod
    def current(cls) -> "Organisation":
        org = cls.objects.order_by("id").first()
        return org or cls.objects.create()

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def cadence_minutes(self, impact: str) -> int:
        if impact in {"major", "critical"}:
            return self.cadence_major_minutes
        return self.cadence_minor_minutes


TOKEN_PREFIX = "cl_"  # noqa: S105 - a label, not a secret


def hash_token(raw: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough; the raw token is never stored.
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=limits.TOKEN_NAME.chars)
    prefix = models.CharField(max_length=12, db_index=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, user, name: str) -> tuple["ApiToken", str]:
        """Create a token; the raw value is returned once and never stored."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=raw[:10], token_hash=hash_token(raw)
        )
        return token, raw
