from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "boundaries.reports"
    label = "reports"

    def ready(self) -> None:
        from boundaries.core.navigation import register_link
        from boundaries.reports import sections  # noqa: F401 - registers the report's sections

        school = {"school", "central_service"}
        register_link(
            "Reports",
            "Who has read the policies",
            "reports:acknowledgements",
            "acknowledgements.view_rates",
            school,
        )
        register_link(
            "Reports",
            "Governors' report",
            "reports:governors",
            "acknowledgements.view_rates",
            school,
        )
        register_link(
            "Reports",
            "Staff handbook (PDF)",
            "reports:handbook",
            "acknowledgements.view_names",
            school,
        )
        register_link(
            "Reports",
            "Schools: who has read the policies",
            "reports:authority",
            "reports.authority",
            {"authority", "trust"},
        )
