"""An update as each channel will carry it, to read and copy: rendering only, nothing is sent."""

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from clearline.channels.chat import slack_message
from clearline.channels.mail import email_message
from clearline.channels.source import approved_update
from clearline.channels.text import plain_text
from clearline.channels.webhook import new_signing_secret, signed_webhook
from clearline.core.errors import ClearlineError
from clearline.desk.access import desk_view
from clearline.updates.models import Update


@desk_view("updates.view_update")
@require_safe
def update_channels(request: HttpRequest, update_id: int) -> HttpResponse:
    update = get_object_or_404(Update.objects.select_related("incident"), pk=update_id)
    context = {"update": update, "incident": update.incident}
    try:
        source = approved_update(update)
    except ClearlineError as refusal:
        return render(request, "desk/channels.html", {**context, "refusal": refusal})
    # A secret made for this page only, so a developer can check a receiver against the sample.
    secret = new_signing_secret()
    hook = signed_webhook(source, secret=secret, now=timezone.now())
    message = email_message(source, to=[])
    [(html, _)] = message.alternatives
    return render(
        request,
        "desk/channels.html",
        {
            **context,
            "reaches_customers": update.audience == "public" and update.incident.is_public,
            "text": plain_text(source),
            "email": message,
            "email_html": html,
            "webhook_headers": "\n".join(f"{k}: {v}" for k, v in hook.headers.items()),
            "webhook_body": hook.body.decode(),
            "webhook_secret": secret,
            "slack": json.dumps(slack_message(source), ensure_ascii=False, indent=2),
        },
    )
