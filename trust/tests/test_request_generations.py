"""The content generation is read from the shared cache once a request (trust/request_generations.py), and
never kept past its request or past a change made in it.

A dashboard built afresh asked the cache for it nine times (each `kept_for_content`); now once, or not at all
when the MFA check has read it with the person's generation.
"""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from conftest import sign_in
from policy.tests.factories import make_policy
from trust.enums import Role
from trust.middleware import MFA_VERIFIED_SESSION_KEY
from trust.models import Membership
from trust.personal_pages import CONTENT_KEY, kept_for_content
from trust.request_generations import one_request
from trust.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


class CountedReads:
    """Counts the reads of the content generation from the cache (alone or with others in one round trip)."""

    def __init__(self, monkeypatch):
        self.count = 0
        self.inside_get_many = False
        get, get_many = cache.get, cache.get_many

        def counted_get(key, *args, **kwargs):
            self.count += key == CONTENT_KEY and not self.inside_get_many
            return get(key, *args, **kwargs)

        def counted_get_many(keys, *args, **kwargs):
            self.count += CONTENT_KEY in keys
            self.inside_get_many = True  # the local memory cache's get_many calls its get for each key
            try:
                return get_many(keys, *args, **kwargs)
            finally:
                self.inside_get_many = False

        monkeypatch.setattr(cache, "get", counted_get)
        monkeypatch.setattr(cache, "get_many", counted_get_many)


def dashboard(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_dashboard_built_afresh_reads_the_content_generation_once(client, personas, monkeypatch):
    make_policy("Children in Care policy")
    sign_in(client, personas.staff)
    reads = CountedReads(monkeypatch)
    assert "Children in Care policy" in dashboard(client)
    assert reads.count == 1


def test_a_person_not_known_to_need_mfa_has_it_read_with_their_own_generation(personas, monkeypatch):
    """Signed in without the MFA flag (a plain member of staff): the MFA check's one round trip serves all."""
    make_policy("Children in Care policy")
    client = Client()
    client.force_login(personas.staff, backend="trust.auth_backends.ModelBackend")
    dashboard(client)  # the MFA answer kept in the session
    cache.delete(CONTENT_KEY)  # a new content generation: the dashboard is built afresh
    reads = CountedReads(monkeypatch)
    assert "Children in Care policy" in dashboard(client)
    assert reads.count == 1
    assert not client.session.get(MFA_VERIFIED_SESSION_KEY)


def test_outside_a_request_each_call_reads_the_generation_again():
    built = []
    kept_for_content("test.outside", lambda: built.append(1) or len(built))
    cache.set(CONTENT_KEY, "renewed by another process", timeout=None)
    assert kept_for_content("test.outside", lambda: built.append(1) or len(built)) == 2


def test_a_request_remembers_the_generation_only_until_it_ends():
    with one_request():
        assert kept_for_content("test.scope", lambda: "first") == "first"
        cache.set(CONTENT_KEY, "renewed by another process", timeout=None)
        assert kept_for_content("test.scope", lambda: "second") == "first"  # one request, one generation
    with one_request():
        assert kept_for_content("test.scope", lambda: "third") == "third"


def test_a_change_saved_in_the_request_is_seen_by_the_rest_of_it(personas):
    with one_request():
        assert kept_for_content("test.change", lambda: "before") == "before"
        MembershipFactory(user=personas.nobody, role=Role.STAFF, school=personas.brook)  # renews the content
        assert kept_for_content("test.change", lambda: "after") == "after"


def test_two_people_in_one_process_each_see_their_own_dashboard_and_a_change_at_once(personas):
    make_policy("Staff code of conduct", audience_roles=[Role.STAFF])
    make_policy("Governors' handbook", audience_roles=[Role.GOVERNOR])
    staff, governor = Client(), Client()
    sign_in(staff, personas.staff)
    sign_in(governor, personas.governor)
    for _ in range(2):
        staff_page, governor_page = dashboard(staff), dashboard(governor)
        assert "Staff code of conduct" in staff_page and "Governors&#x27; handbook" not in staff_page
        assert "Governors&#x27; handbook" in governor_page and "Staff code of conduct" not in governor_page

    MembershipFactory(user=personas.staff, role=Role.GOVERNOR, school=personas.brook)  # a new role
    assert "Governors&#x27; handbook" in dashboard(staff)
    assert "Staff code of conduct" not in dashboard(governor)

    Membership.objects.filter(user=personas.governor).update(ended_on=timezone.localdate() - datetime.timedelta(days=1))
    for membership in Membership.objects.filter(user=personas.governor):
        membership.save()  # a leaver, through the signals a real change goes through
    assert "Governors&#x27; handbook" not in dashboard(governor)
    assert "Governors&#x27; handbook" in dashboard(staff)
