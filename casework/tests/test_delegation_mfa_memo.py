"""A delegation that becomes active through its child, not through itself or its delegate, needs MFA at once.

The session remembers that a person needs no second factor (trust.middleware._known_not_to_need_mfa). A
delegation whose child has left gives no way in, so its delegate needs none; when the child's leaving date is
cleared (a correction, or the child coming back), the delegation is active again with no change to the
delegation or to the person: the next page must ask for the second factor, not the remembered answer.
"""

import datetime

import pytest
import time_machine

from casework.models import Delegation
from trust.enums import Role
from trust.tests.factories import PASSWORD, MembershipFactory, UserFactory

from .factories import ChildFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC)
ENROL = "/accounts/2fa/totp/activate/"


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_delegation_made_active_by_its_childs_return_needs_mfa_at_the_next_page(client, personas):
    mentor = UserFactory(email="returning.mentor@symphony.example")
    MembershipFactory(user=mentor, role=Role.STAFF, school=personas.brook)
    child = ChildFactory(school=personas.brook, left_on=datetime.date(2026, 11, 1))
    Delegation.objects.create(child=child, delegate=mentor, sections=["views"], ends_on=datetime.date(2027, 1, 31))
    client.post("/accounts/login/", {"login": mentor.email, "password": PASSWORD})
    assert client.get("/").status_code == 200  # the child has left: the delegation gives no way in
    assert client.get("/").status_code == 200  # and the session now remembers that no second factor is needed

    child.left_on = None
    child.save()

    response = client.get("/")
    assert response.status_code == 302 and response.url == ENROL
