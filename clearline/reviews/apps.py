from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """After the incident: the preliminary report, the first-week plan, the review and the
    action items that come of it."""

    name = "clearline.reviews"
    label = "reviews"
    verbose_name = "After the incident"

    def ready(self) -> None:
        # Registers the "reviews" outbox consumer: a resolution starts the after-incident work.
        from clearline.reviews import tasks  # noqa: F401
