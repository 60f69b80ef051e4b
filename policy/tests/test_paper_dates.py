"""A paper acknowledgement is dated within the version's life: not before it was published, not after today."""

import datetime as dt

import pytest
import time_machine

from conftest import sign_in
from policy.models import ReadReceipt
from policy.tests.factories import make_policy, publish_change

pytestmark = pytest.mark.django_db

URL = "/policies/receipts/record-on-paper/"
PUBLISHED = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
VERSION_2 = dt.datetime(2026, 11, 16, 9, 0, tzinfo=dt.UTC)
TODAY = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def policy(personas):
    with time_machine.travel(PUBLISHED, tick=False):
        page = make_policy()
    with time_machine.travel(VERSION_2, tick=False):
        page, _ = publish_change(page, material=True, summary="New section on virtual school heads.")
    return page


def record(client, personas, policy, signed_on):
    sign_in(client, personas.admin)
    return client.post(
        URL,
        {
            "email": personas.governor.email,
            "page": policy.pk,
            "signed_on": signed_on,
            "reason": "Signed at the governors' meeting.",
            "seen_paper": "on",
        },
    )


RANGE = "Enter a date from 16 November 2026 (when version 2 of “Children in Care policy” was published) to today, 25 November 2026."


@pytest.mark.parametrize("signed_on", ["2026-11-15", "2026-11-02", "2026-11-26", "2027-01-01"])
def test_a_date_before_the_version_or_after_today_is_refused_naming_the_range(client, personas, policy, signed_on):
    with time_machine.travel(TODAY, tick=False):
        response = record(client, personas, policy, signed_on)
    assert response.status_code == 200
    assert RANGE in response.content.decode()
    assert not ReadReceipt.objects.exists()


@pytest.mark.parametrize("signed_on", ["2026-11-16", "2026-11-25"])
def test_the_first_and_last_days_of_the_range_are_accepted(client, personas, policy, signed_on):
    with time_machine.travel(TODAY, tick=False):
        response = record(client, personas, policy, signed_on)
    assert response.status_code == 302
    receipt = ReadReceipt.objects.get()
    assert (str(receipt.signed_on), receipt.version_number) == (signed_on, 2)


def test_without_a_page_chosen_a_future_date_is_still_refused(client, personas, policy):
    with time_machine.travel(TODAY, tick=False):
        sign_in(client, personas.admin)
        response = client.post(URL, {"email": personas.governor.email, "signed_on": "2026-12-01", "reason": "r"})
    html = response.content.decode()
    assert "The date signed cannot be in the future: enter today, 25 November 2026, or earlier." in html
