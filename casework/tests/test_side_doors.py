"""Side doors into casework through Wagtail's own admin screens, for people without a casework role.

The trust administrator manages schools and people, and so opens Wagtail's "Usage" screens of a school
(/admin/schools/usage/<id>/) and of a person (/admin/users/usage/<id>/). Those list every record that points
at the school or the person, read from Wagtail's reference index: a casework record there, even labelled
"(Private child)", tells someone without a casework role how many children in care a school has and which
member of staff a child's suspension, shared recommendation or delegation names. Casework stays out of it.
"""

import datetime
import re

import pytest
from django.apps import apps
from wagtail.models import ReferenceIndex

from casework.models import Delegation, SharedRecommendation, Suspension
from conftest import sign_in

from .factories import ChildFactory, PEPFactory, add_terms

pytestmark = pytest.mark.django_db

CASEWORK_TYPES = {str(model._meta.verbose_name).lower() for model in apps.get_app_config("casework").get_models()}


@pytest.fixture
def casework_naming_staff(personas):
    """A brook child whose records name brook's member of staff: a share, a delegation and a suspension."""
    add_terms(personas.brook, 2026)
    child = ChildFactory(school=personas.brook, legal_first_name="Brooklyn", preferred_name="Brooky")
    pep = PEPFactory(child=child)
    SharedRecommendation.objects.create(pep=pep, recommendation="Seat near the door", shared_with=personas.staff)
    Delegation.objects.create(
        child=child,
        delegate=personas.staff,
        sections=["targets"],
        ends_on=datetime.date(2030, 7, 21),
        granted_by=personas.dt,
    )
    Suspension.objects.create(
        child=child, starts_on=datetime.date(2026, 9, 10), length_days=1, reason="Fighting", recorded_by=personas.staff
    )
    return child


def _listed_types(response) -> list[str]:
    """The "Type" column of a Wagtail usage table: the kind of each record listed."""
    body = response.content.decode()
    rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[-1].split("</tbody>", 1)[0], re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    return [re.sub(r"<[^>]+>|\s+", " ", row[1]).strip().lower() for row in cells if len(row) > 1]


def test_a_persons_usage_screen_lists_no_casework_record_that_names_them(client, personas, casework_naming_staff):
    sign_in(client, personas.admin)
    response = client.get(f"/admin/users/usage/{personas.staff.pk}/")
    assert response.status_code == 200
    assert not CASEWORK_TYPES & set(_listed_types(response))
    assert b"(Private" not in response.content
    for word in (b"Brooklyn", b"Brooky", b"Seat near the door", b"Fighting"):
        assert word not in response.content


def test_a_schools_usage_screen_does_not_count_its_children_in_care(client, personas, casework_naming_staff):
    sign_in(client, personas.admin)
    response = client.get(f"/admin/schools/usage/{personas.brook.pk}/")
    assert response.status_code == 200
    listed = _listed_types(response)
    assert "membership" in listed  # the screen still lists what it should: brook's people's roles
    assert not CASEWORK_TYPES & set(listed)
    assert b"(Private child)" not in response.content


def test_wagtails_reference_index_holds_nothing_from_casework(personas, casework_naming_staff):
    """Nothing else in Wagtail (usage counts on delete screens, future reports) can read casework from it."""
    assert not ReferenceIndex.objects.filter(base_content_type__app_label="casework").exists()
    assert not any(model._meta.app_label == "casework" for model in ReferenceIndex.indexed_models)


def test_the_migration_removes_the_casework_rows_written_before_and_keeps_the_rest(personas, casework_naming_staff):
    from importlib import import_module

    from django.contrib.contenttypes.models import ContentType

    migration = import_module("casework.migrations.0018_no_casework_in_wagtails_reference_index")
    child_type = ContentType.objects.get_for_model(casework_naming_staff)
    school_type = ContentType.objects.get_for_model(personas.brook)
    row = {"to_content_type": school_type, "to_object_id": str(personas.brook.pk), "content_path_hash": "0" * 32}
    ReferenceIndex.objects.create(
        base_content_type=child_type,
        content_type=child_type,
        object_id=str(casework_naming_staff.pk),
        model_path="school",
        content_path="school",
        **row,
    )
    kept = personas.staff.memberships.first()
    membership_type = ContentType.objects.get_for_model(kept)
    ReferenceIndex.objects.create(
        base_content_type=membership_type,
        content_type=membership_type,
        object_id=f"{kept.pk}-test",
        model_path="school",
        content_path="school",
        **row,
    )
    migration.forget_casework(apps, None)
    assert not ReferenceIndex.objects.filter(base_content_type=child_type).exists()
    assert ReferenceIndex.objects.filter(object_id=f"{kept.pk}-test").exists()
