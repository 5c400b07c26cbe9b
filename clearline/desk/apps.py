from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "clearline.desk"
    label = "desk"
