from django.apps import AppConfig


class DeclarationsConfig(AppConfig):
    name = "boundaries.declarations"
    label = "declarations"
