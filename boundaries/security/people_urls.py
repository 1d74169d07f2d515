"""Signing people out, under /o/<org>/signed-in/."""

from django.urls import path

from boundaries.security import people_views

app_name = "people_sessions"

urlpatterns = [
    path("signed-in/", people_views.signed_in, name="list"),
    path("signed-in/<int:person>/sign-out/", people_views.end_sessions, name="end"),
    path(
        "signed-in/<int:person>/second-factor/",
        people_views.clear_second_factor,
        name="clear_second_factor",
    ),
]
