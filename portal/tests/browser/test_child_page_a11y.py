"""The child's page (the plan) in a real browser: axe-core finds no serious or critical violation, with the
demo's fullest child (a PEP with targets, progress, an activity, a shared recommendation, linked plans,
reviews, placements and the people around the child)."""

import pytest

from portal.tests.browser.conftest import assert_accessible
from portal.tests.browser.test_policy_journeys import demo, sign_in  # noqa: F401 - `demo` is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_childs_page_is_accessible(page, demo):  # noqa: F811
    from casework.models import Child

    child = Child.objects.filter(school__slug="brook", peps__targets__isnull=False, placements__isnull=False).first()
    assert child is not None, "the demo has no child with a plan and a placement at brook"
    sign_in(page, "dt.brook@symphony.example", totp=True)
    response = page.goto(f"/casework/children/{child.pk}/")
    assert response.status == 200
    assert page.get_by_role("heading", name="People around the child").is_visible()
    assert page.get_by_role("heading", name="SMART targets").is_visible()
    assert_accessible(page)
