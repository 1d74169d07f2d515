from django.apps import AppConfig

SCHOOLS = {"school", "central_service"}


class DeclarationsConfig(AppConfig):
    name = "boundaries.declarations"
    label = "declarations"
    verbose_name = "Declarations, recruitment attestations and school devices"

    def ready(self) -> None:
        from boundaries.core.navigation import register_link
        from boundaries.declarations import status  # noqa: F401 - registers status providers

        section = "Connections, contacts and concerns"
        register_link(
            section, "Your declared connections", "declarations:mine", "declaration.create", SCHOOLS
        )
        register_link(
            section,
            "Declared connections to review",
            "declarations:review_list",
            "declaration.review_list",
            SCHOOLS,
        )
        register_link(
            "Recruitment and devices",
            "Recruitment: no social media vetting",
            "declarations:vacancies",
            "recruitment.view",
            SCHOOLS,
        )
        register_link(
            "Recruitment and devices",
            "School cameras, phones and tablets",
            "declarations:devices",
            "device.view",
            SCHOOLS,
        )
