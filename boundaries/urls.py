from django.urls import include, path

from boundaries.api.api import api

urlpatterns = [
    path("", include("boundaries.core.urls")),
    path("o/<slug:org>/", include("boundaries.policies.urls")),
    path("api/v1/", api.urls),
]
