from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from clearline.accounts.roles import ADMIN, APPROVER, RESPONDER


def responders() -> QuerySet:
    """People who can own a response: anyone active with the responder role or above."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name__in=[RESPONDER, APPROVER, ADMIN]) | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def display_name(user) -> str:
    return user.get_full_name() or user.get_username()


def active_user(username: str):
    """The active user with this username, or None."""
    return get_user_model().objects.filter(username=username, is_active=True).first()
