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

__all__ = [
    "ActionCategory",
    "ActionEvent",
    "ActionItem",
    "ActionStatus",
    "ActionWebhook",
    "ActionWebhookAttempt",
    "WebhookState",
]
