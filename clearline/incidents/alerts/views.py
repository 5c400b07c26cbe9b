"""The two webhook addresses. They authenticate by secret, parse, and hand over to the services."""

import logging
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from clearline.core import limits
from clearline.core.errors import ClearlineError
from clearline.incidents.alerts import services
from clearline.incidents.alerts.auth import bearer_matches, signature_matches
from clearline.incidents.models import AlertSource, AlertSourceKind

log = logging.getLogger(__name__)

Authentic = Callable[[AlertSource, HttpRequest, bytes], bool]
Receive = Callable[[AlertSource, Any], services.Receipt]


def _refusal(status: int, detail: str, field: str | None = None) -> JsonResponse:
    errors = [{"field": field, "message": detail}] if field else []
    return JsonResponse({"detail": detail, "errors": errors}, status=status)


def _deliver(
    request: HttpRequest, source_id: str, *, kind: str, authentic: Authentic, receive: Receive
) -> JsonResponse:
    # A body over limits.ALERT_REQUEST_BYTES never gets here (core.middleware.RequestLimits).
    body = request.body
    source = AlertSource.objects.filter(public_id=source_id, kind=kind).first()
    # One answer for an unknown source, another kind's source and a wrong secret, so a stranger
    # cannot tell which addresses exist.
    if source is None or not authentic(source, request, body):
        log.warning("alert delivery refused for source %r: bad or missing credentials", source_id)
        response = _refusal(401, "Missing or wrong credentials for this alert source.")
        if kind == AlertSourceKind.ALERTMANAGER:
            response["WWW-Authenticate"] = 'Bearer realm="clearline alerts"'
        return response
    if not source.enabled:
        return _refusal(410, "This alert source is disabled in clearline.")
    try:
        receipt = receive(source, limits.read_json(body))
    except ClearlineError as error:
        return _refusal(error.status, error.message, field=error.field)
    if receipt.ignored:
        return JsonResponse({"ignored": receipt.ignored}, status=202)
    assert receipt.incident is not None
    return JsonResponse(
        {
            "incident": receipt.incident.public_id,
            "created": receipt.created,
            "timeline_entries": receipt.entries,
        }
    )


def _hook(kind: str, *, authentic: Authentic, receive: Receive) -> Callable[..., JsonResponse]:
    # Monitoring tools cannot send a CSRF token; every request proves itself with the source's
    # bearer token (Alertmanager) or HMAC signature (PagerDuty) instead.
    @csrf_exempt
    @require_POST
    def hook(request: HttpRequest, source_id: str) -> JsonResponse:
        return _deliver(request, source_id, kind=kind, authentic=authentic, receive=receive)

    return hook


alertmanager_hook = _hook(
    AlertSourceKind.ALERTMANAGER,
    authentic=lambda source, request, body: bearer_matches(
        source, request.headers.get("Authorization", "")
    ),
    receive=lambda source, payload: services.receive_alertmanager(source=source, payload=payload),
)

pagerduty_hook = _hook(
    AlertSourceKind.PAGERDUTY,
    # The HMAC covers the raw bytes exactly as sent, before any parsing.
    authentic=lambda source, request, body: signature_matches(
        source, body, request.headers.get("X-PagerDuty-Signature", "")
    ),
    receive=lambda source, payload: services.receive_pagerduty(
        source=source, event=payload.get("event") if isinstance(payload, dict) else payload
    ),
)
