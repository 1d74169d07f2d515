from django.urls import URLPattern, URLResolver, path

from boundaries.acknowledgements import views

app_name = "acknowledgements"

urlpatterns: list[URLPattern | URLResolver] = [
    path("to-read/", views.to_read, name="to_read"),
    path("to-read/<int:pk>/", views.read, name="read"),
    path("to-read/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("my-record/", views.my_record, name="my_record"),
    path("privacy-check/", views.privacy_check, name="privacy_check"),
    path("acknowledgements/settings/", views.manage, name="manage"),
    path("acknowledgements/policies/<int:policy_id>/questions/", views.questions, name="questions"),
    path("acknowledgements/inductions/", views.inductions, name="inductions"),
]
