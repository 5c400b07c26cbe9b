"""The update as an email: subject, plain text, and an HTML alternative with the same text."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from clearline.channels.source import Notice
from clearline.channels.text import plain_text


def subject(source: Notice) -> str:
    return f"[{' '.join(source.org.name.split())}] {source.status_label}: {source.title}"


def email_message(
    source: Notice,
    *,
    to: list[str],
    unsubscribe_url: str | None = None,
    manage_url: str | None = None,
) -> EmailMultiAlternatives:
    """A message ready to send; with `unsubscribe_url`, one-click unsubscribe per RFC 8058, and
    with `manage_url` (shown beside it) a link to change the subscription."""
    headers = {}
    if unsubscribe_url:
        if any(c in unsubscribe_url for c in "<>\r\n "):
            raise ValueError("An unsubscribe address cannot hold spaces, brackets or line breaks.")
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    html = render_to_string(
        "channels/update_email.html",
        {**source.context(), "unsubscribe_url": unsubscribe_url, "manage_url": manage_url},
    )
    message = EmailMultiAlternatives(
        subject=subject(source),
        body=plain_text(source, unsubscribe_url=unsubscribe_url, manage_url=manage_url),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message
