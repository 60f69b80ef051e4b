"""One audience rule: a page's title appears in a list, to-do or search result only for people who may open it.

Wagtail's page privacy ("groups") narrows the policy and training audiences everywhere: the dashboard,
/policies/, /training/, search, and the page itself (404, never a sign-in loop).
"""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from conftest import sign_in
from policy.models import PolicyIndexPage
from policy.tests.factories import make_policy
from training.builders import build_module, ensure_training_index
from trust.enums import Role

pytestmark = pytest.mark.django_db

TITLE = "Zebracrossing safeguarding policy"
MODULE = "Zebracrossing restraint training"


def restrict(page, group):
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(group)
    return restriction


@pytest.fixture
def leads():
    return Group.objects.create(name="Safeguarding leads")


@pytest.fixture
def restricted(personas, leads):
    page = make_policy(TITLE, body=[{"type": "paragraph", "value": "<p>Zebracrossing rules.</p>"}])
    restrict(page, leads)
    module = build_module(ensure_training_index(), MODULE, roles=[Role.STAFF], paragraphs=["Zebracrossing holds."])
    restrict(module, leads)
    return page, module


def what_they_see(client, person):
    sign_in(client, person)
    return {
        url: client.get(url).content.decode()
        for url in ("/", "/policies/", "/training/", "/search/?q=zebracrossing")
    }


def test_a_page_restricted_to_a_group_is_hidden_from_everyone_outside_it(client, personas, restricted):
    page, module = restricted
    for url, html in what_they_see(client, personas.staff).items():
        # Both titles (and the body's text) start with this word; the search box echoes it in lower case.
        assert "Zebracrossing" not in html, f"{url} shows a restricted page"
        assert page.url not in html and module.url not in html, url
    assert client.get(page.url).status_code == 404
    assert client.get(module.url).status_code == 404


def test_a_member_of_the_group_sees_and_opens_it(client, personas, restricted, leads):
    page, module = restricted
    personas.staff.groups.add(leads)
    seen = what_they_see(client, personas.staff)
    for url in ("/", "/policies/", "/search/?q=zebracrossing"):
        assert page.url in seen[url], url
    for url in ("/", "/training/", "/search/?q=zebracrossing"):
        assert module.url in seen[url], url
    assert client.get(page.url).status_code == 200
    assert client.get(module.url).status_code == 200


def test_a_restriction_on_an_ancestor_hides_the_pages_below_it(client, personas, leads):
    make_policy(TITLE)
    restrict(PolicyIndexPage.objects.get(), leads)
    seen = what_they_see(client, personas.staff)
    assert "Zebracrossing" not in seen["/"] and "Zebracrossing" not in seen["/search/?q=zebracrossing"]
    assert client.get("/policies/").status_code == 404


def test_a_logged_in_restriction_hides_nothing_from_people_signed_in(client, personas):
    page = make_policy(TITLE)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    seen = what_they_see(client, personas.staff)
    assert TITLE in seen["/"] and TITLE in seen["/policies/"]
    assert client.get(page.url).status_code == 200


def test_a_training_module_does_not_link_to_a_policy_the_reader_may_not_open(client, personas, leads):
    page = make_policy(TITLE)
    restrict(page, leads)
    open_policy = make_policy("Open policy")
    build_module(ensure_training_index(), "Linking module", roles=[Role.STAFF], related=[page, open_policy])
    sign_in(client, personas.staff)
    html = client.get("/training/linking-module/").content.decode()
    assert "Open policy" in html and "Zebracrossing" not in html
