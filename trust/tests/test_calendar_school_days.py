import datetime

import pytest

from trust.calendar_ical import export_calendar, import_calendar
from trust.calendar_models import academic_year_after, academic_year_of
from trust.models import NonTeachingDay, Term
from trust.school_days import (
    DayUnit,
    MissingTermDates,
    SchoolCalendar,
    add_days,
    add_working_days,
    working_days_between,
)
from trust.tests.factories import SchoolFactory

D = datetime.date


@pytest.fixture
def brook(db):
    school = SchoolFactory(slug="brook", name="Brook Primary School")
    year = "2026/27"
    for name, start, end in [
        ("Autumn 1", D(2026, 9, 2), D(2026, 10, 23)),
        ("Autumn 2", D(2026, 11, 2), D(2026, 12, 18)),
        ("Spring 1", D(2027, 1, 5), D(2027, 2, 12)),
        ("Spring 2", D(2027, 2, 22), D(2027, 3, 25)),
        ("Summer 1", D(2027, 4, 12), D(2027, 5, 28)),
        ("Summer 2", D(2027, 6, 7), D(2027, 7, 21)),
    ]:
        Term.objects.create(school=school, academic_year=year, name=name, starts_on=start, ends_on=end)
    NonTeachingDay.objects.create(school=school, date=D(2026, 9, 2), kind="inset")
    NonTeachingDay.objects.create(school=school, date=D(2026, 11, 2), kind="inset")
    NonTeachingDay.objects.create(school=school, date=D(2027, 5, 6), kind="closure", reason="Polling station")
    return school


def test_counting_starts_the_day_after_the_event(brook):
    # Thursday 10 Sept 2026: day one is Friday 11th, day two Monday 14th.
    assert add_days(brook, D(2026, 9, 10), 1) == D(2026, 9, 11)
    assert add_days(brook, D(2026, 9, 10), 2) == D(2026, 9, 14)


def test_a_start_on_a_non_school_day_counts_from_the_next_school_day(brook):
    # Saturday 12 Sept: Monday 14th is day one.
    assert add_days(brook, D(2026, 9, 12), 1) == D(2026, 9, 14)


def test_an_inset_day_at_the_start_of_term_is_not_a_school_day(brook):
    calendar = SchoolCalendar.for_school(brook)
    assert not calendar.is_school_day(D(2026, 9, 2))
    assert calendar.is_school_day(D(2026, 9, 3))
    assert add_days(brook, D(2026, 9, 1), 1) == D(2026, 9, 3)


def test_half_term_is_skipped(brook):
    # Friday 23 Oct is the last day before half term; 2 Nov is INSET, so day one is Tuesday 3 Nov.
    assert add_days(brook, D(2026, 10, 23), 1) == D(2026, 11, 3)


def test_twenty_school_days_run_across_half_term(brook):
    # From Monday 12 Oct: 9 days to 23 Oct (13-16, 19-23), then 3 Nov onwards: 11 more = 17 Nov.
    assert add_days(brook, D(2026, 10, 12), 20) == D(2026, 11, 17)


def test_christmas_holiday_and_bank_holidays_are_skipped(brook):
    # Last day of autumn term is 18 Dec; spring starts 5 Jan (1 Jan is a bank holiday anyway).
    assert add_days(brook, D(2026, 12, 18), 1) == D(2027, 1, 5)


def test_a_bank_holiday_inside_a_term_is_not_a_school_day(brook):
    calendar = SchoolCalendar.for_school(brook)
    assert not calendar.is_school_day(D(2027, 5, 3))  # Early May bank holiday
    assert add_days(brook, D(2027, 4, 30), 1) == D(2027, 5, 4)


def test_a_closure_day_is_not_a_school_day(brook):
    assert add_days(brook, D(2027, 5, 5), 1) == D(2027, 5, 7)


def test_working_days_count_school_holidays_but_not_bank_holidays(brook):
    # 24 Dec 2026 (Thu) + 1 working day: 25 Dec and 28 Dec are bank holidays -> 29 Dec.
    assert add_days(brook, D(2026, 12, 24), 1, DayUnit.WORKING) == D(2026, 12, 29)


def test_calendar_days_are_plain_days(brook):
    assert add_days(brook, D(2026, 12, 24), 8, DayUnit.CALENDAR) == D(2027, 1, 1)


def test_a_missing_academic_year_is_an_error_naming_the_school_and_year(brook):
    with pytest.raises(MissingTermDates) as raised:
        add_days(brook, D(2027, 7, 19), 10)
    assert str(raised.value) == "No term dates for Brook Primary School in 2027/28"


def test_a_start_in_a_year_with_no_terms_is_an_error(brook):
    with pytest.raises(MissingTermDates, match="2025/26"):
        add_days(brook, D(2026, 3, 2), 1)


def test_leap_years_are_counted(db):
    school = SchoolFactory(slug="leap", name="Leap School")
    Term.objects.create(
        school=school, academic_year="2027/28", name="Spring 1", starts_on=D(2028, 1, 4), ends_on=D(2028, 3, 31)
    )
    # Friday 25 Feb 2028 -> Monday 28 Feb, Tuesday 29 Feb (leap day), Wednesday 1 March.
    assert add_days(school, D(2028, 2, 25), 3) == D(2028, 3, 1)
    assert add_days(school, D(2028, 2, 28), 2, DayUnit.CALENDAR) == D(2028, 3, 1)


def test_days_between_counts_school_days_after_the_first_date(brook):
    calendar = SchoolCalendar.for_school(brook)
    assert calendar.days_between(D(2026, 10, 23), D(2026, 11, 4)) == 2
    assert calendar.subtract(D(2026, 11, 4), 2) == D(2026, 10, 23)


def test_a_term_must_sit_inside_its_academic_year(brook):
    from django.core.exceptions import ValidationError

    term = Term(school=brook, academic_year="2027/28", name="Autumn 1", starts_on=D(2026, 9, 1), ends_on=D(2026, 9, 30))
    with pytest.raises(ValidationError):
        term.full_clean()


def test_term_dates_survive_an_icalendar_round_trip(brook):
    data = export_calendar(brook)
    other = SchoolFactory(slug="copy", name="Copy School")
    result = import_calendar(other, data)
    assert result.terms == 6
    assert result.inset_days == 2 and result.closure_days == 1
    a, b = SchoolCalendar.for_school(brook), SchoolCalendar.for_school(other)
    assert a.add(D(2026, 9, 1), 60) == b.add(D(2026, 9, 1), 60)


def test_an_imported_file_skips_holidays(db):
    school = SchoolFactory(slug="ics", name="Ics School")
    ics = b"""BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//LA//EN\r\nBEGIN:VEVENT\r\nUID:1\r\nSUMMARY:Autumn term\r\nDTSTART;VALUE=DATE:20260903\r\nDTEND;VALUE=DATE:20261024\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:2\r\nSUMMARY:October half term holiday\r\nDTSTART;VALUE=DATE:20261026\r\nDTEND;VALUE=DATE:20261031\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:3\r\nSUMMARY:INSET day\r\nDTSTART;VALUE=DATE:20260903\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"""
    result = import_calendar(school, ics)
    assert (result.terms, result.inset_days, result.skipped) == (1, 1, [])
    assert list(school.terms.values_list("starts_on", "ends_on")) == [(datetime.date(2026, 9, 3), datetime.date(2026, 10, 23))]


def test_the_trust_administrator_exports_a_schools_calendar(brook, client):
    from conftest import sign_in
    from trust.enums import Role
    from trust.tests.factories import MembershipFactory, UserFactory

    admin = UserFactory(email="dpo@symphony.example")
    MembershipFactory(user=admin, role=Role.TRUST_ADMIN, school=None)
    sign_in(client, admin)
    response = client.get("/admin/trust/calendar/brook/export.ics")
    assert response.status_code == 200
    assert b"BEGIN:VCALENDAR" in response.content and b"Autumn 1" in response.content


def test_the_trust_administrator_imports_term_dates_in_the_admin(brook, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from conftest import sign_in
    from trust.enums import Role
    from trust.tests.factories import MembershipFactory, UserFactory

    admin = UserFactory(email="dpo2@symphony.example")
    MembershipFactory(user=admin, role=Role.TRUST_ADMIN, school=None)
    other = SchoolFactory(slug="other", name="Other School")
    sign_in(client, admin)
    upload = SimpleUploadedFile("brook.ics", export_calendar(brook), content_type="text/calendar")
    response = client.post("/admin/trust/calendar/import/", {"school": other.pk, "file": upload})
    assert response.status_code == 302
    assert Term.objects.filter(school=other).count() == 6


def test_a_file_that_is_not_icalendar_is_refused_with_a_message(brook, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from conftest import sign_in
    from trust.enums import Role
    from trust.tests.factories import MembershipFactory, UserFactory

    admin = UserFactory(email="dpo3@symphony.example")
    MembershipFactory(user=admin, role=Role.TRUST_ADMIN, school=None)
    sign_in(client, admin)
    upload = SimpleUploadedFile("x.ics", b"hello", content_type="text/calendar")
    response = client.post("/admin/trust/calendar/import/", {"school": brook.pk, "file": upload})
    assert "Nothing was imported" in response.content.decode()


def test_an_impossible_date_in_a_term_file_is_refused_with_a_message(brook, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from conftest import sign_in
    from trust.enums import Role
    from trust.tests.factories import MembershipFactory, UserFactory

    admin = UserFactory(email="dpo4@symphony.example")
    MembershipFactory(user=admin, role=Role.TRUST_ADMIN, school=None)
    sign_in(client, admin)
    ics = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//x//EN\r\nBEGIN:VEVENT\r\nUID:1\r\nSUMMARY:Autumn 1\r\n"
        b"DTSTART;VALUE=DATE:20261399\r\nDTEND;VALUE=DATE:20261024\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    upload = SimpleUploadedFile("x.ics", ics, content_type="text/calendar")
    response = client.post("/admin/trust/calendar/import/", {"school": brook.pk, "file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Autumn 1: its start or end date cannot be read" in page and "Nothing was imported" in page


def test_a_count_from_the_august_before_the_first_entered_year_starts_at_its_first_term(brook):
    calendar = SchoolCalendar.for_school(brook)
    assert "2025/26" not in calendar.years and "2026/27" in calendar.years
    assert calendar.add(datetime.date(2026, 8, 20), 1) == datetime.date(2026, 9, 3)  # 2 Sep is an INSET day
    assert calendar.add(datetime.date(2026, 8, 20), 20) == datetime.date(2026, 9, 30)
    with pytest.raises(MissingTermDates, match="2025/26"):
        calendar.add(datetime.date(2026, 7, 10), 1)  # July may still be term: the missing year is named


@pytest.mark.parametrize(
    ("day", "year", "next_year"),
    [
        (D(2026, 8, 31), "2025/26", "2026/27"),
        (D(2026, 9, 1), "2026/27", "2027/28"),
        (D(2027, 1, 14), "2026/27", "2027/28"),
        (D(1999, 12, 1), "1999/00", "2000/01"),
        (D(9999, 12, 31), "9999/00", "10000/01"),  # a date stored by mistake still names a year, never a 500
    ],
)
def test_the_academic_year_and_the_next_are_one_rule(day, year, next_year):
    assert academic_year_of(day) == year
    assert academic_year_after(day) == next_year


def test_working_days_need_no_school_and_skip_weekends_and_bank_holidays():
    # Thursday 2 April 2026: Good Friday and Easter Monday are bank holidays.
    assert add_working_days(D(2026, 4, 2), 1) == D(2026, 4, 7)
    assert working_days_between(D(2026, 4, 2), D(2026, 4, 9)) == 3
    assert working_days_between(D(2026, 4, 9), D(2026, 4, 2)) == -3
