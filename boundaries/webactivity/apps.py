from django.apps import AppConfig


class WebactivityConfig(AppConfig):
    name = "boundaries.webactivity"
    label = "webactivity"
