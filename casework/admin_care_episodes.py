"""Casework › Care episodes: a child's times in care, recorded from the child's page (`?child=<id>`).

A new episode that starts after the current one is the child entering care again: the current one is closed
the day before, `Child.entered_care_on` moves to it, and the initial PEP and the statutory review schedule
(review_schedule.py) count from it again. An earlier episode is history; episodes never overlap. Scoped by the
child's school like every casework record (CaseworkAdmin); never deleted, as the deadlines rest on them.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList

from .admin_classes import CaseworkAdmin
from .admin_permissions import CaseworkPermissionHelper
from .enums import Cohort
from .forms import ScopedAdminForm
from .models import CareEpisode, Child


class CareEpisodePermissionHelper(CaseworkPermissionHelper):
    def user_can_delete_obj(self, user, obj):
        return False  # the deadlines of the child's time in care rest on it: correct it instead


class CareEpisodeForm(ScopedAdminForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entered_on"].label = "Entered care on"
        self.fields["left_on"].label = "Left care on"
        self.fields["left_on"].help_text = "Empty while the child is in care."

    def clean(self):
        cleaned = super().clean()
        child, entered, left = (
            cleaned.get("child") or self.bound_child,
            cleaned.get("entered_on"),
            cleaned.get("left_on"),
        )
        if child is None or entered is None:
            return cleaned
        if left and left < entered:
            self.add_error("left_on", "The day the child left care cannot be before the day they entered it.")
        if entered < child.date_of_birth:
            self.add_error("entered_on", f"{child.display_name} was born on {child.date_of_birth:%-d %b %Y}.")
        if child.cohort != Cohort.LOOKED_AFTER:
            raise ValidationError(
                f"{child.display_name} is not recorded as looked after: change their group on the child's record "
                "(with the day they entered care) first."
            )
        others = CareEpisode.objects.filter(child=child).exclude(pk=self.instance.pk)
        for other in others:
            if other.left_on is None and entered > other.entered_on:
                continue  # the child enters care again: the current episode is closed the day before
            ends, other_ends = left or datetime.date.max, other.left_on or datetime.date.max
            if entered <= other_ends and other.entered_on <= ends:
                self.add_error("entered_on", f"This overlaps {other}: a child is in care once at a time.")
                break
        return cleaned

    def save(self, commit=True):
        episode = super().save(commit=False)
        if not commit:
            return episode
        child = episode.child
        with transaction.atomic():
            latest = CareEpisode.objects.filter(child=child).exclude(pk=episode.pk).order_by("-entered_on").first()
            is_current = latest is None or episode.entered_on > latest.entered_on
            if is_current:
                CareEpisode.objects.filter(child=child, left_on__isnull=True).exclude(pk=episode.pk).update(
                    left_on=episode.entered_on - datetime.timedelta(days=1)
                )
                # Not Child.save: it would open this episode itself; nothing else about the child changes.
                Child.objects.filter(pk=child.pk).update(entered_care_on=episode.entered_on)
                child.entered_care_on = episode.entered_on
            episode.save()
        return episode


class CareEpisodeAdmin(CaseworkAdmin):
    model = CareEpisode
    menu_label = "Care episodes"
    menu_icon = "date"
    permission_helper_class = CareEpisodePermissionHelper
    list_display = ("child_name", "entered_on", "left_on")
    list_select_related = ("child",)
    inspect_view_fields = ("child", "entered_on", "left_on")
    edit_handler = ObjectList(
        [FieldPanel("child"), FieldRowPanel([FieldPanel("entered_on"), FieldPanel("left_on")])],
        base_form_class=CareEpisodeForm,
    )
