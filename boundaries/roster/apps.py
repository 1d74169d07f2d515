from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "boundaries.roster"
    label = "roster"
