"""Action items: the concrete, owned changes that come of an incident, and the record of each
event sent to the tracker that mirrors them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from clearline.core import limits
from clearline.core.ids import new_public_id
from clearline.incidents.models import Incident


class ActionCategory(models.TextChoices):
    DETECTION = "detection", "Detection or alert"
    RELEASE_CHECK = "release_check", "Release check"
    ROLLBACK = "rollback", "Rollback"
    RUNBOOK = "runbook", "Runbook"
    ACCESS_REVIEW = "access_review", "Access review"
    BACKUP_RESTORE_TEST = "backup_restore_test", "Backup and restore test"
    DRILL = "drill", "Drill"
    OWNERSHIP = "ownership", "Ownership"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    WONT_DO = "wont_do", "Won't do"


OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
CLOSED_STATUSES = (ActionStatus.DONE, ActionStatus.WONT_DO)


class ActionItem(models.Model):
    """One change that comes of an incident: one outcome, one owner, one due date.

    It is closed as done with evidence (a link, a note or both) or as won't do with a reason,
    and stays closed: a change found wanting is a new item.
    """

    public_id = models.CharField(max_length=12, unique=True, default=new_public_id, editable=False)
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="action_items")
    outcome = models.CharField(
        max_length=limits.ACTION_OUTCOME.chars, help_text="The one change this item delivers."
    )
    category = models.CharField(max_length=24, choices=ActionCategory.choices)
    # PROTECT: an item never loses its owner; people leave by being made inactive.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="action_items"
    )
    due_date = models.DateField()
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    override_reason = models.TextField(
        blank=True,
        help_text="Why the outcome was kept as written although the checks call it vague (CL153).",
    )
    evidence_url = models.URLField(max_length=limits.EVIDENCE_LINK.chars, blank=True)
    evidence_note = models.TextField(blank=True)
    wont_do_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            # The overdue list on the desk and the reminder check read the open items by due
            # date, across every incident, once a minute.
            models.Index(fields=["status", "due_date"], name="action_item_status_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="action_item_status_known"
            ),
            models.CheckConstraint(
                condition=Q(category__in=ActionCategory.values), name="action_item_category_known"
            ),
            models.CheckConstraint(condition=~Q(outcome=""), name="action_item_has_outcome"),
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.DONE) | ~Q(evidence_url="", evidence_note=""),
                name="done_action_item_has_evidence",
            ),
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.WONT_DO) | ~Q(wont_do_reason=""),
                name="dropped_action_item_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=CLOSED_STATUSES, closed_at__isnull=False)
                | Q(status__in=OPEN_STATUSES, closed_at__isnull=True),
                name="closed_action_item_has_closed_at",
            ),
        ]

    def __str__(self) -> str:
        return self.outcome

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class ActionEvent(models.TextChoices):
    CREATED = "action_item.created", "Created"
    CLOSED = "action_item.closed", "Closed"


class WebhookState(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class ActionWebhook(models.Model):
    """One event for the tracker, written in the change's own transaction before any send.

    A worker posts it only after claiming the row with a conditional UPDATE, so several workers
    can share a database and the tracker still hears each event once (it may drop a repeat by
    its `webhook-id`).
    """

    public_id = models.CharField(max_length=12, unique=True, default=new_public_id, editable=False)
    action_item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="webhooks")
    event = models.CharField(max_length=24, choices=ActionEvent.choices)
    payload = models.JSONField(help_text="The event as of the change: every try sends it.")
    state = models.CharField(
        max_length=10, choices=WebhookState.choices, default=WebhookState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The retry check reads the rows waiting for a try.
            models.Index(fields=["state", "next_attempt_at"], name="action_webhook_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["action_item", "event"], name="one_webhook_per_action_event"
            ),
            models.CheckConstraint(
                condition=Q(state__in=WebhookState.values), name="action_webhook_state_known"
            ),
            models.CheckConstraint(
                condition=~Q(state=WebhookState.DELIVERED) | Q(delivered_at__isnull=False),
                name="delivered_action_webhook_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event}: {self.action_item}"


class ActionWebhookAttempt(models.Model):
    """One try at posting an event, kept whatever came of it."""

    webhook = models.ForeignKey(ActionWebhook, on_delete=models.CASCADE, related_name="tries")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    seconds = models.FloatField(help_text="How long the try took.")
    host = models.CharField(max_length=255, help_text="Where it was posted.")
    succeeded = models.BooleanField()
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["webhook", "number"], name="one_record_per_try")
        ]

    def __str__(self) -> str:
        return f"Try {self.number} of {self.webhook}"
