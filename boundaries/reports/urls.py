from django.urls import URLPattern, URLResolver, path

from boundaries.reports import views

app_name = "reports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("reports/acknowledgements/", views.acknowledgements, name="acknowledgements"),
    path("reports/acknowledgements.csv", views.acknowledgements_csv, name="acknowledgements_csv"),
    path("reports/schools/", views.authority, name="authority"),
    path("reports/schools.csv", views.authority_csv, name="authority_csv"),
    path("reports/staff-handbook.pdf", views.handbook, name="handbook"),
    path("reports/governors/", views.governors, name="governors"),
    path("reports/governors.pdf", views.governors_pdf, name="governors_pdf"),
]
