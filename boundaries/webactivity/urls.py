from django.urls import path

from boundaries.webactivity import views

app_name = "webactivity"

urlpatterns = [
    path("web-activity/", views.school_report, name="report"),
    path("web-activity/people/<int:pk>/", views.person_drilldown, name="person"),
    path("web-activity/mine/", views.my_figures, name="mine"),
    path("web-activity/mine/<int:pk>/challenge/", views.challenge, name="challenge"),
    path("web-activity/challenges/", views.challenges, name="challenges"),
    path("web-activity/challenges/<int:pk>/", views.answer_challenge, name="answer"),
    path("web-activity/upload/", views.upload, name="upload"),
    path("web-activity/settings/", views.settings_page, name="settings"),
    path("web-activity/settings/identities/", views.identities_upload, name="identities"),
    path("web-activity/settings/work-use/", views.work_use_add, name="work_use_add"),
    path(
        "web-activity/settings/work-use/<int:pk>/remove/",
        views.work_use_remove,
        name="work_use_remove",
    ),
    path("web-activity/notice/", views.notice, name="notice"),
    path("web-activity/dpia/", views.dpia, name="dpia"),
]
