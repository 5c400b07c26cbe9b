"""What a mail provider reports back through anymail: an address that bounced, was rejected or
marked a message as spam gets no more mail from us."""

from anymail.signals import AnymailTrackingEvent, EventType

from clearline.notify import services

STOPPING = {
    EventType.BOUNCED: "bounced",
    EventType.REJECTED: "rejected by the provider",
    EventType.COMPLAINED: "marked as spam",
}


def stop_mail(sender, event: AnymailTrackingEvent, esp_name: str, **kwargs) -> None:
    why = STOPPING.get(event.event_type)
    if why is None or not event.recipient:
        return
    reason = event.reject_reason
    detail = f" ({reason})" if reason and reason not in why else ""
    services.suppress_address(email=event.recipient, reason=f"{esp_name}: {why}{detail}")
