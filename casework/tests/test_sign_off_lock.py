"""Sign-off locks the PEP: a signed-off PEP, its SMART targets and their progress notes cannot be changed
through any path (the casework admin, the delegate's screens, the status view, code) until the designated
teacher reopens it with a reason, which its status history keeps."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from casework.enums import PEPStatus
from casework.models import PEP, Delegation, PEPStatusChange, Target, TargetProgress
from casework.models.peps import LOCKED_MESSAGE, PEPLocked
from conftest import sign_in

from .factories import ChildFactory, PEPFactory, TargetFactory, add_terms

NOW = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC)
LOCKED_HTML = "This PEP is signed off: reopen it with a reason before changing it."


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def signed_off(personas):
    """Brook's child with a PEP signed off by the designated teacher, holding one target with one note."""
    add_terms(personas.brook, 2026)
    child = ChildFactory(school=personas.brook, legal_first_name="Brooklyn", preferred_name="Sunny")
    pep = PEPFactory(child=child, status=PEPStatus.IN_PROGRESS, childs_views="Signed-off views", complete=True)
    target = TargetFactory(pep=pep, area="Reading")
    TargetProgress.objects.create(target=target, note="Book band 9 now", noted_on=datetime.date(2026, 11, 2))
    pep.move_to(PEPStatus.READY, personas.dt)
    pep.move_to(PEPStatus.SIGNED_OFF, personas.dt)
    return {"child": child, "pep": pep, "target": target}


def _state(pep):
    """Everything of the PEP a person could change, as stored."""
    pep = PEP.objects.get(pk=pep.pk)
    targets = [
        (t.area, t.what, t.status, [(n.noted_on, n.note) for n in t.progress_notes.all()])
        for t in Target.objects.filter(pep=pep).order_by("pk")
    ]
    return (pep.status, pep.signed_off_by_id, pep.signed_off_at, pep.childs_views, pep.attainment, targets)


def _pep_form(pep, **changes):
    return {
        "child": pep.child_id,
        "academic_year": pep.academic_year,
        "term": pep.term,
        "period_starts_on": pep.period_starts_on.isoformat(),
        "period_ends_on": pep.period_ends_on.isoformat(),
        "meeting_date": "",
        "attendees": "",
        "childs_views": pep.childs_views,
        "carers_views": pep.carers_views,
        "education_history": "",
        "attainment": "",
        "sessions_possible": pep.sessions_possible or "",
        "sessions_attended": pep.sessions_attended or "",
        "voice_going_well": pep.voice_going_well,
        "previous_target_evaluations-TOTAL_FORMS": "0",
        "previous_target_evaluations-INITIAL_FORMS": "0",
        **changes,
    }


def _target_form(pep, notes=(), **changes):
    data = {
        "pep": pep.pk,
        "area": "Writing",
        "what": "Write a page of joined-up handwriting",
        "how_measured": "Handwriting sample",
        "baseline": "Print only",
        "target": "Joined for a page",
        "by_when": "2026-12-11",
        "who": "Class teacher",
        "status": "not_started",
        "ppplus_allocated": "0",
        "ppplus_spent": "0",
        "progress_notes-TOTAL_FORMS": str(len(notes)),
        "progress_notes-INITIAL_FORMS": "0",
        "progress_notes-MIN_NUM_FORMS": "0",
        "progress_notes-MAX_NUM_FORMS": "1000",
        **changes,
    }
    for i, (noted_on, note) in enumerate(notes):
        data |= {
            f"progress_notes-{i}-id": "",
            f"progress_notes-{i}-noted_on": noted_on,
            f"progress_notes-{i}-note": note,
            f"progress_notes-{i}-DELETE": "",
        }
    return data


def _messages(client, response):
    return client.get(response["Location"]).content.decode() if response.status_code == 302 else ""


# The casework admin


def test_editing_a_signed_off_pep_in_the_admin_is_refused_and_the_pep_unchanged(client, personas, signed_off):
    pep = signed_off["pep"]
    before = _state(pep)
    sign_in(client, personas.dt)
    url = f"/admin/casework/pep/edit/{pep.pk}/"
    assert client.get(url).status_code in (302, 403)
    response = client.post(url, _pep_form(pep, childs_views="Rewritten after sign-off", attainment="Changed"))
    assert response.status_code in (302, 403)
    assert "Rewritten after sign-off" not in _messages(client, response)
    assert _state(pep) == before
    assert client.post(f"/admin/casework/pep/delete/{pep.pk}/").status_code in (302, 403)
    assert PEP.objects.filter(pk=pep.pk).exists()


def test_the_admin_offers_no_edit_or_delete_for_a_signed_off_pep_or_its_targets(client, personas, signed_off):
    pep, target = signed_off["pep"], signed_off["target"]
    draft = PEPFactory(child=signed_off["child"], term="spring", academic_year="2026/27")
    sign_in(client, personas.dt)
    peps = client.get("/admin/casework/pep/").content.decode()
    assert f"/admin/casework/pep/edit/{draft.pk}/" in peps  # the list does offer edit where it may
    assert f"/admin/casework/pep/edit/{pep.pk}/" not in peps and f"/admin/casework/pep/delete/{pep.pk}/" not in peps
    inspect = client.get(f"/admin/casework/pep/inspect/{pep.pk}/")
    assert inspect.status_code == 200 and "Signed-off views" in inspect.content.decode()  # still readable
    assert f"/admin/casework/pep/edit/{pep.pk}/" not in inspect.content.decode()
    targets = client.get("/admin/casework/target/").content.decode()
    assert "Reading" in targets
    assert f"/admin/casework/target/edit/{target.pk}/" not in targets
    assert f"/admin/casework/target/delete/{target.pk}/" not in targets


def test_editing_or_deleting_a_target_of_a_signed_off_pep_in_the_admin_is_refused(client, personas, signed_off):
    pep, target = signed_off["pep"], signed_off["target"]
    before = _state(pep)
    sign_in(client, personas.dt)
    url = f"/admin/casework/target/edit/{target.pk}/"
    assert client.get(url).status_code in (302, 403)
    response = client.post(url, _target_form(pep, area="Changed area", status="achieved"))
    assert response.status_code in (302, 403)
    assert client.post(f"/admin/casework/target/delete/{target.pk}/").status_code in (302, 403)
    assert _state(pep) == before


def test_a_progress_note_cannot_be_added_in_the_admin_to_a_target_of_a_signed_off_pep(client, personas, signed_off):
    pep, target = signed_off["pep"], signed_off["target"]
    before = _state(pep)
    sign_in(client, personas.dt)
    response = client.post(
        f"/admin/casework/target/edit/{target.pk}/",
        _target_form(pep, area="Reading", notes=[("2026-11-27", "Added after sign-off")]),
    )
    assert response.status_code in (302, 403)
    assert not TargetProgress.objects.filter(note="Added after sign-off").exists()
    assert _state(pep) == before


def test_adding_a_target_to_a_signed_off_pep_is_refused_with_a_plain_message(client, personas, signed_off):
    pep = signed_off["pep"]
    before = _state(pep)
    sign_in(client, personas.dt)
    response = client.post(
        "/admin/casework/target/create/", _target_form(pep, notes=[("2026-11-27", "A note with it")])
    )
    assert response.status_code == 200  # the form again, with the reason
    assert LOCKED_HTML in response.content.decode()
    assert "Write a page of joined-up handwriting" in response.content.decode()  # what was typed is kept
    assert not Target.objects.filter(area="Writing").exists()
    assert not TargetProgress.objects.filter(note="A note with it").exists()
    assert _state(pep) == before


def test_a_target_cannot_be_moved_into_a_signed_off_pep(client, personas, signed_off):
    other = PEPFactory(child=signed_off["child"], term="spring", academic_year="2026/27", status=PEPStatus.DRAFT)
    target = TargetFactory(pep=other, area="Maths", by_when=datetime.date(2026, 12, 11))
    sign_in(client, personas.dt)
    response = client.post(f"/admin/casework/target/edit/{target.pk}/", _target_form(signed_off["pep"], area="Maths"))
    assert response.status_code == 200 and LOCKED_HTML in response.content.decode()
    assert Target.objects.get(pk=target.pk).pep_id == other.pk


# The delegate's screens


@pytest.fixture
def delegated(personas, signed_off):
    delegation = Delegation.objects.create(
        child=signed_off["child"],
        delegate=personas.delegate,
        sections=["views", "attainment", "targets", "activities"],
        ends_on=datetime.date(2027, 3, 31),
        granted_by=personas.dt,
    )
    return f"/casework/delegated/{delegation.pk}/"


def test_a_delegate_cannot_change_a_signed_off_pep_or_add_a_target_or_note(client, personas, signed_off, delegated):
    pep, target = signed_off["pep"], signed_off["target"]
    before = _state(pep)
    sign_in(client, personas.delegate)
    page = client.get(delegated).content.decode()
    assert "This PEP is signed off, so it cannot be changed now." in page
    for action, fields in (
        ("progress", {"target": target.pk, "noted_on": "2026-11-27", "note": "Delegate note after sign-off"}),
        ("views", {"childs_views": "Delegate rewrite", "carers_views": "Delegate rewrite"}),
        (
            "target",
            {
                "area": "Spelling",
                "what": "Spell",
                "how_measured": "Test",
                "baseline": "1",
                "target": "2",
                "by_when": "2026-12-11",
                "who": "Mentor",
            },
        ),
    ):
        response = client.post(delegated, {"action": action, **{f"{action}-{k}": v for k, v in fields.items()}})
        assert response.status_code == 302
        assert "This PEP is signed off, so it cannot be changed now." in _messages(client, response)
    assert _state(pep) == before


# Code: the model layer refuses whatever path a change comes by


def test_the_model_layer_refuses_every_change_to_a_signed_off_pep(personas, signed_off):
    pep, target = PEP.objects.get(pk=signed_off["pep"].pk), signed_off["target"]
    before = _state(pep)
    pep.childs_views = "Saved from code"
    target.area = "Saved from code"
    attempts = [
        pep.save,
        lambda: pep.save(update_fields=["childs_views"]),
        pep.delete,
        target.save,
        target.delete,
        lambda: TargetFactory(pep=pep),
        lambda: TargetProgress.objects.create(target=target, note="From code"),
        lambda: TargetProgress.objects.get(target=target).delete(),
    ]
    for attempt in attempts:
        with pytest.raises(PEPLocked):
            attempt()
    attempts += [
        pep.full_clean,
        lambda: TargetFactory.build(pep=pep).full_clean(),
        lambda: TargetProgress(target=target, note="From a form").full_clean(),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as refused:  # PEPLocked; full_clean wraps it in a plain one
            attempt()
        assert refused.value.messages == [LOCKED_MESSAGE]
    assert _state(pep) == before


# Reopening


def test_reopening_needs_a_reason_and_the_schools_designated_teacher(personas, signed_off):
    pep = PEP.objects.get(pk=signed_off["pep"].pk)
    with pytest.raises(ValidationError, match="Say why the PEP is being reopened"):
        pep.move_to(PEPStatus.IN_PROGRESS, personas.dt, reason="   ")
    with pytest.raises(ValidationError, match="Only the school's designated teacher can reopen"):
        pep.move_to(PEPStatus.IN_PROGRESS, personas.staff, reason="A typo")
    with pytest.raises(ValidationError, match="cannot move to draft"):
        pep.move_to(PEPStatus.DRAFT, personas.dt, reason="A typo")
    assert PEP.objects.get(pk=pep.pk).status == PEPStatus.SIGNED_OFF


def test_the_child_page_shows_a_signed_off_pep_as_locked_with_a_way_to_reopen_it(client, personas, signed_off):
    pep = signed_off["pep"]
    sign_in(client, personas.dt)
    page = client.get(f"/casework/children/{signed_off['child'].pk}/").content.decode()
    assert "it cannot be changed until it is reopened with a reason" in page
    assert f"/admin/casework/pep/edit/{pep.pk}/" not in page
    assert "Reopen the PEP" in page
    assert f'<option value="{PEPStatus.IN_PROGRESS}">In progress</option>' in page
    assert f'<option value="{PEPStatus.DRAFT}">' not in page  # only the moves the workflow allows


def test_reopening_with_a_reason_unlocks_the_pep_and_signing_off_again_records_a_new_time(
    client, personas, signed_off, now
):
    pep, child = signed_off["pep"], signed_off["child"]
    first_sign_off = PEP.objects.get(pk=pep.pk).signed_off_at
    sign_in(client, personas.dt)
    status_url = f"/casework/peps/{pep.pk}/status/"

    refused = client.post(status_url, {"status": PEPStatus.IN_PROGRESS, "reason": ""})
    assert "Say why the PEP is being reopened" in _messages(client, refused)
    assert PEP.objects.get(pk=pep.pk).status == PEPStatus.SIGNED_OFF

    now.shift(datetime.timedelta(minutes=5))
    reopened = client.post(status_url, {"status": PEPStatus.IN_PROGRESS, "reason": "The carer's views were misquoted"})
    assert "The PEP is reopened and now in progress" in _messages(client, reopened)
    assert (PEP.objects.get(pk=pep.pk).status, PEP.objects.get(pk=pep.pk).signed_off_at) == (
        PEPStatus.IN_PROGRESS,
        None,
    )
    page = client.get(f"/casework/children/{child.pk}/").content.decode()
    history = page[page.index("Status history") :]
    assert "The carer&#x27;s views were misquoted" in history
    assert "Signed off" in history and "In progress" in history  # the earlier sign-off stays in the history
    assert f"/admin/casework/pep/edit/{pep.pk}/" in page
    assert list(PEPStatusChange.objects.filter(pep=pep).values_list("from_status", "to_status")) == [
        (PEPStatus.IN_PROGRESS, PEPStatus.READY),
        (PEPStatus.READY, PEPStatus.SIGNED_OFF),
        (PEPStatus.SIGNED_OFF, PEPStatus.IN_PROGRESS),
    ]

    edited = client.post(f"/admin/casework/pep/edit/{pep.pk}/", _pep_form(pep, carers_views="Corrected views"))
    assert edited.status_code == 302, edited.content.decode()[:2000]
    assert PEP.objects.get(pk=pep.pk).carers_views == "Corrected views"
    added = client.post("/admin/casework/target/create/", _target_form(pep, notes=[("2026-11-27", "First note")]))
    assert added.status_code == 302, added.content.decode()[:2000]
    assert TargetProgress.objects.filter(target__area="Writing", note="First note").exists()

    now.shift(datetime.timedelta(minutes=5))
    client.post(status_url, {"status": PEPStatus.READY})
    client.post(status_url, {"status": PEPStatus.SIGNED_OFF})
    signed_again = PEP.objects.get(pk=pep.pk)
    assert signed_again.status == PEPStatus.SIGNED_OFF and signed_again.signed_off_by == personas.dt
    assert signed_again.signed_off_at == NOW + datetime.timedelta(minutes=10) != first_sign_off
    locked_again = client.post(f"/admin/casework/pep/edit/{pep.pk}/", _pep_form(pep, carers_views="Once more"))
    assert locked_again.status_code in (302, 403)
    assert PEP.objects.get(pk=pep.pk).carers_views == "Corrected views"
