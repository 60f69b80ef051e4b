from django.urls import path

from . import access_log_views, child_views, delegate_views, export_views, transfer_views

app_name = "casework"

urlpatterns = [
    path("", child_views.home, name="home"),
    path("deadlines.ics", child_views.deadlines_ics, name="deadlines_ics"),
    path("children/<int:pk>/", child_views.child_detail, name="child"),
    path("children/<int:pk>/subject-access-export/", export_views.subject_access_export, name="subject_access_export"),
    path("access-log/", access_log_views.access_log_index, name="access_log_index"),
    path("children/<int:pk>/access-log/", access_log_views.access_log, name="access_log"),
    path("documents/<int:pk>/download/", child_views.document_download, name="document_download"),
    path("peps/<int:pk>/status/", child_views.pep_status, name="pep_status"),
    path("peps/<int:pk>/pdf/", export_views.pep_pdf, name="pep_pdf"),
    path(
        "peps/<int:pk>/send-to-social-worker/",
        transfer_views.send_pep_to_social_worker,
        name="send_pep_to_social_worker",
    ),
    path(
        "recommendations/<int:pk>/acknowledge/",
        child_views.acknowledge_recommendation,
        name="acknowledge_recommendation",
    ),
    path("transitions/<int:pk>/", transfer_views.transition_detail, name="transition"),
    path(
        "transitions/<int:pk>/child-protection/",
        transfer_views.start_child_protection_transfer,
        name="start_child_protection_transfer",
    ),
    path("transitions/<int:pk>/send-file/", transfer_views.start_send_transfer, name="start_send_transfer"),
    path("receive/", transfer_views.receive_start, name="receive_start"),
    path("receive/<int:pk>/", transfer_views.receive_page, name="receive_page"),
    path("receive/<str:token>/", transfer_views.receive, name="receive"),
    path("delegated/", delegate_views.delegated_list, name="delegated"),
    path("delegated/<int:pk>/", delegate_views.delegated_child, name="delegated_child"),
]
