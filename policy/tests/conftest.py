import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from conftest import enrol_totp
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


@pytest.fixture
def approver(personas):
    """The trust's director of education, in the "Policy approvers" group (like the demo's approver)."""
    from trust.tests.factories import UserFactory

    user = UserFactory(email="approver@symphony.example")
    user.groups.add(Group.objects.get(name="Policy approvers"))
    enrol_totp(user)
    return user


def acknowledge_url(page):
    """Where the page's acknowledgement form posts."""
    return reverse("policy_acknowledge", args=[page.pk])


def page_acknowledge_url(page):
    """The page's own acknowledge/ route, kept for anything that links to it."""
    return page.url + "acknowledge/"
