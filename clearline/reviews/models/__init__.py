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
    "SECTIONS",
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
