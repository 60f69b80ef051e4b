"""manage.py apply_retention: records past their retention date go, with every stored file; a legal hold stops it."""

import datetime
from io import StringIO

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.core.management.base import CommandError

from casework.audit import verify_chain
from casework.enums import TransitionPart
from casework.models import (
    PEP,
    Activity,
    CaseAuditEvent,
    CaseDocument,
    Child,
    CohortChange,
    Delegation,
    LinkedPlan,
    Review,
    SharedRecommendation,
    Target,
    TargetProgress,
    Transition,
    TransitionDownload,
)

from .factories import (
    CaseDocumentFactory,
    ChildFactory,
    PEPFactory,
    TargetFactory,
    TransitionFactory,
    add_terms,
    case_documents_on_s3,
)


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _adult(personas, **kwargs):
    """A record whose retention date (date of birth + 25 years) passed in 2020."""
    return ChildFactory(
        school=personas.brook,
        legal_first_name="Elder",
        date_of_birth=datetime.date(1995, 1, 1),
        entered_care_on=datetime.date(2000, 1, 1),
        started_on=datetime.date(2000, 9, 4),
        left_on=datetime.date(2006, 7, 20),
        **kwargs,
    )


def _whole_record(child, personas):
    """Every kind of record a child can have, with three stored files: their own, a plan's and a report."""
    own = CaseDocumentFactory(child=child, title="Pupil file")
    plan_copy = CaseDocumentFactory(child=child, title="EHCP")
    report = CaseDocumentFactory(child=child, title="Review report")
    pep = PEPFactory(child=child)
    target = TargetFactory(pep=pep)
    TargetProgress.objects.create(target=target, note="Reading daily")
    SharedRecommendation.objects.create(pep=pep, recommendation="Visual timetable", shared_with=personas.staff)
    Activity.objects.create(child=child, activity="Drama club", starts_on=pep.period_starts_on, target=target)
    LinkedPlan.objects.create(child=child, kind="ehcp", dated=pep.period_starts_on, document=plan_copy)
    Review.objects.create(child=child, kind="statutory", held_on=pep.period_starts_on, report_document=report)
    main = TransitionFactory(child=child, left_on=child.left_on)
    main.documents.add(own)
    TransitionDownload.objects.create(transition=main)
    TransitionFactory(child=child, left_on=child.left_on, part=TransitionPart.CHILD_PROTECTION, travels_with=main)
    Delegation.objects.create(
        child=child, delegate=personas.staff, sections=["targets"], ends_on=datetime.date(2006, 7, 1)
    )
    return [own, plan_copy, report]


def _run(*args):
    out, err = StringIO(), StringIO()
    call_command("apply_retention", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_dry_run_lists_what_would_go_and_deletes_nothing(personas, media):
    add_terms(personas.brook, 2026)
    child = _adult(personas)
    documents = _whole_record(child, personas)
    out, _ = _run()
    assert (
        f"Child {child.pk} (Brook Primary School, kept until 2020-01-01): would be deleted with 3 stored files" in out
    )
    assert "Dry run: nothing was deleted" in out and "Elder" not in out
    assert Child.objects.filter(pk=child.pk).exists()
    assert all((media / d.file.name).exists() for d in documents)
    assert not CaseAuditEvent.objects.filter(action="delete").exists()


def test_delete_removes_the_record_every_related_row_and_every_stored_file(personas, media):
    add_terms(personas.brook, 2026)
    child = _adult(personas)
    documents = _whole_record(child, personas)
    young = ChildFactory(school=personas.brook)
    young_file = CaseDocumentFactory(child=young)

    out, err = _run("--delete")

    assert f"Child {child.pk} (Brook Primary School, kept until 2020-01-01): deleted with 3 stored files." in out
    assert not err and "Elder" not in out
    assert not Child.objects.filter(pk=child.pk).exists()
    for model in (PEP, Activity, LinkedPlan, Review, CaseDocument, Transition, CohortChange, Delegation):
        assert not model.objects.filter(child_id=child.pk).exists(), model
    assert not Target.objects.exists() and not TargetProgress.objects.exists()
    assert not SharedRecommendation.objects.exists() and not TransitionDownload.objects.exists()
    assert not any((media / d.file.name).exists() for d in documents)
    assert Child.objects.filter(pk=young.pk).exists() and (media / young_file.file.name).exists()


def test_each_deleted_record_leaves_an_audit_entry_by_id_only(personas, media):
    child = _adult(personas)
    CaseDocumentFactory(child=child)
    _run("--delete")
    event = CaseAuditEvent.objects.get(action="delete")
    assert (event.object_type, event.object_id, event.child_id, event.school_id) == (
        "child",
        str(child.pk),
        child.pk,
        personas.brook.pk,
    )
    assert event.detail == "retention: record deleted with 1 stored file(s) (kept until 2020-01-01)"
    assert event.user_label == "system: manage.py apply_retention"
    assert "Elder" not in f"{event.detail} {event.user_label} {event}"
    assert verify_chain() is None


def test_a_legal_hold_always_stops_deletion(personas, media):
    child = _adult(personas, legal_hold=True)
    document = CaseDocumentFactory(child=child)
    out, _ = _run("--delete")
    assert f"Child {child.pk} (Brook Primary School): on legal hold, kept." in out
    assert Child.objects.filter(pk=child.pk).exists() and (media / document.file.name).exists()
    assert not CaseAuditEvent.objects.filter(action="delete").exists()


def test_a_legal_hold_placed_during_the_run_still_stops_it(personas, media):
    from casework import retention

    child = _adult(personas)
    document = CaseDocumentFactory(child=child)
    Child.objects.filter(pk=child.pk).update(legal_hold=True)  # after the run read the list
    outcome = retention.apply(child, delete=True)
    assert outcome.held and not outcome.deleted
    assert Child.objects.filter(pk=child.pk).exists() and (media / document.file.name).exists()


def test_nothing_due_says_so(personas, media):
    ChildFactory(school=personas.brook)
    out, _ = _run("--delete")
    assert "No records are due for deletion" in out


class UndeletableStorage(FileSystemStorage):
    def delete(self, name):
        raise OSError("access denied")


def test_files_that_storage_will_not_delete_are_reported_and_the_record_kept(personas, media, monkeypatch):
    child = _adult(personas)
    document = CaseDocumentFactory(child=child)
    monkeypatch.setattr(CaseDocument._meta.get_field("file"), "storage", UndeletableStorage(location=media))
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 record kept because deleting failed"):
        call_command("apply_retention", "--delete", stdout=out, stderr=err)
    assert f"Child {child.pk} (Brook Primary School, kept until 2020-01-01): NOT deleted" in err.getvalue()
    assert f"{document.file.name}: OSError: access denied" in err.getvalue()
    assert Child.objects.filter(pk=child.pk).exists() and CaseDocument.objects.filter(pk=document.pk).exists()
    assert (media / document.file.name).exists()
    assert CaseAuditEvent.objects.get(action="delete").detail.endswith("record kept (storage errors)")


def test_records_go_from_s3_too(personas, s3_server, monkeypatch):
    storage = case_documents_on_s3(s3_server, monkeypatch, "retention-test")
    child = _adult(personas)
    young = ChildFactory(school=personas.brook)
    documents = [CaseDocumentFactory(child=child), CaseDocumentFactory(child=child)]
    kept = CaseDocumentFactory(child=young)
    assert all(storage.exists(d.file.name) for d in documents)

    out, _ = _run("--delete")

    assert "deleted with 2 stored files" in out
    _directories, stored = storage.listdir("casework")
    assert {f"casework/{name}" for name in stored} == {kept.file.name}
    assert not Child.objects.filter(pk=child.pk).exists()
