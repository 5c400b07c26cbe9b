"""Key accounts, their links to incidents, follow-ups for their owners, and late questions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from clearline.core import limits
from clearline.core.ids import new_public_id
from clearline.incidents.models import Incident
from clearline.updates.models import Update


def name_key(name: str) -> str:
    """How account names are compared: case and runs of spaces do not matter ("ACME  Corp" is
    "Acme Corp"), as support types them from memory."""
    return " ".join(name.split()).casefold()


class Tier(models.TextChoices):
    STRATEGIC = "strategic", "Strategic"
    ENTERPRISE = "enterprise", "Enterprise"
    GROWTH = "growth", "Growth"


class KeyAccount(models.Model):
    """A customer whose account owner hears of every incident that touched them."""

    public_id = models.CharField(max_length=12, unique=True, default=new_public_id, editable=False)
    name = models.CharField(max_length=limits.SIGNAL_ACCOUNT.chars)
    name_key = models.CharField(
        max_length=limits.SIGNAL_ACCOUNT.chars,
        unique=True,
        editable=False,
        help_text="The name as compared with the customer-signal log's accounts.",
    )
    tier = models.CharField(max_length=12, choices=Tier.choices, default=Tier.ENTERPRISE)
    renewal_date = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="key_accounts",
        help_text="The account owner: the person who follows up after an incident.",
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name_key"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)


class LinkSource(models.TextChoices):
    SIGNAL = "signal", "Named in the customer-signal log"
    HAND = "hand", "Linked by hand"


class IncidentAccount(models.Model):
    """A key account the incident touched."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="key_accounts")
    account = models.ForeignKey(KeyAccount, on_delete=models.CASCADE, related_name="incidents")
    source = models.CharField(max_length=8, choices=LinkSource.choices)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["account__name_key"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "account"], name="one_link_per_account")
        ]

    def __str__(self) -> str:
        return f"{self.account} · {self.incident}"


class FollowUpState(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class FollowUp(models.Model):
    """The account owner's personal word with a key account after a resolved incident."""

    public_id = models.CharField(max_length=12, unique=True, default=new_public_id, editable=False)
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="follow_ups")
    account = models.ForeignKey(KeyAccount, on_delete=models.CASCADE, related_name="follow_ups")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField(help_text="A day in the organisation's zone.")
    state = models.CharField(
        max_length=8, choices=FollowUpState.choices, default=FollowUpState.OPEN
    )
    note = models.TextField(blank=True, help_text="What was said, and anything still owed.")
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "account"], name="one_follow_up_per_account"
            ),
            models.CheckConstraint(
                condition=Q(state="open", done_at__isnull=True)
                | (Q(state="done", done_at__isnull=False) & ~Q(note="")),
                name="done_follow_ups_have_a_note",
            ),
        ]

    def __str__(self) -> str:
        return f"Follow up with {self.account} on {self.incident}"

    @property
    def is_done(self) -> bool:
        return self.state == FollowUpState.DONE


class LateQuestion(models.Model):
    """A question a customer asked after the incident was resolved, and its public answer."""

    public_id = models.CharField(max_length=12, unique=True, default=new_public_id, editable=False)
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="late_questions")
    text = models.TextField(help_text="The question as the customer asked it; never public.")
    account = models.CharField(max_length=limits.SIGNAL_ACCOUNT.chars, blank=True)
    asked_at = models.DateTimeField(default=timezone.now)
    addendum = models.OneToOneField(
        Update,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="late_question",
        help_text="The answer, an update of kind addendum: approved and published as any text.",
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["asked_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]
