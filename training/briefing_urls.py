from django.urls import path

from . import briefing_chasing, briefing_views, register_views

urlpatterns = [
    path("", briefing_views.overview, name="briefing"),
    path("export/<str:fmt>/", briefing_views.overview_export, name="briefing_export"),
    path("register/", register_views.index, name="briefing_register"),
    path("register/mine/", register_views.mine, name="briefing_register_mine"),
    path("register/<str:key>/", register_views.detail, name="briefing_register_version"),
    path("register/<str:key>/export/<str:fmt>/", register_views.export, name="briefing_register_export"),
    path("reminders/", briefing_chasing.reminders, name="briefing_reminders"),
    path("reminders/send/", briefing_chasing.send_now, name="briefing_send_reminders"),
    path("<slug:slug>/", briefing_views.school_detail, name="briefing_school"),
    path("<slug:slug>/export/<str:fmt>/", briefing_views.school_export, name="briefing_school_export"),
    path("<slug:slug>/annual-report/", briefing_views.school_annual_report, name="briefing_school_annual_report"),
]
