"""A fresh demo is searchable before any task worker has run (issue 18, item 3)."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from conftest import sign_in

pytestmark = pytest.mark.django_db

# As in production: indexing on save is only queued, in the database, for a worker that has not run yet.
QUEUED_ONLY = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_staff_member_finds_the_demo_policy_right_after_load_demo(client):
    from django.contrib.auth import get_user_model

    with override_settings(TASKS=QUEUED_ONLY):
        call_command("load_demo", stdout=io.StringIO())
    staff = get_user_model().objects.get(email="staff1.brook@symphony.example")
    sign_in(client, staff)
    response = client.get("/search/", {"q": "Personal Education Plan"})
    assert response.status_code == 200
    titles = [item["page"].title for item in response.context["items"]]
    assert any("Children in Care" in title for title in titles), titles


def test_make_run_settings_run_queued_tasks_at_once():
    from portal.settings import dev

    assert dev.TASKS["default"]["BACKEND"] == "django_tasks.backends.immediate.ImmediateBackend"
