from django.urls import path

from . import la_views, views

urlpatterns = [
    path("receipts/", views.receipt_list, name="training_receipts"),
    path("receipts/<int:pk>/", views.receipt_detail, name="training_receipt"),
    path("local-authority/", la_views.record_list, name="training_la_list"),
    path("local-authority/new/", la_views.record_add, name="training_la_add"),
    path("local-authority/<int:pk>/edit/", la_views.record_edit, name="training_la_edit"),
    path("local-authority/<int:pk>/certificate/", la_views.certificate, name="training_la_certificate"),
]
