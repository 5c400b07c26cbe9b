from django.apps import AppConfig


class UpdatesConfig(AppConfig):
    name = "clearline.updates"
    label = "updates"
