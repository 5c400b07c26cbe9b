from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "clearline.reviews.reports"
    label = "reports"
    verbose_name = "Incident reports"
