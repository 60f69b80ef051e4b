"""What the dashboard reads once for everyone (trust.personal_pages.kept_for_content: the live policies and
training modules, their versions, schools and audiences, the view restrictions, the site) is never out of date,
and never shows a person a page outside their audience.

Each test has one person read the dashboard first (so the content is kept), changes the content, then reads
the dashboard of someone who has never opened it (no copy of theirs exists) and of the first person again.
"""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from conftest import sign_in
from policy.tests.factories import make_policy, publish_change
from training.builders import build_module, ensure_training_index
from trust.enums import Role

pytestmark = pytest.mark.django_db

TITLE = "Zebracrossing supervision policy"
MODULE = "Zebracrossing restraint training"


def dashboard(client, person) -> str:
    client.logout()
    sign_in(client, person)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def kept(client, personas):
    """The staff member has read the dashboard: the content is kept for everyone."""
    make_policy("Children in Care policy")
    assert "Children in Care policy" in dashboard(client, personas.staff)


def test_a_new_policy_shows_at_once_to_someone_opening_the_dashboard_for_the_first_time(client, personas, kept):
    make_policy(TITLE)
    assert TITLE in dashboard(client, personas.governor)
    assert TITLE in dashboard(client, personas.staff)


def test_an_unpublished_policy_is_gone_at_once(client, personas, kept):
    page = make_policy(TITLE)
    assert TITLE in dashboard(client, personas.staff)
    page.unpublish()
    assert TITLE not in dashboard(client, personas.governor)
    assert TITLE not in dashboard(client, personas.staff)


def test_a_policys_schools_changing_shows_at_once(client, personas, kept):
    page = make_policy(TITLE, applies_to_all_schools=False, schools=[personas.brook])
    assert TITLE in dashboard(client, personas.staff)
    assert TITLE not in dashboard(client, personas.dt_castle)  # staff of castle
    publish_change(page, material=False, schools=[personas.castle])
    assert TITLE in dashboard(client, personas.dt_castle)
    assert TITLE not in dashboard(client, personas.staff)


def test_a_page_kept_for_everyone_is_shown_only_to_its_audience(client, personas):
    make_policy(TITLE, audience_roles=[Role.GOVERNOR])
    make_policy("Castle lettings policy", applies_to_all_schools=False, schools=[personas.castle])
    governor = dashboard(client, personas.governor)  # both pages are kept; the governor's audience has one
    assert TITLE in governor and "Castle lettings policy" not in governor
    staff = dashboard(client, personas.staff)
    assert TITLE not in staff and "Castle lettings policy" not in staff
    castle = dashboard(client, personas.dt_castle)
    assert TITLE not in castle and "Castle lettings policy" in castle


def test_a_view_restriction_added_hides_the_page_at_once(client, personas, kept):
    page = make_policy(TITLE)
    leads = Group.objects.create(name="Safeguarding leads")
    assert TITLE in dashboard(client, personas.staff)
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(leads)
    assert TITLE not in dashboard(client, personas.governor)
    assert TITLE not in dashboard(client, personas.staff)
    personas.governor.groups.add(leads)
    assert TITLE in dashboard(client, personas.governor)


def test_a_new_training_module_and_one_withdrawn_show_at_once(client, personas, kept):
    module = build_module(ensure_training_index(), MODULE, roles=[Role.STAFF])
    assert MODULE in dashboard(client, personas.staff)
    assert MODULE not in dashboard(client, personas.governor)  # not in its audience
    module.unpublish()
    assert MODULE not in dashboard(client, personas.staff)
