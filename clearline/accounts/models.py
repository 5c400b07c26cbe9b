import hashlib
import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from clearline.core.ids import new_public_id


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone (try Europe/Berlin or UTC).")


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
    support_email = models.EmailField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name

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
    name = models.CharField(max_length=100)
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
