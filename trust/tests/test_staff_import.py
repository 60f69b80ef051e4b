import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from conftest import sign_in
from trust.enums import Role
from trust.models import Membership
from trust.staff_import import import_staff

pytestmark = pytest.mark.django_db
User = get_user_model()

GOOD = """email,first_name,last_name,roles,job_title
ann.ash@symphony.example,Ann,Ash,staff,Class teacher
bob.birch@symphony.example,Bob,Birch,staff;governor,Teaching assistant
"""


def test_a_good_file_adds_people_with_their_roles(personas):
    result = import_staff(personas.brook, GOOD)
    assert result.ok, result.errors
    assert result.created == 2
    bob = User.objects.get(email="bob.birch@symphony.example")
    roles = set(Membership.objects.current().filter(user=bob, school=personas.brook).values_list("role", flat=True))
    assert roles == {Role.STAFF, Role.GOVERNOR}
    assert set(bob.groups.values_list("name", flat=True)) == {"Staff", "Governors"}


def test_a_file_with_errors_imports_nothing_and_names_each_bad_line(personas):
    bad = GOOD + "not-an-email,Cat,Cole,staff,\ndan@symphony.example,,Dee,wizard,\nann.ash@symphony.example,Ann,Ash,staff,\n"
    result = import_staff(personas.brook, bad)
    assert not result.ok
    assert result.errors == [
        "Line 4: 'not-an-email' is not a valid email address.",
        "Line 5: the first name is empty; 'wizard' is not a role that can be imported (use staff, governor or designated teacher).",
        "Line 6: ann.ash@symphony.example is already on line 2.",
    ]
    assert not User.objects.filter(email="ann.ash@symphony.example").exists()


def test_a_file_without_the_needed_columns_is_refused(personas):
    result = import_staff(personas.brook, "name,mail\nAnn,ann@x.example\n")
    assert result.errors == ["Line 1: the file needs the columns email, first_name, last_name; missing email, first_name, last_name."]


def test_reimporting_updates_rather_than_duplicates(personas):
    import_staff(personas.brook, GOOD)
    again = import_staff(personas.brook, GOOD.replace("Class teacher", "Deputy head"))
    assert again.ok and again.created == 0 and again.updated == 2
    assert User.objects.filter(email="ann.ash@symphony.example").count() == 1
    assert Membership.objects.current().filter(user__email="ann.ash@symphony.example").get().job_title == "Deputy head"


def test_people_who_left_are_deactivated_never_deleted(personas):
    import_staff(personas.brook, GOOD)
    result = import_staff(personas.brook, GOOD.splitlines()[0] + "\n" + GOOD.splitlines()[1] + "\n")
    assert result.deactivated == 1
    bob = User.objects.get(email="bob.birch@symphony.example")
    assert bob.is_active is False
    assert Membership.objects.filter(user=bob).count() == 2  # history kept, both ended
    assert not Membership.objects.current().filter(user=bob).exists()
    assert not bob.groups.exists()


def test_a_leaver_who_works_at_another_school_stays_active(personas):
    import_staff(personas.meadow, "email,first_name,last_name\nann.ash@symphony.example,Ann,Ash\n")
    import_staff(personas.brook, GOOD)
    import_staff(personas.brook, "email,first_name,last_name\nbob.birch@symphony.example,Bob,Birch\n")
    ann = User.objects.get(email="ann.ash@symphony.example")
    assert ann.is_active
    assert list(Membership.objects.current().filter(user=ann).values_list("school__slug", flat=True)) == ["meadow"]


def test_the_command_reports_bad_rows_and_fails(personas, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text("email,first_name,last_name\nnope,Ann,Ash\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_staff", "brook", str(path), stderr=err)
    assert "Line 2: 'nope' is not a valid email address." in err.getvalue()


def test_the_command_imports_a_good_file(personas, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(GOOD)
    out = io.StringIO()
    call_command("import_staff", "brook", str(path), "--confirm-deactivations", "2", stdout=out)  # brook's staff and governor
    assert "Brook Primary School: 2 people added" in out.getvalue()


def test_trust_administrator_imports_through_the_admin_after_a_preview(client, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    sign_in(client, personas.admin)
    keep = "staff@symphony.example,Sam,Staff,staff,\ngovernor@symphony.example,Gill,Governor,governor,\ndt@symphony.example,Dee,Tee,designated teacher;staff,\n"
    upload = SimpleUploadedFile("staff.csv", (GOOD + keep).encode(), content_type="text/csv")
    response = client.post("/admin/trust/import-staff/", {"school": personas.brook.pk, "file": upload})
    assert "Nothing has been saved yet" in response.content.decode()
    assert not User.objects.filter(email="ann.ash@symphony.example").exists()
    response = client.post(
        "/admin/trust/import-staff/", {"action": "confirm", "digest": response.context["plan"].digest}, follow=True
    )
    assert response.status_code == 200
    assert "Brook Primary School: 2 people added" in response.content.decode()
    assert User.objects.filter(email="ann.ash@symphony.example").exists()


def test_the_admin_upload_shows_every_bad_line(client, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    sign_in(client, personas.admin)
    upload = SimpleUploadedFile("staff.csv", b"email,first_name,last_name\nnope,Ann,Ash\n", content_type="text/csv")
    response = client.post("/admin/trust/import-staff/", {"school": personas.brook.pk, "file": upload})
    assert response.status_code == 200
    assert "Line 2: &#x27;nope&#x27; is not a valid email address." in response.content.decode()
    assert "Nothing was imported" in response.content.decode()


def test_a_cell_too_big_for_the_csv_reader_is_a_numbered_line_not_a_server_error(client, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    sign_in(client, personas.admin)
    huge = b"email,first_name,last_name\nann.ash@symphony.example,Ann,Ash\nbob@symphony.example," + b"x" * 200_000 + b",B\n"
    upload = SimpleUploadedFile("staff.csv", huge, content_type="text/csv")
    response = client.post("/admin/trust/import-staff/", {"school": personas.brook.pk, "file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Line 3: this line cannot be read (field larger than field limit" in page
    assert not User.objects.filter(email="ann.ash@symphony.example").exists()
