"""Every URL route and the permission action that guards it (a test walks the resolver
and fails on a route missing here, or on an entry whose route is gone).

Pages with no organisation are `PUBLIC` (sign-in, password reset) or `SIGNED_IN` (a
person's own account). Where a view gates on `organisation.view` and then reaches the
object through a relationship (an owner's declaration, a line manager's report), the
access function named beside it decides, and the entry says so.
"""

from __future__ import annotations

PUBLIC = "public"
SIGNED_IN = "signed_in"

ROUTE_ACTIONS: dict[str, str] = {
    # core and sign-in
    "home": SIGNED_IN,
    "login": PUBLIC,
    "logout": PUBLIC,
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_confirm": PUBLIC,
    "password_reset_complete": PUBLIC,
    "organisation": "organisation.view",
    "staff": "staff.view",
    "security:code": SIGNED_IN,
    "security:provider_start": PUBLIC,
    "security:provider_callback": PUBLIC,
    "security:two_factor": SIGNED_IN,
    "security:set_up": SIGNED_IN,
    "security:recovery_codes": SIGNED_IN,
    "security:reset": SIGNED_IN,
    "security:turn_off": SIGNED_IN,
    "security:confirm": SIGNED_IN,
    "security:provider_confirm": SIGNED_IN,
    "security:password_change": SIGNED_IN,
    "security:sessions": SIGNED_IN,
    "security:end_other_sessions": SIGNED_IN,
    "security:end_session": SIGNED_IN,  # then only the person's own sessions
    "security:health": PUBLIC,
    "providers:list": "sign_in_provider.manage",
    "providers:new": "sign_in_provider.manage",
    "providers:edit": "sign_in_provider.manage",  # then provider_for: the organisation's own
    "providers:test": "sign_in_provider.manage",  # provider_for
    "providers:delete": "sign_in_provider.manage",  # provider_for
    "providers:links": "sign_in_provider.manage",  # provider_for
    "providers:clear_link": "sign_in_provider.manage",  # provider_for
    "people_sessions:list": "sessions.end",
    "people_sessions:end": "sessions.end",  # then person_for: all their roles here or below
    "people_sessions:clear_second_factor": "sessions.end",  # and person_for, as above
    # policies
    "policies:list": "policy.view",
    "policies:import": "policy.manage",
    "policies:import_confirm": "policy.manage",
    "policies:adopt": "policy.adopt",
    "policies:policy": "policy.view",
    "policies:history": "policy.view",
    "policies:diff": "policy.view",
    "policies:link_add": "policy.manage",
    "policies:start_new_version": "policy.manage",
    "policies:conflict_flag": "conflict.decide",
    "policies:version": "policy.view",
    "policies:ratify": "policy.ratify",
    "policies:bring_into_force": "policy.manage",
    "policies:model_diff": "policy.view",
    "policies:traceability": "policy.view",
    "policies:map_controls": "policy.manage",
    "policies:clause_edit": "policy.manage",
    "policies:conflict_decide": "conflict.decide",
    "policies:adoption": "adoption.view",
    # roster
    "roster:import": "roster.import",
    "roster:import_confirm": "roster.import",
    # acknowledgements
    "acknowledgements:to_read": "acknowledgements.read",
    "acknowledgements:read": "acknowledgements.read",
    "acknowledgements:confirm": "acknowledgements.read",
    "acknowledgements:my_record": "acknowledgements.read",
    "acknowledgements:privacy_check": "acknowledgements.read",
    "acknowledgements:manage": "acknowledgements.manage",
    "acknowledgements:questions": "acknowledgements.manage",
    "acknowledgements:inductions": "acknowledgements.manage",
    # declarations, recruitment, devices
    "declarations:mine": "declaration.create",
    "declarations:new": "declaration.create",
    "declarations:review_list": "declaration.review_list",
    "declarations:due": "declaration.review_list",
    "declarations:export": "declaration.export",
    "declarations:advice": "declaration.advice",
    "declarations:detail": "organisation.view",  # then declaration_for: owner or reviewer
    "declarations:acknowledge": "organisation.view",  # declaration_for(purpose=…)
    "declarations:reconfirm": "organisation.view",  # declaration_for(purpose=…)
    "declarations:end": "organisation.view",  # declaration_for(purpose=…)
    "declarations:review": "organisation.view",  # declaration_for(purpose="review")
    "declarations:vacancies": "recruitment.view",
    "declarations:vacancy_new": "recruitment.manage",
    "declarations:recruitment_export": "recruitment.view",
    "declarations:vacancy": "recruitment.view",
    "declarations:attest": "recruitment.view",
    "declarations:devices": "device.view",
    "declarations:device_new": "device.manage",
    "declarations:devices_export": "device.view",
    "declarations:lend": "device.manage",
    "declarations:loan_return": "device.manage",
    # pupil contacts and concerns
    "concerns:contact_new": "pupil_contact.create",
    "concerns:contacts": "pupil_contact.list",
    "concerns:contacts_mine": "pupil_contact.create",
    "concerns:contacts_export": "pupil_contact.export",
    "concerns:contact": "organisation.view",  # then contact_for: reporter, manager or DSL
    "concerns:contact_sent": "organisation.view",  # contact_for: the reporter
    "concerns:contact_step": "organisation.view",  # contact_for
    "concerns:contact_close": "pupil_contact.manage",
    "concerns:list": "concern.view",
    "concerns:raise": "concern.raise",
    "concerns:raised": "concern.raise",
    "concerns:counts": "concern.counts",
    "concerns:export": "concern.export",
    "concerns:detail": "concern.view",
    "concerns:transition": "concern.manage",
    "concerns:note": "concern.manage",
    "concerns:clauses": "concern.manage",
    "concerns:attach": "concern.manage",
    "concerns:attachment": "organisation.view",  # then attachment_for
    # screening
    "screening:check": "screening.use",
    "screening:connection": "screening.use",
    "screening:aliases": "screening.manage",
    # web activity
    "webactivity:report": "webactivity.report",
    "webactivity:person": "webactivity.report",
    "webactivity:mine": "webactivity.own",
    "webactivity:challenge": "webactivity.own",
    "webactivity:challenges": "webactivity.manage",
    "webactivity:answer": "webactivity.manage",
    "webactivity:upload": "webactivity.manage",
    "webactivity:settings": "webactivity.manage",
    "webactivity:identities": "webactivity.manage",
    "webactivity:work_use_add": "webactivity.manage",
    "webactivity:work_use_remove": "webactivity.manage",
    "webactivity:notice": "webactivity.own",
    "webactivity:dpia": "webactivity.report",
    # reports
    "reports:acknowledgements": "acknowledgements.view_rates",
    "reports:acknowledgements_csv": "acknowledgements.view_rates",
    "reports:authority": "reports.authority",
    "reports:authority_csv": "reports.authority",
    "reports:handbook": "acknowledgements.view_names",
    "reports:governors": "acknowledgements.view_rates",
    "reports:governors_pdf": "acknowledgements.view_rates",
    # API: the operations are in API_ROUTE_ACTIONS, by method and path
    "api-v1:openapi-json": PUBLIC,
    "api-v1:openapi-view": PUBLIC,
    "api-v1:api-root": PUBLIC,
}

# Every API operation of the published OpenAPI schema, by method and path.
API_ROUTE_ACTIONS: dict[str, str] = {
    "GET /api/v1/organisations": SIGNED_IN,
    "GET /api/v1/organisations/{org}/policies": "policy.view",
    "GET /api/v1/organisations/{org}/policies/{pk}": "policy.view",
    "GET /api/v1/organisations/{org}/versions/{vid}": "policy.view",
    "GET /api/v1/organisations/{org}/policies/{pk}/diff": "policy.view",
    "POST /api/v1/organisations/{org}/policies/import": "policy.manage",
    "POST /api/v1/organisations/{org}/versions/{vid}/ratify": "policy.ratify",
    "POST /api/v1/organisations/{org}/versions/{vid}/bring-into-force": "policy.manage",
    "GET /api/v1/organisations/{org}/adoption": "adoption.view",
    "POST /api/v1/organisations/{org}/imports/{kind}": "roster.import",
    "GET /api/v1/organisations/{org}/to-read": "acknowledgements.read",
    "POST /api/v1/organisations/{org}/to-read/{pk}/acknowledge": "acknowledgements.read",
    "GET /api/v1/organisations/{org}/acknowledgement-rate": "acknowledgements.view_rates",
    "GET /api/v1/organisations/{org}/schools/acknowledgement-rates": "reports.authority",
    # review=true needs declaration.review_list
    "GET /api/v1/organisations/{org}/declarations": "declaration.create",
    "POST /api/v1/organisations/{org}/declarations": "declaration.create",
    "GET /api/v1/organisations/{org}/declarations/{pk}": "organisation.view",  # declaration_for
    "POST /api/v1/organisations/{org}/declarations/{pk}/acknowledge": "organisation.view",
    "POST /api/v1/organisations/{org}/declarations/{pk}/review": "organisation.view",
    "GET /api/v1/organisations/{org}/device-loans": "device.view",
    "GET /api/v1/organisations/{org}/vacancies": "recruitment.view",
    "POST /api/v1/organisations/{org}/pupil-contacts": "pupil_contact.create",
    "GET /api/v1/organisations/{org}/pupil-contacts": "pupil_contact.list",
    "GET /api/v1/organisations/{org}/pupil-contacts/{pk}": "organisation.view",  # contact_for
    "POST /api/v1/organisations/{org}/pupil-contacts/{pk}/steps": "pupil_contact.manage",
    "POST /api/v1/organisations/{org}/pupil-contacts/{pk}/transition": "pupil_contact.manage",
    "GET /api/v1/organisations/{org}/concerns": "concern.view",
    "POST /api/v1/organisations/{org}/concerns": "concern.raise",
    "GET /api/v1/organisations/{org}/concerns/counts": "concern.counts",
    "GET /api/v1/organisations/{org}/concerns/{pk}": "concern.view",
    "POST /api/v1/organisations/{org}/concerns/{pk}/transition": "concern.manage",
    "POST /api/v1/screen": "screening.use",
}
