"""Training module versions: a material change means everyone completes the module again; a minor one does not."""

import pytest
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

from conftest import sign_in
from training.briefing import build_report
from training.models import TrainingCompletion, TrainingVersion
from training.tests.briefing_helpers import complete
from training.versions import current_number

pytestmark = pytest.mark.django_db


def publish_change(module, *, material, summary="Changed.", user=None):
    module = type(module).objects.get(pk=module.pk)
    module.change_is_material = material
    module.change_summary = summary
    revision = module.save_revision(user=user)
    revision.publish(user=user)
    module.refresh_from_db()
    return module


def brook_module_item(module, personas):
    brook = next(e for e in build_report().schools if e.school == personas.brook)
    return next(i for i in brook.by_item if i.requirement.page_id == module.pk).figure


def test_the_first_publication_is_version_1(make_module):
    module = make_module("Fire safety")
    version = TrainingVersion.objects.get(page=module)
    assert (version.number, version.is_material, version.revision_id) == (1, True, module.live_revision_id)
    assert current_number(module) == 1


def test_a_minor_change_keeps_the_version_and_completions_stand(client, personas, make_module):
    module = make_module("Fire safety")
    complete(personas.staff, module)
    module = publish_change(module, material=False, summary="Typo.")
    assert current_number(module) == 1
    assert list(TrainingVersion.objects.filter(page=module).values_list("number", "is_material")) == [
        (1, True),
        (1, False),
    ]
    assert brook_module_item(module, personas).done == 1
    sign_in(client, personas.staff)
    html = client.get(module.url).content.decode()
    assert "Completed version 1" in html and "needs completing" not in html


def test_a_material_change_means_the_person_completes_the_module_again(client, personas, make_module):
    module = make_module("Fire safety")
    first = complete(personas.staff, module).receipt
    assert first.version_number == 1
    assert brook_module_item(module, personas).done == 1

    module = publish_change(module, material=True, summary="New fire drill.")
    assert current_number(module) == 2
    assert brook_module_item(module, personas).done == 0

    sign_in(client, personas.staff)
    html = client.get(module.url).content.decode()
    assert "You completed version 1" in html and "version 2 needs completing" in html
    assert "Mark as complete" in html
    index = client.get("/training/").content.decode()
    assert "Completed version 1; version 2 needs completing" in index
    dashboard = client.get("/").content.decode()
    assert "completed version 1; version 2 needs completing" in dashboard

    response = client.post(module.url, {"revision": module.live_revision_id, "confirm": "on"})
    assert response.status_code == 302
    second = TrainingCompletion.objects.get(user=personas.staff, page=module, version_number=2)
    first.refresh_from_db()
    assert first.version_number == 1 and first.revision_id != second.revision_id  # the first receipt stands
    assert brook_module_item(module, personas).done == 1
    assert "needs completing" not in client.get(module.url).content.decode()


def test_completing_the_current_version_twice_leaves_one_receipt(personas, make_module):
    module = make_module("Fire safety")
    module = publish_change(module, material=True)
    first = complete(personas.staff, module)
    again = complete(personas.staff, module)
    assert first.created and not again.created and again.receipt == first.receipt
    assert TrainingCompletion.objects.filter(user=personas.staff, page=module).count() == 1


def test_an_unanswered_material_question_counts_as_material(make_module):
    module = make_module("Fire safety")
    module = publish_change(module, material=None)
    assert current_number(module) == 2


def test_publishing_records_who_published(personas, make_module):
    module = make_module("Fire safety")
    module = publish_change(module, material=True, user=personas.head)
    assert TrainingVersion.objects.filter(page=module).latest().published_by == personas.head


def test_a_scheduled_publication_is_recorded_when_it_goes_live(personas, make_module):
    import io
    from datetime import timedelta

    import time_machine
    from django.core.management import call_command
    from django.utils import timezone

    module = make_module("Fire safety")
    module = type(module).objects.get(pk=module.pk)
    module.change_is_material = True
    module.go_live_at = timezone.now() + timedelta(days=1)
    scheduled = module.save_revision()
    scheduled.publish()
    assert TrainingVersion.objects.filter(page=module).count() == 1  # not yet: it is not live

    with time_machine.travel(timezone.now() + timedelta(days=2)):
        call_command("publish_scheduled", stdout=io.StringIO())
    module.refresh_from_db()
    assert module.live_revision_id == scheduled.pk
    version = TrainingVersion.objects.filter(page=module).latest()
    assert (version.number, version.revision_id) == (2, scheduled.pk)


def edit_form(client, module):
    response = client.get(f"/admin/pages/{module.pk}/edit/")
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    streams = nested_form_data(
        {
            "body": streamfield([("paragraph", rich_text("<p>Know the fire exits.</p>"))]),
            "comprehension_check": streamfield([]),
        }
    )
    for key, value in streams.items():
        data[key] = value
    if "is_required" in data:
        data["is_required"] = "on"
    return data


def test_publishing_in_the_editor_without_saying_whether_the_change_is_material_is_refused(
    client, personas, make_module
):
    module = make_module("Fire safety")
    sign_in(client, personas.head)
    data = edit_form(client, module)
    data["action-publish"] = "action-publish"
    response = client.post(f"/admin/pages/{module.pk}/edit/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Say whether this is a material change or a minor change." in html
    assert "Describe what changed, in a sentence or two." in html
    assert TrainingVersion.objects.filter(page=module).count() == 1


@pytest.mark.parametrize(("material", "number"), [("True", 2), ("False", 1)])
def test_the_publisher_chooses_material_or_minor_in_the_editor(client, personas, make_module, material, number):
    module = make_module("Fire safety")
    sign_in(client, personas.head)
    data = edit_form(client, module)
    data["change_is_material"] = material
    data["change_summary"] = "Added the new assembly point."
    data["action-publish"] = "action-publish"
    response = client.post(f"/admin/pages/{module.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    version = TrainingVersion.objects.filter(page=module).latest()
    assert (version.number, version.change_summary, version.published_by) == (
        number,
        "Added the new assembly point.",
        personas.head,
    )
    # The next publication asks afresh.
    assert 'value="True" checked' not in client.get(f"/admin/pages/{module.pk}/edit/").content.decode()


def test_the_data_migration_records_version_1_for_modules_published_before_versions(personas, make_module):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("training.migrations.0005_existing_modules_version_1")
    module = make_module("Fire safety")
    receipt = complete(personas.staff, module).receipt
    TrainingVersion.objects.filter(page=module).delete()  # as before versions were recorded
    unpublished = make_module("Draft", publish=False)

    migration.record_version_1(apps, None)
    migration.record_version_1(apps, None)  # running twice records nothing more

    version = TrainingVersion.objects.get(page=module)
    assert (version.number, version.is_material, version.revision_id) == (1, True, module.live_revision_id)
    assert version.published_at == module.first_published_at
    assert not TrainingVersion.objects.filter(page=unpublished).exists()
    assert receipt.version_number == 1 and brook_module_item(module, personas).done == 1


def test_a_module_nobody_has_done_can_still_be_deleted_with_its_versions(client, personas, make_module):
    from training.models import TrainingModulePage

    module = make_module("Fire safety")
    personas.admin.is_superuser = True  # someone allowed to delete pages
    personas.admin.save()
    sign_in(client, personas.admin)
    assert client.get(f"/admin/pages/{module.pk}/delete/").status_code == 200
    response = client.post(f"/admin/pages/{module.pk}/delete/")
    assert response.status_code == 302
    assert not TrainingModulePage.objects.filter(pk=module.pk).exists()
    assert not TrainingVersion.objects.filter(page_id=module.pk).exists()


def test_a_completed_module_is_kept_as_evidence_with_a_clear_message(client, personas, make_module):
    from training.models import TrainingModulePage

    module = make_module("Fire safety")
    complete(personas.staff, module)
    personas.admin.is_superuser = True
    personas.admin.save()
    sign_in(client, personas.admin)
    response = client.post(f"/admin/pages/{module.pk}/delete/", follow=True)
    assert response.status_code == 200
    assert "kept as evidence" in response.content.decode()
    assert TrainingModulePage.objects.filter(pk=module.pk).exists()


def test_after_a_material_change_people_are_not_overdue_until_the_new_version_has_been_out_long_enough(
    personas, make_module
):
    import datetime

    import time_machine

    from training.reminders import outstanding_people

    with time_machine.travel(datetime.datetime(2026, 9, 1, 9, tzinfo=datetime.UTC), tick=False):
        module = make_module()
        complete(personas.staff, module)
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC), tick=False) as clock:
        module = publish_change(module, material=True, summary="New section on online safety.")
        staff = next(p for p in outstanding_people(escalate_after_days=14) if p.user == personas.staff)
        assert [r.title for r in staff.items] == ["Safeguarding essentials"]
        assert [r.version for r in staff.items] == ["Version 2"]
        assert staff.overdue == []  # asked today, not two months ago
        clock.shift(datetime.timedelta(days=15))
        staff = next(p for p in outstanding_people(escalate_after_days=14) if p.user == personas.staff)
        assert [r.title for r in staff.overdue] == ["Safeguarding essentials"]
