"""Build an authority of 600 schools, 30,000 staff and 150,000 acknowledgement records.

Each school has 50 staff and one policy with six versions (five superseded, one in
force); everyone has five acknowledgements: versions 2 to 5, and the one in force (about
85% of staff) or else the first. Rows are bulk-inserted (benchmark data, not a demo: no
audit events).
Usage (Django must be set up; see acknowledgements_speed.py): generate(schools=600).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

STAFF_PER_SCHOOL = 50
VERSIONS = 6
TEAMS = ["Early years", "Key Stage 1", "Key Stage 2", "Support", "Leadership"]
JOBS = ["Class teacher", "Teaching assistant", "Lunchtime supervisor", "Office", "Caretaker"]


@dataclass
class Generated:
    authority_slug: str
    school_slugs: list[str]
    staff: int
    acknowledgements: int


def generate(schools: int = 600, seed: int = 1) -> Generated:
    from boundaries.acknowledgements.models import Acknowledgement, Assignment
    from boundaries.core.models import Organisation, StaffRecord
    from boundaries.policies.models import Clause, Policy, PolicyVersion

    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        authority = Organisation.objects.create(
            name="Benchshire", slug="benchshire", kind="authority"
        )
        orgs = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"Bench School {i:03d}",
                    slug=f"bench-{i:03d}",
                    kind="school",
                    parent=authority,
                )
                for i in range(schools)
            ]
        )
        orgs = list(Organisation.objects.filter(parent=authority).order_by("slug"))
        policies = Policy.objects.bulk_create(
            [Policy(organisation=o, title="Staff social media", kind="social_media") for o in orgs]
        )
        policies = list(
            Policy.objects.filter(organisation__parent=authority).order_by("organisation__slug")
        )
        versions = PolicyVersion.objects.bulk_create(
            [
                PolicyVersion(
                    policy=p,
                    number=n,
                    title="Staff social media",
                    status="in_force" if n == VERSIONS else "superseded",
                    date_in_force=today - dt.timedelta(days=365 * (VERSIONS - n) + 30),
                    content_hash=f"{p.pk:08x}{n:056x}",
                    material_change=True,
                )
                for p in policies
                for n in range(1, VERSIONS + 1)
            ],
            batch_size=5000,
        )
        versions = list(
            PolicyVersion.objects.filter(policy__in=policies).order_by("policy_id", "number")
        )
        Clause.objects.bulk_create(
            [
                Clause(
                    version=v,
                    number=str(k),
                    heading=f"Heading {k}",
                    text="Invented text. " * 20,
                    position=k,
                )
                for v in versions
                for k in range(1, 7)
            ],
            batch_size=5000,
        )
        staff = StaffRecord.objects.bulk_create(
            [
                StaffRecord(
                    organisation=o,
                    mis_id=f"B{i:03d}-{j:03d}",
                    full_name=f"Person {i:03d}-{j:03d}",
                    work_email=f"p{j}@bench-{i:03d}.example",
                    job_title=rng.choice(JOBS),
                    team=rng.choice(TEAMS),
                    start_date=dt.date(2015, 9, 1),
                )
                for i, o in enumerate(orgs)
                for j in range(STAFF_PER_SCHOOL)
            ],
            batch_size=5000,
        )
        staff = list(StaffRecord.objects.filter(organisation__parent=authority).order_by("pk"))
        policy_org = {p.pk: p.organisation_id for p in policies}
        by_org: dict[int, list[PolicyVersion]] = {}
        for v in versions:
            by_org.setdefault(policy_org[v.policy_id], []).append(v)
        acks: list[Acknowledgement] = []
        assignments: list[Assignment] = []
        for person in staff:
            chain = by_org[person.organisation_id]
            read_current = rng.random() < 0.85
            for v in chain:
                # five each: versions 2-5, and the one in force or else the very first
                if 1 < v.number < VERSIONS or (v.number == VERSIONS) == read_current:
                    acks.append(
                        Acknowledgement(
                            staff=person,
                            version=v,
                            content_hash=v.content_hash,
                            acknowledged_at=now - dt.timedelta(days=rng.randint(1, 1500)),
                            method="web",
                        )
                    )
        Acknowledgement.objects.bulk_create(acks, batch_size=5000)
        ack_ids = dict(
            Acknowledgement.objects.filter(
                version__status="in_force", staff__organisation__parent=authority
            ).values_list("staff_id", "pk")
        )
        for person in staff:
            current = by_org[person.organisation_id][-1]
            done = person.pk in ack_ids
            assignments.append(
                Assignment(
                    staff=person,
                    version=current,
                    reason="new_version",
                    assigned_on=today - dt.timedelta(days=30),
                    due_on=today - dt.timedelta(days=16)
                    if not done
                    else today + dt.timedelta(days=1),
                    acknowledgement_id=ack_ids.get(person.pk),
                    completed_at=now if done else None,
                )
            )
        Assignment.objects.bulk_create(assignments, batch_size=5000)
    with connection.cursor() as cursor:  # as autovacuum would soon: the planner needs statistics
        cursor.execute("ANALYZE")
    return Generated(authority.slug, [o.slug for o in orgs], len(staff), len(acks))
