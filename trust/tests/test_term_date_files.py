"""Term-date files in the styles schools and local authorities publish, each checked day by day against the
school days it means. Every file here describes the same autumn at a school: term from Thu 3 Sep to Fri
18 Dec 2026, half term Mon 26 to Fri 30 Oct, an INSET day on Thu 3 Sep, so 71 pupil days."""

import datetime
import subprocess
import sys

import pytest
from django.conf import settings

from trust.calendar_ical import CalendarImportError, import_calendar
from trust.school_days import SchoolCalendar
from trust.term_dates import read_plan
from trust.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

AUTUMN_FIRST, AUTUMN_LAST = datetime.date(2026, 9, 3), datetime.date(2026, 12, 18)
HALF_TERM = {datetime.date(2026, 10, 26) + datetime.timedelta(days=n) for n in range(5)}
INSET_DAY = datetime.date(2026, 9, 3)


def expected_school_days():
    day, days = AUTUMN_FIRST, set()
    while day <= AUTUMN_LAST:
        if day.weekday() < 5 and day not in HALF_TERM and day != INSET_DAY:
            days.add(day)
        day += datetime.timedelta(days=1)
    return days


def ics(*events, tz=False):
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//Test//EN"]
    if tz:
        lines += [
            "BEGIN:VTIMEZONE", "TZID:Europe/London",
            "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0000", "TZOFFSETTO:+0100", "TZNAME:BST", "DTSTART:19700329T010000",
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
            "BEGIN:STANDARD", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0000", "TZNAME:GMT", "DTSTART:19701025T020000",
            "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
            "END:VTIMEZONE",
        ]
    for n, (summary, *props) in enumerate(events):
        lines += ["BEGIN:VEVENT", f"UID:{n}@test", f"SUMMARY:{summary}", *props, "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def all_day(first, end_exclusive):
    return [f"DTSTART;VALUE=DATE:{first}", f"DTEND;VALUE=DATE:{end_exclusive}"]


STYLES = {
    "half-term parts, all day": ics(
        ("Autumn 1", *all_day("20260903", "20261024")),
        ("Autumn 2", *all_day("20261102", "20261219")),
        ("INSET day", *all_day("20260903", "20260904")),
    ),
    "whole term with the half term inside it": ics(
        ("Autumn Term", *all_day("20260901", "20261219")),
        ("October Half Term", *all_day("20261024", "20261102")),
        ("INSET day", *all_day("20260903", "20260904")),
        ("Summer holiday ends", *all_day("20260901", "20260903")),
    ),
    "times on the first and last day (London)": ics(
        ("Autumn Term 1", "DTSTART;TZID=Europe/London:20260903T084500", "DTEND;TZID=Europe/London:20261023T151500"),
        ("Autumn Term 2", "DTSTART;TZID=Europe/London:20261102T084500", "DTEND;TZID=Europe/London:20261218T151500"),
        ("Staff Development Day", "DTSTART;TZID=Europe/London:20260903T083000", "DTEND;TZID=Europe/London:20260903T160000"),
        tz=True,
    ),
    "UTC times for London midnights in summer time": ics(
        ("Autumn first half", "DTSTART:20260902T230000Z", "DTEND:20261023T230000Z"),
        ("Autumn second half", "DTSTART:20261102T000000Z", "DTEND:20261219T000000Z"),
        ("Non-pupil day", "DTSTART:20260902T230000Z", "DTEND:20260903T230000Z"),
    ),
    "holidays named as breaks, INSET as professional development": ics(
        ("Autumn Term", *all_day("20260903", "20261219")),
        ("Half Term Break", *all_day("20261026", "20261031")),
        ("Christmas Break", *all_day("20261219", "20270104")),
        ("Professional Development Day", *all_day("20260903", "20260904")),
    ),
    "categories only, names that say nothing": ics(
        ("A", "CATEGORIES:TERM", *all_day("20260903", "20261219")),
        ("B", "CATEGORIES:HOLIDAY", *all_day("20261026", "20261031")),
        ("C", "CATEGORIES:INSET", *all_day("20260903", "20260904")),
    ),
}


@pytest.mark.parametrize("style", STYLES, ids=list(STYLES))
def test_each_style_gives_the_school_days_the_file_means(style):
    school = SchoolFactory(slug="styles", name="Styles School")
    import_calendar(school, STYLES[style])
    calendar = SchoolCalendar.for_school(school)
    day, seen = AUTUMN_FIRST - datetime.timedelta(days=2), set()
    while day <= AUTUMN_LAST + datetime.timedelta(days=2):
        if academic_year_ok(day) and calendar.is_school_day(day):
            seen.add(day)
        day += datetime.timedelta(days=1)
    assert sorted(seen) == sorted(expected_school_days())


def academic_year_ok(day):
    return day >= datetime.date(2026, 9, 1)


def test_the_preview_counts_each_years_school_days_and_warns_of_a_short_year():
    plan = read_plan(STYLES["whole term with the half term inside it"])
    assert plan.pupil_days("2026/27") == len(expected_school_days()) == 71
    lines = plan.lines()
    assert "Academic year 2026/27: 71 school days, 1 INSET days" in lines
    assert "  Term  Autumn Term (1): Thu 3 Sep 2026 to Fri 23 Oct 2026" in lines
    assert "  Term  Autumn Term (2): Mon 2 Nov 2026 to Fri 18 Dec 2026" in lines
    assert any(line.startswith("Warning: 2026/27: 71 pupil days and 1 INSET days") for line in lines)


def test_an_event_it_cannot_classify_is_listed_and_nothing_is_saved_until_the_person_leaves_it_out():
    school = SchoolFactory(slug="unknown", name="Unknown School")
    data = ics(("Autumn 1", *all_day("20260903", "20261024")), ("Harvest festival", *all_day("20261002", "20261003")))
    with pytest.raises(CalendarImportError, match=r"Harvest festival \(Fri 2 Oct 2026\)"):
        import_calendar(school, data)
    assert not school.terms.exists()
    result = import_calendar(school, data, ignore_unclassified=True)
    assert result.terms == 1 and result.skipped == ["Harvest festival (Fri 2 Oct 2026)"]


def test_an_unnamed_run_of_days_inside_a_term_is_a_break_and_the_preview_says_so():
    plan = read_plan(ics(("Autumn Term", *all_day("20260903", "20261219")), ("Week off", *all_day("20261024", "20261102"))))
    assert [(t.starts_on, t.ends_on) for t in plan.terms] == [
        (datetime.date(2026, 9, 3), datetime.date(2026, 10, 23)),
        (datetime.date(2026, 11, 2), datetime.date(2026, 12, 18)),
    ]
    assert any("Week off" in note and "read as a holiday" in note for note in plan.notes)


def manage(*args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, capture_output=True, text=True, check=False,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "portal.settings.dev", "DATABASE_URL": DB_URL},
    )


DB_URL = ""


@pytest.fixture
def command_db(tmp_path):
    """The commands run in their own process, on a database of their own (SQLite in a temporary folder)."""
    global DB_URL
    DB_URL = f"sqlite:///{tmp_path / 'commands.sqlite3'}"
    assert manage("migrate", "--noinput", "-v", "0").returncode == 0
    code = "from trust.models import School; School.objects.create(name='Brook Primary School', slug='brook', urn='100001')"
    assert manage("shell", "-c", code).returncode == 0
    return tmp_path


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_commands_import_a_file_and_count_on_it(command_db):
    path = command_db / "brook.ics"
    path.write_bytes(STYLES["whole term with the half term inside it"])
    dry = manage("import_term_dates", "brook", str(path), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Academic year 2026/27: 71 school days, 1 INSET days" in dry.stdout and "Nothing was saved" in dry.stdout
    refused = manage("add_days", "brook", "2026-10-22", "3", "school")
    assert refused.returncode != 0 and "Brook Primary School" in refused.stderr and "2026/27" in refused.stderr
    assert manage("import_term_dates", "brook", str(path)).returncode == 0
    counted = manage("add_days", "brook", "2026-10-22", "3", "school")
    assert counted.returncode == 0, counted.stderr
    assert counted.stdout.strip().splitlines()[-1] == "2026-11-03"  # Fri 23 Oct, then Mon 2 and Tue 3 Nov
    assert manage("add_days", "brook", "2026-10-22", "3", "calendar").stdout.strip().splitlines()[-1] == "2026-10-25"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_import_command_refuses_with_its_reasons(command_db):
    path = command_db / "odd.ics"
    path.write_bytes(ics(("Autumn 1", *all_day("20260903", "20261024")), ("Harvest festival", *all_day("20261002", "20261003"))))
    result = manage("import_term_dates", "brook", str(path))
    assert result.returncode != 0 and "Harvest festival (Fri 2 Oct 2026)" in result.stderr
    assert manage("import_term_dates", "nowhere", str(path)).returncode != 0


def test_the_administrator_previews_a_file_in_the_admin_and_nothing_is_saved_until_they_import(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from conftest import sign_in
    from trust.enums import Role
    from trust.tests.factories import MembershipFactory, UserFactory

    school = SchoolFactory(slug="preview", name="Preview School")
    admin = UserFactory(email="calendar.admin@symphony.example")
    MembershipFactory(user=admin, role=Role.TRUST_ADMIN, school=None)
    sign_in(client, admin)
    data = STYLES["whole term with the half term inside it"]

    def post(**extra):
        upload = SimpleUploadedFile("terms.ics", data, content_type="text/calendar")
        return client.post("/admin/trust/calendar/import/", {"school": school.pk, "file": upload, **extra})

    page = post(preview="1").content.decode()
    assert "Academic year 2026/27: 71 school days, 1 INSET days" in page and "Nothing has been saved yet" in page
    assert not school.terms.exists()
    assert post().status_code == 302
    assert school.terms.count() == 2


def test_the_admin_lists_what_it_cannot_classify_and_imports_once_the_person_leaves_it_out(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from conftest import sign_in
    from trust.enums import Role
    from trust.tests.factories import MembershipFactory, UserFactory

    school = SchoolFactory(slug="harvest", name="Harvest School")
    admin = UserFactory(email="calendar.admin2@symphony.example")
    MembershipFactory(user=admin, role=Role.TRUST_ADMIN, school=None)
    sign_in(client, admin)
    data = ics(("Autumn 1", *all_day("20260903", "20261024")), ("Harvest festival", *all_day("20261002", "20261003")))

    def post(**extra):
        upload = SimpleUploadedFile("terms.ics", data, content_type="text/calendar")
        return client.post("/admin/trust/calendar/import/", {"school": school.pk, "file": upload, **extra})

    refused = post().content.decode()
    assert "Nothing was imported" in refused and "Harvest festival (Fri 2 Oct 2026)" in refused
    assert not school.terms.exists()
    assert post(leave_out_unclassified="on").status_code == 302
    assert school.terms.count() == 1
