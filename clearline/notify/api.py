"""Private API for subscribers, in Statuspage's shape where it has one (`email` or `endpoint`,
`skip_confirmation_notification`, `quarantined_at`)."""

from typing import Literal

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from clearline.accounts.api import requires
from clearline.core.api import Pages, Timestamp, found, reads, writes
from clearline.notify import selectors, services
from clearline.notify.models import Channel, Subscriber

router = Router(tags=["subscribers"])


class SubscriberOut(Schema):
    id: str
    mode: Channel = Field(description="How updates reach it: email, webhook or slack.")
    email: str | None
    endpoint: str | None = Field(description="The webhook or Slack address.")
    components: list[str] = Field(description="Component ids; empty means everything.")
    incident: str | None = Field(description="Set: it hears only about this incident.")
    created_at: Timestamp
    confirmed_at: Timestamp | None = Field(description="Empty until the address confirms.")
    quarantined_at: Timestamp | None = Field(
        description="When sending stopped: the address bounced or complained, or the endpoint "
        "kept failing."
    )
    quarantine_reason: str
    unsubscribed_at: Timestamp | None

    @staticmethod
    def resolve_id(subscriber: Subscriber) -> str:
        return subscriber.public_id

    @staticmethod
    def resolve_mode(subscriber: Subscriber) -> str:
        return subscriber.channel

    @staticmethod
    def resolve_email(subscriber: Subscriber) -> str | None:
        return subscriber.email or None

    @staticmethod
    def resolve_endpoint(subscriber: Subscriber) -> str | None:
        return subscriber.url or None

    @staticmethod
    def resolve_components(subscriber: Subscriber) -> list[str]:
        return [c.public_id for c in subscriber.components.all()]

    @staticmethod
    def resolve_incident(subscriber: Subscriber) -> str | None:
        return subscriber.incident.public_id if subscriber.incident_id else None

    @staticmethod
    def resolve_quarantined_at(subscriber: Subscriber):
        return subscriber.suppressed_at or subscriber.disabled_at

    @staticmethod
    def resolve_quarantine_reason(subscriber: Subscriber) -> str:
        return subscriber.suppressed_reason or subscriber.disabled_reason


class SubscriberCreated(SubscriberOut):
    secret: str | None = Field(
        description="A webhook's signing secret (Standard Webhooks). Only in this response: "
        "store it now, it is never shown again."
    )

    @staticmethod
    def resolve_secret(subscriber: Subscriber) -> str | None:
        # Set by the operation that made it; a stored row never carries its secret out.
        return getattr(subscriber, "secret_made_now", "") or None


class SubscriberIn(Schema):
    email: str | None = Field(None, max_length=254, description="Give this or `endpoint`.")
    endpoint: str | None = Field(
        None, max_length=2000, description="A webhook or Slack incoming-webhook address."
    )
    mode: Literal["webhook", "slack"] | None = Field(
        None, description="For an endpoint; by default slack for hooks.slack.com, else webhook."
    )
    components: list[str] = Field(default_factory=list, description="Component ids; none: all.")
    incident: str | None = Field(None, description="An incident id: only its updates.")
    skip_confirmation_notification: bool = Field(
        False, description="Subscribe an email address without the confirmation mail."
    )


def _subscriber(subscriber_id: str) -> Subscriber:
    return found(selectors.subscriber(subscriber_id), "subscriber", subscriber_id)


@router.get(
    "/subscribers", response=reads(list[SubscriberOut]), auth=requires("notify.view_subscriber")
)
@paginate(Pages)
def list_subscribers(request):
    """Every subscriber, cancelled and stopped ones too, oldest first."""
    return selectors.subscribers()


@router.post(
    "/subscribers",
    response=writes(SubscriberCreated, 201),
    auth=requires("notify.add_subscriber"),
)
def add_subscriber(request, payload: SubscriberIn):
    """Subscribe an email address (it gets the confirmation mail unless
    `skip_confirmation_notification`) or an endpoint (confirmed at once; a webhook's `secret`
    is in this response only). Private, loopback and link-local endpoints are refused."""
    made = services.add_subscriber(
        by=request.auth,
        email=payload.email or "",
        endpoint=payload.endpoint or "",
        channel=payload.mode,
        components=payload.components,
        incident=payload.incident,
        skip_confirmation=payload.skip_confirmation_notification,
    )
    created = _subscriber(made.subscriber.public_id)
    created.secret_made_now = made.secret
    return Status(201, created)


@router.get(
    "/subscribers/{subscriber_id}",
    response=reads(SubscriberOut),
    auth=requires("notify.view_subscriber"),
)
def get_subscriber(request, subscriber_id: str):
    return _subscriber(subscriber_id)


@router.delete(
    "/subscribers/{subscriber_id}",
    response=writes(SubscriberOut),
    auth=requires("notify.delete_subscriber"),
)
def remove_subscriber(request, subscriber_id: str):
    """Unsubscribe: nothing more is sent to it. The record stays; a second call changes nothing."""
    services.remove_subscriber(by=request.auth, subscriber=_subscriber(subscriber_id))
    return _subscriber(subscriber_id)
