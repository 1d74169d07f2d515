from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "boundaries.core"
    label = "core"
    verbose_name = "Organisations, people and audit"
