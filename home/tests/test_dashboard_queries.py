"""The whole signed-in dashboard, every app's panels together, takes the same queries whatever the data.

What is measured is a person's dashboard built afresh (no kept copy of theirs: their first visit of the
morning), once the site's content has been read for everyone (trust.personal_pages.kept_for_content).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import sign_in
from policy.acknowledgements import create_receipt
from policy.tests.factories import make_guidance, make_policy, publish_change
from policy.versions import current_version
from training.builders import build_module, ensure_training_index
from trust.enums import Role
from trust.personal_pages import renew_person

pytestmark = pytest.mark.django_db

# The session and the user; the person's memberships, receipts and training completions. Nothing of the site, its
# pages, versions or view restrictions; nothing of casework for someone with no share or delegation (who has one
# is kept for everyone under the casework generation: casework/panels.py).
STAFF_FRESH_QUERIES = 5


def fresh_dashboard_queries(client, person):
    sign_in(client, person)
    client.get("/")  # the first request opens the session
    client.get("/")  # the site's content is read (for everyone) and the person's copy kept
    renew_person(person.pk)  # so the next is built afresh, as a person's first visit is
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
    few = fresh_dashboard_queries(client, person)
    add_policies(10, personas, start=2)
    make_guidance("The designated teacher for looked-after children", slug="dt-guidance", acknowledgement_required=True)
    client.logout()
    many = fresh_dashboard_queries(client, person)
    assert many == few, f"{persona}: {few} queries with 2 policies, {many} with 12"


def test_a_staff_members_first_dashboard_reads_only_their_own_records(client, personas):
    add_policies(12, personas)
    make_guidance(acknowledgement_required=True)
    build_module(ensure_training_index(), "Restraint and reasonable force", roles=[Role.STAFF])
    assert fresh_dashboard_queries(client, personas.staff) == STAFF_FRESH_QUERIES
    html = client.get("/").content.decode()
    assert "Policy 11" in html and "Policy 0" in html and "Restraint and reasonable force" in html
