"""The served briefing's casework figures (training/oversight.py `kept_casework_oversight`): kept for the day
under the content and casework generations, and never out of date or mixed between schools.

Each test first shows that the figures are kept (a second view reads no child), then that a change shows at
once. The test settings turn the shared cache on (PERSONAL_PAGE_CACHE, a locmem cache).
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import sign_in

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# 10 October 2026: a child who started on 7 September had their first PEP due on 5 October (20 school days).
AFTER_THE_FIRST_PEP_WAS_DUE = datetime(2026, 10, 10, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def frozen_day():
    with time_machine.travel(AFTER_THE_FIRST_PEP_WAS_DUE, tick=False) as traveller:
        yield traveller


def in_care(school, name, **extra):
    from casework.models import Child

    fields = {
        "school": school,
        "legal_first_name": name,
        "legal_last_name": "Example",
        "date_of_birth": date(2016, 5, 1),
        "year_group": "4",
        "started_on": date(2026, 9, 7),
        "entered_care_on": date(2025, 6, 1),
    }
    fields.update(extra)
    return Child.objects.create(**fields)


def with_terms(*schools):
    from casework.tests.factories import add_terms

    for school in schools:
        add_terms(school, 2026)


def served(client, path="/briefing/"):
    """The casework figures the page shows, and whether the page read any child to show them."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    figures = response.context["casework_totals"] if path == "/briefing/" else response.context["entry"].casework
    read_children = any('FROM "casework_child"' in q["sql"] for q in captured.captured_queries)
    return figures, read_children


def kept(client, path="/briefing/"):
    """The figures after two views: the second must come from what the first kept."""
    served(client, path)
    figures, read_children = served(client, path)
    assert not read_children, "the figures were worked out again, not kept"
    return figures


def test_a_pep_signed_off_shows_at_once(client, personas):
    from casework.enums import PEPStatus
    from casework.tests.factories import PEPFactory

    with_terms(personas.brook)
    child = in_care(personas.brook, "Ada")
    pep = PEPFactory(child=child, status=PEPStatus.DRAFT, complete=True)
    sign_in(client, personas.head)
    assert kept(client).peps_overdue == 1

    pep.status = PEPStatus.SIGNED_OFF
    pep.signed_off_at = timezone.now()
    pep.save()

    figures, _ = served(client)
    assert (figures.peps_overdue, figures.peps_due, figures.peps_on_time) == (0, 1, 0)  # signed off, but late


def test_a_child_added_and_a_child_leaving_show_at_once(client, personas):
    with_terms(personas.brook)
    first = in_care(personas.brook, "Ada")
    sign_in(client, personas.head)
    assert kept(client).children_in_care == 1

    in_care(personas.brook, "Ben")
    assert served(client)[0].children_in_care == 2
    assert kept(client).children_in_care == 2

    first.left_on = timezone.localdate() - timedelta(days=1)
    first.save()
    assert served(client)[0].children_in_care == 1


def test_term_dates_entered_show_at_once(client, personas):
    in_care(personas.brook, "Ada")  # Brook has no term dates yet: the PEP deadline cannot be worked out
    sign_in(client, personas.head)
    before = kept(client)
    assert (before.not_worked_out, before.peps_overdue) == (1, 0)

    with_terms(personas.brook)

    after, _ = served(client)
    assert (after.not_worked_out, after.peps_overdue) == (0, 1)


def test_an_inset_day_added_moves_the_deadline_at_once(client, personas, frozen_day):
    from trust.calendar_models import NonTeachingDay

    with_terms(personas.brook)
    in_care(personas.brook, "Ada")
    frozen_day.move_to(datetime(2026, 10, 6, 10, 0, tzinfo=LONDON))  # the day after it was due: overdue
    sign_in(client, personas.head)
    assert kept(client).peps_overdue == 1

    NonTeachingDay.objects.create(school=personas.brook, date=date(2026, 9, 14), kind=NonTeachingDay.Kind.INSET)

    assert served(client)[0].peps_overdue == 0  # now due on 6 October: today, not yet overdue


def test_a_deadline_passing_at_midnight_shows_the_next_morning(client, personas, settings, frozen_day):
    settings.PERSONAL_PAGE_CACHE_SECONDS = 7 * 24 * 3600  # the date in the key turns the figures, not their age
    with_terms(personas.brook)
    in_care(personas.brook, "Ada")
    frozen_day.move_to(datetime(2026, 10, 5, 23, 58, tzinfo=LONDON))  # due today: not yet overdue
    sign_in(client, personas.head)
    assert kept(client).peps_overdue == 0

    frozen_day.move_to(datetime(2026, 10, 6, 0, 1, tzinfo=LONDON))

    assert served(client)[0].peps_overdue == 1


def test_each_school_and_each_scope_shows_its_own_figures(client, personas):
    with_terms(personas.brook, personas.castle)
    in_care(personas.brook, "Ada")
    for name in ("Ben", "Cy", "Di"):
        in_care(personas.castle, name)
    sign_in(client, personas.head)
    assert kept(client).children_in_care == 4
    assert kept(client, "/briefing/brook/").children_in_care == 1
    assert kept(client, "/briefing/castle/").children_in_care == 3

    sign_in(client, personas.governor)  # Brook's governor: Brook's figures only, whatever the head was shown
    assert kept(client).children_in_care == 1
    assert kept(client, "/briefing/brook/").children_in_care == 1
    assert client.get("/briefing/castle/").status_code == 404


# The served briefing of the whole trust, as the executive head: the session, the person, their memberships,
# the report's generation, and (only when the figures are worked out) the schools, their calendars and rules,
# and the children with their PEPs and reviews.
KEPT_QUERIES = 4
WORKED_OUT_QUERIES = 12


@pytest.mark.parametrize("children", [1, 6])
def test_the_served_briefing_query_count_is_pinned(client, personas, children, django_assert_num_queries):
    with_terms(personas.brook, personas.castle)
    for number in range(children):
        in_care(personas.castle if number % 2 else personas.brook, f"Child {number}")
    sign_in(client, personas.head)
    client.get("/briefing/")  # the first page of a session also loads site settings, and keeps the report
    in_care(personas.brook, "Joined today")  # the figures are worked out again; the report is kept
    with django_assert_num_queries(WORKED_OUT_QUERIES):
        client.get("/briefing/")
    with django_assert_num_queries(KEPT_QUERIES):
        client.get("/briefing/")
