import hashlib

import pytest
from django.utils import timezone

from conftest import sign_in
from policy.enums import AttemptOutcome
from policy.models import AcknowledgementAttempt, ReadReceipt
from policy.rendering import revision_body_html
from policy.tests.conftest import acknowledge_url
from policy.tests.factories import RIGHT_ANSWERS, publish_change

pytestmark = pytest.mark.django_db

def TODAY():  # noqa: N802 - a paper copy of a version published today can only be signed today
    return timezone.localdate().isoformat()


WRONG_FIRST = {**RIGHT_ANSWERS, "question_1": "5 school days"}


def post(client, page, **data):
    payload = {"revision": page.live_revision_id, "statement": "on", **data}
    return client.post(acknowledge_url(page), payload)


def test_a_staff_member_sees_what_they_must_acknowledge_and_by_when(client, policy, personas):
    sign_in(client, personas.staff)
    html = client.get(policy.url).content.decode()
    assert "Please read and acknowledge version 1 by" in html
    assert "I have read and understood version 1 of" in html


def test_acknowledging_without_the_statement_is_refused_next_to_the_box(client, policy, personas):
    sign_in(client, personas.staff)
    response = client.post(acknowledge_url(policy), {"revision": policy.live_revision_id})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tick the box to confirm you have read and understood this version." in html
    assert 'id="id_statement_error"' in html
    assert not ReadReceipt.objects.exists()
    assert AcknowledgementAttempt.objects.get().outcome == AttemptOutcome.INCOMPLETE


def test_wrong_answers_are_refused_naming_the_questions_and_recorded(client, checked_policy, personas):
    sign_in(client, personas.staff)
    response = post(client, checked_policy, **WRONG_FIRST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Some answers were not right" in html
    assert "Question 1: Within how many days must a PEP be in place?" in html
    assert "Look at: Delivery." in html
    assert 'value="5 school days" id="id_question_1_0" required checked' in html or (
        'value="5 school days"' in html and "checked" in html
    )
    assert not ReadReceipt.objects.exists()
    attempt = AcknowledgementAttempt.objects.get()
    assert (attempt.outcome, attempt.wrong_questions, attempt.version_number) == (AttemptOutcome.WRONG_ANSWERS, [1], 2)
    assert attempt.answers[0]["answer"] == "5 school days"


def test_right_answers_are_accepted_and_the_receipt_keeps_them(client, checked_policy, personas):
    sign_in(client, personas.staff)
    post(client, checked_policy, **WRONG_FIRST)
    response = post(client, checked_policy, **RIGHT_ANSWERS)
    assert response.status_code == 302
    receipt = ReadReceipt.objects.get()
    assert [a["answer"] for a in receipt.answers] == ["20 school days", "The head teacher"]
    assert list(AcknowledgementAttempt.objects.order_by("pk").values_list("outcome", flat=True)) == [
        AttemptOutcome.WRONG_ANSWERS,
        AttemptOutcome.ACCEPTED,
    ]


def test_the_receipt_records_the_exact_revision_the_hash_of_the_text_and_the_roles(client, checked_policy, personas):
    sign_in(client, personas.staff)
    post(client, checked_policy, **RIGHT_ANSWERS)
    receipt = ReadReceipt.objects.get()
    shown = revision_body_html(checked_policy.live_revision_id)
    assert receipt.revision_id == checked_policy.live_revision_id
    assert receipt.version_number == 2
    assert receipt.text_sha256 == hashlib.sha256(shown.encode()).hexdigest()
    assert receipt.memberships_snapshot == [
        {"role": "staff", "role_name": "Staff member", "school": "brook", "school_name": "Brook Primary School"}
    ]
    assert not receipt.on_paper


def test_a_second_post_of_the_same_acknowledgement_leaves_one_receipt(client, policy, personas):
    sign_in(client, personas.staff)
    post(client, policy)
    response = post(client, policy)
    assert response.status_code == 302
    assert ReadReceipt.objects.count() == 1
    page = client.get(response.url).content.decode()
    assert "You have already acknowledged version 1." in page


def test_a_page_republished_while_being_read_must_be_read_again(client, policy, personas):
    sign_in(client, personas.staff)
    stale = policy.live_revision_id
    page, _ = publish_change(policy, material=False, summary="Typo.")
    response = client.post(acknowledge_url(page), {"revision": stale, "statement": "on"})
    assert response.status_code == 302
    assert not ReadReceipt.objects.exists()
    assert AcknowledgementAttempt.objects.get().outcome == AttemptOutcome.STALE


def test_only_the_audience_can_acknowledge(client, policy, personas):
    sign_in(client, personas.nobody)
    assert post(client, policy).status_code == 404
    assert not ReadReceipt.objects.exists()


def test_acknowledging_needs_a_post(client, policy, personas):
    sign_in(client, personas.staff)
    assert client.get(acknowledge_url(policy)).status_code == 405


def test_a_person_opens_their_own_receipts_and_no_one_elses(client, policy, personas):
    sign_in(client, personas.staff)
    post(client, policy)
    receipt = ReadReceipt.objects.get()
    listing = client.get("/policies/receipts/").content.decode()
    assert "Children in Care policy" in listing
    detail = client.get(f"/policies/receipts/{receipt.pk}/").content.decode()
    assert receipt.text_sha256 in detail and "matches the published text" in detail
    client.logout()
    sign_in(client, personas.governor)
    assert client.get(f"/policies/receipts/{receipt.pk}/").status_code == 404


def test_an_administrator_records_a_paper_acknowledgement_with_a_reason(client, policy, personas):
    sign_in(client, personas.admin)
    response = client.post(
        "/policies/receipts/record-on-paper/",
        {
            "email": personas.governor.email,
            "page": policy.pk,
            "signed_on": TODAY(),
            "reason": "No computer access at the governors' meeting.",
            "seen_paper": "on",
        },
    )
    assert response.status_code == 302
    receipt = ReadReceipt.objects.get()
    assert (receipt.user, receipt.on_paper, receipt.recorded_by) == (personas.governor, True, personas.admin)
    assert receipt.on_paper_reason == "No computer access at the governors' meeting."
    assert str(receipt.signed_on) == TODAY()


def test_a_paper_acknowledgement_form_names_each_problem_and_keeps_what_was_typed(client, policy, personas):
    sign_in(client, personas.admin)
    response = client.post(
        "/policies/receipts/record-on-paper/",
        {"email": personas.nobody.email, "page": policy.pk, "signed_on": "2999-01-01", "reason": "Kept typing"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "is not in the audience" in html
    assert "Enter a date from" in html and "to today," in html
    assert "Confirm you have seen the signed paper copy." in html
    assert "Kept typing" in html
    assert not ReadReceipt.objects.exists()


def test_only_a_trust_administrator_may_record_on_paper(client, policy, personas):
    for person in (personas.staff, personas.head, personas.dt):
        client.logout()
        sign_in(client, person)
        assert client.get("/policies/receipts/record-on-paper/").status_code == 403


def test_wrong_answers_are_named_even_when_the_statement_was_not_ticked(client, checked_policy, personas):
    sign_in(client, personas.staff)
    response = client.post(acknowledge_url(checked_policy), {"revision": checked_policy.live_revision_id, **WRONG_FIRST})
    html = response.content.decode()
    assert "Some answers were not right" in html and "Question 1:" in html
    assert AcknowledgementAttempt.objects.get().outcome == AttemptOutcome.WRONG_ANSWERS


def test_a_paper_acknowledgement_of_a_version_already_acknowledged_is_refused(client, policy, personas):
    sign_in(client, personas.staff)
    post(client, policy)
    client.logout()
    sign_in(client, personas.admin)
    response = client.post(
        "/policies/receipts/record-on-paper/",
        {"email": personas.staff.email, "page": policy.pk, "signed_on": TODAY(), "reason": "r", "seen_paper": "on"},
    )
    assert "They have already acknowledged version 1" in response.content.decode()
    assert ReadReceipt.objects.count() == 1
