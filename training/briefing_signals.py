"""What makes a cached briefing report out of date (training/briefing_cache.py): each gives a new generation."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from .briefing_cache import bump
from .briefing_completions import SOURCES, receipt_saved

# Receipts, versions and completions change who has done what; memberships and schools change who counts.
COUNTED_MODELS = (
    "policy.ReadReceipt",
    "policy.PolicyVersion",
    "training.TrainingCompletion",
    "training.TrainingVersion",
    "trust.Membership",
    "trust.School",
)
# A person's own record counts for who is active and the names shown; signing in (last_login) does not.
PERSON_FIELDS = {"is_active", "first_name", "last_name", "email"}


def person_changed(sender, update_fields=None, **kwargs):
    if update_fields is None or PERSON_FIELDS & set(update_fields):
        bump()


def connect():
    for model in SOURCES:
        post_save.connect(receipt_saved, sender=model, dispatch_uid=f"briefing-completion-{model}")
    for model in COUNTED_MODELS:
        post_save.connect(bump, sender=model, dispatch_uid=f"briefing-save-{model}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"briefing-delete-{model}")
    post_save.connect(person_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid="briefing-person")
    # Publishing or withdrawing any page can change what is required (policies, guidance, training).
    page_published.connect(bump, dispatch_uid="briefing-published")
    page_unpublished.connect(bump, dispatch_uid="briefing-unpublished")
