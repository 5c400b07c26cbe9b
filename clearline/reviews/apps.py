from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """After the incident: the preliminary report, the first-week plan, the review and the
    action items that come of it."""

    name = "clearline.reviews"
    label = "reviews"
    verbose_name = "After the incident"

    def ready(self) -> None:
        # The outbox consumer registers itself on import: a resolution proposes the review and
        # drafts the preliminary report and the first-week plan ("reviews").
        from clearline.reviews import tasks  # noqa: F401
