from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """After the incident: the preliminary report, the first-week plan, the review and the
    action items that come of it."""

    name = "clearline.reviews"
    label = "reviews"
    verbose_name = "After the incident"

    def ready(self) -> None:
        # The outbox consumers register themselves on import: a resolution proposes the review
        # ("review") and drafts the preliminary report and the first-week plan ("reviews").
        from clearline.reviews import (
            review,  # noqa: F401
            tasks,  # noqa: F401
        )
