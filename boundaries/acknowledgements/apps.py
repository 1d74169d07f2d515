from django.apps import AppConfig


class AcknowledgementsConfig(AppConfig):
    name = "boundaries.acknowledgements"
    label = "acknowledgements"
