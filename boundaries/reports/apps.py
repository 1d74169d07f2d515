from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "boundaries.reports"
    label = "reports"
