"""The mail that asks an address to confirm its subscription: rendered when it is sent, so its
link's time starts then, and sent outside any transaction.

A mail server that is down is tried again with the deliveries' backoff; when every try has
failed, the hour's claim is given back, so the person can ask again at once.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.template.loader import render_to_string
from django.utils import timezone

from clearline.accounts.models import Organisation
from clearline.notify import retry
from clearline.notify.emails import message_domain
from clearline.notify.links import confirm_url
from clearline.notify.models import Channel, Subscriber

logger = logging.getLogger(__name__)


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
        # Django's default names the machine (often "localhost"), which spam filters mark down.
        headers={"Message-ID": make_msgid(domain=message_domain())},
    )
    message.attach_alternative(render_to_string("notify/confirm_email.html", context), "text/html")
    return message


def send_confirmation(subscriber_id: int, *, attempt: int = 1) -> bool:
    """Send it, unless the address confirmed, left or bounced since it was queued; True if sent.

    A failure the mail server may get over is queued again after a wait (attempt + 1).
    """
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
    try:
        confirmation_message(subscriber).send()
    except Exception as error:  # down, refused, timed out: said in the log, never to the page
        _failed(subscriber, attempt, error)
        return False
    return True


def _failed(subscriber: Subscriber, attempt: int, error: Exception) -> None:
    from clearline.notify import tasks
    from clearline.notify.emails import smtp_refusal

    problem, final = smtp_refusal(error)
    if not final and attempt < settings.CLEARLINE_DELIVERY_ATTEMPTS:
        wait = retry.backoff(attempt)
        logger.warning(
            "Confirmation mail to subscriber %s not sent, trying again: %s", subscriber.pk, problem
        )
        tasks.send_confirmation.using(run_after=timezone.now() + wait).enqueue(
            subscriber.pk, attempt=attempt + 1
        )
        return
    logger.error("Confirmation mail to subscriber %s not sent: %s", subscriber.pk, problem)
    if not final:
        # Nothing went out: the next request for this address need not wait the hour.
        Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent_at=None)
