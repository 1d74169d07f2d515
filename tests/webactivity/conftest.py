from __future__ import annotations

from dataclasses import dataclass

import pytest

from boundaries.core.models import StaffRecord
from tests.cast import Cast


@dataclass
class Staffroom:
    cast: Cast
    teacher: StaffRecord
    colleague: StaffRecord
    other_school: StaffRecord


@pytest.fixture
def staffroom(cast: Cast) -> Staffroom:
    """Invented staff records: the teacher (linked to the account), a colleague, and one at
    Brookside whose login is the same as the colleague's."""
    teacher = StaffRecord.objects.create(
        organisation=cast.school,
        user=cast.teacher,
        full_name="Tess Teacher",
        work_email="t.teacher@rivington.example",
        job_title="Class teacher",
    )
    colleague = StaffRecord.objects.create(
        organisation=cast.school,
        full_name="Colin Colleague",
        work_email="c.colleague@rivington.example",
        mis_id="S042",
    )
    other = StaffRecord.objects.create(
        organisation=cast.other_school,
        full_name="Brenda Brookside",
        work_email="c.colleague@brookside.example",
    )
    return Staffroom(cast, teacher, colleague, other)
