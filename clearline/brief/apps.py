from django.apps import AppConfig


class BriefConfig(AppConfig):
    name = "clearline.brief"
    label = "brief"
    verbose_name = "Support brief"
