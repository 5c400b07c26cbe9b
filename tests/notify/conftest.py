import pytest
from django.utils import timezone

from clearline.notify.models import Channel, Subscriber


@pytest.fixture(autouse=True)
def delivery_settings(settings):
    """Loopback receivers are allowed, retries come at once, and the messages' links resolve."""
    settings.ROOT_URLCONF = "tests.notify.urls"
    settings.CLEARLINE_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.CLEARLINE_RETRY_BASE_SECONDS = 0
    settings.CLEARLINE_RETRY_CAP_SECONDS = 0
    settings.CLEARLINE_WEBHOOK_CONNECT_TIMEOUT = 2
    settings.CLEARLINE_WEBHOOK_TIMEOUT = 5
    return settings


def subscribe(address: str = "", *, components=(), incident=None, **fields) -> Subscriber:
    """A confirmed subscriber: an email address, or a webhook/slack URL with channel=."""
    channel = fields.pop("channel", Channel.EMAIL)
    sub = Subscriber.objects.create(
        channel=channel,
        email=address if channel == Channel.EMAIL else "",
        url=address if channel != Channel.EMAIL else "",
        incident=incident,
        confirmed_at=timezone.now(),
        **fields,
    )
    sub.components.set(components)
    return sub
