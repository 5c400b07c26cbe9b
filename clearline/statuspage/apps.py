from django.apps import AppConfig


class StatuspageConfig(AppConfig):
    name = "clearline.statuspage"
    label = "statuspage"
