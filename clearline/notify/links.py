"""The addresses every message carries: manage, one-click unsubscribe, and confirm.

The manage and unsubscribe links carry a signed token of the subscriber's id (nothing stored);
the confirmation link's token also carries its time, and expires.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from clearline.accounts.models import Organisation
from clearline.notify.models import Subscriber
from clearline.statuspage.v2 import page_url

CONFIRM_SALT = "clearline.notify.confirm"


def _absolute(path: str) -> str:
    return page_url(Organisation.current()) + path


# `token`: the subscriber's manage token when the caller already made it (a token holds the
# second it was made, so two made apart differ).


def manage_url(subscriber: Subscriber, *, token: str = "") -> str:
    return _absolute(reverse("notify:manage", args=[token or subscriber.manage_token()]))


def unsubscribe_url(subscriber: Subscriber, *, token: str = "") -> str:
    """The RFC 8058 one-click address: a POST unsubscribes, a GET asks first."""
    return _absolute(reverse("notify:unsubscribe", args=[token or subscriber.manage_token()]))


def confirm_token(subscriber: Subscriber) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(subscriber.public_id)


def confirm_url(subscriber: Subscriber) -> str:
    return _absolute(reverse("notify:confirm", args=[confirm_token(subscriber)]))


def subscriber_from_confirm_token(token: str) -> Subscriber | None:
    """The subscriber a confirmation link names, or None when it is forged or too old."""
    max_age = settings.CLEARLINE_CONFIRM_HOURS * 3600
    try:
        public_id = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    return Subscriber.objects.filter(public_id=public_id).first()
