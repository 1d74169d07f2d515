"""The demo gives the dashboards something to show, and building it twice adds nothing."""

from __future__ import annotations

import pytest

from boundaries import demo
from boundaries.acknowledgements.models import Acknowledgement, Assignment, Induction
from boundaries.roster.models import Carer, Pupil


@pytest.mark.django_db
def test_the_demo_has_a_realistic_mix_and_is_idempotent() -> None:
    demo.build()
    acknowledged = Acknowledgement.objects.count()
    open_ = Assignment.objects.filter(completed_at__isnull=True).count()
    assert acknowledged > 10 and open_ > 3
    assert Induction.objects.filter(completed_on__isnull=True).count() == 1
    assert Pupil.objects.count() == 46 and Carer.objects.count() == 24
    again = demo.build()
    assert again.get("acknowledgements", 0) == 0 and again.get("pupils", 0) == 0
    assert Acknowledgement.objects.count() == acknowledged
