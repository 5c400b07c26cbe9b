from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from clearline.core import clock
from clearline.core.ids import new_public_id
from clearline.core.models import WrittenText
from clearline.incidents.models import Incident, IncidentStatus, Visibility


class Audience(models.TextChoices):
    PUBLIC = "public", "Public"
    INTERNAL = "internal", "Internal"


class UpdateState(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"


class UpdateKind(models.TextChoices):
    """What a text is for: the stream of updates during an incident, or a report after it."""

    UPDATE = "update", "Update"
    PRELIMINARY = "preliminary", "Preliminary report"
    # The full incident report: the external one for customers, the internal one for the team
    # (audience internal, never published); clearline.reviews.reports keeps which is which.
    REPORT = "report", "Incident report"
    # A dated answer to a question customers asked after the resolution (clearline.loop).
    ADDENDUM = "addendum", "Addendum"


class UpdateQuerySet(models.QuerySet):
    def customer_text(self) -> "UpdateQuerySet":
        """Published text written for customers, whatever its incident (a drill's too): for
        promises, checks and composing, which follow an incident's own customer text."""
        return self.filter(state=UpdateState.PUBLISHED, audience=Audience.PUBLIC)

    def public(self) -> "UpdateQuerySet":
        """Text the public may read: customer text on a public, non-drill incident."""
        return self.customer_text().filter(
            incident__visibility=Visibility.PUBLIC, incident__is_drill=False
        )


class Update(WrittenText):
    public_id = models.CharField(max_length=12, unique=True, default=new_public_id, editable=False)
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(
        max_length=16,
        choices=IncidentStatus.choices,
        help_text="The incident's status as of this update.",
    )
    body = models.TextField()
    kind = models.CharField(
        max_length=12,
        choices=UpdateKind.choices,
        default=UpdateKind.UPDATE,
        help_text="A report goes through the same approval and publish path as an update, "
        "but never moves the incident's status or promises a next update.",
    )
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.PUBLIC)
    state = models.CharField(max_length=10, choices=UpdateState.choices, default=UpdateState.DRAFT)
    next_update_due = models.DateTimeField(null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_hash = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="The content hash the approver saw; publishing needs the text to still match it.",
    )
    override_reason = models.TextField(
        blank=True,
        editable=False,
        help_text="Why the approver let check errors through; empty when none were overridden.",
    )
    overridden_codes = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="The codes of the check errors the approval overrode, e.g. CL104.",
    )
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    lateness_seconds = models.PositiveIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="How late this public update came against the time the one before promised; "
        "0 is on time, empty when nothing was promised.",
    )
    version = models.PositiveIntegerField(default=1, help_text="Raised by every edit.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [
            ("publish_update", "Can publish an update"),
            ("approve_update", "Can approve an update"),
        ]
        constraints = [
            # Drafted once on resolution: a second one would leave customers two versions.
            models.UniqueConstraint(
                fields=["incident"],
                condition=models.Q(kind="preliminary"),
                name="one_preliminary_report_per_incident",
            ),
            # Customers get one version of the full report: one published per incident.
            models.UniqueConstraint(
                fields=["incident"],
                condition=models.Q(kind="report", audience="public", state="published"),
                name="one_published_report_per_incident",
            ),
            # A report speaks of a resolved incident; that it promises no next update is the
            # publish path's to enforce (it clears the promise of anything resolved).
            models.CheckConstraint(
                condition=models.Q(kind="update") | models.Q(status="resolved"),
                name="reports_speak_of_a_resolved_incident",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.body[:60]}"

    def clean(self) -> None:
        super().clean()
        if errors := clock.time_errors(self, next_update_due=clock.PLAN_AHEAD):
            raise ValidationError(errors)

    @property
    def is_report(self) -> bool:
        return self.kind != UpdateKind.UPDATE

    @property
    def heading(self) -> str:
        """How the text is headed wherever it is shown: its status, or what kind of report."""
        return self.get_kind_display() if self.is_report else self.get_status_display()

    @property
    def is_published(self) -> bool:
        return self.state == UpdateState.PUBLISHED
