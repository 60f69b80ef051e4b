"""A PEP is ready for sign-off, or signed off, only when complete: one plain message per missing part (a SMART
target, the child's views, attendance, the previous PEP's targets evaluated, PP+ within what was requested or
approved), whatever the path (the status view, `move_to`, a plain `save`)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from casework.enums import PEPStatus, TermName
from casework.models import PEP, PEPStatusChange, PPPlusRequest, PreviousTargetEvaluation, Target
from casework.models.peps import SignOffRefused
from conftest import sign_in

from .factories import ChildFactory, PEPFactory, TargetFactory, add_terms

NOW = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC)
NO_TARGET = (
    "Add at least one SMART target: what the child will do, how it is measured, the starting point, "
    "the level to reach, who makes it happen and by when."
)
NO_VIEWS = "Record the child's views: what is going well, what worries them, their hopes, or what helps them learn."
NO_ATTENDANCE = "Record attendance: the sessions possible and the sessions attended this term."


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def child(personas):
    add_terms(personas.brook, 2026)
    return ChildFactory(school=personas.brook, legal_first_name="Brooklyn", preferred_name="Sunny")


def _refusal(pep, user, status=PEPStatus.READY):
    with pytest.raises(SignOffRefused) as refused:
        pep.move_to(status, user)
    return refused.value.messages


def test_an_empty_pep_cannot_be_made_ready_and_each_missing_part_has_its_own_message(personas, child):
    pep = PEPFactory(child=child, status=PEPStatus.IN_PROGRESS)
    assert _refusal(pep, personas.dt) == [NO_TARGET, NO_VIEWS, NO_ATTENDANCE]
    assert PEP.objects.get(pk=pep.pk).status == PEPStatus.IN_PROGRESS
    assert not PEPStatusChange.objects.filter(pep=pep).exists()


def _remove_target(pep):
    Target.objects.filter(pep=pep).delete()


def _target_without_owner(pep):
    Target.objects.filter(pep=pep).update(who="")


def _remove_views(pep):
    PEP.objects.filter(pk=pep.pk).update(voice_going_well="", voice_helps_me_learn="  ")


def _remove_attendance(pep):
    PEP.objects.filter(pk=pep.pk).update(sessions_attended=None, sessions_possible=None)


def _over_allocate(pep):
    PPPlusRequest.objects.create(
        pep=pep,
        local_authority=pep.child.responsible_authority,
        requested_on=datetime.date(2026, 9, 20),
        amount_requested=Decimal(100),
        purpose="Tutoring",
    )
    Target.objects.filter(pep=pep).update(ppplus_allocated=Decimal(5000))


@pytest.mark.parametrize(
    ("take_away", "message"),
    [
        (_remove_target, NO_TARGET),
        (_target_without_owner, NO_TARGET),
        (_remove_views, NO_VIEWS),
        (_remove_attendance, NO_ATTENDANCE),
        (
            _over_allocate,
            "PP+ allocated against targets (£5,000.00) is more than the £100.00 requested: lower the allocations "
            "or record the request.",
        ),
    ],
)
def test_each_missing_part_alone_refuses_ready_and_sign_off(personas, child, take_away, message):
    pep = PEPFactory(child=child, status=PEPStatus.IN_PROGRESS, complete=True)
    take_away(pep)
    pep = PEP.objects.get(pk=pep.pk)
    assert _refusal(pep, personas.dt) == [message]
    PEP.objects.filter(pk=pep.pk).update(status=PEPStatus.READY)  # made ready before the part went missing
    pep = PEP.objects.get(pk=pep.pk)
    assert _refusal(pep, personas.dt, PEPStatus.SIGNED_OFF) == [message]
    assert PEP.objects.get(pk=pep.pk).status == PEPStatus.READY


def test_pp_plus_within_the_approved_amount_is_signed_off_and_above_it_is_refused(personas, child):
    pep = PEPFactory(child=child, status=PEPStatus.IN_PROGRESS, complete=True)
    PPPlusRequest.objects.create(
        pep=pep,
        local_authority=child.responsible_authority,
        requested_on=datetime.date(2026, 9, 20),
        amount_requested=Decimal(800),
        purpose="Tutoring",
        answer="part",
        answered_on=datetime.date(2026, 10, 1),
        amount_approved=Decimal(500),
    )
    Target.objects.filter(pep=pep).update(ppplus_allocated=Decimal(600))
    assert _refusal(pep, personas.dt) == [
        "PP+ allocated against targets (£600.00) is more than the £500.00 approved: lower the allocations or "
        "record the request."
    ]
    Target.objects.filter(pep=pep).update(ppplus_allocated=Decimal(500))
    pep.move_to(PEPStatus.READY, personas.dt)
    pep.move_to(PEPStatus.SIGNED_OFF, personas.dt)
    assert PEP.objects.get(pk=pep.pk).status == PEPStatus.SIGNED_OFF


def test_a_complete_pep_is_made_ready_and_signed_off(personas, child):
    pep = PEPFactory(child=child, status=PEPStatus.IN_PROGRESS, complete=True)
    assert pep.sign_off_problems() == []
    pep.move_to(PEPStatus.READY, personas.dt)
    pep.move_to(PEPStatus.SIGNED_OFF, personas.dt)
    stored = PEP.objects.get(pk=pep.pk)
    assert (stored.status, stored.signed_off_by) == (PEPStatus.SIGNED_OFF, personas.dt)


def test_saving_a_status_from_code_is_refused_the_same_way(personas, child):
    pep = PEPFactory(child=child, status=PEPStatus.IN_PROGRESS)
    pep.status = PEPStatus.SIGNED_OFF
    with pytest.raises(ValidationError) as refused:
        pep.save()
    assert refused.value.messages == [NO_TARGET, NO_VIEWS, NO_ATTENDANCE]
    assert PEP.objects.get(pk=pep.pk).status == PEPStatus.IN_PROGRESS
    with pytest.raises(SignOffRefused):
        PEP.objects.create(
            child=child,
            academic_year="2026/27",
            term=TermName.SPRING,
            status=PEPStatus.READY,
            period_starts_on=datetime.date(2027, 1, 5),
            period_ends_on=datetime.date(2027, 3, 26),
        )


def test_the_status_view_shows_one_message_per_missing_part(client, personas, child):
    pep = PEPFactory(child=child, status=PEPStatus.IN_PROGRESS)
    sign_in(client, personas.dt)
    response = client.post(f"/casework/peps/{pep.pk}/status/", {"status": PEPStatus.READY}, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert shown == [NO_TARGET, NO_VIEWS, NO_ATTENDANCE]
    assert PEP.objects.get(pk=pep.pk).status == PEPStatus.IN_PROGRESS


# The previous PEP's targets


@pytest.fixture
def previous_and_new(personas, child):
    previous = PEPFactory(child=child, status=PEPStatus.IN_PROGRESS, complete=True)  # a target "Attendance"
    TargetFactory(pep=previous, area="Reading", by_when=datetime.date(2026, 12, 1))
    previous.move_to(PEPStatus.READY, personas.dt)
    previous.move_to(PEPStatus.SIGNED_OFF, personas.dt)
    new = PEPFactory(
        child=child,
        term=TermName.SPRING,
        period_starts_on=datetime.date(2027, 1, 5),
        period_ends_on=datetime.date(2027, 3, 26),
        status=PEPStatus.IN_PROGRESS,
        complete=True,
    )
    return previous, new


def test_a_new_pep_lists_the_previous_peps_targets_for_evaluation(previous_and_new):
    previous, new = previous_and_new
    rows = list(PreviousTargetEvaluation.objects.filter(pep=new))
    assert [(r.target.pep_id, r.target.area, r.outcome) for r in rows] == [
        (previous.pk, "Reading", ""),
        (previous.pk, "Attendance", ""),
    ]
    assert rows[0].target_summary == (
        "Reading: Read a chapter book aloud (Book band 8 → Book band 10 by 1 Dec 2026; Class teacher)"
    )
    assert not PreviousTargetEvaluation.objects.filter(pep=previous).exists()  # the first PEP has none to evaluate
    new.save()
    assert PreviousTargetEvaluation.objects.filter(pep=new).count() == 2  # listed once, however often it is saved


def test_sign_off_waits_for_every_previous_target_to_be_evaluated(personas, previous_and_new):
    _, new = previous_and_new
    message = "Evaluate the previous PEP's targets (met, partly met or not met): {} still to evaluate."
    assert _refusal(new, personas.dt) == [message.format(2)]
    first, second = PreviousTargetEvaluation.objects.filter(pep=new)
    first.outcome, first.note = "met", "Book band 10 in November"
    first.save()
    assert _refusal(new, personas.dt) == [message.format(1)]
    second.delete()  # removing a row does not skip the evaluation
    assert _refusal(new, personas.dt) == [message.format(1)]
    new.save()
    PreviousTargetEvaluation.objects.filter(pep=new, outcome="").update(outcome="partly_met")
    new.move_to(PEPStatus.READY, personas.dt)
    assert PEP.objects.get(pk=new.pk).status == PEPStatus.READY


def test_a_row_added_by_hand_is_refused_plainly(previous_and_new):
    _, new = previous_and_new
    with pytest.raises(ValidationError, match="This list holds the previous PEP's targets only"):
        PreviousTargetEvaluation(pep=new, outcome="met").full_clean()


# Attendance


@pytest.mark.parametrize(
    ("possible", "attended", "percent", "persistent"),
    [
        (120, 108, Decimal("90.0"), False),
        (120, 107, Decimal("89.2"), True),
        (120, 120, Decimal("100.0"), False),
        (None, None, None, False),
    ],
)
def test_attendance_percentage_and_the_persistent_absence_flag(child, possible, attended, percent, persistent):
    pep = PEPFactory.build(child=child, sessions_possible=possible, sessions_attended=attended)
    assert (pep.attendance_percent, pep.is_persistently_absent) == (percent, persistent)


@pytest.mark.parametrize(
    ("possible", "attended", "field", "message"),
    [
        (120, 121, "sessions_attended", "Sessions attended (121) cannot be more than the sessions possible (120)."),
        (120, None, "sessions_attended", "Give both the sessions possible and the sessions attended, or neither."),
        (0, 0, "sessions_possible", "Sessions possible must be at least 1 (a school day is 2 sessions)."),
    ],
)
def test_impossible_attendance_is_refused_plainly(child, possible, attended, field, message):
    pep = PEPFactory.build(child=child, sessions_possible=possible, sessions_attended=attended)
    with pytest.raises(ValidationError) as refused:
        pep.full_clean()
    assert refused.value.message_dict[field] == [message]


# The admin's form


def test_the_admin_form_shows_the_peps_sections_with_their_labels(client, personas, previous_and_new):
    _, new = previous_and_new
    sign_in(client, personas.dt)
    page = client.get(f"/admin/casework/pep/edit/{new.pk}/").content.decode()
    for text in (
        "The child&#x27;s voice",
        "What is going well",
        "What worries me",
        "My hopes and goals",
        "What helps me learn",
        "The carer&#x27;s role",
        "Education (the regulations&#x27; Schedule 1)",
        "Current educational arrangements",
        "SEN provision",
        "Planned changes",
        "How disruption is minimised",
        "Leisure interests",
        "Sessions possible",
        "Sessions attended",
        "The previous PEP&#x27;s targets",
        "Reading: Read a chapter book aloud",
        "Partly met",
    ):
        assert text in page, text


def test_the_admin_saves_the_previous_targets_evaluation(client, personas, previous_and_new):
    _, new = previous_and_new
    rows = list(PreviousTargetEvaluation.objects.filter(pep=new))
    sign_in(client, personas.dt)
    data = {
        "child": new.child_id,
        "academic_year": new.academic_year,
        "term": new.term,
        "period_starts_on": "2027-01-05",
        "period_ends_on": "2027-03-26",
        "voice_going_well": "Art club",
        "sessions_possible": "100",
        "sessions_attended": "95",
        "previous_target_evaluations-TOTAL_FORMS": "2",
        "previous_target_evaluations-INITIAL_FORMS": "2",
        "previous_target_evaluations-MIN_NUM_FORMS": "0",
        "previous_target_evaluations-MAX_NUM_FORMS": "1000",
    }
    for i, (row, outcome) in enumerate(zip(rows, ["met", "not_met"], strict=True)):
        data |= {
            f"previous_target_evaluations-{i}-id": row.pk,
            f"previous_target_evaluations-{i}-outcome": outcome,
            f"previous_target_evaluations-{i}-note": f"Note {i}",
            f"previous_target_evaluations-{i}-ORDER": "",
            f"previous_target_evaluations-{i}-DELETE": "",
        }
    response = client.post(f"/admin/casework/pep/edit/{new.pk}/", data)
    assert response.status_code == 302
    assert list(PreviousTargetEvaluation.objects.filter(pep=new).values_list("outcome", "note")) == [
        ("met", "Note 0"),
        ("not_met", "Note 1"),
    ]
    assert PEP.objects.get(pk=new.pk).sign_off_problems() == []


# Suspensions and exclusions


def test_a_suspension_is_recorded_in_the_admin_and_one_without_its_length_is_refused(client, personas, child):
    from casework.models import Suspension

    sign_in(client, personas.dt)
    form = {"child": child.pk, "kind": "suspension", "starts_on": "2026-10-05", "length_days": "", "reason": "Fight"}
    refused = client.post("/admin/casework/suspension/create/", form)
    assert refused.status_code == 200
    assert "Give the suspension&#x27;s length in school days" in refused.content.decode()
    assert client.post("/admin/casework/suspension/create/", {**form, "length_days": "1.5"}).status_code == 302
    saved = Suspension.objects.get(child=child)
    assert (saved.length_days, saved.recorded_by) == (Decimal("1.5"), personas.dt)
    permanent = {**form, "kind": "permanent", "starts_on": "2026-11-02"}
    assert client.post("/admin/casework/suspension/create/", permanent).status_code == 302
