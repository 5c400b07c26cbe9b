from django.apps import AppConfig


class NotifyConfig(AppConfig):
    """Subscribers and the deliveries that tell them: the outbox's fan-out consumer."""

    name = "clearline.notify"
    label = "notify"
    verbose_name = "Subscribers and deliveries"

    def ready(self) -> None:
        from clearline.notify import fanout  # noqa: F401 -- registers the "fanout" consumer
