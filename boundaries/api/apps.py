from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "boundaries.api"
    label = "api"
    verbose_name = "REST API"
