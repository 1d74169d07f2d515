from django.urls import path

from boundaries.policies import views

app_name = "policies"

urlpatterns = [
    path("policies/", views.policy_list, name="list"),
    path("policies/import/", views.import_upload, name="import"),
    path("policies/import/confirm/", views.import_confirm, name="import_confirm"),
    path("policies/adopt/", views.adopt, name="adopt"),
    path("policies/<int:pk>/", views.policy_detail, name="policy"),
    path("policies/<int:pk>/history/", views.history, name="history"),
    path("policies/<int:pk>/diff/", views.diff, name="diff"),
    path("policies/<int:pk>/links/add/", views.link_add, name="link_add"),
    path("policies/<int:pk>/new-version/", views.start_new_version, name="start_new_version"),
    path("clauses/<int:cid>/flag-conflict/", views.conflict_flag, name="conflict_flag"),
    path("versions/<int:vid>/", views.version_detail, name="version"),
    path("versions/<int:vid>/ratify/", views.ratify, name="ratify"),
    path("versions/<int:vid>/bring-into-force/", views.bring_into_force, name="bring_into_force"),
    path("versions/<int:vid>/model-diff/", views.model_diff, name="model_diff"),
    path("versions/<int:vid>/controls/", views.traceability, name="traceability"),
    path("versions/<int:vid>/controls/map/", views.map_controls, name="map_controls"),
    path("clauses/<int:cid>/edit/", views.clause_edit, name="clause_edit"),
    path("conflicts/<int:pk>/decide/", views.conflict_decide, name="conflict_decide"),
    path("adoption/", views.adoption, name="adoption"),
]
