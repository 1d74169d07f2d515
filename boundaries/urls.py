from django.urls import include, path

from boundaries.api.api import api

urlpatterns = [
    path("", include("boundaries.core.urls")),
    # Each app's pages start with words of their own (tests/core/test_urls.py), so the
    # order is free: Django tries these one by one, and the pages opened most come first.
    path("o/<slug:org>/", include("boundaries.acknowledgements.urls")),
    path("o/<slug:org>/", include("boundaries.reports.urls")),
    path("o/<slug:org>/", include("boundaries.policies.urls")),
    path("o/<slug:org>/", include("boundaries.roster.urls")),
    path("o/<slug:org>/", include("boundaries.declarations.urls")),
    path("o/<slug:org>/", include("boundaries.concerns.urls")),
    path("o/<slug:org>/", include("boundaries.screening.urls")),
    path("o/<slug:org>/", include("boundaries.webactivity.urls")),
    path("o/<slug:org>/", include("boundaries.security.provider_urls")),
    path("o/<slug:org>/", include("boundaries.security.people_urls")),
    path("", include("boundaries.security.urls")),
    path("api/v1/", api.urls),
]
