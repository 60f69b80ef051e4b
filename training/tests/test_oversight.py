from datetime import UTC, date, datetime

import pytest
import time_machine
from django.utils import timezone

from training.oversight import casework_oversight, total

pytestmark = pytest.mark.django_db


def child(school, name, **extra):
    from casework.models import Child

    fields = {
        "school": school,
        "legal_first_name": name,
        "legal_last_name": "Example",
        "date_of_birth": date(2016, 5, 1),
        "year_group": "4",
        "started_on": date(2026, 9, 7),  # the initial PEP is due 20 school days later: 5 October
        "entered_care_on": date(2025, 6, 1),
    }
    fields.update(extra)
    return Child.objects.create(**fields)


def signed_pep(for_child, signed_off_on):
    from casework.enums import PEPStatus
    from casework.tests.factories import PEPFactory

    PEPFactory(
        child=for_child,
        status=PEPStatus.SIGNED_OFF,
        signed_off_at=timezone.make_aware(datetime.combine(signed_off_on, datetime.min.time())),
    )


@time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=UTC), tick=False)
def test_casework_figures_count_children_in_care_and_peps_in_place_on_time(personas):
    from casework.enums import Cohort
    from casework.tests.factories import add_terms

    add_terms(personas.brook, 2026)
    add_terms(personas.castle, 2026)
    on_time, late = child(personas.brook, "One"), child(personas.brook, "Two")
    child(personas.brook, "None yet")  # no PEP record at all: overdue, and counted
    child(personas.brook, "Adopted", cohort=Cohort.PREVIOUSLY_LOOKED_AFTER, entered_care_on=None)
    child(personas.brook, "Left", left_on=date(2026, 10, 31))
    child(personas.castle, "Elsewhere")
    signed_pep(on_time, date(2026, 9, 30))
    signed_pep(late, date(2026, 10, 20))  # late, but signed off: no longer overdue

    figures = casework_oversight([personas.brook.pk, personas.castle.pk])
    brook = figures[personas.brook.pk]
    assert (brook.children_in_care, brook.previously_looked_after) == (3, 1)
    assert (brook.peps_due, brook.peps_on_time, brook.peps_overdue, brook.on_time_percent) == (3, 1, 1, 33)
    assert brook.initial_rule == "20 school days"
    assert (figures[personas.castle.pk].children_in_care, figures[personas.castle.pk].peps_overdue) == (1, 1)
    assert total(figures).children_in_care == 4


def test_no_schools_means_no_figures():
    assert casework_oversight([]) == {}
