from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "boundaries.policies"
    label = "policies"
    verbose_name = "Policies, versions and clauses"
