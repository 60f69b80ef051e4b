from django.urls import path

from . import page_views, views

urlpatterns = [
    path("policies/receipts/", views.receipts, name="policy_receipts"),
    path("policies/receipts/<int:pk>/", views.receipt_detail, name="policy_receipt"),
    # The acknowledgement form posts here (the page's own acknowledge/ route still answers the same way).
    path("policies/acknowledge/<record_id:page_id>/", page_views.acknowledge_page, name="policy_acknowledge"),
    path("policies/receipts/record-on-paper/", views.record_paper_acknowledgement, name="policy_record_on_paper"),
]
