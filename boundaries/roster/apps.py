from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "boundaries.roster"
    label = "roster"

    def ready(self) -> None:
        from boundaries.core.navigation import register_link

        register_link(
            "People", "Import staff, pupils or carers", "roster:import", "roster.import", {"school"}
        )
