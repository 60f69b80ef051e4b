"""Each record keeps its own retention basis: a pupil file to date of birth + 25 years, an SEN file + 31."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from casework.enums import DocumentCategory, RetentionBasis, SENStatus
from casework.models import CaseDocument, Child

from .factories import CaseDocumentFactory, ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def at(year, month, day):
    return time_machine.travel(datetime.datetime(year, month, day, 10, tzinfo=datetime.UTC), tick=False)


def _run():
    out = StringIO()
    call_command("apply_retention", "--delete", stdout=out, stderr=out)
    return out.getvalue()


def test_an_sen_support_childs_pupil_file_goes_at_25_years_and_the_sen_file_at_31(personas, media):
    with at(2020, 1, 6):
        child = ChildFactory(
            school=personas.brook,
            date_of_birth=datetime.date(1999, 3, 1),
            entered_care_on=datetime.date(2004, 1, 1),
            started_on=datetime.date(2004, 9, 6),
            left_on=datetime.date(2010, 7, 20),
            sen_status=SENStatus.SEN_SUPPORT,
        )
        pupil = CaseDocumentFactory(child=child, title="Report card")
        sen = CaseDocumentFactory(child=child, title="SEN support plan", category=DocumentCategory.SEN)
        child.sen_status = SENStatus.NONE  # a later change of status does not shorten what is kept
        child.save()
    child.refresh_from_db()
    assert child.retention_basis == RetentionBasis.SEN_FILE and child.retention_until() == datetime.date(2030, 3, 1)
    assert pupil.retention_until() == datetime.date(2024, 3, 1) and sen.retention_until() == datetime.date(2030, 3, 1)

    with at(2024, 2, 29):
        assert "No records are due" in _run()
    with at(2024, 3, 2):
        out = _run()
    assert f"Document {pupil.pk} of child {child.pk}" in out and "deleted" in out
    assert list(CaseDocument.objects.filter(child=child)) == [sen]
    assert not (media / pupil.file.name).exists() and (media / sen.file.name).exists()
    assert Child.objects.filter(pk=child.pk).exists()

    with at(2030, 3, 2):
        _run()
    assert not Child.objects.filter(pk=child.pk).exists() and not CaseDocument.objects.exists()
    assert not (media / sen.file.name).exists()


def test_an_sen_document_keeps_a_child_without_sen_status_for_31_years(personas, media):
    with at(2020, 1, 6):
        child = ChildFactory(school=personas.brook, date_of_birth=datetime.date(1999, 3, 1))
        assert child.retention_until() == datetime.date(2024, 3, 1)
        CaseDocumentFactory(child=child, category=DocumentCategory.SEN)
    child.refresh_from_db()
    assert child.retention_until() == datetime.date(2030, 3, 1)


def test_the_retention_task_runs_apply_retention(personas, media):
    from casework.tasks import apply_retention

    with at(2020, 1, 6):
        child = ChildFactory(school=personas.brook, date_of_birth=datetime.date(1990, 3, 1))
    with at(2026, 1, 6):
        result = apply_retention.enqueue()
    assert Child.objects.filter(pk=child.pk).exists() is False
    assert result.status == "SUCCESSFUL" or result.return_value


def test_the_child_page_shows_each_records_retention_and_the_care_episodes(client, personas, media):
    from conftest import sign_in

    with at(2026, 11, 30):
        child = ChildFactory(school=personas.brook, entered_care_on=datetime.date(2025, 6, 1))
        CaseDocumentFactory(child=child, title="Report card")
        CaseDocumentFactory(child=child, title="EHCP", category=DocumentCategory.SEN)
        sign_in(client, personas.dt)
        page = client.get(f"/casework/children/{child.pk}/").content.decode()
    assert "This record is kept as</dt>\n    <dd>SEN or EHCP file: date of birth + 31 years" in page
    assert '<th scope="row">Report card</th><td>Pupil file: date of birth + 25 years</td><td>28 Feb 2041' in page
    assert '<th scope="row">EHCP</th><td>SEN or EHCP file: date of birth + 31 years</td><td>28 Feb 2047' in page
    assert "In care from 1 Jun 2025</a> (current" in page


def test_apply_retention_can_be_queued_as_the_daily_task(personas, media):
    with at(2020, 1, 6):
        child = ChildFactory(school=personas.brook, date_of_birth=datetime.date(1990, 3, 1))
    out = StringIO()
    with at(2026, 1, 6):
        call_command("apply_retention", "--enqueue", stdout=out)
    assert "Queued the retention run" in out.getvalue()
    assert not Child.objects.filter(pk=child.pk).exists()  # the test settings run tasks at once
