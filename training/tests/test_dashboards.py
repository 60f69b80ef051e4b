import pytest

from conftest import sign_in
from policy.tests.factories import make_policy
from training.tests.briefing_helpers import acknowledge, complete, staff_module

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    policy = make_policy("Children in Care policy")
    module = staff_module("Safeguarding essentials")
    acknowledge(personas.staff, policy)
    complete(personas.staff, module)
    return module


def test_the_admin_dashboard_shows_the_executive_head_briefing_completion(client, personas, world):
    sign_in(client, personas.head)
    html = client.get("/admin/").content.decode()
    assert "Briefing completion" in html
    assert "/briefing/" in html


def test_the_portal_dashboard_shows_a_governor_their_schools_completion(client, personas, world):
    sign_in(client, personas.governor)
    html = client.get("/").content.decode()
    assert "Briefing completion" in html and "of 3 people" in html


def test_the_portal_dashboard_shows_staff_their_training_to_do_and_not_the_briefing(client, personas, world):
    staff_module("First aid")
    sign_in(client, personas.staff)
    html = client.get("/").content.decode()
    assert "Your training" in html and "First aid" in html
    assert "Briefing completion" not in html


def test_a_designated_teacher_due_local_authority_training_is_told_on_their_dashboard(client, personas):
    from datetime import date

    from training.models import LocalAuthorityTraining

    LocalAuthorityTraining.objects.create(
        school=personas.castle,
        attendee=personas.dt_castle,
        course="Network",
        provider="Leicester Virtual School",
        attended_on=date.today(),
    )
    sign_in(client, personas.dt)
    html = client.get("/").content.decode()
    assert "Local Authority training due" in html and "no training recorded" in html
    client.logout()
    sign_in(client, personas.dt_castle)
    assert "Local Authority training due" not in client.get("/").content.decode()
