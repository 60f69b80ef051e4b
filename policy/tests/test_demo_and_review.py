from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import sign_in
from policy import demo
from policy.models import GuidancePage, PolicyPage, PolicyVersion, ReadReceipt
from policy.reviews import pages_due_for_review
from policy.tests.factories import make_policy
from policy.versions import current_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_trust(db):
    from trust import demo as trust_demo

    trust_demo.load()
    demo.load()


def test_the_demo_policy_has_two_versions_the_second_material_with_a_check(demo_trust):
    page = PolicyPage.objects.get(slug="children-in-care")
    versions = list(PolicyVersion.objects.filter(page_id=page.pk).order_by("pk"))
    assert [(v.number, v.is_material) for v in versions] == [(1, True), (2, True)]
    assert 2 <= len(page.comprehension_check) <= 3
    headings = [b.value for b in page.body if b.block_type == "heading"]
    assert headings == ["Aim", "Delivery", "Training", "Inclusion", "Equality Statement"]
    assert GuidancePage.objects.live().count() == 3


def test_about_half_the_demo_staff_have_acknowledged_the_current_version(demo_trust):
    page = PolicyPage.objects.get(slug="children-in-care")
    version = current_version(page)
    readers = set(ReadReceipt.objects.filter(page_id=page.pk, version_number=version.number).values_list("user__email", flat=True))
    assert "staff1.brook@symphony.example" in readers and "dt.meadow@symphony.example" in readers
    assert "staff12.brook@symphony.example" not in readers and "dt.castle@symphony.example" not in readers
    assert len(readers) == 20


def test_loading_the_demo_again_changes_nothing(demo_trust):
    counts = (PolicyPage.objects.count(), PolicyVersion.objects.count(), ReadReceipt.objects.count())
    demo.load()
    assert (PolicyPage.objects.count(), PolicyVersion.objects.count(), ReadReceipt.objects.count()) == counts


def test_a_demo_reader_of_version_one_sees_what_changed(client, demo_trust):
    from django.contrib.auth import get_user_model

    person = get_user_model().objects.get(email="staff7.brook@symphony.example")
    page = PolicyPage.objects.get(slug="children-in-care")
    sign_in(client, person)
    html = client.get(page.url + "changes/").content.decode()
    assert "<ins>" in html and "school" in html


def test_policies_due_for_review_within_28_days_or_overdue_are_listed(personas):
    today = timezone.localdate()
    soon = make_policy("Soon", slug="soon", next_review=today + timedelta(days=10))
    overdue = make_policy("Overdue", slug="overdue", next_review=today - timedelta(days=1))
    make_policy("Later", slug="later", next_review=today + timedelta(days=90))
    assert [p.pk for p in pages_due_for_review()] == [overdue.pk, soon.pk]


def test_the_admin_dashboard_shows_the_review_panel_to_the_executive_head(client, personas):
    make_policy("Soon", slug="soon", next_review=timezone.localdate() + timedelta(days=3))
    sign_in(client, personas.head)
    html = client.get("/admin/").content.decode()
    assert "Policies and guidance due for review" in html and "Soon" in html


def test_owners_and_the_executive_head_get_one_review_reminder_each(personas, django_capture_on_commit_callbacks):
    from django.core import mail
    from django.core.management import call_command

    today = timezone.localdate()
    soon = make_policy("Soon", slug="soon", next_review=today + timedelta(days=10))
    make_policy("Overdue", slug="overdue", next_review=today - timedelta(days=1))
    make_policy("Later", slug="later", next_review=today + timedelta(days=90))
    soon.owner = personas.dt
    soon.save()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_policy_reviews", stdout=open("/dev/null", "w"))  # noqa: SIM115
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {personas.head.email, personas.dt.email}
    head_mail = by_person[personas.head.email].body
    assert "Overdue: review was due" in head_mail and "Soon: review due" in head_mail and "Later" not in head_mail
    assert "Overdue" not in by_person[personas.dt.email].body
    assert f"/admin/pages/{soon.pk}/edit/" in by_person[personas.dt.email].body
