from django.apps import AppConfig


class NotifyConfig(AppConfig):
    """Subscribers and the deliveries that tell them: the outbox's fan-out consumer."""

    name = "clearline.notify"
    label = "notify"
    verbose_name = "Subscribers and deliveries"

    def ready(self) -> None:
        from anymail.signals import tracking

        from clearline.notify import bounces

        # The provider's tracking webhooks (/anymail/<provider>/tracking/) send this signal.
        tracking.connect(bounces.stop_mail, dispatch_uid="clearline.notify.bounces")
        # The "fanout" consumer and the delivery admin register themselves on import.
        from clearline.notify import admin_deliveries, fanout  # noqa: F401
