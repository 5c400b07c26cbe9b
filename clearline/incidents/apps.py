from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "clearline.incidents"
    label = "incidents"
