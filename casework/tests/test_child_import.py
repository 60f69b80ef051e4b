"""Go-live: import existing children and their last PEP date from CSV, all or nothing, for one's own school."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from casework.models import Child

from .factories import LocalAuthorityFactory, add_terms, make_upn

pytestmark = pytest.mark.django_db

HEADER = "legal_first_name,legal_last_name,date_of_birth,year_group,started_on,entered_care_on,last_pep_on,upn,responsible_authority\n"


def _run(tmp_path, text, school="brook", email="dt@symphony.example"):
    path = tmp_path / "children.csv"
    path.write_text(text, encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_children", school, str(path), "--as", email, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@time_machine.travel(datetime.datetime(2026, 11, 30, 10, tzinfo=datetime.UTC), tick=False)
def test_children_and_their_last_pep_are_imported_and_the_first_pep_here_is_a_term_review(personas, tmp_path):
    from casework.deadlines import DeadlineEngine

    add_terms(personas.brook, 2026)
    LocalAuthorityFactory(name="Leicestershire")
    text = HEADER + (
        f"Ada,Lovelace,2016-05-01,5,2025-09-03,2025-06-01,2026-10-01,{make_upn(901)},Leicestershire\n"
        f"Ben,Brook,2017-02-03,4,2026-11-16,2026-11-16,,{make_upn(902)},\n"
    )
    out, _ = _run(tmp_path, text)
    assert "Brook Primary School: 2 children imported, 1 with a PEP from before the portal." in out
    ada, ben = Child.objects.get(legal_first_name="Ada"), Child.objects.get(legal_first_name="Ben")
    assert ada.school == personas.brook and ada.pep_before_portal_on == datetime.date(2026, 10, 1)
    engine = DeadlineEngine([personas.brook])
    ada_pep = next(d for d in engine.deadlines_for(ada) if d.kind in ("initial_pep", "pep_review"))
    ben_pep = next(d for d in engine.deadlines_for(ben) if d.kind in ("initial_pep", "pep_review"))
    assert (ada_pep.kind, ada_pep.due_on, ada_pep.flags) == (
        "pep_review",
        datetime.date(2027, 3, 25),
        [],
    )  # Good Friday is 26 March
    assert (ben_pep.kind, ben_pep.due_on) == ("initial_pep", datetime.date(2026, 12, 14))


@time_machine.travel(datetime.datetime(2026, 11, 30, 10, tzinfo=datetime.UTC), tick=False)
def test_one_wrong_line_imports_nothing_and_each_error_names_its_line(personas, tmp_path):
    text = HEADER + (
        f"Ada,Lovelace,2016-05-01,5,2025-09-03,2025-06-01,,{make_upn(901)},\n"
        "Ben,Brook,03/02/2017,4,2026-11-16,,,,\n"
        f"Cy,Coe,2016-05-01,5,2025-09-03,2025-06-01,2027-01-01,{make_upn(901)},Nowhere\n"
    )
    with pytest.raises(CommandError, match="Nothing was imported: 2 lines need correcting"):
        _run(tmp_path, text)
    assert not Child.objects.exists()


def test_errors_are_specific(personas, tmp_path):
    from casework.child_import import parse

    with time_machine.travel(datetime.datetime(2026, 11, 30, 10, tzinfo=datetime.UTC), tick=False):
        _, errors = parse(
            personas.brook,
            HEADER
            + f"Ada,Lovelace,2016-05-01,5,2025-09-03,2025-06-01,,{make_upn(901)},\n"
            + "Ben,Brook,03/02/2017,4,2026-11-16,,,,\n"
            + f"Cy,Coe,2016-05-01,5,2025-09-03,2025-06-01,2027-01-01,{make_upn(901)},Nowhere\n",
        )
    assert errors[0].startswith("Line 3: date of birth '03/02/2017' is not a date: write it as 2026-09-03")
    assert errors[1].startswith("Line 4: no local authority is called 'Nowhere': add it first")
    assert len(errors) == 2


def test_only_the_schools_designated_teacher_may_import(personas, tmp_path):
    text = HEADER + f"Ada,Lovelace,2016-05-01,5,2025-09-03,2025-06-01,,{make_upn(901)},\n"
    with pytest.raises(CommandError, match="is not a designated teacher at Castle Academy: nothing was imported"):
        _run(tmp_path, text, school="castle")
    assert not Child.objects.exists()
