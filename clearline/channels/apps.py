from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "clearline.channels"
    label = "channels"
    verbose_name = "Channels"
