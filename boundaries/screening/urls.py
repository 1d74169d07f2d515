from django.urls import path

from boundaries.screening import views

app_name = "screening"

urlpatterns = [
    path("check/", views.check_page, name="check"),
    path("check/connection-request/", views.connection_question, name="connection"),
    path("check/school-names/", views.aliases, name="aliases"),
]
