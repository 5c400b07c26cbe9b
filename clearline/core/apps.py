from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "clearline.core"
    label = "core"
