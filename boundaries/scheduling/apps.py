from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "boundaries.scheduling"
    label = "scheduling"
    verbose_name = "Scheduled jobs"
