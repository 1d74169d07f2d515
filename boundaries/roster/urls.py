from django.urls import URLPattern, URLResolver, path

from boundaries.roster import views

app_name = "roster"

urlpatterns: list[URLPattern | URLResolver] = [
    path("imports/", views.upload, name="import"),
    path("imports/confirm/", views.confirm, name="import_confirm"),
]
