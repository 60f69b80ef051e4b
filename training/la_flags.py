"""Designated teachers whose Local Authority training is out of date."""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from trust.enums import Role
from trust.models import Membership

from .models import LocalAuthorityTraining, TrainingSettings


@dataclass
class DesignatedTeacherTraining:
    membership: Membership
    last_attended: date | None
    due: bool


def refresh_cutoff(months: int, today: date | None = None) -> date:
    return (today or timezone.localdate()) - relativedelta(months=months)


def designated_teacher_training(school_ids=None, *, months: int | None = None, today=None):
    """Each current designated teacher (of `school_ids`; None for all) with their last LA training date."""
    if months is None:
        months = TrainingSettings.current().la_training_refresh_months
    cutoff = refresh_cutoff(months, today)
    last = (
        LocalAuthorityTraining.objects.filter(attendee=OuterRef("user_id"))
        .values("attendee")
        .annotate(last=Max("attended_on"))
        .values("last")
    )
    memberships = (
        Membership.objects.current()
        .filter(role=Role.DESIGNATED_TEACHER, user__is_active=True)
        .select_related("user", "school")
        .annotate(last_attended=Subquery(last))
        .order_by("school__name", "user__last_name")
    )
    if school_ids is not None:
        memberships = memberships.filter(school_id__in=school_ids)
    return [
        DesignatedTeacherTraining(m, m.last_attended, m.last_attended is None or m.last_attended < cutoff)
        for m in memberships
    ]
