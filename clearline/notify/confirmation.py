"""The mail that asks an address to confirm its subscription: rendered when it is sent, so its
link's time starts then, and sent outside any transaction."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from clearline.accounts.models import Organisation
from clearline.notify.links import confirm_url
from clearline.notify.models import Channel, Subscriber


def confirmation_message(subscriber: Subscriber) -> EmailMultiAlternatives:
    org = Organisation.current()
    name = " ".join(org.name.split())  # a stray newline in the name must not reach a header
    context = {
        "org_name": name,
        "confirm_url": confirm_url(subscriber),
        "hours": settings.CLEARLINE_CONFIRM_HOURS,
        "incident": subscriber.incident.title if subscriber.incident_id else "",
        "components": [c.name for c in subscriber.components.all()],
    }
    message = EmailMultiAlternatives(
        subject=f"Confirm your subscription to {name} status updates",
        body=render_to_string("notify/confirm_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
    )
    message.attach_alternative(render_to_string("notify/confirm_email.html", context), "text/html")
    return message


def send_confirmation(subscriber_id: int) -> bool:
    """Send it, unless the address confirmed, left or bounced since it was queued."""
    subscriber = (
        Subscriber.objects.filter(
            pk=subscriber_id,
            channel=Channel.EMAIL,
            confirmed_at__isnull=True,
            unsubscribed_at__isnull=True,
            suppressed_at__isnull=True,
        )
        .select_related("incident")
        .first()
    )
    if subscriber is None:
        return False
    confirmation_message(subscriber).send()
    return True
