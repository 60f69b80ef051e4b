from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import CaseDocument


@receiver(post_delete, sender=CaseDocument)
def remove_stored_file(sender, instance, **kwargs):
    """A deleted case document leaves nothing in storage (once the deletion is committed)."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
