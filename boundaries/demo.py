"""An invented authority with three schools, for trying Boundaries and for tests.

Idempotent: each part is created only if it is missing, so running it twice changes
nothing. Every person and address is invented (the .example domain is reserved).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from boundaries.core import actions as core_actions
from boundaries.core.models import Organisation, StaffRecord, User
from boundaries.core.roles import OrganisationKind, Role
from boundaries.policies import actions
from boundaries.policies.catalogue import model_structure
from boundaries.policies.models import Policy, PolicyKind, PolicyVersion, VersionStatus

DEMO_PASSWORD = "boundaries-demo-2026"  # noqa: S105 - invented demo accounts only
AUTHORITY = ("Northmoor County Council", "northmoor", "northmoor.example")
SCHOOLS = [
    ("Rivington Foundation Primary School", "rivington", "rivington.example"),
    ("Brookside Community Primary School", "brookside", "brookside.example"),
    ("Hollins Bank High School", "hollins-bank", "hollinsbank.example"),
]
SEED = "000_7a7d71410483d133.txt"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first: str
    last: str
    org: str
    roles: tuple[str, ...]
    job_title: str

    @property
    def email(self) -> str:
        domain = {s[1]: s[2] for s in [AUTHORITY, *SCHOOLS]}[self.org]
        return f"{self.username.split('.')[0]}@{domain}"


ACCOUNTS = [
    DemoAccount(
        "head.rivington", "Helen", "Ashworth", "rivington", (Role.HEADTEACHER,), "Headteacher"
    ),
    DemoAccount(
        "dsl.rivington",
        "Daniel",
        "Okafor",
        "rivington",
        (Role.DSL, Role.LINE_MANAGER),
        "Deputy headteacher and DSL",
    ),
    DemoAccount(
        "manager.rivington",
        "Priya",
        "Mistry",
        "rivington",
        (Role.LINE_MANAGER,),
        "Key Stage 2 lead",
    ),
    DemoAccount(
        "teacher.rivington", "Tom", "Fairclough", "rivington", (Role.STAFF,), "Year 4 teacher"
    ),
    DemoAccount(
        "governor.rivington",
        "Margaret",
        "Holden",
        "rivington",
        (Role.GOVERNOR,),
        "Chair of governors",
    ),
    DemoAccount(
        "head.brookside", "Samuel", "Whitaker", "brookside", (Role.HEADTEACHER,), "Headteacher"
    ),
    DemoAccount(
        "admin.northmoor",
        "Aisha",
        "Rahman",
        "northmoor",
        (Role.AUTHORITY_ADMIN,),
        "Schools policy officer",
    ),
    DemoAccount("hr.northmoor", "Gareth", "Lloyd", "northmoor", (Role.HR,), "HR adviser"),
]

FIRST = [
    "Amelia",
    "Oliver",
    "Grace",
    "Jack",
    "Sophie",
    "Harry",
    "Chloe",
    "Ethan",
    "Lucy",
    "Adam",
    "Megan",
    "Ryan",
    "Hannah",
    "Liam",
    "Zara",
    "Joseph",
    "Ellie",
    "Noah",
    "Fatima",
    "Owen",
    "Rebecca",
    "Callum",
    "Jasmine",
    "Luke",
    "Niamh",
    "Ben",
    "Imogen",
    "Kieran",
    "Leah",
    "Yusuf",
    "Rosie",
    "Declan",
]
LAST = [
    "Brennan",
    "Cartwright",
    "Dobson",
    "Eccles",
    "Fletcher",
    "Greenhalgh",
    "Haworth",
    "Ingham",
    "Jolly",
    "Kershaw",
    "Livesey",
    "Marsden",
    "Nuttall",
    "Ormerod",
    "Pilling",
    "Quayle",
    "Rigby",
    "Sharples",
    "Tattersall",
    "Unsworth",
    "Varley",
    "Whittle",
    "Yates",
    "Ashcroft",
]
JOBS = [
    "Class teacher",
    "Teaching assistant",
    "Teaching assistant",
    "Lunchtime supervisor",
    "Class teacher",
    "SENCO",
    "School business manager",
    "Office administrator",
    "Caretaker",
    "Cook",
    "Higher level teaching assistant",
    "Sports coach",
]


def seed_path() -> Path | None:
    path = Path(__file__).resolve().parents[2] / "shared" / "seeds" / SEED
    return path if path.is_file() else None


Progress = Callable[[str], None]


def build(progress: Progress | None = None) -> dict[str, int]:
    """Create whatever of the demo is missing; returns how many of each thing it made."""
    say = progress or (lambda _message: None)
    made = {"organisations": 0, "accounts": 0, "staff": 0, "policy_versions": 0}
    with transaction.atomic():
        say("organisations")
        orgs = _organisations(made)
        say("accounts")
        users = _accounts(orgs, made)
        say("staff")
        _staff(orgs["rivington"], users, made)
        say("model policy")
        model = _model_policy(orgs["northmoor"], users["admin.northmoor"], made)
        say("school policies")
        _rivington_policy(orgs["rivington"], model, users, made)
        _brookside_policy(orgs["brookside"], model, users["head.brookside"], made)
        _hollins_draft(orgs["hollins-bank"], model, made)
        for step_name, step in _feature_steps():
            say(step_name)
            for key, count in step(orgs, users).items():
                made[key] = made.get(key, 0) + count
    return made


FEATURE_APPS = (
    "roster",
    "acknowledgements",
    "declarations",
    "concerns",
    "screening",
    "webactivity",
    "reports",
    "security",
)
FeatureStep = Callable[[dict[str, Organisation], dict[str, User]], dict[str, int]]


def _feature_steps() -> list[tuple[str, FeatureStep]]:
    """Each feature app may add to the demo with `demo.py` defining `build_demo(orgs, users)`,
    which must be idempotent and return how many of each thing it made."""
    import importlib

    steps = []
    for app_name in FEATURE_APPS:
        try:
            module = importlib.import_module(f"boundaries.{app_name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"boundaries.{app_name}.demo":
                raise
            continue
        steps.append((app_name, module.build_demo))
    return steps


def _organisations(made: dict[str, int]) -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    name, slug, domain = AUTHORITY
    authority = Organisation.objects.filter(slug=slug).first()
    if authority is None:
        authority = core_actions.create_organisation(
            name=name,
            slug=slug,
            kind=OrganisationKind.AUTHORITY,
            email_domains=[domain],
            actor=None,
        )
        made["organisations"] += 1
    orgs[slug] = authority
    for name, slug, domain in SCHOOLS:
        school = Organisation.objects.filter(slug=slug).first()
        if school is None:
            school = core_actions.create_organisation(
                name=name,
                slug=slug,
                kind=OrganisationKind.SCHOOL,
                parent=authority,
                email_domains=[domain],
                governors_contact_email=f"governors@{domain}",
                actor=None,
            )
            made["organisations"] += 1
        orgs[slug] = school
    return orgs


def _accounts(orgs: dict[str, Organisation], made: dict[str, int]) -> dict[str, User]:
    users: dict[str, User] = {}
    for account in ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = core_actions.create_account(
                username=account.username,
                email=account.email,
                first_name=account.first,
                last_name=account.last,
                password=DEMO_PASSWORD,
                actor=None,
            )
            made["accounts"] += 1
        for role in account.roles:
            core_actions.grant_role(user, orgs[account.org], role, actor=None)
        users[account.username] = user
    return users


def _staff(school: Organisation, users: dict[str, User], made: dict[str, int]) -> None:
    rng = random.Random(2026)
    by_user = {a.username: a for a in ACCOUNTS if a.org == school.slug}
    records: dict[str, StaffRecord] = {}
    for i, (username, account) in enumerate(sorted(by_user.items())):
        if account.roles == (Role.GOVERNOR,):
            continue
        mis_id = f"RFP{i + 1:04d}"
        existed = StaffRecord.objects.filter(organisation=school, mis_id=mis_id).exists()
        record, _ = core_actions.save_staff_record(
            school,
            mis_id=mis_id,
            actor=None,
            full_name=f"{account.first} {account.last}",
            work_email=account.email,
            job_title=account.job_title,
            start_date=dt.date(2015 + i, 9, 1),
            works_with_children=True,
            user_id=users[username].pk,
        )
        made["staff"] += not existed
        records[username] = record
    head = records["head.rivington"]
    managers = [records["dsl.rivington"], records["manager.rivington"]]
    for i in range(36):
        mis_id = f"RFP{100 + i:04d}"
        if StaffRecord.objects.filter(organisation=school, mis_id=mis_id).exists():
            continue
        first, last = rng.choice(FIRST), rng.choice(LAST)
        job = rng.choice(JOBS)
        core_actions.save_staff_record(
            school,
            mis_id=mis_id,
            actor=None,
            full_name=f"{first} {last}",
            work_email=f"{first[0].lower()}.{last.lower()}{i}@rivington.example",
            job_title=job,
            team=rng.choice(["Early years", "Key Stage 1", "Key Stage 2", "Support"]),
            start_date=dt.date(rng.randint(2008, 2026), 9, 1),
            leaving_date=dt.date(2025, 7, 22) if i % 17 == 5 else None,
            works_with_children=job not in {"Caretaker", "Cook", "Office administrator"},
            line_manager_id=(rng.choice(managers) if job != "School business manager" else head).pk,
        )
        made["staff"] += 1
    for username in ("teacher.rivington", "manager.rivington"):
        record = records[username]
        if record.line_manager_id is None:
            core_actions.save_staff_record(
                school,
                mis_id=record.mis_id,
                actor=None,
                line_manager_id=(
                    records["dsl.rivington"] if username == "teacher.rivington" else head
                ).pk,
            )


def _model_policy(authority: Organisation, admin: User, made: dict[str, int]) -> PolicyVersion:
    policy = Policy.objects.filter(organisation=authority, is_model=True).first()
    if policy is None:
        structure = model_structure()
        policy = actions.create_policy(
            authority,
            title=structure.title,
            kind=PolicyKind.SOCIAL_MEDIA,
            is_model=True,
            actor=admin,
        )
    version = policy.versions.filter(status=VersionStatus.IN_FORCE).first()
    if version is None:
        structure = model_structure()
        draft = actions.create_version(
            policy,
            structure.clauses,
            actor=admin,
            title=structure.title,
            dates={"written": (dt.date(2023, 6, 1), "month")},
            change_note="The model policy's structure, summarised in our own words",
        )
        version = actions.bring_into_force(draft, actor=admin, today=dt.date(2023, 6, 30))
        made["policy_versions"] += 1
    return version


def _school_policy_missing(school: Organisation) -> bool:
    return not Policy.objects.filter(organisation=school, is_model=False).exists()


def _rivington_policy(
    school: Organisation, model: PolicyVersion, users: dict[str, User], made: dict[str, int]
) -> None:
    if not _school_policy_missing(school):
        return
    head = users["head.rivington"]
    seed = seed_path()
    if seed is not None:
        from boundaries.policies.importing import parse_upload, save_import

        parsed = parse_upload(seed.read_bytes(), seed.name)
        draft = save_import(school, parsed, actor=head, adopted_from=model)
    else:
        draft = actions.adopt_model(school, model, actor=head)
    ratified = draft.date_ratified or dt.date(2023, 11, 15)
    draft = actions.ratify(
        draft,
        date_ratified=ratified,
        minute_ref="FGB/2023/11/7",
        next_review=draft.next_review,
        precision=draft.date_ratified_precision if draft.date_ratified else "day",
        actor=users["governor.rivington"],
    )
    actions.bring_into_force(draft, actor=head, today=draft.date_adopted or ratified)
    made["policy_versions"] += 1
    links = [
        ("6(ii)", "Acceptable Use Policy", "https://rivington.example/policies/acceptable-use"),
        ("6(iv)", "Disciplinary Procedure", "https://northmoor.example/hr/disciplinary-procedure"),
        (
            "5",
            "Guidance for safer working practice",
            "https://rivington.example/policies/safer-working-practice",
        ),
        (
            "6(iii)",
            "Professional association guidance on social media",
            "https://rivington.example/staff/union-guidance",
        ),
    ]
    for clause, title, url in links:
        actions.add_link(draft.policy, title=title, url=url, clause_number=clause, actor=head)


def _brookside_policy(
    school: Organisation, model: PolicyVersion, head: User, made: dict[str, int]
) -> None:
    if not _school_policy_missing(school):
        return
    draft = actions.adopt_model(school, model, actor=head)
    draft = actions.ratify(
        draft, date_ratified=dt.date(2026, 3, 10), minute_ref="GB/26/03/4", actor=head
    )
    actions.bring_into_force(draft, actor=head, today=dt.date(2026, 4, 1))
    made["policy_versions"] += 1


def _hollins_draft(school: Organisation, model: PolicyVersion, made: dict[str, int]) -> None:
    if not _school_policy_missing(school):
        return
    actions.adopt_model(school, model, actor=None)
    made["policy_versions"] += 1
