from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """After the incident: the preliminary report, the first-week plan, the review and the
    action items that come of it."""

    name = "clearline.reviews"
    label = "reviews"
    verbose_name = "After the incident"

    def ready(self) -> None:
        # The "review" outbox consumer registers itself on import: a resolution proposes one.
        from clearline.reviews import review  # noqa: F401
