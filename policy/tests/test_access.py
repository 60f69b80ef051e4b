"""Who may open a policy or guidance page: its audience (and its editors); everyone else gets 404."""

from datetime import date

import pytest

from conftest import sign_in
from policy.audience import is_in_audience, members_of, outstanding_for, page_ids_for, pages_for, status_for
from policy.tests.factories import make_guidance, make_policy
from trust.enums import Role
from trust.school_days import add_working_days
from trust.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_a_policy_for_one_school_is_not_found_by_staff_of_another(client, personas):
    page = make_policy("Brook only", slug="brook-only", applies_to_all_schools=False)
    page.schools.set([personas.brook])
    page.save()
    assert is_in_audience(personas.staff, page)
    assert not is_in_audience(personas.dt_castle, page)
    sign_in(client, personas.dt_castle)
    assert client.get(page.url).status_code == 404
    for route in ("versions/", f"versions/{page.live_revision_id}/", "changes/"):
        assert client.get(page.url + route).status_code == 404
    assert client.post(page.url + "acknowledge/", {"statement": "on"}).status_code == 404
    client.logout()
    sign_in(client, personas.staff)
    assert client.get(page.url).status_code == 200


def test_a_policy_for_governors_only_is_not_found_by_staff(client, personas):
    page = make_policy("Governors only", slug="governors-only", audience_roles=[Role.GOVERNOR])
    sign_in(client, personas.staff)
    assert client.get(page.url).status_code == 404
    assert page not in pages_for(personas.staff)
    assert page in pages_for(personas.governor)


def test_a_role_in_one_school_does_not_open_another_schools_policy_for_that_role(personas):
    person = personas.staff
    MembershipFactory(user=person, role=Role.GOVERNOR, school=personas.meadow)
    page = make_policy("Brook governors", slug="brook-governors", applies_to_all_schools=False,
                       audience_roles=[Role.GOVERNOR])
    page.schools.set([personas.brook])
    page.save()
    from trust.access import forget_memberships

    forget_memberships(person)
    assert not is_in_audience(person, page)


def test_an_unpublished_policy_is_not_found(client, personas):
    page = make_policy("Draft", slug="draft", publish_it=False)
    sign_in(client, personas.staff)
    assert client.get("/policies/draft/").status_code == 404
    assert page not in pages_for(personas.staff)


def test_an_unknown_policy_address_is_not_found(client, personas):
    sign_in(client, personas.staff)
    assert client.get("/policies/no-such-policy/").status_code == 404
    assert client.get("/policies/no-such-policy/versions/").status_code == 404


def test_someone_with_no_role_sees_no_policies(client, policy, personas):
    sign_in(client, personas.nobody)
    assert client.get(policy.url).status_code == 404
    assert pages_for(personas.nobody) == []
    assert "Children in Care policy" not in client.get("/policies/").content.decode()


def test_the_executive_head_reads_a_policy_he_may_edit_without_being_asked_to_acknowledge(client, policy, personas):
    sign_in(client, personas.head)
    response = client.get(policy.url)
    assert response.status_code == 200
    assert "I have read and understood" not in response.content.decode()


def test_the_audience_as_a_queryset_agrees_with_the_predicate(policy, personas):
    members = set(members_of(policy))
    for person in personas.all().values():
        assert (person in members) == is_in_audience(person, policy)


def test_search_may_ask_which_pages_a_person_may_open(policy, personas):
    assert policy.pk in page_ids_for(personas.staff)
    assert page_ids_for(personas.nobody) == set()


def test_guidance_is_for_information_unless_the_editor_asks_for_acknowledgement(personas):
    info = make_guidance()
    required = make_guidance("Designated teacher guidance", slug="dt-guidance", acknowledgement_required=True)
    assert not status_for(personas.staff, info).outstanding
    assert status_for(personas.staff, required).outstanding


def test_working_days_skip_weekends_and_england_bank_holidays():
    # Thursday 2 April 2026; Good Friday 3 April and Easter Monday 6 April are bank holidays.
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert add_working_days(date(2026, 4, 2), 3) == date(2026, 4, 9)


def test_a_new_starter_is_given_working_days_from_joining(time_machine, personas):
    time_machine.move_to("2026-03-02 09:00")
    page = make_policy("Starters", slug="starters")
    starter = MembershipFactory(role=Role.STAFF, school=personas.brook, started_on=date(2026, 6, 1)).user
    status = status_for(starter, page)
    assert status.due_on == add_working_days(date(2026, 6, 1), page.new_starter_working_days)
    assert status_for(personas.staff, page).due_on == date(2026, 3, 16)


def test_outstanding_is_listed_soonest_due_first(time_machine, personas):
    time_machine.move_to("2026-03-02 09:00")
    make_policy("Later", slug="later", acknowledge_within_working_days=20)
    make_policy("Sooner", slug="sooner", acknowledge_within_working_days=5)
    assert [s.page.title for s in outstanding_for(personas.staff)] == ["Sooner", "Later"]


def test_the_policy_list_shows_each_of_the_persons_policies_with_their_status(client, policy, personas):
    sign_in(client, personas.staff)
    html = client.get("/policies/").content.decode()
    assert "Children in Care policy" in html and "To acknowledge" in html


def test_the_guidance_list_and_a_guidance_page_open_for_the_audience(client, personas):
    guidance = make_guidance()
    sign_in(client, personas.governor)
    listing = client.get("/guidance/").content.decode()
    assert guidance.title in listing and "For information" in listing
    page = client.get(guidance.url).content.decode()
    assert guidance.link_url in page
    assert "I have read and understood" not in page


def test_the_executive_head_finds_policies_he_edits_but_is_not_asked_to_read(client, policy, personas):
    sign_in(client, personas.head)
    html = client.get("/policies/").content.decode()
    assert "Others you edit" in html and "Children in Care policy" in html
