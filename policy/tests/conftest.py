import pytest

from policy.tests.factories import QUESTIONS, make_policy, publish_change


@pytest.fixture
def policy(personas):
    """A published policy (version 1) for staff, governors and designated teachers of every school."""
    return make_policy()


@pytest.fixture
def checked_policy(policy, personas):
    """Version 2: a material change with a two-question comprehension check, published by the head."""
    page, _ = publish_change(policy, material=True, summary="Added a check.", questions=QUESTIONS, user=personas.head)
    return page


def acknowledge_url(page):
    return page.url + "acknowledge/"
