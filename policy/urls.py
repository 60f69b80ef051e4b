from django.urls import path

from . import views

urlpatterns = [
    path("policies/receipts/", views.receipts, name="policy_receipts"),
    path("policies/receipts/<int:pk>/", views.receipt_detail, name="policy_receipt"),
    path("policies/receipts/record-on-paper/", views.record_paper_acknowledgement, name="policy_record_on_paper"),
]
