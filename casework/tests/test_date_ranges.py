"""Dates a person could mean: forms refuse absurd dates plainly, and no stored date, however odd, makes a page a 500."""

import datetime
import re

import pytest
import time_machine

from casework.models import PEP, Child, Review, Target, Transition
from conftest import sign_in

from .factories import ChildFactory, PEPFactory, ReviewFactory, TargetFactory, TransitionFactory, add_terms

NOW = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC)
FAR = datetime.date(9999, 12, 31)
EARLY = datetime.date(1, 1, 1)


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def child(personas):
    add_terms(personas.brook, 2026)
    child = ChildFactory(school=personas.brook, legal_first_name="Brooklyn")
    pep = PEPFactory(child=child)
    TargetFactory(pep=pep)
    ReviewFactory(child=child)
    TransitionFactory(child=child)
    return child


STORED = [
    (Child, "date_of_birth", "Date of birth"),
    (Child, "entered_care_on", "Entered care on"),
    (Child, "started_on", "Started on"),
    (Child, "left_on", "Left on"),
    (PEP, "period_starts_on", "Period starts on"),
    (PEP, "period_ends_on", "Period ends on"),
    (PEP, "meeting_date", "Meeting date"),
    (Review, "held_on", "Date of the review"),
    (Review, "report_sent_on", "Report sent on"),
    (Review, "next_review_on", "Next review"),
    (Target, "by_when", "By when"),
    (Transition, "left_on", "Left on"),
]


def _store(child, model, name, value):
    """Write the value straight to the database, as a bad import or a hand edit would: no form, no clean."""
    if model is Child:
        rows = Child.objects.filter(pk=child.pk)
    elif model is Target:
        rows = Target.objects.filter(pep__child=child)
    else:
        rows = model.objects.filter(child=child)
    assert rows.update(**{name: value})


@pytest.mark.parametrize("value", [FAR, EARLY], ids=["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize(("model", "name", "label"), STORED, ids=[f"{m.__name__}.{n}" for m, n, _ in STORED])
def test_a_stored_absurd_date_is_named_on_every_page_and_never_a_500(
    client, personas, child, model, name, label, value
):
    _store(child, model, name, value)
    sign_in(client, personas.dt)
    pages = {
        "dashboard": client.get("/"),
        "casework home": client.get("/casework/"),
        "calendar": client.get("/casework/deadlines.ics"),
        "child": client.get(f"/casework/children/{child.pk}/"),
    }
    for where, response in pages.items():
        assert response.status_code == 200, (where, response.status_code)
    for where in ("casework home", "child"):
        # "Date of birth looks wrong: check the record"; on another record, which one: "By when (Reading target) ..."
        assert re.search(rf"{label}( \([^)<]*\))? looks wrong: check the record", pages[where].content.decode()), where
    assert "looks wrong" in pages["dashboard"].content.decode()


# --- typed dates: the forms refuse a date no one could mean, naming the field and keeping what was typed ------

NEW_CHILD = {
    "legal_first_name": "New",
    "legal_last_name": "Arrival",
    "date_of_birth": "2017-05-01",
    "school": None,  # brook's id, filled in by the test
    "year_group": "4",
    "cohort": "looked_after",
    "entered_care_on": "2026-10-01",
    "started_on": "2026-11-02",
    "sen_status": "none",
}


@pytest.mark.parametrize(
    ("name", "typed", "message"),
    [
        ("date_of_birth", "9999-12-31", "Date of birth cannot be in the future."),
        ("date_of_birth", "0001-01-01", "Date of birth must be within the last 25 years."),
        ("date_of_birth", "1990-05-01", "Date of birth must be within the last 25 years."),
        (
            "entered_care_on",
            "9999-12-31",
            "Entered care on must be no more than a year ahead, on or before 30 November 2027.",
        ),
        ("started_on", "1999-09-01", "Started on must be within the last 20 years."),
        ("left_on", "2031-07-20", "Left on must be no more than a year ahead, on or before 30 November 2027."),
    ],
)
def test_the_child_form_refuses_a_date_no_one_could_mean(client, personas, child, name, typed, message):
    sign_in(client, personas.dt)
    response = client.post("/admin/casework/child/create/", {**NEW_CHILD, "school": personas.brook.pk, name: typed})
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert typed in page  # what was typed is kept, to correct
    assert not Child.objects.filter(legal_first_name="New").exists()


def test_a_plausible_new_child_is_still_saved(client, personas, child):
    sign_in(client, personas.dt)
    response = client.post("/admin/casework/child/create/", {**NEW_CHILD, "school": personas.brook.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Child.objects.filter(legal_first_name="New").exists()


def test_a_record_typed_years_ago_can_still_be_edited(client, personas, child):
    """A date that was plausible when typed (started 22 years ago) is not refused when left as it is."""
    Child.objects.filter(pk=child.pk).update(
        date_of_birth=datetime.date(2002, 3, 1), started_on=datetime.date(2004, 9, 1)
    )
    sign_in(client, personas.dt)
    child.refresh_from_db()
    response = client.post(
        f"/admin/casework/child/edit/{child.pk}/",
        {
            **NEW_CHILD,
            "legal_first_name": child.legal_first_name,
            "legal_last_name": child.legal_last_name,
            "preferred_name": "Brook",
            "upn": child.upn,
            "school": child.school_id,
            "date_of_birth": "2002-03-01",
            "entered_care_on": "2025-06-01",
            "started_on": "2004-09-01",
            "responsible_authority": child.responsible_authority_id,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    child.refresh_from_db()
    assert child.preferred_name == "Brook"


def test_a_stored_absurd_date_left_unchanged_is_refused_on_saving(client, personas, child):
    Child.objects.filter(pk=child.pk).update(started_on=FAR)
    sign_in(client, personas.dt)
    response = client.post(
        f"/admin/casework/child/edit/{child.pk}/",
        {
            **NEW_CHILD,
            "legal_first_name": child.legal_first_name,
            "legal_last_name": child.legal_last_name,
            "upn": child.upn,
            "school": child.school_id,
            "date_of_birth": "2016-02-29",
            "entered_care_on": "2025-06-01",
            "started_on": "9999-12-31",
            "responsible_authority": child.responsible_authority_id,
        },
    )
    assert response.status_code == 200
    assert "Started on looks wrong: enter the date it should be." in response.content.decode()


@pytest.mark.parametrize(
    ("name", "typed", "message"),
    [
        ("period_starts_on", "9999-12-31", "Period starts on must be no more than 3 years ahead"),
        ("period_ends_on", "2035-01-01", "Period ends on must be no more than 3 years ahead"),
        ("meeting_date", "1066-10-14", "Meeting date must be within the last 10 years."),
    ],
)
def test_the_pep_form_refuses_a_date_no_one_could_mean(client, personas, child, name, typed, message):
    sign_in(client, personas.dt)
    pep = {
        "child": child.pk,
        "academic_year": "2027/28",
        "term": "autumn",
        "period_starts_on": "2027-09-03",
        "period_ends_on": "2027-12-18",
        "previous_target_evaluations-TOTAL_FORMS": "0",
        "previous_target_evaluations-INITIAL_FORMS": "0",
    }
    response = client.post("/admin/casework/pep/create/", {**pep, name: typed})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PEP.objects.filter(academic_year="2027/28").exists()


def test_the_review_and_transition_forms_refuse_a_date_no_one_could_mean(client, personas, child):
    sign_in(client, personas.dt)
    review = client.post(
        "/admin/casework/review/create/", {"child": child.pk, "kind": "statutory", "held_on": "9999-12-31"}
    )
    assert "Date of the review must be no more than 3 years ahead" in review.content.decode()
    sent = client.post(
        "/admin/casework/review/create/",
        {"child": child.pk, "kind": "statutory", "held_on": "2026-12-08", "report_sent_on": "2027-01-08"},
    )
    assert "Report sent on cannot be in the future." in sent.content.decode()
    assert Review.objects.filter(child=child).count() == 1  # the factory's only
    transition = client.post(
        "/admin/casework/transition/create/",
        {
            "child": child.pk,
            "receiving_school": "Far Away Academy",
            "receiving_dt_name": "Fay Far",
            "receiving_dt_email": "dt@far.example",
            "left_on": "0001-01-01",
        },
    )
    assert "Left on must be within the last 10 years." in transition.content.decode()
    assert not Transition.objects.filter(receiving_school="Far Away Academy").exists()


@pytest.fixture
def delegated(personas, child):
    from casework.enums import PEPStatus
    from casework.models import Delegation

    PEP.objects.filter(child=child).update(status=PEPStatus.IN_PROGRESS)
    delegation = Delegation.objects.create(
        child=child,
        delegate=personas.delegate,
        sections=["views", "attainment", "targets", "activities"],
        ends_on=datetime.date(2027, 3, 31),
        granted_by=personas.dt,
    )
    return f"/casework/delegated/{delegation.pk}/"


def test_a_delegate_cannot_enter_a_date_no_one_could_mean(client, personas, child, delegated):
    from casework.models import Activity, TargetProgress

    sign_in(client, personas.delegate)
    target = {
        "area": "Spelling",
        "what": "Spell the Year 4 word list",
        "how_measured": "Weekly test",
        "baseline": "10 of 30",
        "target": "25 of 30",
        "by_when": "9999-12-31",
        "who": "Learning mentor",
    }
    response = client.post(delegated, {"action": "target", **{f"target-{k}": v for k, v in target.items()}})
    page = response.content.decode()
    assert response.status_code == 200
    assert "By when must be no more than 3 years ahead, on or before 30 November 2029." in page
    assert "Give the date it should be met by" not in page  # one message for the field, the plain one
    assert "Spell the Year 4 word list" in page and "9999-12-31" in page
    assert Target.objects.filter(pep__child=child).count() == 1  # the factory's only

    activity = client.post(
        delegated, {"action": "activity", "activity-activity": "Chess club", "activity-starts_on": "1900-01-01"}
    )
    assert "Starts on must be within the last 10 years." in activity.content.decode()
    assert not Activity.objects.exists()

    note = client.post(
        delegated,
        {
            "action": "progress",
            "progress-target": Target.objects.get().pk,
            "progress-noted_on": "2027-06-01",
            "progress-note": "From the future",
        },
    )
    assert "Date of the note cannot be in the future." in note.content.decode()
    assert not TargetProgress.objects.exists()


@pytest.mark.parametrize("unit", ["school", "working", "calendar"])
def test_counting_off_the_end_of_the_calendar_is_an_error_shown_never_a_crash(personas, unit):
    from trust.school_days import DateOutOfRange, MissingTermDates, SchoolCalendar

    add_terms(personas.brook, 2026)
    calendar = SchoolCalendar.for_school(personas.brook)
    for count in (lambda: calendar.add(FAR, 20, unit), lambda: calendar.subtract(EARLY, 5, unit)):
        with pytest.raises(DateOutOfRange, match="looks wrong: check the record"):
            count()
    assert issubclass(DateOutOfRange, MissingTermDates)  # every place that shows missing term dates shows this
    with pytest.raises(DateOutOfRange):
        calendar.add(FAR, 1, "calendar")
    if unit != "calendar":
        with pytest.raises(MissingTermDates):
            calendar.days_between(datetime.date(2026, 12, 1), FAR, unit)


def test_a_wrong_date_of_birth_never_makes_a_record_due_for_deletion(child):
    from casework.retention import children_due

    Child.objects.filter(pk=child.pk).update(date_of_birth=EARLY)
    assert Child.objects.get(pk=child.pk).retention_until() == datetime.date.max
    assert children_due(datetime.date(2026, 11, 30)) == ([], [])
