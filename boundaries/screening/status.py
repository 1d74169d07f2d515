"""Live status of the post check's controls on the clause-by-clause page.

Honest, not constant: each status loads the checker's model and builds the school's
context as a check would, and says what the checker does and does not know.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from boundaries.core.models import Organisation
from boundaries.policies.controls import ControlStatus, provides_status
from boundaries.screening.schoolcontext import context_data
from engines.postcheck.model import load_model


def _model_problem() -> str | None:
    try:
        load_model()
    except (OSError, ValueError, KeyError) as error:
        return f"The checker's language model cannot be loaded ({error})."
    return None


def _roles(organisation: Organisation, today: dt.date) -> tuple[Counter[str], dict[str, object]]:
    data = context_data(organisation, today)
    return Counter(p["role"] for p in data["people"]), data


@provides_status("post_check_conduct")
def conduct_status(organisation: Organisation, today: dt.date) -> ControlStatus:
    problem = _model_problem()
    if problem:
        return ControlStatus("attention", problem)
    roles, data = _roles(organisation, today)
    if not roles["pupil"] and not roles["parent"]:
        return ControlStatus(
            "attention",
            "Staff can check drafts, but no pupils or parents are on the roster, so derogatory "
            "posts about named pupils or parents are not recognised. Import the roster.",
        )
    hours = "with" if data["working_hours"] else "without"
    return ControlStatus(
        "ok",
        f"Staff can check drafts against the school's names and {roles['pupil']} pupils and "
        f"{roles['parent']} parents and carers, {hours} the school's working hours.",
    )


@provides_status("post_check_defamation")
def defamation_status(organisation: Organisation, today: dt.date) -> ControlStatus:
    problem = _model_problem()
    if problem:
        return ControlStatus("attention", problem)
    roles, _ = _roles(organisation, today)
    known = sum(roles.values())
    summary = (
        f"Named people are recognised from the roster ({known} names) and by how names are "
        "written (title and surname, full names)."
    )
    if not known:
        return ControlStatus(
            "attention",
            "Names are recognised only by how they are written: the roster and staff list are "
            "empty. Import them so pupils', parents' and colleagues' names are known.",
        )
    return ControlStatus("ok", summary)


@provides_status("post_check_contact_details")
def contact_details_status(organisation: Organisation, today: dt.date) -> ControlStatus:
    roles, data = _roles(organisation, today)
    domains = data["organisation"]["domains"]  # type: ignore[index]
    if not domains:
        return ControlStatus(
            "attention",
            "The school's email domains are not set, so every email address in a draft is "
            "treated as personal. Add them to the organisation.",
        )
    if not roles["pupil"]:
        return ControlStatus(
            "attention",
            "Phone numbers, personal emails and handles are found, but no pupils are on the "
            "roster, so data about named pupils is not recognised.",
        )
    return ControlStatus(
        "ok",
        f"Personal phone numbers, emails and handles are found; the school's domains "
        f"({', '.join(domains)}) are not personal; {roles['pupil']} pupils are recognised.",
    )
