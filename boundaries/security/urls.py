from django.urls import path

from boundaries.security import account_views, views

app_name = "security"

urlpatterns = [
    path("sign-in/code/", views.code, name="code"),
    path("sign-in/organisation/", views.provider_start, name="provider_start"),
    path("sign-in/organisation/callback/", views.provider_callback, name="provider_callback"),
    path("account/two-factor/", views.two_factor, name="two_factor"),
    path("account/two-factor/set-up/", views.set_up, name="set_up"),
    path("account/two-factor/recovery-codes/", views.new_recovery_codes, name="recovery_codes"),
    path("account/two-factor/new-app/", views.reset, name="reset"),
    path("account/two-factor/turn-off/", views.turn_off, name="turn_off"),
    path("account/confirm/", views.confirm, name="confirm"),
    path("account/confirm/organisation/", views.provider_confirm, name="provider_confirm"),
    path("account/password/", account_views.change_password, name="password_change"),
    path("account/sessions/", account_views.own_sessions, name="sessions"),
    path(
        "account/sessions/sign-out-others/",
        account_views.end_other_sessions,
        name="end_other_sessions",
    ),
    path("account/sessions/<int:pk>/sign-out/", account_views.end_session, name="end_session"),
    path("healthz", views.health, name="health"),
]
