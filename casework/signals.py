from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from trust.models import Membership

from . import role_grants
from .models import CaseDocument


@receiver(post_delete, sender=CaseDocument)
def remove_stored_file(sender, instance, **kwargs):
    """A deleted case document leaves nothing in storage (once the deletion is committed)."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@receiver(pre_save, sender=Membership)
def note_the_role_before_saving(sender, instance, raw=False, **kwargs):
    instance._casework_role_before = None if raw else role_grants.stored_state(instance)


@receiver(post_save, sender=Membership)
def audit_casework_role_grants(sender, instance, raw=False, **kwargs):
    """Every grant or revocation of a casework role, by any path, is audited and reported."""
    if not raw:
        role_grants.membership_saved(instance, getattr(instance, "_casework_role_before", None))


@receiver(post_delete, sender=Membership)
def audit_casework_role_deletion(sender, instance, **kwargs):
    role_grants.membership_deleted(instance)
