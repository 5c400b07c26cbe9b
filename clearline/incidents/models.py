from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from clearline.core import clock, limits
from clearline.core.ids import new_public_id


class ComponentStatus(models.TextChoices):
    OPERATIONAL = "operational", "Operational"
    DEGRADED = "degraded_performance", "Degraded performance"
    PARTIAL = "partial_outage", "Partial outage"
    MAJOR = "major_outage", "Major outage"
    MAINTENANCE = "under_maintenance", "Under maintenance"


# Worst first; maintenance ranks below real outages.
STATUS_SEVERITY = {
    ComponentStatus.OPERATIONAL: 0,
    ComponentStatus.MAINTENANCE: 1,
    ComponentStatus.DEGRADED: 2,
    ComponentStatus.PARTIAL: 3,
    ComponentStatus.MAJOR: 4,
}


class Impact(models.TextChoices):
    NONE = "none", "None"
    MINOR = "minor", "Minor"
    MAJOR = "major", "Major"
    CRITICAL = "critical", "Critical"


class IncidentStatus(models.TextChoices):
    INVESTIGATING = "investigating", "Investigating"
    IDENTIFIED = "identified", "Identified"
    MONITORING = "monitoring", "Monitoring"
    RESOLVED = "resolved", "Resolved"


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public"
    INTERNAL = "internal", "Internal"


class ComponentGroup(models.Model):
    public_id = models.CharField(max_length=12, unique=True, default=new_public_id, editable=False)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Component(models.Model):
    public_id = models.CharField(max_length=12, unique=True, default=new_public_id, editable=False)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    group = models.ForeignKey(
        ComponentGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="components"
    )
    position = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=24, choices=ComponentStatus.choices, default=ComponentStatus.OPERATIONAL
    )
    showcase = models.BooleanField(default=True, help_text="Shown on the public page.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["group__position", "position", "id"]

    def __str__(self) -> str:
        return self.name


class IncidentQuerySet(models.QuerySet):
    def public(self) -> "IncidentQuerySet":
        """What the public may see: a public, non-drill incident with customer text published.

        The one definition: the pages, the JSON, the feeds, the component status and the
        subscriber fan-out all start here (with Update.objects.public()).
        """
        # The updates app sits above this one: its model is reached through the relation.
        updates = self.model._meta.get_field("updates").related_model
        published = updates.objects.customer_text().filter(incident=models.OuterRef("pk"))
        return self.filter(visibility=Visibility.PUBLIC, is_drill=False).filter(
            models.Exists(published)
        )


class Incident(models.Model):
    public_id = models.CharField(max_length=12, unique=True, default=new_public_id, editable=False)
    title = models.CharField(max_length=limits.TITLE.chars)
    impact = models.CharField(max_length=10, choices=Impact.choices, default=Impact.MINOR)
    status = models.CharField(
        max_length=16, choices=IncidentStatus.choices, default=IncidentStatus.INVESTIGATING
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    is_drill = models.BooleanField(default=False, help_text="A drill never reaches the public.")
    still_works = models.TextField(blank=True, help_text="What customers can still do.")
    started_at = models.DateTimeField(help_text="When customers were first affected.")
    detected_at = models.DateTimeField(null=True, blank=True)
    identified_at = models.DateTimeField(null=True, blank=True)
    monitoring_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    commander = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commanded_incidents",
    )
    comms_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comms_incidents",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    components = models.ManyToManyField(
        Component, through="AffectedComponent", related_name="incidents"
    )

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["visibility", "is_drill", "status"]),
            # The public page reads the newest incidents, one month's, and those resolved lately;
            # with these its render costs the same after ten years of history as after one.
            models.Index(
                fields=["visibility", "started_at", "status"], name="incident_public_started"
            ),
            models.Index(fields=["visibility", "resolved_at"], name="incident_public_resolved"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        past = clock.CLOCK_SKEW
        if errors := clock.time_errors(self, started_at=past, detected_at=past):
            raise ValidationError(errors)

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC and not self.is_drill

    @property
    def is_resolved(self) -> bool:
        return self.status == IncidentStatus.RESOLVED


class AffectedComponent(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="affected")
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        max_length=24, choices=ComponentStatus.choices, default=ComponentStatus.PARTIAL
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "component"], name="one_status_per_component"
            )
        ]

    def __str__(self) -> str:
        return f"{self.component} ({self.status})"


class SegmentKind(models.TextChoices):
    EVERYONE = "everyone", "Everyone"
    REGION = "region", "Region"
    PLAN = "plan", "Plan"
    PLATFORM = "platform", "Platform"
    FEATURE = "feature", "Users of one feature"
    OTHER = "other", "Other"


class Segment(models.Model):
    """Who is affected: everyone, or a region, a plan, a platform, the users of one action."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="segments")
    kind = models.CharField(max_length=10, choices=SegmentKind.choices)
    label = models.CharField(max_length=limits.SEGMENT_LABEL.chars, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        if self.kind == SegmentKind.EVERYONE:
            return "Everyone"
        if self.kind == SegmentKind.FEATURE:
            return f"Users of {self.label}"
        if self.kind == SegmentKind.OTHER:
            return self.label
        return f"{self.get_kind_display()}: {self.label}"


class TimelineKind(models.TextChoices):
    NOTICED = "noticed", "Noticed"
    CAUSE_FOUND = "cause_found", "Cause found"
    CHANGE_MADE = "change_made", "Change made"
    RESTORED = "restored", "Service restored"
    VERIFIED = "verified", "Verified"
    CUSTOMER_REPORT = "customer_report", "Customer report"
    NOTE = "note", "Note"


class TimelineEntry(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=20, choices=TimelineKind.choices, default=TimelineKind.NOTE)
    occurred_at = models.DateTimeField()
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name_plural = "timeline entries"

    def __str__(self) -> str:
        return f"{self.occurred_at:%H:%M} {self.get_kind_display()}"

    def clean(self) -> None:
        super().clean()
        if errors := clock.time_errors(self, occurred_at=clock.CLOCK_SKEW):
            raise ValidationError(errors)


class FactKind(models.TextChoices):
    FACT = "fact", "Confirmed fact"
    QUESTION = "question", "Open question"


class FactStatus(models.TextChoices):
    OPEN = "open", "Open"
    CONFIRMED = "confirmed", "Confirmed"
    ANSWERED = "answered", "Answered"
    WITHDRAWN = "withdrawn", "Withdrawn"


class FactSubject(models.TextChoices):
    DATA_SAFETY = "data_safety", "Data safety"
    CAUSE = "cause", "Cause"
    VENDOR = "vendor", "Vendor involvement"
    RECOVERY = "recovery", "Recovery time"
    SCOPE = "scope", "Who is affected"
    OTHER = "other", "Other"


class Fact(models.Model):
    """The facts ledger: confirmed facts and open questions, kept apart."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="facts")
    kind = models.CharField(max_length=10, choices=FactKind.choices)
    subject = models.CharField(
        max_length=16, choices=FactSubject.choices, default=FactSubject.OTHER
    )
    text = models.TextField()
    status = models.CharField(max_length=10, choices=FactStatus.choices, default=FactStatus.OPEN)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class MaintenanceStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    IN_PROGRESS = "in_progress", "In progress"
    VERIFYING = "verifying", "Verifying"
    COMPLETED = "completed", "Completed"


class MaintenanceQuerySet(models.QuerySet):
    def public(self) -> "MaintenanceQuerySet":
        """What customers may see: the one definition the pages, the JSON and the mail share."""
        return self.filter(visibility=Visibility.PUBLIC)


class Maintenance(models.Model):
    public_id = models.CharField(max_length=12, unique=True, default=new_public_id, editable=False)
    title = models.CharField(max_length=limits.TITLE.chars)
    description = models.TextField(help_text="What customers will notice and what to do.")
    status = models.CharField(
        max_length=12, choices=MaintenanceStatus.choices, default=MaintenanceStatus.SCHEDULED
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    scheduled_for = models.DateTimeField()
    scheduled_until = models.DateTimeField()
    components = models.ManyToManyField(Component, blank=True, related_name="maintenances")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MaintenanceQuerySet.as_manager()

    class Meta:
        ordering = ["scheduled_for", "id"]
        verbose_name_plural = "scheduled maintenance"

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """A window that may lie ahead, within a year; it ends when or after it begins."""
        super().clean()
        ahead = clock.PLAN_AHEAD
        errors = clock.time_errors(self, scheduled_for=ahead, scheduled_until=ahead)
        start, end = self.scheduled_for, self.scheduled_until
        if not errors and start and end and end < start:
            errors["scheduled_until"] = "The window cannot end before it begins."
        if errors:
            raise ValidationError(errors)


class AlertSourceKind(models.TextChoices):
    ALERTMANAGER = "alertmanager", "Prometheus Alertmanager"
    PAGERDUTY = "pagerduty", "PagerDuty (v3 webhooks)"


class AlertSource(models.Model):
    """A monitoring tool allowed to open internal draft incidents through its webhook."""

    public_id = models.CharField(max_length=12, unique=True, default=new_public_id, editable=False)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=12, choices=AlertSourceKind.choices)
    # Alertmanager sends a bearer token: only its SHA-256 is kept, like API tokens.
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    # PagerDuty signs with a shared secret, so it has to be kept as given to compute the HMAC.
    # It never appears in the admin, in an audit entry or in a log line.
    signing_secret = models.CharField(max_length=200, blank=True, editable=False)
    default_impact = models.CharField(
        max_length=10,
        choices=Impact.choices,
        default=Impact.MINOR,
        help_text="Used when the alert carries no severity, urgency or priority clearline knows.",
    )
    default_components = models.ManyToManyField(
        Component,
        blank=True,
        related_name="+",
        help_text="Marked as affected on every incident this source opens.",
    )
    enabled = models.BooleanField(default=True)
    last_delivery_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_secret(self) -> bool:
        return bool(self.token_hash or self.signing_secret)


class AlertLink(models.Model):
    """One alert group (Alertmanager) or PagerDuty incident, and the incident it opened.

    The unique key is what makes concurrent deliveries of the same group open one incident.
    """

    source = models.ForeignKey(AlertSource, on_delete=models.CASCADE, related_name="links")
    # The group key can be long (it holds the route's matchers), so uniqueness rests on its
    # SHA-256; the key itself is kept for people to read.
    external_key = models.TextField()
    key_digest = models.CharField(max_length=64, editable=False)
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="alert_links")
    external_url = models.URLField(max_length=500, blank=True)
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    last_status = models.CharField(max_length=32)
    # What the last delivery said (firing fingerprints, PagerDuty event ids), to tell news
    # from repeats.
    seen = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "key_digest"], name="one_link_per_alert_key")
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.external_key[:80]}"
