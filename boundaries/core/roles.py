"""The roles a person can hold in an organisation (DESIGN.md, "Who uses it")."""

from django.db import models


class Role(models.TextChoices):
    STAFF = "staff", "Staff member"
    LINE_MANAGER = "line_manager", "Line manager"
    HEADTEACHER = "headteacher", "Headteacher or school business manager"
    DSL = "dsl", "Designated safeguarding lead"
    HR = "hr", "HR adviser"
    GOVERNOR = "governor", "Governor"
    AUTHORITY_ADMIN = "authority_admin", "Authority admin"


class OrganisationKind(models.TextChoices):
    AUTHORITY = "authority", "Local authority"
    TRUST = "trust", "Trust"
    SCHOOL = "school", "School"
    CENTRAL_SERVICE = "central_service", "Centrally managed service"

    @classmethod
    def umbrellas(cls) -> set[str]:
        return {cls.AUTHORITY.value, cls.TRUST.value}
