from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from time_machine import travel

from conftest import sign_in
from training.la_flags import designated_teacher_training
from training.models import LocalAuthorityTraining, TrainingSettings

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")


def form_data(personas, school=None, attendee=None, **extra):
    data = {
        "school": (school or personas.brook).pk,
        "attendee": (attendee or personas.dt).pk,
        "course": "Designated teacher network",
        "provider": "Leicestershire Virtual School",
        "attended_on": "2026-03-04",
    }
    data.update(extra)
    return data


def test_designated_teacher_records_training_with_a_pdf_certificate(client, personas, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    sign_in(client, personas.dt)
    upload = SimpleUploadedFile("My name certificate.pdf", PDF, content_type="application/pdf")
    response = client.post("/training/local-authority/new/", {**form_data(personas), "certificate": upload})
    assert response.status_code == 302
    record = LocalAuthorityTraining.objects.get()
    assert record.recorded_by == personas.dt
    assert record.certificate_content_type == "application/pdf"
    assert "My name" not in record.certificate.name
    download = client.get(f"/training/local-authority/{record.pk}/certificate/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]


def test_a_file_that_only_claims_to_be_a_pdf_is_refused(client, personas, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    sign_in(client, personas.dt)
    fake = SimpleUploadedFile(
        "certificate.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    response = client.post("/training/local-authority/new/", {**form_data(personas), "certificate": fake})
    assert response.status_code == 200
    assert "must be a PDF or an image" in response.content.decode()
    assert not LocalAuthorityTraining.objects.exists()


def test_an_image_certificate_is_accepted(client, personas, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    sign_in(client, personas.admin)
    upload = SimpleUploadedFile("scan.jpg", PNG, content_type="image/jpeg")
    response = client.post(
        "/training/local-authority/new/",
        {**form_data(personas, school=personas.castle, attendee=personas.dt_castle), "certificate": upload},
    )
    assert response.status_code == 302
    record = LocalAuthorityTraining.objects.get()
    assert record.certificate_content_type == "image/png" and record.certificate.name.endswith(".png")


def test_designated_teacher_cannot_record_training_for_another_school(client, personas):
    sign_in(client, personas.dt)
    response = client.post(
        "/training/local-authority/new/", form_data(personas, school=personas.castle, attendee=personas.dt_castle)
    )
    assert response.status_code == 200
    assert not LocalAuthorityTraining.objects.exists()


def make_record(personas, school, attendee, attended_on, certificate=b""):
    record = LocalAuthorityTraining(
        school=school, attendee=attendee, course="Network", provider="VS", attended_on=attended_on
    )
    if certificate:
        from django.core.files.base import ContentFile

        record.certificate.save("c.pdf", ContentFile(certificate), save=False)
        record.certificate_content_type = "application/pdf"
    record.save()
    return record


def test_certificates_are_served_only_to_people_who_may_read_the_record(client, personas, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    record = make_record(personas, personas.castle, personas.dt_castle, date(2026, 1, 5), certificate=PDF)
    url = f"/training/local-authority/{record.pk}/certificate/"
    for persona, status in [
        (personas.dt_castle, 200),
        (personas.admin, 200),
        (personas.head, 200),
        (personas.dt, 404),
        (personas.staff, 404),
        (personas.governor, 404),
        (personas.nobody, 404),
    ]:
        client.logout()
        sign_in(client, persona)
        assert client.get(url).status_code == status, persona.email
    assert not (tmp_path / "la-training").exists()  # never under a public media folder
    assert record.certificate.name.startswith("private/")


def test_the_list_shows_only_the_designated_teachers_own_schools(client, personas):
    make_record(personas, personas.brook, personas.dt, date(2026, 1, 5))
    make_record(personas, personas.castle, personas.dt_castle, date(2026, 1, 6))
    sign_in(client, personas.dt_castle)
    html = client.get("/training/local-authority/").content.decode()
    assert "6 January 2026" in html and "5 January 2026" not in html


def test_staff_and_governors_cannot_open_la_training_records(client, personas):
    for persona in (personas.staff, personas.governor, personas.nobody):
        client.logout()
        sign_in(client, persona)
        assert client.get("/training/local-authority/").status_code == 403


@travel("2026-11-30 12:00", tick=False)
def test_a_designated_teacher_whose_last_la_training_is_too_old_is_flagged(personas):
    make_record(personas, personas.brook, personas.dt, date(2024, 11, 1))  # 25 months ago
    make_record(personas, personas.brook, personas.dt, date(2023, 1, 1))
    make_record(personas, personas.castle, personas.dt_castle, date(2025, 6, 1))
    rows = {(r.membership.user, r.membership.school): r for r in designated_teacher_training(months=24)}
    assert rows[(personas.dt, personas.brook)].due
    assert rows[(personas.dt, personas.brook)].last_attended == date(2024, 11, 1)
    assert not rows[(personas.dt_castle, personas.castle)].due
    assert not designated_teacher_training(months=36)[0].due


@travel("2026-11-30 12:00", tick=False)
def test_the_refresh_period_comes_from_the_site_setting_and_no_training_is_flagged(client, personas):
    from wagtail.models import Site

    settings_row = TrainingSettings.for_site(Site.objects.get(is_default_site=True))
    settings_row.la_training_refresh_months = 6
    settings_row.save()
    make_record(personas, personas.castle, personas.dt_castle, date(2026, 1, 1))  # 11 months ago
    rows = designated_teacher_training([personas.castle.pk])
    assert rows[0].due
    sign_in(client, personas.admin)
    html = client.get("/training/local-authority/").content.decode()
    assert "more than 6 months ago" in html
    assert html.count("Training due") == 3  # castle (too old), brook and meadow (none recorded)


def test_a_keeper_can_edit_a_record_in_their_school(client, personas):
    record = make_record(personas, personas.brook, personas.dt, date(2026, 1, 5))
    sign_in(client, personas.dt)
    response = client.post(f"/training/local-authority/{record.pk}/edit/", form_data(personas, course="Renamed"))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.course == "Renamed"
    client.logout()
    sign_in(client, personas.dt_castle)
    assert client.get(f"/training/local-authority/{record.pk}/edit/").status_code == 404


def test_replacing_a_certificate_removes_the_old_file(
    client, personas, tmp_path, settings, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT = tmp_path
    record = make_record(personas, personas.brook, personas.dt, date(2026, 1, 5), certificate=PDF)
    old = record.certificate.name
    sign_in(client, personas.dt)
    upload = SimpleUploadedFile("new.png", PNG, content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/training/local-authority/{record.pk}/edit/", {**form_data(personas), "certificate": upload}
        )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.certificate.name != old and record.certificate_content_type == "image/png"
    assert not default_storage.exists(old) and default_storage.exists(record.certificate.name)
