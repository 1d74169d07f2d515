"""An organisation's sign-in services, under /o/<org>/sign-in-services/."""

from django.urls import path

from boundaries.security import provider_views

app_name = "providers"

urlpatterns = [
    path("sign-in-services/", provider_views.providers, name="list"),
    path("sign-in-services/new/", provider_views.provider_new, name="new"),
    path("sign-in-services/<int:pk>/", provider_views.provider_edit, name="edit"),
    path("sign-in-services/<int:pk>/test/", provider_views.provider_test, name="test"),
    path("sign-in-services/<int:pk>/delete/", provider_views.provider_delete, name="delete"),
    path("sign-in-services/<int:pk>/people/", provider_views.provider_links, name="links"),
    path(
        "sign-in-services/<int:pk>/people/<int:link>/clear/",
        provider_views.provider_clear_link,
        name="clear_link",
    ),
]
