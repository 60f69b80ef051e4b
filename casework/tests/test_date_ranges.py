"""Dates a person could mean: forms refuse absurd dates plainly, and no stored date, however odd, makes a page a 500."""

import datetime
import re

import pytest
import time_machine

from casework.models import PEP, Child, Review, Target, Transition
from conftest import sign_in

from .factories import ChildFactory, PEPFactory, ReviewFactory, TargetFactory, TransitionFactory, add_terms

NOW = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC)
FAR = datetime.date(9999, 12, 31)
EARLY = datetime.date(1, 1, 1)


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def child(personas):
    add_terms(personas.brook, 2026)
    child = ChildFactory(school=personas.brook, legal_first_name="Brooklyn")
    pep = PEPFactory(child=child)
    TargetFactory(pep=pep)
    ReviewFactory(child=child)
    TransitionFactory(child=child)
    return child


STORED = [
    (Child, "date_of_birth", "Date of birth"),
    (Child, "entered_care_on", "Entered care on"),
    (Child, "started_on", "Started on"),
    (Child, "left_on", "Left on"),
    (PEP, "period_starts_on", "Period starts on"),
    (PEP, "period_ends_on", "Period ends on"),
    (PEP, "meeting_date", "Meeting date"),
    (Review, "held_on", "Date of the review"),
    (Review, "report_sent_on", "Report sent on"),
    (Review, "next_review_on", "Next review"),
    (Target, "by_when", "By when"),
    (Transition, "left_on", "Left on"),
]


def _store(child, model, name, value):
    """Write the value straight to the database, as a bad import or a hand edit would: no form, no clean."""
    if model is Child:
        rows = Child.objects.filter(pk=child.pk)
    elif model is Target:
        rows = Target.objects.filter(pep__child=child)
    else:
        rows = model.objects.filter(child=child)
    assert rows.update(**{name: value})


@pytest.mark.parametrize("value", [FAR, EARLY], ids=["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize(("model", "name", "label"), STORED, ids=[f"{m.__name__}.{n}" for m, n, _ in STORED])
def test_a_stored_absurd_date_is_named_on_every_page_and_never_a_500(
    client, personas, child, model, name, label, value
):
    _store(child, model, name, value)
    sign_in(client, personas.dt)
    pages = {
        "dashboard": client.get("/"),
        "casework home": client.get("/casework/"),
        "calendar": client.get("/casework/deadlines.ics"),
        "child": client.get(f"/casework/children/{child.pk}/"),
    }
    for where, response in pages.items():
        assert response.status_code == 200, (where, response.status_code)
    for where in ("casework home", "child"):
        # "Date of birth looks wrong: check the record"; on another record, which one: "By when (Reading target) ..."
        assert re.search(rf"{label}( \([^)<]*\))? looks wrong: check the record", pages[where].content.decode()), where
    assert "looks wrong" in pages["dashboard"].content.decode()
