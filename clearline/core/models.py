from django.conf import settings
from django.db import models
from django.utils import timezone


class WrittenText(models.Model):
    """Customer text a second person approves: its author and its last editor may not."""

    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who last changed the text; like the author, they may not approve it.",
    )

    class Meta:
        abstract = True

    @property
    def writer_ids(self) -> tuple:
        """The people whose words these are: none of them approves them."""
        return (self.author_id, self.edited_by_id)


class AuditEntry(models.Model):
    """One row per change to anything clearline keeps; written by the service functions."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    summary = models.CharField(max_length=300)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class EventKind(models.TextChoices):
    UPDATE_PUBLISHED = "update.published", "Update published"
    MAINTENANCE_PUBLISHED = "maintenance.published", "Maintenance published"
    PAGE_CHANGED = "page.changed", "Public page changed"


class OutboxEvent(models.Model):
    """One row per public change, written in the transaction that made it.

    The consumers (the status-page render, the subscriber fan-out) run on the task engine and
    write a receipt when done, so a change that commits is never lost and never handled twice.
    Plain ids, not foreign keys: the lowest layer of clearline names no domain model.
    """

    kind = models.CharField(max_length=32, choices=EventKind.choices)
    incident_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    update_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    maintenance_id = models.BigIntegerField(null=True, blank=True)
    notify = models.BooleanField(
        default=False, help_text="Whether subscribers are told (never for drills or internal text)."
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class OutboxReceipt(models.Model):
    """A consumer has handled an event; the relay re-queues any event still missing one."""

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="receipts")
    consumer = models.CharField(max_length=32)
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "consumer"], name="one_receipt_per_consumer")
        ]

    def __str__(self) -> str:
        return f"{self.consumer} handled event #{self.event_id}"
