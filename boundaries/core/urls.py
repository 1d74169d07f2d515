from django.contrib.auth import views as auth_views
from django.urls import path

from boundaries.core import views
from boundaries.core.forms import NewPasswordForm, ResetForm
from boundaries.security.views import SignInView, SignOutView

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "sign-in/",
        SignInView.as_view(),
        name="login",
    ),
    path("sign-out/", SignOutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            form_class=ResetForm, subject_template_name="registration/password_reset_subject.txt"
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=NewPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("o/<slug:org>/", views.organisation_home, name="organisation"),
    path("o/<slug:org>/staff/", views.staff_list, name="staff"),
]
