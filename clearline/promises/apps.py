from django.apps import AppConfig


class PromisesConfig(AppConfig):
    name = "clearline.promises"
    label = "promises"
