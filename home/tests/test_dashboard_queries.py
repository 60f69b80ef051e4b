"""The whole signed-in dashboard, every app's panels together, takes the same queries whatever the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import sign_in
from policy.acknowledgements import create_receipt
from policy.tests.factories import make_guidance, make_policy, publish_change
from policy.versions import current_version

pytestmark = pytest.mark.django_db


def dashboard_queries(client, person):
    sign_in(client, person)
    client.get("/")  # the first request opens the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries)


def add_policies(count, personas, start=0):
    for n in range(start, start + count):
        page = make_policy(f"Policy {n}", slug=f"policy-{n}")
        version = current_version(page)
        if n % 2:
            create_receipt(personas.staff, page, version, version.revision_id)
            publish_change(page, material=False)


@pytest.mark.parametrize("persona", ["staff", "governor", "dt", "head"])
def test_the_dashboard_takes_the_same_queries_with_two_or_twelve_policies(client, personas, persona):
    person = getattr(personas, persona)
    add_policies(2, personas)
    make_guidance(acknowledgement_required=True)
    few = dashboard_queries(client, person)
    add_policies(10, personas, start=2)
    make_guidance("The designated teacher for looked-after children", slug="dt-guidance", acknowledgement_required=True)
    client.logout()
    many = dashboard_queries(client, person)
    assert many == few, f"{persona}: {few} queries with 2 policies, {many} with 12"
