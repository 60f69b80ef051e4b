"""Wagtail's people screens (/admin/users/), with what only a superuser may change kept to superusers.

The trust administrator may add people and correct their names and email addresses. Roles come from
memberships (audited, and a casework role reported to the executive head: trust/signals.py), so the
groups a membership keeps in step (trust/groups.py) are not theirs to tick, nor is "Administrator"
(superuser). Nor do they set anyone's password: with it they could sign in as a member of staff, who
needs no second factor, and acknowledge policies in that person's name. People set their own password,
from the link in their invitation (trust/invitations.py) or with "Forgotten your password?" on the sign-in
page. A superuser's account is not theirs to open at all.
"""

import smtplib

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db.models import ProtectedError
from django.shortcuts import redirect
from wagtail.users.views import users

NOT_YOURS = "Only a superuser can change this. Roles are given by a membership, under Trust, People's roles."
SUPERUSER_ONLY_FIELDS = ("is_superuser", "groups")


def form_class_for(request, form_class):
    """The form Wagtail would show, without the password and with the superuser-only fields read-only."""
    if request.user.is_superuser:
        return form_class

    class PeopleForm(form_class):
        password_enabled = False  # Wagtail's form then leaves out both password fields, and save() sets none

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for name in SUPERUSER_ONLY_FIELDS:
                if name in self.fields:
                    self.fields[name].disabled = True  # a disabled field keeps its initial value, whatever is posted
                    self.fields[name].help_text = NOT_YOURS

        def save(self, commit=True):
            if self.instance._state.adding:
                self.instance.set_unusable_password()
            return super().save(commit=commit)

    PeopleForm.__name__ = PeopleForm.__qualname__ = form_class.__name__
    return PeopleForm


def refuse_superuser_to_others(user, people) -> None:
    """A superuser's account is for superusers to change, alone or in bulk (trust/wagtail_hooks.py)."""
    if not user.is_superuser and any(person.is_superuser for person in people):
        raise PermissionDenied


class RefuseSuperusersToOthers:
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        refuse_superuser_to_others(request.user, [self.object])


class CreateView(users.CreateView):
    def get_form_class(self):
        return form_class_for(self.request, super().get_form_class())


class EditView(RefuseSuperusersToOthers, users.EditView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.email_before = self.object.email

    def get_form_class(self):
        return form_class_for(self.request, super().get_form_class())

    def form_valid(self, form):
        response = super().form_valid(form)  # saved and committed
        person = self.object
        if person.email != self.email_before and person != self.request.user:
            try:
                email_changed_notice(person, self.email_before, changed_by=self.request.user).send()
            except (OSError, smtplib.SMTPException):
                messages.warning(
                    self.request,
                    f"Saved. The email telling {self.email_before} of the change could not be sent (the mail server "
                    "did not answer): tell them yourself.",
                )
        return response


def email_changed_notice(person, old_email, *, changed_by) -> EmailMessage:
    """To the address someone else took a person's account away from: whoever reads the new one can reset
    its password (allauth finds people by it), and a member of staff signs in with no second factor."""
    by = changed_by.get_full_name() or changed_by.email
    body = (
        f"Hello {person.first_name},\n\n"
        f"{by} changed the email address of your {settings.WAGTAIL_SITE_NAME} account "
        f"from {old_email} to {person.email}.\n"
        "Sign-in links and password resets now go to the new address.\n\n"
        "If you did not expect this, tell your school office or the trust's data protection officer today.\n"
    )
    return EmailMessage(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}The email address of your account was changed",
        body=body,
        to=[old_email],
    )


class DeleteView(users.DeleteView):
    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError as protected:
            kept = sorted({str(obj._meta.verbose_name_plural) for obj in protected.protected_objects})
            messages.error(
                self.request,
                f"{self.object} cannot be deleted: the trust keeps their {', '.join(kept)}. "
                "Mark them inactive instead (Set active state), and they can no longer sign in.",
            )
            return redirect("wagtailusers_users:edit", self.object.pk)


class PeopleViewSet(users.UserViewSet):
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = DeleteView
