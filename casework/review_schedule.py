"""The statutory (looked-after child) review schedule, per care episode.

Care Planning, Placement and Case Review (England) Regulations 2010, reg 33: the first review within 20
working days of the child entering care (a DeadlineRule: a school or LA may set another count or unit), the
second within 3 months of the first, then at most 6 months after the one before. Counted from the current
episode's start (`Child.entered_care_on`): a child who comes back into care starts again, and reviews held
in an earlier episode do not count. The PEP is updated before each review (DOMAIN.md).

Flags: a review overdue; the next review within ten school days with neither report nor representative
(booked, or due and not booked yet); the PEP not signed off since the last review.
"""

import calendar
import datetime

from trust.school_days import DayUnit, MissingTermDates

from .enums import DeadlineKind, ReviewKind

OVERDUE = "Statutory review overdue"
PEP_NOT_UPDATED = "PEP not updated since the last review"  # followed by " on <date>"
MONTHS_TO_SECOND = 3
MONTHS_BETWEEN_LATER = 6
ORDINALS = {1: "First", 2: "Second", 3: "Third", 4: "Fourth", 5: "Fifth"}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it has no such day (31 Aug + 6 months: 28/29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def statutory_reviews(child) -> list:
    """The statutory reviews of the current care episode (prefetched `reviews`), earliest first."""
    if not child.entered_care_on:
        return []
    return sorted(
        (r for r in child.reviews.all() if r.kind == ReviewKind.STATUTORY and r.held_on >= child.entered_care_on),
        key=lambda r: r.held_on,
    )


def review_deadline(engine, child):
    """The next statutory review as a Deadline for the casework home and the child's page."""
    from .deadlines import REVIEW_UNCOVERED_SCHOOL_DAYS, Deadline, Rule

    reviews = statutory_reviews(child)
    held = [r for r in reviews if r.held_on <= engine.today]
    booked = next((r for r in reviews if r.held_on > engine.today), None)
    number = len(held) + 1
    label = f"{ORDINALS.get(number, f'{number}th')} statutory review"
    if not held:
        rule = engine.rule(DeadlineKind.STATUTORY_REVIEW, child.school_id, child.responsible_authority_id)
        deadline = Deadline(
            DeadlineKind.STATUTORY_REVIEW, label, rule, text=f"within {rule.label} of entering care (reg 33)"
        )
        engine._guard(
            deadline,
            lambda: engine.add(child.school_id, child.entered_care_on, rule),
            counts_from=[(child, "entered_care_on")],
        )
    else:
        months = MONTHS_TO_SECOND if len(held) == 1 else MONTHS_BETWEEN_LATER
        after = "the first review" if len(held) == 1 else "the last review"
        deadline = Deadline(
            DeadlineKind.STATUTORY_REVIEW,
            label,
            Rule(0, DayUnit.CALENDAR),
            text=f"within {months} months of {after} on {held[-1].held_on:%-d %b %Y} (reg 33; calendar months)",
        )
        engine._guard(deadline, lambda: add_months(held[-1].held_on, months), counts_from=[(held[-1], "held_on")])
    if deadline.error or deadline.due_on is None:
        return deadline
    if deadline.due_on < engine.today:
        deadline.flags.append(OVERDUE)
    elif booked and booked.held_on > deadline.due_on:
        deadline.flags.append(f"Next review booked for {booked.held_on:%-d %b %Y}, after its statutory date")
    if booked is None and deadline.due_on >= engine.today:
        try:
            if engine.school_days_until(child, deadline.due_on) <= REVIEW_UNCOVERED_SCHOOL_DAYS:
                deadline.flags.append(
                    f"Statutory review due within {REVIEW_UNCOVERED_SCHOOL_DAYS} school days, not booked: "
                    "neither report nor representative"
                )
        except MissingTermDates as exc:
            deadline.flags.append(str(exc))
    if held:
        last = held[-1].held_on
        if not any(day > last for day in engine.sign_offs(child, child.peps.all())):
            deadline.flags.append(f"{PEP_NOT_UPDATED} on {last:%-d %b %Y}")
    return deadline


def schedule(engine, child) -> list[dict]:
    """The current episode's statutory reviews for the child's page: each one held, with the date it was due by
    and whether it was late, then the next one (review_deadline, with its flags). Prefetched `reviews` only."""
    if not child.entered_care_on or not engine.needs_pep(child):
        return []
    held = [r for r in statutory_reviews(child) if r.held_on <= engine.today]
    rows = []
    for number, review in enumerate(held, start=1):
        if number == 1:
            rule = engine.rule(DeadlineKind.STATUTORY_REVIEW, child.school_id, child.responsible_authority_id)
            try:
                due = engine.add(child.school_id, child.entered_care_on, rule)
            except MissingTermDates:
                due = None
        else:
            due = add_months(held[number - 2].held_on, MONTHS_TO_SECOND if number == 2 else MONTHS_BETWEEN_LATER)
        rows.append(
            {
                "label": f"{ORDINALS.get(number, f'{number}th')} statutory review",
                "due_on": due,
                "held_on": review.held_on,
                "late": due is not None and review.held_on > due,
            }
        )
    upcoming = review_deadline(engine, child)
    rows.append({"label": upcoming.label, "due_on": upcoming.due_on, "deadline": upcoming})
    return rows
