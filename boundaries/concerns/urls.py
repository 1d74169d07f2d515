from django.urls import path

from boundaries.concerns import contact_views, views

app_name = "concerns"

urlpatterns = [
    path("pupil-contacts/report/", contact_views.contact_new, name="contact_new"),
    path("pupil-contacts/", contact_views.contacts, name="contacts"),
    path("pupil-contacts/mine/", contact_views.contacts_mine, name="contacts_mine"),
    path("pupil-contacts/export.csv", contact_views.contacts_export, name="contacts_export"),
    path("pupil-contacts/<int:pk>/", contact_views.contact, name="contact"),
    path("pupil-contacts/<int:pk>/sent/", contact_views.contact_sent, name="contact_sent"),
    path("pupil-contacts/<int:pk>/steps/", contact_views.contact_step, name="contact_step"),
    path("pupil-contacts/<int:pk>/close/", contact_views.contact_close, name="contact_close"),
    path("concerns/", views.concern_list, name="list"),
    path("concerns/raise/", views.raise_concern, name="raise"),
    path("concerns/yours/", views.raised, name="raised"),
    path("concerns/counts/", views.counts, name="counts"),
    path("concerns/export.csv", views.export, name="export"),
    path("concerns/<int:pk>/", views.detail, name="detail"),
    path("concerns/<int:pk>/transition/", views.transition, name="transition"),
    path("concerns/<int:pk>/notes/", views.note, name="note"),
    path("concerns/<int:pk>/clauses/", views.link_clauses, name="clauses"),
    path("concerns/<int:pk>/attach/", views.attach_file, name="attach"),
    path("files/<int:pk>/", views.download, name="attachment"),
]
