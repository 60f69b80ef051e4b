"""The casework home, a list that takes no parameters, is logged once a minute per person and address
(casework/audit.py `once_a_minute`): a refresh neither floods the case audit nor waits on the chain's lock,
and every person, every address and every minute still has its entry."""

import datetime

import pytest
import time_machine

from casework.enums import AuditAction
from casework.models import CaseAuditEvent
from conftest import sign_in

from .test_home_and_gate import acknowledge
from .test_home_kept import MONDAY, dt_client, gate_policy  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def home_entries(user):
    return CaseAuditEvent.objects.filter(user_id=user.pk, action=AuditAction.LIST, detail="casework home")


def test_a_refresh_within_the_minute_is_logged_once_and_the_next_minute_again(dt_client, personas):  # noqa: F811
    with time_machine.travel(MONDAY, tick=False):
        assert dt_client.get("/casework/").status_code == 200
        assert dt_client.get("/casework/").status_code == 200
        assert home_entries(personas.dt).count() == 1
    with time_machine.travel(MONDAY + datetime.timedelta(seconds=61), tick=False):
        assert dt_client.get("/casework/").status_code == 200
    assert home_entries(personas.dt).count() == 2
    assert CaseAuditEvent.objects.filter(action=AuditAction.LIST).count() == 2


def test_another_address_within_the_minute_has_its_own_entry(dt_client, personas):  # noqa: F811
    with time_machine.travel(MONDAY, tick=False):
        dt_client.get("/casework/", REMOTE_ADDR="192.0.2.10")
        dt_client.get("/casework/", REMOTE_ADDR="198.51.100.7")
    assert sorted(home_entries(personas.dt).values_list("ip", flat=True)) == ["192.0.2.10", "198.51.100.7"]


def test_another_person_within_the_minute_has_their_own_entry(dt_client, personas, gate_policy):  # noqa: F811
    with time_machine.travel(MONDAY, tick=False):
        assert dt_client.get("/casework/").status_code == 200
        dt_client.logout()
        sign_in(dt_client, personas.dt_castle)
        acknowledge(dt_client, gate_policy)
        assert dt_client.get("/casework/").status_code == 200
    assert home_entries(personas.dt).count() == 1
    assert home_entries(personas.dt_castle).count() == 1
