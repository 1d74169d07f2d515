from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "boundaries.security"
    label = "security"
