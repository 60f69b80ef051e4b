"""Delegated entry: the designated teacher lets a member of staff enter chosen sections of one child's PEP."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from casework import gate
from casework.enums import PEPStatus
from casework.models import PEP, Activity, CaseAuditEvent, Delegation, Target, TargetProgress
from conftest import sign_in
from trust.access import forget_memberships, needs_mfa
from trust.enums import Role
from trust.tests.factories import PASSWORD, MembershipFactory, UserFactory

from .factories import ChildFactory, PEPFactory, TargetFactory, add_terms

NOW = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC)
TODAY = NOW.date()
ALL_SECTIONS = ["views", "attainment", "targets", "activities"]


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(personas):
    """Brook's child (preferred name Sunny) with an in-progress PEP, delegated in full to the delegate persona."""
    add_terms(personas.brook, 2026)
    child = ChildFactory(school=personas.brook, legal_first_name="Secretname", preferred_name="Sunny", year_group="4")
    pep = PEPFactory(child=child, status=PEPStatus.IN_PROGRESS, childs_views="Old views", attainment="Old attainment")
    delegation = Delegation.objects.create(
        child=child,
        delegate=personas.delegate,
        sections=ALL_SECTIONS,
        ends_on=datetime.date(2027, 3, 31),
        granted_by=personas.dt,
    )
    return {"child": child, "pep": pep, "delegation": delegation, "url": f"/casework/delegated/{delegation.pk}/"}


def _post(client, url, action, **fields):
    return client.post(url, {"action": action, **{f"{action}-{k}": v for k, v in fields.items()}})


GOOD_TARGET = {
    "area": "Spelling",
    "what": "Spell the Year 4 word list",
    "how_measured": "Weekly test",
    "baseline": "10 of 30",
    "target": "25 of 30",
    "by_when": "2026-12-11",
    "who": "Learning mentor",
}


def _saved_state(case):
    pep = PEP.objects.get(pk=case["pep"].pk)
    return (
        pep.childs_views,
        pep.carers_views,
        pep.attainment,
        pep.attendance_percent,
        pep.status,
        Target.objects.count(),
        TargetProgress.objects.count(),
        Activity.objects.count(),
    )


# The delegate's list and page


def test_the_list_shows_each_active_delegation_without_the_legal_name(client, personas, case):
    sign_in(client, personas.delegate)
    response = client.get("/casework/delegated/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sunny" in page and "Year 4" in page and "Brook Primary School" in page and "31 Mar 2027" in page
    assert "Out-of-hours learning" in page
    assert "Secretname" not in page and "Testchild" not in page and case["child"].upn not in page
    assert "no-store" in response["Cache-Control"]
    assert CaseAuditEvent.objects.filter(action="list", user_id=personas.delegate.pk).exists()


def test_the_page_shows_only_the_delegated_sections(client, personas, case):
    Delegation.objects.filter(pk=case["delegation"].pk).update(sections=["targets"])
    TargetFactory(pep=case["pep"], area="Reading")
    sign_in(client, personas.delegate)
    response = client.get(case["url"])
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "Add a SMART target" in page and "Add a progress note" in page and "Reading" in page
    for hidden in ("Old views", "Old attainment", "Carer&#x27;s views", "Add an out-of-hours activity"):
        assert hidden not in page, hidden
    child = case["child"]
    for never in ("Secretname", "Testchild", child.upn, "2016", "Documents", "Download as PDF", "access log"):
        assert never not in page, never
    event = CaseAuditEvent.objects.get(action="read", user_id=personas.delegate.pk)
    assert (event.object_type, event.child_id) == ("child", child.pk)
    client.get(case["url"])  # a refresh within the minute is not logged again
    assert CaseAuditEvent.objects.filter(action="read", user_id=personas.delegate.pk).count() == 1


def test_the_views_section_saves_both_views_and_nothing_else(client, personas, case):
    sign_in(client, personas.delegate)
    response = _post(client, case["url"], "views", childs_views="I like maths now", carers_views="Reads nightly")
    assert response.status_code == 302
    assert "The views were saved." in client.get(case["url"]).content.decode()
    pep = PEP.objects.get(pk=case["pep"].pk)
    assert (pep.childs_views, pep.carers_views, pep.attainment) == (
        "I like maths now",
        "Reads nightly",
        "Old attainment",
    )
    event = CaseAuditEvent.objects.get(action="change")
    assert (event.object_type, event.object_id, event.detail) == ("pep", str(pep.pk), "delegated entry: views")


def test_the_attainment_section_saves_attainment_and_attendance(client, personas, case):
    sign_in(client, personas.delegate)
    _post(
        client,
        case["url"],
        "attainment",
        attainment="Reading: expected",
        sessions_possible="120",
        sessions_attended="115",
    )
    pep = PEP.objects.get(pk=case["pep"].pk)
    assert (pep.attainment, pep.attendance_percent, pep.childs_views) == (
        "Reading: expected",
        Decimal("95.8"),
        "Old views",
    )


def test_bad_attendance_is_refused_plainly_and_the_typed_values_kept(client, personas, case):
    sign_in(client, personas.delegate)
    before = _saved_state(case)
    response = _post(
        client,
        case["url"],
        "attainment",
        attainment="Typed but not saved",
        sessions_possible="120",
        sessions_attended="150",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sessions attended (150) cannot be more than the sessions possible (120)." in page
    assert "Typed but not saved" in page and 'value="150"' in page
    assert _saved_state(case) == before


def test_a_target_is_added_with_who_entered_it(client, personas, case):
    sign_in(client, personas.delegate)
    response = _post(client, case["url"], "target", **GOOD_TARGET)
    assert response.status_code == 302
    target = Target.objects.get(pep=case["pep"])
    assert (target.area, target.entered_by) == ("Spelling", personas.delegate)
    assert CaseAuditEvent.objects.filter(action="create", object_type="target", object_id=str(target.pk)).exists()
    assert PEP.objects.get(pk=case["pep"].pk).childs_views == "Old views"


def test_a_target_gets_the_same_smart_checks_as_the_admin(client, personas, case):
    sign_in(client, personas.delegate)
    response = _post(client, case["url"], "target", **{**GOOD_TARGET, "who": "", "by_when": "2027-06-01"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Say who will make it happen (Relevant: an owner)." in page
    assert "The date must fall inside the PEP&#x27;s period, 3 September 2026 to 18 December 2026." in page
    assert "Spell the Year 4 word list" in page  # what was typed is kept
    assert not Target.objects.exists()
    bad_date = _post(client, case["url"], "target", **{**GOOD_TARGET, "by_when": "31/02/2027"})
    assert "Enter a real date" in bad_date.content.decode() and not Target.objects.exists()


def test_a_dated_progress_note_is_added_to_a_target(client, personas, case):
    target = TargetFactory(pep=case["pep"])
    sign_in(client, personas.delegate)
    _post(client, case["url"], "progress", target=target.pk, noted_on="2026-11-27", note="Now 14 of 30")
    note = TargetProgress.objects.get(target=target)
    assert (note.noted_on, note.note, note.noted_by) == (datetime.date(2026, 11, 27), "Now 14 of 30", personas.delegate)


def test_a_progress_note_on_another_childs_target_is_refused(client, personas, case):
    TargetFactory(pep=case["pep"])
    elsewhere = TargetFactory(pep=PEPFactory(child=ChildFactory(school=personas.brook)))
    sign_in(client, personas.delegate)
    response = _post(client, case["url"], "progress", target=elsewhere.pk, noted_on="2026-11-27", note="Sneaky")
    assert "Choose one of this PEP&#x27;s targets." in response.content.decode()
    assert not TargetProgress.objects.exists()


def test_an_activity_is_added_and_its_dates_checked(client, personas, case):
    sign_in(client, personas.delegate)
    bad = _post(client, case["url"], "activity", activity="Chess club", starts_on="2026-12-01", ends_on="2026-11-01")
    assert "The activity must end on or after the day it starts." in bad.content.decode()
    assert not Activity.objects.exists()
    _post(client, case["url"], "activity", activity="Chess club", provider="Library", starts_on="2026-12-01")
    activity = Activity.objects.get()
    assert (activity.child, activity.activity, activity.entered_by) == (case["child"], "Chess club", personas.delegate)
    assert activity.ppplus_funded is False and activity.target is None


# Refusals: nothing saved


def _end(case, personas, how):
    delegation, child = case["delegation"], case["child"]
    if how == "withdrawn":
        delegation.withdraw(personas.dt, "Finished")
    elif how == "expired":
        Delegation.objects.filter(pk=delegation.pk).update(ends_on=TODAY - datetime.timedelta(days=1))
    elif how == "child left":
        child.left_on = TODAY
        child.save()
    elif how == "delegate left":
        personas.delegate.memberships.update(ended_on=TODAY)
    elif how == "delegate deactivated":
        type(personas.delegate).objects.filter(pk=personas.delegate.pk).update(is_active=False)


@pytest.mark.parametrize("how", ["withdrawn", "expired", "child left", "delegate left"])
def test_an_ended_delegation_opens_nothing_and_saves_nothing(client, personas, case, how):
    sign_in(client, personas.delegate)
    _end(case, personas, how)
    before = _saved_state(case)
    assert client.get(case["url"]).status_code == 404
    assert client.get("/casework/delegated/").status_code == 404
    assert _post(client, case["url"], "views", childs_views="Changed", carers_views="Changed").status_code == 404
    assert _post(client, case["url"], "target", **GOOD_TARGET).status_code == 404
    assert _saved_state(case) == before


def test_a_section_not_delegated_is_refused_and_nothing_saved(client, personas, case):
    Delegation.objects.filter(pk=case["delegation"].pk).update(sections=["activities"])
    sign_in(client, personas.delegate)
    before = _saved_state(case)
    assert _post(client, case["url"], "views", childs_views="Changed", carers_views="x").status_code == 403
    assert _post(client, case["url"], "attainment", attainment="Changed").status_code == 403
    assert _post(client, case["url"], "target", **GOOD_TARGET).status_code == 403
    assert _post(client, case["url"], "status", status="ready").status_code == 403
    assert _saved_state(case) == before


def test_another_childs_delegation_is_refused(client, personas, case):
    colleague = UserFactory(email="colleague@symphony.example")
    MembershipFactory(user=colleague, role=Role.STAFF, school=personas.brook)
    other = Delegation.objects.create(
        child=ChildFactory(school=personas.brook),
        delegate=colleague,
        sections=ALL_SECTIONS,
        ends_on=datetime.date(2027, 1, 31),
        granted_by=personas.dt,
    )
    PEPFactory(child=other.child)
    sign_in(client, personas.delegate)
    assert client.get(f"/casework/delegated/{other.pk}/").status_code == 404
    response = _post(client, f"/casework/delegated/{other.pk}/", "activity", activity="Chess", starts_on="2026-12-01")
    assert response.status_code == 404 and not Activity.objects.exists()


@pytest.mark.parametrize("status", [PEPStatus.SIGNED_OFF, PEPStatus.READY])
def test_a_pep_ready_or_signed_off_cannot_be_changed_by_a_delegate(client, personas, case, status):
    PEP.objects.filter(pk=case["pep"].pk).update(status=status)
    sign_in(client, personas.delegate)
    page = client.get(case["url"]).content.decode()
    label = PEPStatus(status).label.lower()
    assert f"This PEP is {label}, so it cannot be changed now." in page
    assert "Save the views" not in page and "Add the target" not in page and "Old views" in page
    before = _saved_state(case)
    response = _post(client, case["url"], "views", childs_views="Changed", carers_views="Changed")
    assert response.status_code == 302
    assert f"This PEP is {label}, so it cannot be changed now." in client.get(response.url).content.decode()
    _post(client, case["url"], "target", **GOOD_TARGET)
    _post(client, case["url"], "activity", activity="Chess club", starts_on="2026-12-01")
    assert _saved_state(case) == before


def test_the_children_in_care_gate_stands_in_front_of_delegates(client, personas, case, monkeypatch):
    closed = gate.GateClosed(title="Children in Care policy", url="/policies/children-in-care/", version=3)
    monkeypatch.setattr("casework.gate.gate_for", lambda user, request=None: closed)
    sign_in(client, personas.delegate)
    for url in ("/casework/delegated/", case["url"]):
        response = client.get(url)
        assert response.status_code == 403 and 'href="/policies/children-in-care/?next=' in response.content.decode()
    assert _post(client, case["url"], "views", childs_views="Changed", carers_views="x").status_code == 403
    assert PEP.objects.get(pk=case["pep"].pk).childs_views == "Old views"


@pytest.mark.parametrize("who", ["staff", "governor", "dt", "dt_castle", "head", "admin", "nobody"])
def test_nobody_else_opens_the_delegate_screens(client, personas, case, who):
    sign_in(client, getattr(personas, who))
    assert client.get("/casework/delegated/").status_code == 404
    assert client.get(case["url"]).status_code == 404


def test_the_delegate_cannot_open_the_designated_teachers_casework(client, personas, case):
    sign_in(client, personas.delegate)
    child, pep = case["child"], case["pep"]
    for url in (
        "/casework/",
        f"/casework/children/{child.pk}/",
        f"/casework/peps/{pep.pk}/pdf/",
        f"/casework/children/{child.pk}/access-log/",
        f"/admin/casework/pep/edit/{pep.pk}/",
        "/admin/casework/delegation/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert b"Secretname" not in response.content


# Query counts


@pytest.mark.parametrize("size", [1, 6])
def test_the_list_takes_the_same_queries_whatever_the_number_of_delegations(
    client, personas, size, django_assert_num_queries
):
    add_terms(personas.brook, 2026)
    for _ in range(size):
        Delegation.objects.create(
            child=ChildFactory(school=personas.brook),
            delegate=personas.delegate,
            sections=["targets"],
            ends_on=datetime.date(2027, 1, 31),
            granted_by=personas.dt,
        )
    sign_in(client, personas.delegate)
    client.get("/")  # the first request opens the session
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/casework/delegated/")
    assert response.status_code == 200


# session, user, the delegations with their children and schools (one query), the policy gate (the Children in
# Care page: none published here), the audit event (savepoint, chain lock and last hash in one, insert, release), and
# the memberships for the page header.
LIST_QUERIES = 9


def test_needs_mfa_stays_one_query_and_counts_an_active_delegation(personas, case, django_assert_num_queries):
    for person, expected in ((personas.delegate, True), (personas.staff, False)):
        fresh = type(person).objects.get(pk=person.pk)
        forget_memberships(fresh)
        fresh._trust_current_memberships = list(fresh.memberships.all())  # memberships are loaded per request
        with django_assert_num_queries(1):
            assert needs_mfa(fresh) is expected
    case["delegation"].withdraw(personas.dt, "Finished")
    fresh = type(personas.delegate).objects.get(pk=personas.delegate.pk)
    fresh._trust_current_memberships = list(fresh.memberships.all())
    assert needs_mfa(fresh) is False


def test_a_delegate_without_totp_is_sent_to_enrol_and_other_staff_are_not(client, personas, case):
    newcomer = UserFactory(email="newmentor@symphony.example")
    MembershipFactory(user=newcomer, role=Role.STAFF, school=personas.brook)
    Delegation.objects.create(
        child=case["child"], delegate=newcomer, sections=["views"], ends_on=datetime.date(2027, 1, 31)
    )
    client.post("/accounts/login/", {"login": newcomer.email, "password": PASSWORD})
    response = client.get("/")
    assert response.status_code == 302 and response.url == "/accounts/2fa/totp/activate/"
    client.logout()
    client.post("/accounts/login/", {"login": personas.staff.email, "password": PASSWORD})
    assert client.get("/").status_code == 200


def test_the_dashboard_links_a_delegate_to_their_casework(client, personas, case):
    sign_in(client, personas.delegate)
    page = client.get("/").content.decode()
    assert "Casework you help with" in page and 'href="/casework/delegated/"' in page
    client.logout()
    sign_in(client, personas.staff)
    assert "Casework you help with" not in client.get("/").content.decode()


def test_a_pep_signed_off_while_the_delegate_was_typing_is_not_changed(client, personas, case, monkeypatch):
    stale = PEP.objects.get(pk=case["pep"].pk)  # as the delegate's page loaded it: in progress
    PEP.objects.filter(pk=stale.pk).update(status=PEPStatus.SIGNED_OFF)
    monkeypatch.setattr("casework.delegate_views.current_pep", lambda child: stale)
    sign_in(client, personas.delegate)
    response = _post(client, case["url"], "views", childs_views="Too late", carers_views="Too late")
    assert response.status_code == 302
    assert PEP.objects.get(pk=stale.pk).childs_views == "Old views"
    monkeypatch.undo()
    assert "This PEP is signed off, so it cannot be changed now." in client.get(response.url).content.decode()


@pytest.mark.parametrize("how", [None, "expired", "child left", "delegate left", "delegate deactivated", "withdrawn"])
def test_the_rule_and_its_queryset_twin_agree(personas, case, how):
    """Each ending on its own (one after another, the first would hide whether the twins see the rest)."""
    from casework.permissions import delegation_is_active

    if how:
        _end(case, personas, how)
    delegation = Delegation.objects.select_related("child", "delegate").get(pk=case["delegation"].pk)
    assert delegation_is_active(delegation) is (how is None), how
    assert Delegation.objects.active().filter(pk=delegation.pk).exists() is (how is None), how


def test_a_delegation_granted_mid_session_needs_mfa_at_the_next_page(client, personas, case):
    """The session's memory that a person needs no second factor (trust.middleware) ends with the grant."""
    newcomer = UserFactory(email="newmentor@symphony.example")
    MembershipFactory(user=newcomer, role=Role.STAFF, school=personas.brook)
    client.post("/accounts/login/", {"login": newcomer.email, "password": PASSWORD})
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 200  # remembered: no second factor needed
    Delegation.objects.create(
        child=case["child"], delegate=newcomer, sections=["views"], ends_on=datetime.date(2027, 1, 31)
    )
    response = client.get("/")
    assert response.status_code == 302 and response.url == "/accounts/2fa/totp/activate/"
