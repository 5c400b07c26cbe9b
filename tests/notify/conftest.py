import pytest
from django.utils import timezone

from clearline.notify.models import Channel, Subscriber
from tests.factories import make_component


@pytest.fixture
def parts(db):
    """Two public components and one the status page hides."""
    return {
        "api": make_component("API", group="Platform", showcase=True),
        "web": make_component("Web app", group="Platform", showcase=True),
        "billing": make_component("Billing jobs", showcase=False),
    }


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
