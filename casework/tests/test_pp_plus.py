"""Pupil Premium Plus as data: rates per financial year (seeded by migration 0012), the termly request to the
virtual school and its answer, and what is allocated and spent against each target, computed once
(casework/pp_plus.py) for the child page and the PDF."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from casework.enums import PEPStatus
from casework.models import PEP, PPPlusRate, PPPlusRequest, Suspension, Target
from casework.models.pupil_premium import financial_year_of
from casework.pp_plus import summarise
from conftest import sign_in

from .factories import ChildFactory, PEPFactory, TargetFactory, add_terms

D = datetime.date


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def pep(personas):
    add_terms(personas.brook, 2026)
    child = ChildFactory(school=personas.brook, legal_first_name="Brooklyn", preferred_name="Sunny")
    return PEPFactory(child=child, status=PEPStatus.IN_PROGRESS, complete=True)


def _request(pep, amount, **answer):
    request = PPPlusRequest(
        pep=pep, requested_on=D(2026, 9, 20), amount_requested=Decimal(amount), purpose="Maths tutoring", **answer
    )
    request.full_clean()
    request.save()
    return request


def test_the_seeded_rates_are_the_dfe_figures_and_a_peps_year_runs_april_to_march(db):
    assert dict(PPPlusRate.objects.values_list("financial_year", "amount_per_child")) == {
        "2024-25": Decimal("2570.00"),
        "2025-26": Decimal("2630.00"),
    }
    assert [financial_year_of(d) for d in (D(2026, 3, 31), D(2026, 4, 1), D(2027, 1, 5))] == [
        "2025-26",
        "2026-27",
        "2026-27",
    ]
    with pytest.raises(ValidationError, match="Give the financial year as, for example, 2025-26"):
        PPPlusRate(financial_year="2025-27", amount_per_child=Decimal(1)).full_clean()


def test_requested_approved_awaiting_allocated_and_spent_add_up(pep):
    _request(pep, 800, answer="part", answered_on=D(2026, 10, 1), amount_approved=Decimal(500))
    _request(pep, 300, answer="approved", answered_on=D(2026, 10, 2))
    _request(pep, 200, answer="refused", answered_on=D(2026, 10, 3))
    _request(pep, 150)  # awaiting an answer
    Target.objects.filter(pep=pep).update(ppplus_allocated=Decimal(400), ppplus_spent=Decimal("120.50"))
    TargetFactory(pep=pep, area="Maths", ppplus_allocated=Decimal(500), ppplus_spent=Decimal(600))
    PPPlusRate.objects.create(financial_year="2026-27", amount_per_child=Decimal(2700))
    summary = summarise(PEP.objects.get(pk=pep.pk))
    assert (summary.financial_year, summary.rate) == ("2026-27", Decimal(2700))
    assert (summary.requested, summary.approved, summary.awaiting) == (Decimal(1450), Decimal(800), Decimal(150))
    assert (summary.allocated, summary.spent, summary.ceiling) == (Decimal(900), Decimal("720.50"), Decimal(950))
    assert (summary.over_allocated, summary.unallocated, summary.ceiling_basis) == (
        False,
        Decimal(50),
        "approved or still awaiting an answer",
    )
    assert [t.area for t in summary.overspent_targets] == ["Maths"]


def test_with_no_request_nothing_may_be_allocated(pep):
    Target.objects.filter(pep=pep).update(ppplus_allocated=Decimal(5))
    summary = summarise(pep)
    assert (summary.ceiling, summary.over_allocated, summary.rate) == (Decimal(0), True, None)
    assert pep.sign_off_problems() == [
        "PP+ allocated against targets (£5.00) is more than the £0.00 requested (no request is recorded): lower "
        "the allocations or record the request."
    ]


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"answer": "part", "answered_on": D(2026, 10, 1), "amount_approved": Decimal(800)}, "A part approval is less"),
        ({"answer": "part", "answered_on": D(2026, 10, 1)}, "Give the amount the virtual school approved."),
        ({"answer": "approved"}, "Give the date the virtual school answered."),
        ({"answer": "approved", "answered_on": D(2026, 9, 1)}, "The answer cannot be dated before the request."),
        (
            {"answer": "refused", "answered_on": D(2026, 10, 1), "amount_approved": Decimal(5)},
            "A refused request approves nothing",
        ),
        ({"amount_approved": Decimal(5)}, "Choose the virtual school's answer"),
    ],
)
def test_an_answer_that_does_not_add_up_is_refused_plainly(pep, answer, message):
    with pytest.raises(ValidationError, match=message):
        _request(pep, 800, **answer)
    assert not PPPlusRequest.objects.exists()


def test_a_request_goes_to_the_childs_responsible_authority_unless_another_is_chosen(pep):
    assert _request(pep, 100).local_authority == pep.child.responsible_authority


def test_the_child_page_and_the_pdf_show_the_content_attendance_exclusions_and_pp_plus(client, personas, pep):
    _request(pep, 800, answer="part", answered_on=D(2026, 10, 1), amount_approved=Decimal(500))
    Target.objects.filter(pep=pep).update(ppplus_allocated=Decimal(450), ppplus_spent=Decimal(300))
    PEP.objects.filter(pk=pep.pk).update(sessions_possible=120, sessions_attended=100, leisure_interests="Football")
    Suspension.objects.create(child=pep.child, starts_on=D(2026, 10, 5), length_days=Decimal("1.5"), reason="Fight")
    Suspension.objects.create(child=pep.child, starts_on=D(2026, 6, 5), length_days=1, reason="Before this PEP")
    sign_in(client, personas.dt)
    page = client.get(f"/casework/children/{pep.child_id}/").content.decode()
    stored = PEP.objects.get(pk=pep.pk)
    pdf_html = render_to_string("casework/pep_pdf.html", {"pep": stored, "child": stored.child, "generated": None})
    for html in (page, pdf_html):
        assert "100 of 120 sessions: 83.3%" in html and "Persistent absence: below 90%." in html
        assert "Suspension (fixed period) from 5 Oct 2026, 1.5 school days: Fight" in html
        assert "Before this PEP" not in html
        assert "<dt>Leisure interests</dt><dd>Football</dd>" in html
        assert "No PP+ rate is recorded for 2026-27" in html
        assert "<td>£800.00</td><td>£500.00</td><td>£0.00</td><td>£450.00</td><td>£300.00</td>" in html
        assert "Part approved on 1 Oct 2026: £500.00" in html


def test_the_designated_teacher_records_a_request_and_its_answer_in_the_admin(client, personas, pep):
    sign_in(client, personas.dt)
    form = {
        "pep": pep.pk,
        "local_authority": "",
        "requested_on": "2026-09-20",
        "amount_requested": "600",
        "purpose": "Maths tutoring",
        "answer": "awaiting",
        "answered_on": "",
        "amount_approved": "",
        "answer_note": "",
    }
    assert client.post("/admin/casework/ppplusrequest/create/", form).status_code == 302
    request = PPPlusRequest.objects.get(pep=pep)
    assert (request.local_authority, request.recorded_by) == (pep.child.responsible_authority, personas.dt)
    refused = client.post(
        f"/admin/casework/ppplusrequest/edit/{request.pk}/",
        {**form, "answer": "part", "answered_on": "2026-10-01", "amount_approved": "600"},
    )
    assert (
        refused.status_code == 200 and "A part approval is less than the amount requested." in refused.content.decode()
    )
    client.post(
        f"/admin/casework/ppplusrequest/edit/{request.pk}/",
        {**form, "answer": "part", "answered_on": "2026-10-01", "amount_approved": "450"},
    )
    assert PPPlusRequest.objects.get(pk=request.pk).approved == Decimal(450)


def test_the_trust_administrator_keeps_the_rates_and_a_designated_teacher_only_reads_them(client, personas):
    rate = PPPlusRate.objects.get(financial_year="2025-26")
    form = {"financial_year": "2025-26", "amount_per_child": "2630.00", "source": "DfE"}
    sign_in(client, personas.dt)
    assert client.get("/admin/casework/ppplusrate/").status_code == 200
    client.post(f"/admin/casework/ppplusrate/edit/{rate.pk}/", {**form, "amount_per_child": "1"})
    assert PPPlusRate.objects.get(pk=rate.pk).amount_per_child == Decimal("2630.00")
    sign_in(client, personas.admin)
    response = client.post("/admin/casework/ppplusrate/create/", {**form, "financial_year": "2026-27"})
    assert response.status_code == 302
    assert PPPlusRate.objects.get(financial_year="2026-27").amount_per_child == Decimal("2630.00")
