from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "boundaries.concerns"
    label = "concerns"
