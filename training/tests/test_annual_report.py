"""The designated teacher's annual report to the governing board: a PDF of figures, never a child's identity."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import sign_in
from training.annual_report import TITLE, chosen_year, render_html
from training.models import LocalAuthorityTraining
from training.tests.briefing_helpers import complete, staff_module
from trust.calendar_models import academic_year_of

pytestmark = pytest.mark.django_db

URL = "/briefing/brook/annual-report/"


def child_identities(children):
    """Everything that would identify a child: names, UPNs and dates of birth as a report might print them."""
    found = []
    for c in children:
        found += [c.legal_first_name, c.legal_last_name, c.upn, c.preferred_name]
        found += [
            f"{c.date_of_birth:%d/%m/%Y}",
            f"{c.date_of_birth:%Y-%m-%d}",
            f"{c.date_of_birth.day} {c.date_of_birth:%B %Y}",
        ]
    return [value for value in found if value]


@pytest.fixture
def world(personas):
    from casework.enums import Cohort
    from casework.tests.factories import ChildFactory, PEPFactory, add_terms

    today = timezone.localdate()
    first_year = int(academic_year_of(today)[:4])
    for year in (first_year - 1, first_year, first_year + 1):
        add_terms(personas.brook, year)
    started = datetime.date(first_year - 1, 9, 3)
    children = [
        # No PEP signed off since starting a year ago: overdue (the deadline engine's rule, as on the casework home).
        ChildFactory(
            school=personas.brook, legal_first_name="Quillon", legal_last_name="Brightwater", started_on=started
        ),
        # Had a PEP before the portal, yesterday: nothing overdue.
        ChildFactory(
            school=personas.brook,
            legal_first_name="Zephyrine",
            legal_last_name="Oakhollow",
            started_on=started,
            pep_before_portal_on=today - datetime.timedelta(days=1),
        ),
        ChildFactory(
            school=personas.brook,
            legal_first_name="Marisol",
            legal_last_name="Thistledown",
            cohort=Cohort.PREVIOUSLY_LOOKED_AFTER,
            entered_care_on=None,
        ),
    ]
    PEPFactory(child=children[0], academic_year=academic_year_of(today))
    module = staff_module("Safeguarding essentials")
    complete(personas.staff, module)
    LocalAuthorityTraining.objects.create(
        school=personas.brook,
        attendee=personas.dt,
        course="Designated teacher network: PEP quality",
        provider="Leicestershire Virtual School",
        attended_on=today,
    )
    return children


def test_the_governor_downloads_their_schools_annual_report_as_a_pdf(client, personas, world):
    sign_in(client, personas.governor)
    response = client.get(URL)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    year = academic_year_of(timezone.localdate()).replace("/", "-")
    assert f"designated-teacher-annual-report-brook-{year}.pdf" in response["Content-Disposition"]


def test_the_report_holds_the_figures_briefing_completion_and_the_designated_teachers_training(personas, world):
    year = academic_year_of(timezone.localdate())
    html = render_html(personas.brook, year)
    assert TITLE.replace("'", "&#x27;") in html and "Brook Primary School" in html and year in html
    assert "Children in care on roll</th><td>2</td>" in html
    assert "Previously looked-after children on roll</th><td>1</td>" in html
    assert "PEPs overdue</th><td>1</td>" in html
    assert "Safeguarding essentials" in html and "Briefed %" in html
    assert "Designated teacher network: PEP quality" in html and "Leicestershire Virtual School" in html
    assert personas.dt.get_full_name() in html


def test_the_report_never_names_a_child_nor_gives_a_date_of_birth_or_upn(personas, world):
    from casework.models import Child

    html = render_html(personas.brook, academic_year_of(timezone.localdate()))
    for identity in child_identities(Child.objects.all()):
        assert identity not in html, identity
    # Nor the names of staff who are outstanding: governors see numbers.
    assert personas.governor.get_full_name() not in html


def test_the_demo_childrens_identities_are_in_no_schools_report(settings, tmp_path):
    from casework import demo as casework_demo
    from casework.models import Child
    from training import demo as training_demo
    from trust import demo as trust_demo
    from trust.models import School

    settings.MEDIA_ROOT = tmp_path
    trust_demo.load()
    casework_demo.load()
    training_demo.load()
    children = list(Child.objects.all())
    assert children
    identities = child_identities(children)
    for school in School.objects.all():
        html = render_html(school, academic_year_of(timezone.localdate()))
        assert "Children in care on roll" in html
        assert not [value for value in identities if value in html], school


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("governor", 200),
        ("dt", 200),
        ("head", 200),
        ("admin", 200),
        ("dt_castle", 404),
        ("staff", 403),
        ("nobody", 403),
    ],
)
def test_only_the_schools_governor_designated_teacher_executive_head_and_administrator_may_download(
    client, personas, world, who, status
):
    sign_in(client, getattr(personas, who))
    assert client.get(URL).status_code == status


def test_the_governor_of_another_school_gets_404(client, personas, world):
    sign_in(client, personas.governor)
    assert client.get("/briefing/meadow/annual-report/").status_code == 404
    assert client.get("/briefing/no-such-school/annual-report/").status_code == 404


def test_an_earlier_academic_year_may_be_chosen(client, personas, world):
    sign_in(client, personas.governor)
    start = int(academic_year_of(timezone.localdate())[:4]) - 1
    earlier = f"{start}/{(start + 1) % 100:02d}"
    response = client.get(URL, {"year": earlier})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert earlier.replace("/", "-") in response["Content-Disposition"]
    html = render_html(personas.brook, earlier)
    # Last year: each child in care owed an initial PEP, then spring's and summer's; none signed off on time.
    assert "PEPs due this year so far</th><td>6</td>" in html and "PEPs overdue</th><td>2</td>" in html
    assert "PEPs in place by their due date (first PEP: within 20 school days" in html


@pytest.mark.parametrize(
    ("year", "message"),
    [("2025", "Write the academic year as, for example, 2026/27."), ("2099/00", "not 2099/00")],
)
def test_a_bad_year_is_refused_with_a_clear_message(client, personas, world, year, message):
    sign_in(client, personas.governor)
    response = client.get(URL, {"year": year}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/briefing/brook/"
    assert message in response.content.decode()


def test_the_current_year_is_the_default(personas):
    assert chosen_year(None, datetime.date(2026, 11, 30)) == "2026/27"
    assert chosen_year("", datetime.date(2027, 8, 31)) == "2026/27"
    with pytest.raises(ValidationError):
        chosen_year("2027/28", datetime.date(2027, 8, 31))


def test_the_schools_briefing_page_links_to_the_report(client, personas, world):
    sign_in(client, personas.governor)
    html = client.get("/briefing/brook/").content.decode()
    assert URL in html and "annual report to the governing board" in html


def test_each_download_is_logged(client, personas, world):
    from wagtail.models import ModelLogEntry

    sign_in(client, personas.head)
    client.get(URL)
    assert ModelLogEntry.objects.filter(action="training.annual_report", user=personas.head).exists()
