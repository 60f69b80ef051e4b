"""The test factories' names are fixed: a page escapes nothing in them, so an assertion on a raw name holds."""

from django.utils.html import escape

from trust.tests.factories import UserFactory


def test_factory_names_are_the_same_in_html_as_in_python(db):
    people = UserFactory.create_batch(140)
    names = {person.get_full_name() for person in people}
    assert all(escape(name) == name for name in names)
    assert len(names) > 100  # distinct enough that a page showing the wrong person is seen
