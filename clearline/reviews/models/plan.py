"""The first-week plan: what customers should hear from us, day by day, after a resolution."""

from django.conf import settings
from django.db import models

from clearline.core.ids import new_public_id
from clearline.incidents.models import Incident
from clearline.updates.models import Update


class PlanStep(models.TextChoices):
    """The steps of the first week, by the day they are due (counted from the resolution).

    The step names are the interface other parts call `plan.complete_step` with.
    """

    FACTS = "facts", "Day 1: the facts we can confirm"
    ANSWERS = "answers", "Day 2: answers to the questions customers keep asking"
    CAUSE = "cause", "Day 3: the cause in plain words"
    PREVENTION = "prevention", "Days 4–5: prevention work made visible"
    PROCESS = "process", "Day 7: process changes and named owners"


#: The day each step is due, counted from the resolution in the organisation's zone.
DUE_DAY = {
    PlanStep.FACTS: 1,
    PlanStep.ANSWERS: 2,
    PlanStep.CAUSE: 3,
    PlanStep.PREVENTION: 5,
    PlanStep.PROCESS: 7,
}


class PlanItemState(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    NOT_NEEDED = "not_needed", "Not needed"


class PlanItemQuerySet(models.QuerySet):
    def overdue(self, now) -> "PlanItemQuerySet":
        return self.filter(state=PlanItemState.OPEN, due_at__lt=now)


class PlanItem(models.Model):
    """One step of an incident's first week: an owner, a due time, and how it was closed."""

    public_id = models.CharField(max_length=12, unique=True, default=new_public_id, editable=False)
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="plan_items")
    step = models.CharField(max_length=12, choices=PlanStep.choices)
    title = models.CharField(max_length=300, help_text="What to publish, in a line.")
    detail = models.TextField(blank=True, help_text="What the record says this step is about.")
    question_groups = models.JSONField(
        default=list,
        blank=True,
        help_text="For the answers step: the ids of the customer question groups to answer.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_items",
    )
    due_at = models.DateTimeField()
    state = models.CharField(
        max_length=12, choices=PlanItemState.choices, default=PlanItemState.OPEN
    )
    reason = models.TextField(blank=True, help_text="Why the step is not needed.")
    done_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        Update,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The published text that completed the step, when one did.",
    )
    completion_note = models.CharField(
        max_length=300, blank=True, help_text="What completed the step, in a line."
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who marked it not needed; empty when clearline closed it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "step"], name="one_plan_item_per_step"),
            models.CheckConstraint(
                condition=models.Q(state="open", done_at__isnull=True)
                | models.Q(state="done", done_at__isnull=False)
                | (models.Q(state="not_needed", done_at__isnull=False) & ~models.Q(reason="")),
                name="plan_item_closed_with_a_time_and_not_needed_with_a_reason",
            ),
        ]
        indexes = [
            # The desk's overdue list reads open items by due time, across every incident.
            models.Index(fields=["state", "due_at"], name="plan_item_open_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()} ({self.get_state_display().lower()})"

    @property
    def is_open(self) -> bool:
        return self.state == PlanItemState.OPEN

    def is_overdue(self, now) -> bool:
        return self.is_open and self.due_at < now
