from django.urls import path

from boundaries.declarations import device_views, recruitment_views, views

app_name = "declarations"

urlpatterns = [
    path("declarations/", views.mine, name="mine"),
    path("declarations/new/", views.new, name="new"),
    path("declarations/review/", views.review_list, name="review_list"),
    path("declarations/reconfirmation-due/", views.due, name="due"),
    path("declarations/export.csv", views.export, name="export"),
    path("declarations/advice/", views.advice, name="advice"),
    path("declarations/<int:pk>/", views.detail, name="detail"),
    path("declarations/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("declarations/<int:pk>/reconfirm/", views.reconfirm, name="reconfirm"),
    path("declarations/<int:pk>/end/", views.end, name="end"),
    path("declarations/<int:pk>/review/", views.review, name="review"),
    path("recruitment/", recruitment_views.vacancies, name="vacancies"),
    path("recruitment/new/", recruitment_views.vacancy_new, name="vacancy_new"),
    path("recruitment/export.csv", recruitment_views.recruitment_export, name="recruitment_export"),
    path("recruitment/<int:pk>/", recruitment_views.vacancy, name="vacancy"),
    path("recruitment/<int:pk>/attest/", recruitment_views.attest, name="attest"),
    path("devices/", device_views.devices, name="devices"),
    path("devices/new/", device_views.device_new, name="device_new"),
    path("devices/export.csv", device_views.devices_export, name="devices_export"),
    path("devices/<int:pk>/lend/", device_views.lend, name="lend"),
    path("devices/loans/<int:pk>/return/", device_views.loan_return, name="loan_return"),
]
