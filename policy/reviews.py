"""Policies and guidance due for review, and the reminder their owners get."""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from trust.enums import Role

from .enums import REVIEW_WARNING_DAYS
from .models import GuidancePage, PolicyPage


def pages_due_for_review(today=None):
    """Live policies and guidance whose review date is within REVIEW_WARNING_DAYS, or past."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=REVIEW_WARNING_DAYS)
    pages = [
        *PolicyPage.objects.live().filter(next_review__lte=horizon).select_related("owner"),
        *GuidancePage.objects.live().filter(next_review__lte=horizon).select_related("owner"),
    ]
    return sorted(pages, key=lambda p: (p.next_review, p.title))


def review_reminder_recipients(page):
    """The page's owner in Wagtail (who created it) and every executive head, if still active."""
    heads = get_user_model().objects.filter(
        is_active=True, memberships__role=Role.EXECUTIVE_HEAD, memberships__ended_on__isnull=True
    )
    people = {u.pk: u for u in heads}
    if page.owner_id and page.owner.is_active:
        people[page.owner_id] = page.owner
    return [p for p in people.values() if p.email]


def send_review_reminders(today=None) -> int:
    """One email per person listing every page they should review; returns how many were sent."""
    today = today or timezone.localdate()
    by_person = defaultdict(list)
    people = {}
    for page in pages_due_for_review(today):
        for person in review_reminder_recipients(page):
            people[person.pk] = person
            by_person[person.pk].append(page)
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    messages = []
    for pk, pages in by_person.items():
        lines = [
            f"- {p.title}: review {'was due' if p.next_review < today else 'due'} on {p.next_review:%-d %B %Y} "
            f"({base}/admin/pages/{p.pk}/edit/)"
            for p in pages
        ]
        body = (
            "These policies and guidance pages are due for review within "
            f"{REVIEW_WARNING_DAYS} days or are overdue:\n\n" + "\n".join(lines) + "\n"
        )
        messages.append((f"{len(pages)} polic{'y' if len(pages) == 1 else 'ies'} due for review", body, people[pk].email))

    def send():
        for subject, body, to in messages:
            send_mail(subject, body, None, [to])

    transaction.on_commit(send)
    return len(messages)
