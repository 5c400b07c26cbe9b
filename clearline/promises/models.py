from django.db import models
from django.db.models import Q
from django.utils import timezone

from clearline.incidents.models import Incident
from clearline.updates.models import Update


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Update due soon"
    OVERDUE = "overdue", "Update overdue"
    ACTION_OVERDUE = "action_overdue", "Action item overdue"
    FOLLOW_UP_OVERDUE = "follow_up_overdue", "Follow-up overdue"


class ReminderChannel(models.TextChoices):
    EMAIL = "email", "Email and desk"
    DESK = "desk", "Desk only"  # nobody to remind has an email address


class Reminder(models.Model):
    """One reminder of each kind per promise, written before it is sent. A promise is a
    published update's next update, an action item's due date (one reminder each time the
    item goes overdue, which a new due date can make happen again), or a key account's
    follow-up's due date.

    A worker sends it only after claiming the row with a conditional UPDATE, so several workers
    can share a database and a reminder still goes out once.
    """

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="reminders")
    update = models.ForeignKey(
        Update,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        help_text="The published update whose promised next update this is about.",
    )
    action_item = models.ForeignKey(
        "reviews.ActionItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        help_text="The action item gone overdue that this is about.",
    )
    follow_up = models.ForeignKey(
        "loop.FollowUp",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        help_text="The key account's follow-up gone overdue that this is about.",
    )
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    due_at = models.DateTimeField(
        help_text="When the next update was promised, or when the action item went overdue."
    )
    channel = models.CharField(
        max_length=8, choices=ReminderChannel.choices, default=ReminderChannel.EMAIL
    )
    recipients = models.TextField(blank=True, help_text="Addresses the email went to.")
    created_at = models.DateTimeField(
        default=timezone.now, help_text="When the promise check found the promise due."
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["update", "kind"], name="one_reminder_per_promise"),
            models.UniqueConstraint(
                fields=["action_item", "due_at"],
                condition=Q(action_item__isnull=False),
                name="one_reminder_per_overdue_action",
            ),
            models.UniqueConstraint(
                fields=["follow_up", "due_at"],
                condition=Q(follow_up__isnull=False),
                name="one_reminder_per_overdue_follow_up",
            ),
            models.CheckConstraint(
                condition=Q(update__isnull=False, action_item__isnull=True, follow_up__isnull=True)
                | Q(
                    update__isnull=True,
                    action_item__isnull=False,
                    follow_up__isnull=True,
                    kind="action_overdue",
                )
                | Q(
                    update__isnull=True,
                    action_item__isnull=True,
                    follow_up__isnull=False,
                    kind="follow_up_overdue",
                ),
                name="reminder_about_one_promise",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.incident}"
