"""Who has a shared recommendation or a delegation to show is kept for everyone under the casework generation
(casework/panels.py), so most people's dashboards ask nothing of casework; a share or delegation given to them,
or withdrawn, still shows at once, and one person's never shows on another's dashboard."""

import datetime

import pytest
import time_machine
from django.test import Client

from casework.models import Delegation, SharedRecommendation
from casework.tests.factories import ChildFactory, PEPFactory, add_terms
from conftest import sign_in

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 10, 5, 22, 50, tzinfo=datetime.UTC)  # 23:50 in London: the day turns in ten minutes
SHARES = "Recommendations shared with you"
DELEGATIONS = "Casework you help with"


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def pep(personas):
    add_terms(personas.brook, 2026)
    return PEPFactory(child=ChildFactory(school=personas.brook, preferred_name="Jazz"))


def dashboard(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def signed_in(person) -> Client:
    client = Client()
    sign_in(client, person)
    dashboard(client)  # what is kept for everyone is read
    return client


def share(pep, personas, person):
    return SharedRecommendation.objects.create(
        pep=pep, recommendation="Give a movement break after lunch", shared_with=person, shared_by=personas.dt
    )


def test_a_withdrawn_share_is_gone_at_once_and_anothers_share_never_shows(personas, pep):
    mine = share(pep, personas, personas.staff)
    staff, other = signed_in(personas.staff), signed_in(personas.delegate)
    assert SHARES in dashboard(staff) and SHARES not in dashboard(other)
    share(pep, personas, personas.delegate)
    assert SHARES in dashboard(other)
    mine.withdrawn_at = NOW
    mine.save()
    assert SHARES not in dashboard(staff) and SHARES in dashboard(other)


def test_a_delegation_shows_at_once_and_goes_when_withdrawn_or_ended(personas, pep):
    delegate = signed_in(personas.delegate)
    assert DELEGATIONS not in dashboard(delegate)
    delegation = Delegation.objects.create(
        child=pep.child,
        delegate=personas.delegate,
        sections=["targets"],
        ends_on=datetime.date(2026, 10, 5),
        granted_by=personas.dt,
    )
    assert DELEGATIONS in dashboard(delegate)
    assert DELEGATIONS not in dashboard(signed_in(personas.staff))  # someone else's
    with time_machine.travel(NOW + datetime.timedelta(minutes=20), tick=False):
        assert DELEGATIONS not in dashboard(delegate)  # ended yesterday
    assert DELEGATIONS in dashboard(delegate)
    delegation.withdraw(personas.dt, "No longer needed")
    assert DELEGATIONS not in dashboard(delegate)
