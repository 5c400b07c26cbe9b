"""Who asked to be told (subscribers) and what each was sent (one delivery per event and
subscriber)."""

from django.core import signing
from django.db import models
from django.db.models import Q
from django.utils import timezone

from clearline.core.ids import new_public_id
from clearline.core.models import OutboxEvent
from clearline.incidents.models import Component, Incident

MANAGE_SALT = "clearline.notify.manage"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    WEBHOOK = "webhook", "Webhook"
    SLACK = "slack", "Slack"


class SubscriberQuerySet(models.QuerySet):
    def active(self) -> "SubscriberQuerySet":
        """Confirmed, still subscribed, not stopped by bounces or a failing endpoint."""
        return self.filter(
            confirmed_at__isnull=False,
            unsubscribed_at__isnull=True,
            suppressed_at__isnull=True,
            disabled_at__isnull=True,
        )

    def interested_in(self, incident_id: int | None, component_ids: list[int]):
        """Everything-subscribers, those of one of these components, and those of this incident.

        A subscriber of one incident hears only about that incident.
        """
        everything = Q(incident__isnull=True, components__isnull=True)
        some = Q(incident__isnull=True, components__in=component_ids)
        this_incident = Q(incident_id=incident_id) if incident_id else Q(pk__in=[])
        return self.filter(everything | some | this_incident).distinct()


class Subscriber(models.Model):
    public_id = models.CharField(max_length=12, unique=True, default=new_public_id, editable=False)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    email = models.EmailField(blank=True)
    url = models.URLField(blank=True, max_length=2000, help_text="Webhook or Slack address.")
    secret = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="The webhook signing secret, shown once when the subscription is made.",
    )
    components = models.ManyToManyField(
        Component, blank=True, related_name="subscribers", help_text="None: everything."
    )
    incident = models.ForeignKey(
        Incident,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscribers",
        help_text="Set: only this incident's updates.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    suppressed_at = models.DateTimeField(
        null=True, blank=True, help_text="Mail stopped: the address bounced or complained."
    )
    suppressed_reason = models.CharField(max_length=200, blank=True)
    failing_since = models.DateTimeField(
        null=True, blank=True, help_text="First failure of the current run of failures."
    )
    disabled_at = models.DateTimeField(
        null=True, blank=True, help_text="Endpoint stopped after failing for days."
    )
    disabled_reason = models.CharField(max_length=200, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        # One subscription per address for everything, and one per address and incident.
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "email"],
                condition=Q(channel="email", incident__isnull=True),
                name="one_email_subscription",
            ),
            models.UniqueConstraint(
                fields=["channel", "url"],
                condition=~Q(channel="email") & Q(incident__isnull=True),
                name="one_endpoint_subscription",
            ),
            models.UniqueConstraint(
                fields=["channel", "email", "url", "incident"],
                condition=Q(incident__isnull=False),
                name="one_subscription_per_incident",
            ),
        ]

    def __str__(self) -> str:
        return self.email or self.url

    @property
    def address(self) -> str:
        return self.email if self.channel == Channel.EMAIL else self.url

    @property
    def is_active(self) -> bool:
        return bool(self.confirmed_at) and not (
            self.unsubscribed_at or self.suppressed_at or self.disabled_at
        )

    def manage_token(self) -> str:
        """Signed, not stored: the manage and one-click unsubscribe links carry it."""
        return signing.dumps(self.public_id, salt=MANAGE_SALT)

    @classmethod
    def from_manage_token(cls, token: str) -> "Subscriber | None":
        try:
            public_id = signing.loads(token, salt=MANAGE_SALT)
        except signing.BadSignature:
            return None
        return cls.objects.filter(public_id=public_id).first()


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"  # waiting for its (next) attempt
    SENDING = "sending", "Sending"  # claimed by a worker until `claimed_until`
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"  # dead letter: every attempt failed; an admin may retry


class Delivery(models.Model):
    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["event", "subscriber"], name="one_delivery_per_event")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.channel} to {self.subscriber} ({self.state})"
