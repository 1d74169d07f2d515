from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "boundaries.screening"
    label = "screening"
