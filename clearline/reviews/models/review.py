"""The blameless review: when it meets, who is in the room, and the pre-read write-up.

Internal only: no public selector reads these tables, and nothing here writes an outbox event.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from clearline.core.ids import new_public_id
from clearline.incidents.models import Incident, TimelineEntry


class ReviewState(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"


# The write-up's sections in the order the meeting walks through them.
SECTIONS = {
    "timeline": "Timeline",
    "missed": "What was missed",
    "done": "What has been done",
    "next_steps": "What is next",
    "customer_signal": "Heard from customers",
}


class Review(models.Model):
    public_id = models.CharField(max_length=12, unique=True, default=new_public_id, editable=False)
    incident = models.OneToOneField(Incident, on_delete=models.CASCADE, related_name="review")
    state = models.CharField(
        max_length=10, choices=ReviewState.choices, default=ReviewState.PROPOSED
    )
    resolved_at = models.DateTimeField(help_text="The resolution the window of days counts from.")
    proposed_for = models.DateTimeField(help_text="The slot clearline proposed.")
    starts_at = models.DateTimeField(help_text="When the review meets.")
    minutes = models.PositiveSmallIntegerField(default=60)
    held_at = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveIntegerField(
        default=0, help_text="The invitation's revision (iCalendar SEQUENCE): raised on a move."
    )
    invited_at = models.DateTimeField(
        null=True, blank=True, help_text="When invitations for the current time were queued."
    )
    timeline = models.TextField(blank=True)
    missed = models.TextField(blank=True)
    done = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    customer_signal = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised by every edit.")
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=ReviewState.HELD, held_at__isnull=False)
                | (~Q(state=ReviewState.HELD) & Q(held_at__isnull=True)),
                name="review_held_records_when",
            ),
            models.CheckConstraint(
                condition=Q(minutes__gte=15, minutes__lte=480), name="review_length_in_bounds"
            ),
            models.CheckConstraint(
                condition=Q(state=ReviewState.PROPOSED)
                | Q(invited_at__isnull=False)
                | Q(state=ReviewState.HELD),
                name="review_scheduled_means_invited",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.incident}"

    @property
    def is_held(self) -> bool:
        return self.state == ReviewState.HELD


class AttendeeRole(models.TextChoices):
    COMMANDER = "commander", "Incident commander"
    SCRIBE = "scribe", "Scribe"
    SERVICE_OWNER = "service_owner", "Service owner"
    SUBJECT_MATTER_EXPERT = "subject_matter_expert", "Subject-matter expert"
    ENGINEERING_LEAD = "engineering_lead", "Engineering or product lead"
    CUSTOMER_LIAISON = "customer_liaison", "Customer liaison"


class Attendee(models.Model):
    """Someone in the room, in one role: a person who signs in, or a name and an address."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="attendees")
    role = models.CharField(max_length=24, choices=AttendeeRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            # A person who signs in is read from their account; anyone else is named here.
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""), name="attendee_is_a_user_or_named"
            ),
            models.UniqueConstraint(
                fields=["review", "role", "user"],
                condition=Q(user__isnull=False),
                name="attendee_user_once_per_role",
            ),
            models.UniqueConstraint(
                fields=["review", "role", "name", "email"],
                condition=Q(user__isnull=True),
                name="attendee_guest_once_per_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_role_display()})"

    @property
    def display_name(self) -> str:
        if self.user_id:
            return self.user.get_full_name() or self.user.get_username()
        return self.name

    @property
    def address(self) -> str:
        return self.user.email if self.user_id else self.email


class Why(models.Model):
    """One step of the Five Whys: a question and its answer, in order."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="whys")
    position = models.PositiveSmallIntegerField()
    question = models.TextField()
    answer = models.TextField(blank=True)
    timeline_entry = models.ForeignKey(
        TimelineEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "whys"
        constraints = [
            models.UniqueConstraint(fields=["review", "position"], name="one_why_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.question[:60]}"


class FactorKind(models.TextChoices):
    """Where a contributing factor lies: always a system, never a person."""

    DETECTION = "detection", "Detection and alerting"
    RELEASE = "release", "Release and change checks"
    ROLLBACK = "rollback", "Rollback and recovery"
    RUNBOOK = "runbook", "Runbooks and documentation"
    ACCESS = "access", "Access and permissions"
    CAPACITY = "capacity", "Capacity and limits"
    DEPENDENCY = "dependency", "Dependencies and suppliers"
    OWNERSHIP = "ownership", "Ownership and handover"
    COMMUNICATION = "communication", "Communication and tooling"
    OTHER = "other", "Another system"


class ContributingFactor(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="factors")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=FactorKind.choices, default=FactorKind.OTHER)
    text = models.TextField()
    timeline_entry = models.ForeignKey(
        TimelineEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "position"], name="one_factor_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class InvitationMethod(models.TextChoices):
    REQUEST = "REQUEST", "Invitation"
    CANCEL = "CANCEL", "Cancellation"


class Invitation(models.Model):
    """One invitation email to one address for one revision of the review's time.

    Written in the change's transaction, before anything is sent: the worker claims the row,
    talks to the mail server outside any transaction, and records the outcome.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    name = models.CharField(max_length=120, blank=True)
    sequence = models.PositiveIntegerField()
    method = models.CharField(
        max_length=8, choices=InvitationMethod.choices, default=InvitationMethod.REQUEST
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} #{self.sequence} to {self.email}"
