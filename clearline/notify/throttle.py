"""How often one client may ask to subscribe: a count per address in Django's cache (Redis
where it is configured, so every web process shares it) over a fixed window."""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from clearline.accounts.throttling import client_address


def too_many(request: HttpRequest, scope: str) -> bool:
    """Count this request; True once the client has made more than the limit in the window."""
    window = settings.CLEARLINE_SUBSCRIBE_WINDOW_SECONDS
    key = f"clearline:notify:{scope}:{client_address(request) or 'unknown'}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > settings.CLEARLINE_SUBSCRIBE_LIMIT


def minutes() -> int:
    return max(1, settings.CLEARLINE_SUBSCRIBE_WINDOW_SECONDS // 60)
