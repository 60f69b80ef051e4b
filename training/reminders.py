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
from .models import ReminderDigest, ReminderRun, TrainingSettings

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


@dataclass
class Escalation:
    head: object
    message: EmailMessage
    people: list[OutstandingPerson]
    schools: list[str] = field(default_factory=list)


def head_teacher_escalations(overdue_people, days) -> list[Escalation]:
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
    return [
        Escalation(
            head,
            _head_escalation(head, by_school, days),
            [p for _school, people in by_school for p in people],
            [school.name for school, _people in by_school],
        )
        for head, by_school in by_head.values()
    ]


def executive_heads():
    heads = Membership.objects.current().filter(role=Role.EXECUTIVE_HEAD).values("user_id")
    return people_still_here().filter(pk__in=heads)


def _send(messages):
    if messages:
        get_connection().send_messages(messages)


def _what_for(requirements) -> list[dict]:
    return [{"kind": r.kind, "title": r.title, "version": r.version, "key": r.key} for r in requirements]


def _log_digests(run, kind, entries, now) -> set[int]:
    """Log one digest per (person, kind, day); return the people this run may email.

    Whoever was already logged today (an earlier press, an earlier run, or a run racing this one) keeps
    that row: the unique constraint refuses this run's, and only the rows that are this run's are sent.
    """
    if not entries:
        return set()
    today = timezone.localdate(now)
    ReminderDigest.objects.bulk_create(
        [
            ReminderDigest(
                user=user,
                kind=kind,
                sent_on=today,
                sent_at=now,
                run=run,
                reason=run.triggered_by,
                items=items,
                school_names=schools,
            )
            for user, items, schools in entries
        ],
        ignore_conflicts=True,
    )
    return set(ReminderDigest.objects.filter(run=run, kind=kind).values_list("user_id", flat=True))


def _scope_label(school_ids) -> str:
    if school_ids is None:
        return ""
    return ", ".join(School.objects.filter(pk__in=school_ids).order_by("name").values_list("name", flat=True))


def run_reminders(
    trigger=ReminderRun.Trigger.COMMAND, *, now=None, school_ids=None, requested_by=None, escalate=True
) -> ReminderRun:
    """One run: a digest to each person with anything outstanding (in `school_ids`, None: every school) who
    has not had one today, and, with `escalate`, one escalation to each head (executive head and each
    school's head teacher) listing people overdue, again at most one a day."""
    config = TrainingSettings.current()
    now = now or timezone.now()
    Kind = ReminderDigest.Kind
    with transaction.atomic():
        run = ReminderRun.objects.create(
            triggered_by=trigger, requested_by=requested_by, scope=_scope_label(school_ids)
        )
        if not config.reminders_enabled:
            run.skipped_reason = "Reminders are switched off in Settings → Training and briefing."
            run.finished_at = timezone.now()
            run.save()
            return run
        people = outstanding_people(escalate_after_days=config.escalate_after_days, now=now)
        if school_ids is not None:
            people = [p for p in people if p.school_ids & set(school_ids)]
        claimed = _log_digests(run, Kind.REMINDER, [(p.user, _what_for(p.items), p.schools) for p in people], now)
        reminded = [p for p in people if p.user.pk in claimed]
        messages = [_digest(person) for person in reminded]
        overdue_people = [p for p in people if p.overdue] if escalate else []
        escalations = []
        if overdue_people:
            days = config.escalate_after_days
            escalations = [
                Escalation(head, _escalation(head, overdue_people, days), overdue_people) for head in executive_heads()
            ]
            escalations += head_teacher_escalations(overdue_people, days)
        escalated_to = _log_digests(
            run,
            Kind.ESCALATION,
            [
                (
                    e.head,
                    [
                        {"person": p.user.get_full_name() or p.user.email, "overdue": _what_for(p.overdue)}
                        for p in e.people
                    ],
                    e.schools,
                )
                for e in escalations
            ],
            now,
        )
        escalation_messages = [e.message for e in escalations if e.head.pk in escalated_to]
        run.people_outstanding = len(people)
        run.reminders_sent = len(messages)
        run.already_reminded = len(people) - len(messages)
        run.people_escalated = len(overdue_people)
        run.escalations_sent = len(escalation_messages)
        run.finished_at = timezone.now()
        run.save()
        log(
            instance=run,
            action="training.reminders_sent",
            user=requested_by,
            data={
                "digests": run.reminders_sent,
                "already_reminded": run.already_reminded,
                "escalated": run.people_escalated,
                "trigger": trigger,
                "scope": run.scope or "every school",
            },
        )
        transaction.on_commit(lambda: _send(messages + escalation_messages))
    logger.info(
        "Briefing reminders: %s outstanding, %s digests (%s already reminded today), %s escalated to %s heads",
        run.people_outstanding,
        run.reminders_sent,
        run.already_reminded,
        run.people_escalated,
        run.escalations_sent,
    )
    return run
