"""The after-incident records, one module per sub-domain."""

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
    "Attendee",
    "AttendeeRole",
    "ContributingFactor",
    "FactorKind",
    "Invitation",
    "InvitationMethod",
    "Review",
    "ReviewState",
    "Why",
]
