"""The casework home's children are read with SQL compiled once per number of schools (casework/listed_children.py):
the rows are the scoped queryset's, read afresh each time, for one school or several, and never another school's."""

import pytest

from casework.listed_children import LISTED_FIELDS, listed_children
from casework.models import Child

from .factories import ChildFactory

pytestmark = pytest.mark.django_db


def as_listed(children):
    return [
        (child.pk, *(getattr(child, field if field != "school" else "school_id") for field in LISTED_FIELDS))
        for child in children
    ]


def test_the_children_are_the_querysets_whatever_the_number_of_schools(personas):
    for school, names in ((personas.brook, ["Zed", "Amy"]), (personas.meadow, ["Bea"]), (personas.castle, ["Cy"])):
        for name in names:
            ChildFactory(school=school, legal_last_name=name)
    for schools in ([personas.brook], [personas.brook, personas.meadow], [personas.castle, personas.meadow]):
        ids = {school.pk for school in schools}
        expected = Child.objects.filter(school_id__in=ids).only(*LISTED_FIELDS)
        assert as_listed(listed_children(ids)) == as_listed(expected)
        assert {child.school_id for child in listed_children(ids)} == ids


def test_a_new_child_and_a_removed_one_show_at_once(personas):
    first = ChildFactory(school=personas.brook)
    assert [child.pk for child in listed_children({personas.brook.pk})] == [first.pk]
    second = ChildFactory(school=personas.brook, legal_last_name="Aardvark")
    assert [child.pk for child in listed_children({personas.brook.pk})] == [second.pk, first.pk]
    first.delete()
    assert [child.pk for child in listed_children({personas.brook.pk})] == [second.pk]


def test_no_schools_no_children(personas):
    ChildFactory(school=personas.brook)
    assert listed_children(set()) == []
