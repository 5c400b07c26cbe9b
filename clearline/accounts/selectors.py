from django.contrib.auth import get_user_model


def active_user(username: str):
    """The active user with this username, or None."""
    return get_user_model().objects.filter(username=username, is_active=True).first()
