from datetime import date, datetime, timedelta

import pytest
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
        "started_on": date(2025, 9, 3),
        "entered_care_on": date(2025, 6, 1),
    }
    fields.update(extra)
    return Child.objects.create(**fields)


def pep(for_child, term, due_on, signed_off_on=None):
    from casework.enums import PEPStatus
    from casework.models import PEP

    made = PEP.objects.create(
        child=for_child,
        academic_year="2025/26",
        term=term,
        period_starts_on=date(2025, 9, 3),
        period_ends_on=date(2025, 12, 19),
    )
    changes = {"due_on": due_on}
    if signed_off_on:
        changes |= {
            "status": PEPStatus.SIGNED_OFF,
            "signed_off_at": timezone.make_aware(datetime.combine(signed_off_on, datetime.min.time())),
        }
    PEP.objects.filter(pk=made.pk).update(**changes)


def test_casework_figures_count_children_in_care_and_peps_in_place_on_time(personas):
    from casework.enums import Cohort

    today = timezone.localdate()
    on_time, late = child(personas.brook, "One"), child(personas.brook, "Two")
    child(personas.brook, "Adopted", cohort=Cohort.PREVIOUSLY_LOOKED_AFTER, entered_care_on=None)
    child(personas.brook, "Left", left_on=today - timedelta(days=30))
    child(personas.castle, "Elsewhere")
    pep(on_time, "autumn", due_on=today - timedelta(days=10), signed_off_on=today - timedelta(days=12))
    pep(late, "autumn", due_on=today - timedelta(days=5))
    pep(late, "spring", due_on=today + timedelta(days=30))  # not due yet: not counted

    figures = casework_oversight([personas.brook.pk, personas.castle.pk])
    brook = figures[personas.brook.pk]
    assert (brook.children_in_care, brook.previously_looked_after) == (2, 1)
    assert (brook.peps_due, brook.peps_on_time, brook.peps_overdue, brook.on_time_percent) == (2, 1, 1, 50)
    assert figures[personas.castle.pk].children_in_care == 1
    assert total(figures).children_in_care == 3


def test_no_schools_means_no_figures():
    assert casework_oversight([]) == {}
