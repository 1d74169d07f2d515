from django.urls import path

from boundaries.security import views

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
    path("healthz", views.health, name="health"),
]
