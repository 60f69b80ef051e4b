"""The deadline engine: statutory and trust deadlines on each school's own calendar.

Counting starts the day after the event (the first qualifying day after it is day one). Each rule has
a unit (school, working or calendar days) that a school or the child's responsible LA can change
(DeadlineRule; most specific wins: the child's LA, then the school, then the trust, then the defaults).
A count that reaches a year the school has not entered term dates for is an error naming the school
and the year: it is shown as such, never as a silently wrong date. A stored date no one could have meant
(9999-12-31, 0001-01-01: see date_ranges.py) is flagged as "Date of birth looks wrong: check the record",
and no deadline is counted from it.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from trust.calendar_models import academic_year_after, academic_year_of
from trust.school_days import DayUnit, MissingTermDates, SchoolCalendar

from .date_ranges import child_record_problems
from .enums import Cohort, DeadlineKind, PEPStatus, TermName
from .models import DeadlineRule
from .models.rules import DEFAULT_RULES
from .review_schedule import review_deadline

RECORD_DATES = "record_dates"  # the kind of the deadline that lists a child's dates that look wrong
PEP_DUE_SOON_SCHOOL_DAYS = 5
REVIEW_UNCOVERED_SCHOOL_DAYS = 10

# A term part belongs to the term its first day falls in: autumn from September, spring from
# January, summer from April (Easter moves, but spring's second half never starts after March).
_SEASON_BY_MONTH = (
    {m: TermName.AUTUMN for m in (9, 10, 11, 12)}
    | {m: TermName.SPRING for m in (1, 2, 3)}
    | {m: TermName.SUMMER for m in (4, 5, 6, 7, 8)}
)


_SEASON_ORDER = {TermName.AUTUMN: 0, TermName.SPRING: 1, TermName.SUMMER: 2}


def season_of(day: datetime.date) -> str:
    return _SEASON_BY_MONTH[day.month]


def season_key(day: datetime.date) -> tuple[str, int]:
    """Which term (academic year, autumn/spring/summer) a date falls in, in order; no calendar needed."""
    return academic_year_of(day), _SEASON_ORDER[season_of(day)]


def signed_off_on(pep) -> datetime.date:
    """The day a signed-off PEP was signed off (records from before sign-off times were kept: its first day)."""
    return timezone.localdate(pep.signed_off_at) if pep.signed_off_at else pep.period_starts_on


@dataclass(frozen=True)
class Rule:
    days: int
    unit: str

    @property
    def label(self) -> str:
        return f"{self.days} {DayUnit(self.unit).label}"


@dataclass
class PEPObligation:
    """One PEP the child must have: the initial PEP, then one each term. Met by the first sign-off (or the
    PEP recorded from before the portal) on or after the day it opens; a sign-off after its due date is late,
    and until one comes, the PEP is overdue."""

    kind: str
    label: str
    rule: Rule
    opens_on: datetime.date
    due_on: datetime.date | None  # None: an initial PEP met before the first year with term dates
    met_on: datetime.date | None = None

    def is_overdue(self, today: datetime.date) -> bool:
        return self.due_on is not None and self.due_on < today and (self.met_on is None or self.met_on > today)

    @property
    def on_time(self) -> bool:
        return self.met_on is not None and self.due_on is not None and self.met_on <= self.due_on


@dataclass
class Deadline:
    kind: str
    label: str
    rule: Rule
    due_on: datetime.date | None = None
    error: str = ""
    flags: list[str] = field(default_factory=list)
    done: bool = False
    text: str = ""  # the rule in words, when the kind's own wording does not fit (months, a review's number)

    @property
    def unit_label(self) -> str:
        return DayUnit(self.rule.unit).label

    @property
    def rule_text(self) -> str:
        """The rule in words, always with its unit."""
        if self.text:
            return self.text
        days = self.rule.label
        return {
            DeadlineKind.INITIAL_PEP: f"within {days} of starting at the school or entering care",
            DeadlineKind.PEP_REVIEW: (
                f"each term: {days} before the term's last school day"
                if self.rule.days
                else "each term: by the term's last school day (school days)"
            ),
            DeadlineKind.TRANSFER: f"within {days} of leaving",
            DeadlineKind.REVIEW_REPORT: f"report sent {days} before the review",
            DeadlineKind.CHILD_PROTECTION: f"within {days} of leaving, sent separately from the other records",
            RECORD_DATES: "correct these dates in the record: no deadline is counted from a date that looks wrong",
        }.get(self.kind, "by each target's own date (calendar days)")


class DeadlineEngine:
    """Loads the calendars and rules for a set of schools once (three queries), then answers many questions."""

    def __init__(self, schools, today: datetime.date | None = None):
        self.calendars = SchoolCalendar.for_schools(schools)
        self.rules = {}
        for rule in DeadlineRule.objects.all():
            self.rules[(rule.kind, rule.school_id, rule.local_authority_id)] = Rule(rule.days, rule.unit)
        self.today = today or timezone.localdate()

    @classmethod
    def for_school(cls, school, today=None):
        return cls([school], today)

    def rule(self, kind: str, school_id=None, la_id=None) -> Rule:
        for key in ((kind, None, la_id), (kind, school_id, None), (kind, None, None)):
            if key in self.rules:
                return self.rules[key]
        days, unit = DEFAULT_RULES[kind]
        return Rule(days, unit)

    def calendar(self, school_id) -> SchoolCalendar:
        return self.calendars[school_id]

    def add(self, school_id, start: datetime.date, rule: Rule) -> datetime.date:
        return self.calendar(school_id).add(start, rule.days, rule.unit)

    # --- the rules --------------------------------------------------------------------------
    def initial_pep_event(self, child) -> datetime.date:
        """Starting at the school, or entering care while on roll (whichever is later)."""
        if child.entered_care_on and child.entered_care_on > child.started_on:
            return child.entered_care_on
        return child.started_on

    def initial_pep_due(self, child) -> tuple[datetime.date, Rule]:
        rule = self.rule(DeadlineKind.INITIAL_PEP, child.school_id, child.responsible_authority_id)
        return self.add(child.school_id, self.initial_pep_event(child), rule), rule

    def term_review_due(self, child, on: datetime.date) -> tuple[datetime.date, Rule]:
        """The PEP review for the term `on` falls in is due by that term's last school day (minus the rule's days)."""
        rule = self.rule(DeadlineKind.PEP_REVIEW, child.school_id, child.responsible_authority_id)
        calendar = self.calendar(child.school_id)
        calendar.require_year(on)
        term = calendar.current_or_next_term(on)
        if term is None:
            raise MissingTermDates(calendar.school, academic_year_after(on))
        season = season_of(term.starts_on)
        last = max(
            t.ends_on
            for t in calendar.terms()
            if t.academic_year == term.academic_year and season_of(t.starts_on) == season
        )
        end = last if calendar.is_school_day(last) else calendar.subtract(last, 1, DayUnit.SCHOOL)
        return calendar.subtract(end, rule.days, rule.unit) if rule.days else end, rule

    def transfer_due(self, child, left_on: datetime.date, kind=DeadlineKind.TRANSFER) -> tuple[datetime.date, Rule]:
        """Records (`TRANSFER`) or the child protection file: counted in school days, a child leaving in a
        holiday has the first days of the new term."""
        rule = self.rule(kind, child.school_id, child.responsible_authority_id)
        return self.add(child.school_id, left_on, rule), rule

    def review_report_due(self, review, child) -> tuple[datetime.date, Rule]:
        rule = self.rule(DeadlineKind.REVIEW_REPORT, child.school_id, child.responsible_authority_id)
        return self.calendar(child.school_id).subtract(review.held_on, rule.days, rule.unit), rule

    def pep_due(self, pep, child) -> datetime.date:
        """A PEP's due date: the initial PEP's rule for the first of the care episode, when no PEP from before the
        portal (or an earlier PEP of the same episode) came first; otherwise by the end of its term."""
        start = self.initial_pep_event(child)
        before_portal = child.pep_before_portal_on is not None and child.pep_before_portal_on >= start
        earlier = [p for p in child.peps.all() if p.pk != pep.pk and start <= p.period_starts_on < pep.period_starts_on]
        if not earlier and not before_portal:
            return self.initial_pep_due(child)[0]
        return self.term_review_due(child, pep.period_starts_on)[0]

    # --- the PEPs a child must have: one rule for the casework home and every figure ---------------------
    def needs_pep(self, child, on: datetime.date | None = None) -> bool:
        on = on or self.today
        return child.cohort == Cohort.LOOKED_AFTER and (child.left_on is None or child.left_on >= on)

    def sign_offs(self, child, peps) -> list[datetime.date]:
        days = [signed_off_on(p) for p in peps if p.status == PEPStatus.SIGNED_OFF]
        if child.pep_before_portal_on:
            days.append(child.pep_before_portal_on)
        return sorted(days)

    def pep_obligations(self, child, peps=None, *, until=None, with_next=False) -> list[PEPObligation]:
        """The initial PEP of the current care episode, then one PEP a term, for the terms begun by `until`
        (default today; `with_next`: and the term after). Terms of a year the school never entered are
        skipped, unless the count needs them (MissingTermDates, shown as an error)."""
        until = until or self.today
        peps = list(child.peps.all()) if peps is None else peps
        signed = self.sign_offs(child, peps)
        start = self.initial_pep_event(child)
        first_met = next((d for d in signed if d >= start), None)
        initial_rule = self.rule(DeadlineKind.INITIAL_PEP, child.school_id, child.responsible_authority_id)
        try:
            initial_due = self.add(child.school_id, start, initial_rule)
        except MissingTermDates:
            if first_met is None:
                raise
            initial_due = None  # met, in a year with no term dates entered: counted from its sign-off's term
        obligations = [PEPObligation(DeadlineKind.INITIAL_PEP, "Initial PEP", initial_rule, start, initial_due)]
        review_rule = self.rule(DeadlineKind.PEP_REVIEW, child.school_id, child.responsible_authority_id)
        after = season_key(initial_due or first_met)
        calendar = self.calendar(child.school_id)
        seasons: dict[tuple[str, int], datetime.date] = {}
        for term in calendar.terms():
            key = season_key(term.starts_on)
            if key > after:
                seasons[key] = min(seasons.get(key, term.starts_on), term.starts_on)
        for key in sorted(seasons):
            opens = seasons[key]
            if opens > until:
                if not with_next:
                    break
                with_next = False
            due = self.term_review_due(child, opens)[0]
            label = f"PEP review: {season_of(opens).label} term {key[0]}"
            obligations.append(PEPObligation(DeadlineKind.PEP_REVIEW, label, review_rule, opens, due))
        if with_next:  # the next term's dates are not entered yet
            last = obligations[-1].due_on or until
            raise MissingTermDates(calendar.school, academic_year_after(max(last, until)))
        for obligation in obligations:
            obligation.met_on = next((d for d in signed if d >= obligation.opens_on), None)
        return obligations

    def pep_overdue(self, child, obligations) -> PEPObligation | None:
        """The PEP the child is overdue for (the latest one due), until a PEP is signed off after it opened."""
        passed = [o for o in obligations if o.due_on is not None and o.due_on < self.today]
        return passed[-1] if passed and passed[-1].is_overdue(self.today) else None

    # --- a child's deadlines, for the casework home -------------------------------------------
    def school_days_until(self, child, due: datetime.date) -> int:
        return self.calendar(child.school_id).days_between(self.today, due, DayUnit.SCHOOL)

    def deadlines_for(self, child) -> list[Deadline]:
        """Every open deadline for the child, soonest first; uses only prefetched relations."""
        found: list[Deadline] = []
        self._wrong = child_record_problems(child, self.today)
        if self._wrong:
            problems = list(self._wrong.values())
            found.append(
                Deadline(
                    RECORD_DATES,
                    "Dates to check",
                    Rule(0, DayUnit.CALENDAR),
                    error="; ".join(problems),
                    flags=problems,
                )
            )
        peps = list(child.peps.all())
        if self.needs_pep(child):
            found.append(self._pep_deadline(child, peps))
            if child.entered_care_on:
                found.append(review_deadline(self, child))
        for review in child.reviews.all():
            if review.held_on < self.today:
                continue
            found.append(self._review_deadline(child, review))
        transitions = [t for t in child.transitions.all() if not t.is_pep_to_social_worker]  # not a move
        for transition in transitions:
            found.append(self._transfer_deadline(child, transition))
        leaving = [t for t in transitions if not (t.is_child_protection or t.is_send_file)]
        if (
            leaving
            and getattr(child, "has_child_protection_documents", False)
            and not any(t.is_child_protection for t in transitions)
        ):
            found.append(self._unsent_child_protection_deadline(child, leaving[0]))
        overdue_targets = [
            t
            for pep in peps
            for t in pep.targets.all()
            if t.is_past_date(self.today) and not self._is_wrong(t, "by_when")
        ]
        if overdue_targets:
            rule = Rule(0, DayUnit.CALENDAR)
            found.append(
                Deadline(
                    "targets",
                    f"{len(overdue_targets)} target{'s' if len(overdue_targets) > 1 else ''} past their date",
                    rule,
                    due_on=min(t.by_when for t in overdue_targets),
                    flags=["Targets past their date"],
                )
            )
        return sorted(found, key=lambda d: (d.due_on is None and not d.error, d.due_on or datetime.date.min))

    def _is_wrong(self, obj, name) -> str:
        """The problem with a stored date of the child's record (empty when it is a date someone could mean)."""
        return getattr(self, "_wrong", {}).get((obj._meta.model_name, obj.pk, name), "")

    def _guard(self, deadline: Deadline, compute, counts_from=()):
        """Work out the date, or show why not. `counts_from`: (record, field) pairs the count starts from; one
        that looks wrong is named instead (it is flagged once, under "Dates to check")."""
        for obj, name in counts_from:
            problem = self._is_wrong(obj, name)
            if problem:
                deadline.error = f"Not worked out: {problem}"
                return deadline
        try:
            deadline.due_on = compute()
        except MissingTermDates as exc:  # DateOutOfRange too: a count that ran off the calendar
            deadline.error = str(exc)
            deadline.flags.append(str(exc))
        return deadline

    def _pep_deadline(self, child, peps) -> Deadline:
        """The PEP overdue (the latest one due and not signed off since it opened), else the next one due."""
        signed = self.sign_offs(child, peps)
        kind = DeadlineKind.PEP_REVIEW if signed else DeadlineKind.INITIAL_PEP
        rule = self.rule(kind, child.school_id, child.responsible_authority_id)
        deadline = Deadline(kind, "Initial PEP" if kind == DeadlineKind.INITIAL_PEP else "PEP review", rule)
        for obj, name in [(child, "started_on"), (child, "entered_care_on"), (child, "pep_before_portal_on")]:
            if self._is_wrong(obj, name):
                return self._guard(deadline, lambda: None, counts_from=[(obj, name)])
        try:
            obligations = self.pep_obligations(child, peps, with_next=True)
        except MissingTermDates as exc:
            try:  # the next term's dates are missing: an overdue PEP is still shown as overdue
                obligations = self.pep_obligations(child, peps)
            except MissingTermDates:
                obligations = []
            if not self.pep_overdue(child, obligations):
                deadline.error = str(exc)
                deadline.flags.append(str(exc))
                return deadline
        overdue = self.pep_overdue(child, obligations)
        upcoming = [o for o in obligations if o.met_on is None and o.due_on and o.due_on >= self.today]
        due = overdue or (upcoming or obligations)[0 if upcoming else -1]
        deadline.kind, deadline.rule, deadline.due_on = due.kind, due.rule, due.due_on
        if due.kind == DeadlineKind.INITIAL_PEP:
            deadline.label = "Initial PEP"
        elif overdue:
            deadline.label = f"{due.label} (overdue)"
        else:
            deadline.label = "PEP review this term" if due.opens_on <= self.today else "PEP review next term"
        if overdue:
            deadline.flags.append("PEP overdue")
        else:
            try:
                if self.school_days_until(child, deadline.due_on) <= PEP_DUE_SOON_SCHOOL_DAYS:
                    deadline.flags.append(f"PEP due within {PEP_DUE_SOON_SCHOOL_DAYS} school days")
            except MissingTermDates as exc:
                deadline.flags.append(str(exc))
        return deadline

    def _review_deadline(self, child, review) -> Deadline:
        rule = self.rule(DeadlineKind.REVIEW_REPORT, child.school_id, child.responsible_authority_id)
        deadline = Deadline(DeadlineKind.REVIEW_REPORT, f"Report for the review: {review.get_kind_display()}", rule)
        deadline.done = review.is_covered
        self._guard(deadline, lambda: self.review_report_due(review, child)[0], counts_from=[(review, "held_on")])
        if not review.is_covered and not deadline.error:
            try:
                if self.school_days_until(child, review.held_on) <= REVIEW_UNCOVERED_SCHOOL_DAYS:
                    deadline.flags.append(
                        f"Review within {REVIEW_UNCOVERED_SCHOOL_DAYS} school days with neither report nor representative"
                    )
            except MissingTermDates as exc:
                deadline.flags.append(str(exc))
        return deadline

    def _transfer_deadline(self, child, transition) -> Deadline:
        kind = transition.deadline_kind
        rule = self.rule(kind, child.school_id, child.responsible_authority_id)
        what = transition.what_is_sent_heading
        deadline = Deadline(kind, f"{what} to {transition.receiving_school}", rule)
        self._guard(
            deadline,
            lambda: self.transfer_due(child, transition.left_on, kind)[0],
            counts_from=[(transition, "left_on")],
        )
        deadline.done = transition.sent_at is not None and not transition.is_rejected
        if transition.is_rejected:
            deadline.flags.append("Rejected by the receiving school: send a new link")
        elif deadline.done and transition.receipt_confirmed_at is None:
            deadline.flags.append("Waiting for the receiving school to confirm receipt")
        if deadline.due_on and not deadline.error:
            late = self.transfer_lateness(child, transition, deadline.due_on)
            if late:
                late_what = "Transfer" if transition.part == "records" else what
                deadline.flags.append(f"{late_what} late by {late} school day{'s' if late > 1 else ''}")
        return deadline

    def _unsent_child_protection_deadline(self, child, leaving) -> Deadline:
        """The child is leaving with child protection documents, and no separate transfer is started for them."""
        kind = DeadlineKind.CHILD_PROTECTION
        rule = self.rule(kind, child.school_id, child.responsible_authority_id)
        deadline = Deadline(kind, f"Child protection file to {leaving.receiving_school}", rule)
        self._guard(
            deadline, lambda: self.transfer_due(child, leaving.left_on, kind)[0], counts_from=[(leaving, "left_on")]
        )
        deadline.flags.append("Child protection file not started: send it separately from the other records")
        if deadline.due_on and not deadline.error and deadline.due_on < self.today:
            try:
                late = self.calendar(child.school_id).days_between(deadline.due_on, self.today, DayUnit.SCHOOL)
            except MissingTermDates:
                late = (self.today - deadline.due_on).days
            if late:
                deadline.flags.append(f"Child protection file late by {late} school day{'s' if late > 1 else ''}")
        return deadline

    def transfer_lateness(self, child, transition, due_on=None) -> int:
        """School days the transfer is (or was) late by, against the rule; 0 when on time."""
        due_on = (
            due_on or transition.due_on or self.transfer_due(child, transition.left_on, transition.deadline_kind)[0]
        )
        sent = timezone.localdate(transition.sent_at) if transition.sent_at else self.today
        if sent <= due_on:
            return 0
        try:
            return self.calendar(child.school_id).days_between(due_on, sent, DayUnit.SCHOOL)
        except MissingTermDates:
            return (sent - due_on).days
