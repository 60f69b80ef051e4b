"""Briefing reminders: one digest per person with anything outstanding, and one escalation digest to
the executive head listing people outstanding for longer than the configured number of days; each
school's head teacher (when the school has one) gets one digest of their own school(s)' overdue people.

Only people still here are emailed: an active account with a current membership. Emails go out after
the run's transaction commits; each run's figures are kept in `ReminderRun`.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.log_actions import log

from trust.enums import Role
from trust.models import Membership, School

from .briefing import outstanding_q_for, requirement_flags
from .briefing_sources import Requirement, all_requirements
from .models import ReminderRun, TrainingSettings

logger = logging.getLogger(__name__)


@dataclass
class OutstandingPerson:
    user: object
    items: list[Requirement] = field(default_factory=list)
    overdue: list[Requirement] = field(default_factory=list)
    schools: list[str] = field(default_factory=list)
    school_ids: set[int] = field(default_factory=set)


def absolute(url: str) -> str:
    return url if url.startswith("http") else settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


def people_still_here():
    current = Membership.objects.current().filter(user=OuterRef("pk"))
    return get_user_model().objects.filter(is_active=True).filter(Exists(current)).exclude(email="")


def outstanding_people(requirements=None, *, escalate_after_days=14, now=None) -> list[OutstandingPerson]:
    """Everyone still here with something outstanding, and what (one query plus the requirements)."""
    requirements = all_requirements() if requirements is None else requirements
    outstanding_q = outstanding_q_for(requirements)
    if outstanding_q is None:
        return []
    now = now or timezone.now()
    cutoff = now - timedelta(days=escalate_after_days)
    flags = requirement_flags(requirements, "pk")
    late = {}
    for i, r in enumerate(requirements):
        if r.since is not None and r.since <= cutoff:
            late[f"late_{i}"] = r.applies("pk", joined_by=timezone.localdate(cutoff))
    names = [*flags, *late]
    rows = (
        people_still_here()
        .alias(**flags, **late)
        .filter(outstanding_q)
        .annotate(**{f"{n}_v": Q(**{n: True}) for n in names})
        .order_by("last_name", "first_name", "pk")
    )
    people = []
    for user in rows:
        person = OutstandingPerson(user)
        for i, r in enumerate(requirements):
            if getattr(user, f"req_{i}_v") and not getattr(user, f"done_{i}_v"):
                person.items.append(r)
                if getattr(user, f"late_{i}_v", False):
                    person.overdue.append(r)
        people.append(person)
    _add_schools(people)
    return people


def _add_schools(people):
    by_user = {p.user.pk: p for p in people}
    memberships = (
        Membership.objects.current().filter(user_id__in=by_user, school__isnull=False).select_related("school")
    )
    for m in memberships.order_by("school__name"):
        person = by_user[m.user_id]
        person.school_ids.add(m.school_id)
        if m.school.name not in person.schools:
            person.schools.append(m.school.name)


def _digest(person) -> EmailMessage:
    count = len(person.items)
    body = render_to_string(
        "training/email/reminder_digest.txt",
        {
            "user": person.user,
            "items": [{"requirement": r, "link": absolute(r.url or "/")} for r in person.items],
            "dashboard": absolute("/"),
        },
    )
    subject = (
        f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}You have {count} thing{'s' if count != 1 else ''} to read or complete"
    )
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [person.user.email])


def _escalation(head, overdue_people, days) -> EmailMessage:
    body = render_to_string(
        "training/email/escalation_digest.txt",
        {"head": head, "people": overdue_people, "days": days, "briefing": absolute("/briefing/")},
    )
    subject = (
        f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{len(overdue_people)} "
        f"{'people have' if len(overdue_people) != 1 else 'person has'} been outstanding for over {days} days"
    )
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [head.email])


def _head_escalation(head, by_school, days) -> EmailMessage:
    count = len({p.user.pk for _school, people in by_school for p in people})
    body = render_to_string(
        "training/email/head_escalation_digest.txt",
        {"head": head, "by_school": by_school, "days": days, "count": count},
    )
    subject = (
        f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{count} "
        f"{'people' if count != 1 else 'person'} in your school{'s' if len(by_school) != 1 else ''} "
        f"{'have' if count != 1 else 'has'} been outstanding for over {days} days"
    )
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [head.email])


def head_teacher_escalations(overdue_people, days) -> list[EmailMessage]:
    """One digest per head teacher still here, listing only their own school(s)' overdue people, by school."""
    if not overdue_people:
        return []
    schools = (
        School.objects.filter(head_teacher__in=people_still_here())
        .filter(
            Exists(
                Membership.objects.current()
                .filter(user=OuterRef("head_teacher"))
                .filter(Q(school=OuterRef("pk")) | Q(school__isnull=True))
            )
        )
        .select_related("head_teacher")
        .order_by("name")
    )
    by_head: dict[int, tuple] = {}
    for school in schools:
        people = [p for p in overdue_people if school.pk in p.school_ids]
        if people:
            by_head.setdefault(school.head_teacher_id, (school.head_teacher, []))[1].append((school, people))
    return [_head_escalation(head, by_school, days) for head, by_school in by_head.values()]


def executive_heads():
    heads = Membership.objects.current().filter(role=Role.EXECUTIVE_HEAD).values("user_id")
    return people_still_here().filter(pk__in=heads)


def _send(messages):
    if messages:
        get_connection().send_messages(messages)


def run_reminders(trigger=ReminderRun.Trigger.COMMAND, *, now=None) -> ReminderRun:
    """One run: digests to people with anything outstanding, escalations to the executive head."""
    config = TrainingSettings.current()
    with transaction.atomic():
        run = ReminderRun.objects.create(triggered_by=trigger)
        if not config.reminders_enabled:
            run.skipped_reason = "Reminders are switched off in Settings → Training and briefing."
            run.finished_at = timezone.now()
            run.save()
            return run
        people = outstanding_people(escalate_after_days=config.escalate_after_days, now=now)
        messages = [_digest(person) for person in people]
        overdue_people = [p for p in people if p.overdue]
        escalations = (
            [_escalation(head, overdue_people, config.escalate_after_days) for head in executive_heads()]
            if overdue_people
            else []
        )
        escalations += head_teacher_escalations(overdue_people, config.escalate_after_days)
        run.people_outstanding = len(people)
        run.reminders_sent = len(messages)
        run.people_escalated = len(overdue_people)
        run.escalations_sent = len(escalations)
        run.finished_at = timezone.now()
        run.save()
        log(
            instance=run,
            action="training.reminders_sent",
            data={"digests": run.reminders_sent, "escalated": run.people_escalated, "trigger": trigger},
        )
        transaction.on_commit(lambda: _send(messages + escalations))
    logger.info(
        "Briefing reminders: %s outstanding, %s digests, %s escalated to %s heads",
        run.people_outstanding,
        run.reminders_sent,
        run.people_escalated,
        run.escalations_sent,
    )
    return run
