"""Care episodes in the admin and on the child's page: a new episode restarts the initial PEP and the statutory
review schedule; another school's child is out of reach."""

import datetime

import pytest
import time_machine

from casework.models import CareEpisode
from conftest import sign_in

from .factories import ChildFactory, ReviewFactory, add_terms

pytestmark = pytest.mark.django_db

CREATE = "/admin/casework/careepisode/create/"


@pytest.fixture(autouse=True)
def frozen_day():
    with time_machine.travel(datetime.datetime(2026, 11, 30, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def child(personas):
    add_terms(personas.brook, 2025)
    add_terms(personas.brook, 2026)
    child = ChildFactory(
        school=personas.brook,
        legal_first_name="Ada",
        entered_care_on=datetime.date(2025, 6, 1),
        started_on=datetime.date(2025, 9, 3),
        pep_before_portal_on=datetime.date(2026, 10, 1),
    )
    ReviewFactory(child=child, held_on=datetime.date(2025, 6, 20))
    return child


def _page(client, child):
    response = client.get(f"/casework/children/{child.pk}/")
    assert response.status_code == 200
    return response


def _by_label(response, label):
    return next(d for d in response.context["deadlines"] if d.label.startswith(label))


def test_a_second_episode_restarts_the_review_schedule_and_the_initial_pep_on_the_child_page(client, personas, child):
    sign_in(client, personas.dt)
    before = _page(client, child)
    assert [row["label"] for row in before.context["review_schedule"]] == [
        "First statutory review",
        "Second statutory review",
    ]
    assert "Statutory review overdue" in _by_label(before, "Second statutory review").flags
    assert not any(d.label == "Initial PEP" for d in before.context["deadlines"])
    assert "Record a new care episode" in before.content.decode()

    form = client.get(f"{CREATE}?child={child.pk}")
    assert form.status_code == 200 and "Entered care on" in form.content.decode()
    response = client.post(f"{CREATE}?child={child.pk}", {"child": child.pk, "entered_on": "2026-11-16", "left_on": ""})
    assert response.status_code == 302 and response["Location"] == f"/casework/children/{child.pk}/"

    episodes = list(CareEpisode.objects.filter(child=child).values_list("entered_on", "left_on"))
    assert episodes == [
        (datetime.date(2025, 6, 1), datetime.date(2026, 11, 15)),
        (datetime.date(2026, 11, 16), None),
    ]
    child.refresh_from_db()
    assert child.entered_care_on == datetime.date(2026, 11, 16)
    after = _page(client, child)
    page = after.content.decode()
    assert "In care from 16 Nov 2026</a> (current: the initial PEP and statutory reviews count from here)" in page
    assert "In care from 1 Jun 2025 to 15 Nov 2026</a>" in page
    # The earlier episode's review no longer counts: the first review is due 20 working days after 16 Nov.
    assert [(row["label"], row["due_on"]) for row in after.context["review_schedule"]] == [
        ("First statutory review", datetime.date(2026, 12, 14))
    ]
    # The PEP from the earlier episode no longer meets the initial PEP: 20 school days from entering care again.
    initial = _by_label(after, "Initial PEP")
    assert (initial.due_on, initial.flags) == (datetime.date(2026, 12, 14), [])


def test_another_schools_child_is_refused(client, personas, child):
    castle_child = ChildFactory(school=personas.castle, legal_first_name="Cy")
    theirs = castle_child.care_episodes.get()
    sign_in(client, personas.dt)  # brook and meadow
    assert client.get(f"{CREATE}?child={castle_child.pk}").status_code == 404
    assert client.get(f"/admin/casework/careepisode/edit/{theirs.pk}/").status_code == 404
    response = client.post(CREATE, {"child": castle_child.pk, "entered_on": "2026-11-16", "left_on": ""})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert CareEpisode.objects.filter(child=castle_child).count() == 1
    castle_child.refresh_from_db()
    assert castle_child.entered_care_on == datetime.date(2025, 6, 1)


def test_an_overlapping_or_backwards_episode_is_refused_with_a_message(client, personas, child):
    sign_in(client, personas.dt)
    url = f"{CREATE}?child={child.pk}"
    response = client.post(url, {"child": child.pk, "entered_on": "2025-01-01", "left_on": "2025-07-01"})
    assert "This overlaps In care from 1 Jun 2025: a child is in care once at a time." in response.content.decode()
    response = client.post(url, {"child": child.pk, "entered_on": "2024-05-01", "left_on": "2024-04-01"})
    assert "The day the child left care cannot be before the day they entered it." in response.content.decode()
    assert CareEpisode.objects.filter(child=child).count() == 1
    # An earlier episode that ends before this one is history: the current episode stays current.
    response = client.post(url, {"child": child.pk, "entered_on": "2024-01-10", "left_on": "2024-04-01"})
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.entered_care_on == datetime.date(2025, 6, 1)


@pytest.mark.parametrize("persona", ["staff", "governor", "head", "admin", "dt_castle"])
def test_nobody_else_records_an_episode(client, personas, child, persona):
    sign_in(client, getattr(personas, persona))
    response = client.post(f"{CREATE}?child={child.pk}", {"child": child.pk, "entered_on": "2026-11-16"})
    assert response.status_code in (302, 403, 404)
    assert CareEpisode.objects.filter(child=child).count() == 1
    child.refresh_from_db()
    assert child.entered_care_on == datetime.date(2025, 6, 1)


def test_an_episode_is_never_deleted(client, personas, child):
    sign_in(client, personas.dt)
    episode = child.care_episodes.get()
    assert client.post(f"/admin/casework/careepisode/delete/{episode.pk}/").status_code in (302, 403)
    assert CareEpisode.objects.filter(pk=episode.pk).exists()
