"""Live status of the acknowledgement, induction, privacy-check and handbook controls."""

from __future__ import annotations

import datetime as dt

from boundaries.acknowledgements.stats import rate_of
from boundaries.core.models import Organisation
from boundaries.policies.controls import ControlStatus, provides_status
from boundaries.policies.models import PolicyVersion, VersionStatus


def _in_force(organisation: Organisation) -> int:
    return PolicyVersion.objects.filter(
        policy__organisation=organisation, policy__is_model=False, status=VersionStatus.IN_FORCE
    ).count()


@provides_status("staff_acknowledgement")
def acknowledgement_status(organisation: Organisation, today: dt.date) -> ControlStatus:
    rate = rate_of(organisation, today)
    if not rate.in_scope or not _in_force(organisation):
        return ControlStatus("not_measured", "No staff in scope or no policy in force yet.")
    summary = (
        f"{rate.acknowledged} of {rate.in_scope} staff in scope ({rate.percent}%) have "
        f"acknowledged the versions in force; {rate.overdue} overdue."
    )
    return ControlStatus("attention" if rate.overdue else "ok", summary)


@provides_status("induction")
def induction_status(organisation: Organisation, today: dt.date) -> ControlStatus:
    rate = rate_of(organisation, today)
    if rate.not_inducted:
        return ControlStatus(
            "attention", f"{rate.not_inducted} new starters have not finished their induction."
        )
    return ControlStatus("ok", "Every new starter has finished their induction checklist.")


@provides_status("privacy_check")
def privacy_status(organisation: Organisation, today: dt.date) -> ControlStatus:
    rate = rate_of(organisation, today)
    if not rate.in_scope:
        return ControlStatus("not_measured", "No staff in scope yet.")
    summary = (
        f"{rate.privacy_done} of {rate.in_scope} staff ({rate.privacy_percent}%) have done "
        "this school year's privacy-settings check."
    )
    return ControlStatus("ok" if rate.privacy_done == rate.in_scope else "attention", summary)


@provides_status("staff_handbook")
def handbook_status(organisation: Organisation, today: dt.date) -> ControlStatus:
    count = _in_force(organisation)
    if not count:
        return ControlStatus("not_measured", "No policy is in force yet.")
    return ControlStatus(
        "ok",
        f"The staff handbook PDF lists the {count} policies in force with each person's "
        "acknowledgement.",
    )
