from allauth.usersessions.models import UserSession
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .groups import sync_role_groups
from .models import Membership


@receiver([post_save, post_delete], sender=Membership)
def keep_role_groups_in_step(sender, instance, **kwargs):
    sync_role_groups(instance.user)


@receiver(user_logged_in)
def note_sign_in(sender, request, user, **kwargs):
    from .middleware import note_sign_in as note

    note(request)


@receiver(user_logged_out)
def sign_out_everywhere(sender, request, user, **kwargs):
    """Signing out ends every session the person has, on every device."""
    if user is None:
        return
    for session in UserSession.objects.filter(user=user):
        session.end()
