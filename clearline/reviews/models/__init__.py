"""The after-incident records, one module per sub-domain."""

from clearline.reviews.models.actions import (
    ActionCategory,
    ActionEvent,
    ActionItem,
    ActionStatus,
    ActionWebhook,
    ActionWebhookAttempt,
    WebhookState,
)
from clearline.reviews.models.plan import DUE_DAY, PlanItem, PlanItemState, PlanStep
from clearline.reviews.models.review import (
    SECTIONS,
    Attendee,
    AttendeeRole,
    ContributingFactor,
    FactorKind,
    Invitation,
    InvitationMethod,
    Review,
    ReviewState,
    Why,
)

__all__ = [
    "DUE_DAY",
    "SECTIONS",
    "PlanItem",
    "PlanItemState",
    "PlanStep",
    "ActionCategory",
    "ActionEvent",
    "ActionItem",
    "ActionStatus",
    "ActionWebhook",
    "ActionWebhookAttempt",
    "Attendee",
    "AttendeeRole",
    "ContributingFactor",
    "FactorKind",
    "Invitation",
    "InvitationMethod",
    "Review",
    "ReviewState",
    "Why",
    "WebhookState",
]
