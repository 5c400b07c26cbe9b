from django.apps import AppConfig


class LoopConfig(AppConfig):
    """Closing the loop after an incident: key accounts, their owners' personal follow-ups, and
    questions that arrive after the resolution, answered as addenda."""

    name = "clearline.loop"
    label = "loop"
    verbose_name = "Closing the loop"

    def ready(self) -> None:
        # The outbox consumer ("loop") creates follow-ups when a resolution is published; the
        # signal receiver links key accounts named in the customer-signal log. The brief sits
        # below this app and must not know key accounts exist, so it is told nothing: this app
        # listens instead.
        from clearline.loop import links, tasks  # noqa: F401
