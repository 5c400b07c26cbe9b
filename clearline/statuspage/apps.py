from django.apps import AppConfig


class StatuspageConfig(AppConfig):
    name = "clearline.statuspage"
    label = "statuspage"

    def ready(self) -> None:
        # Registers the "snapshot" outbox consumer: every published event reaches the files.
        from clearline.statuspage import tasks  # noqa: F401
