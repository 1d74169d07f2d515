import datetime as dt

from django.apps import AppConfig


class AcknowledgementsConfig(AppConfig):
    name = "boundaries.acknowledgements"
    label = "acknowledgements"

    def ready(self) -> None:
        from boundaries.acknowledgements import actions, controls  # noqa: F401 - registers
        from boundaries.core.models import Organisation, StaffRecord, User
        from boundaries.core.navigation import register_link
        from boundaries.policies.actions import on_version_in_force
        from boundaries.policies.models import PolicyVersion
        from boundaries.roster.actions import on_staff_added

        def assign(
            version: PolicyVersion,
            previous: PolicyVersion | None,
            actor: User | None,
            today: dt.date,
        ) -> None:
            actions.assign_version(version, previous, actor, today)

        def new_staff(
            organisation: Organisation,
            records: list[StaffRecord],
            actor: User | None,
            today: dt.date,
        ) -> None:
            actions.assign_new_staff(organisation, records, actor, today)

        on_version_in_force(assign)
        on_staff_added(new_staff)
        school = {"school", "central_service"}
        register_link(
            "Policies",
            "Policies to read",
            "acknowledgements:to_read",
            "acknowledgements.read",
            school,
        )
        register_link(
            "Policies", "My record", "acknowledgements:my_record", "acknowledgements.read", school
        )
        register_link(
            "Policies",
            "Privacy settings check",
            "acknowledgements:privacy_check",
            "acknowledgements.read",
            school,
        )
        register_link(
            "People",
            "Reading settings, induction items and questions",
            "acknowledgements:manage",
            "acknowledgements.manage",
            school,
        )
        register_link(
            "People",
            "New starters' induction",
            "acknowledgements:inductions",
            "acknowledgements.manage",
            school,
        )
