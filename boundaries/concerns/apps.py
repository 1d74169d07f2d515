from django.apps import AppConfig

SCHOOLS = {"school", "central_service"}


class ConcernsConfig(AppConfig):
    name = "boundaries.concerns"
    label = "concerns"
    verbose_name = "Pupil contacts and concerns about staff"

    def ready(self) -> None:
        from boundaries.concerns import signals, status  # noqa: F401 - registers handlers
        from boundaries.core.navigation import register_link

        section = "Connections, contacts and concerns"
        register_link(
            section, "A pupil contacted me", "concerns:contact_new", "pupil_contact.create", SCHOOLS
        )
        register_link(
            section,
            "Your pupil contact reports",
            "concerns:contacts_mine",
            "pupil_contact.create",
            SCHOOLS,
        )
        register_link(
            section, "Pupil contact reports", "concerns:contacts", "pupil_contact.list", SCHOOLS
        )
        register_link(section, "Raise a concern", "concerns:raised", "concern.raise", SCHOOLS)
        register_link(section, "Concerns about staff", "concerns:list", "concern.view", SCHOOLS)
        register_link(section, "Concerns by clause and term", "concerns:counts", "concern.counts")
