"""Every casework admin list applies only what it declares. Any other query-string parameter (a lookup that
walks relations to a child's name, a session key or a password hash; an unknown name; a bad value; a NUL
byte; a very long value) is never applied and never a server error."""

import pytest

from casework.wagtail_hooks import CaseworkGroup
from conftest import sign_in
from portal.tests.access import PERSONAS

from .url_expectations import build_world

LISTS = [f"/admin/casework/{admin.model._meta.model_name}/" for admin in CaseworkGroup.items]

# Each would narrow a list to nothing if it were applied (no child, session or hash matches them).
TRAVERSALS = [
    "child__legal_last_name__regex=^Zzz",
    "child__legal_first_name__startswith=Zzz",
    "child__upn__exact=Z000000000000",
    "child__school__slug__exact=nowhere",
    "school__memberships__user__usersession__session_key__regex=^zzz",
    "school__children__legal_last_name__regex=^Zzz",
    "pep__child__legal_last_name__regex=^Zzz",
    "pep__child__date_of_birth__exact=1900-01-01",
    "local_authority__children__legal_last_name__regex=^Zzz",
    "children__upn__startswith=Z",
    "delegate__password__startswith=zzz",
    "granted_by__usersession__session_key__regex=^zzz",
    "user__password__startswith=zzz",
    "shared_with__memberships__school__slug__exact=nowhere",
]

FUZZ = [
    "utm_source=mail",
    "q=%00",
    "q=Secret%00Brook",
    "%00=1",
    "school__id__exact=abc",
    "child__school__id__exact=abc",
    "school__id__exact=99999999999999999999999",
    "status__exact=%00",
    "o=abc",
    "o=99",
    "o=-1.x.-",
    "p=abc",
    "p=-5",
    "q=" + "x" * 5000,
    "x" * 5000 + "=1",
    "held_on__gte=not-a-date",
    "child__school__isnull=maybe",
    "e=1",
    "pk__in=1,2,x",
]


@pytest.fixture
def world(personas):
    return {"personas": personas, **build_world(personas)}


def _rows(response):
    """The primary keys a list shows, or None when it refuses (403, 404 or a redirect away)."""
    if response.status_code != 200:
        return None
    return sorted(obj.pk for obj in response.context["object_list"])


def _everyone(personas):
    return [(name, getattr(personas, name)) for name in PERSONAS]


@pytest.mark.parametrize("url", LISTS, ids=lambda url: url.split("/")[-2])
def test_a_lookup_through_relations_changes_no_list_for_anyone(client, world, url):
    for name, person in _everyone(world["personas"]):
        client.logout()
        sign_in(client, person)
        plain = client.get(url)
        expected = _rows(plain)
        for lookup in TRAVERSALS:
            response = client.get(f"{url}?{lookup}")
            assert response.status_code in (plain.status_code, 400), f"{name} {url}?{lookup}: {response.status_code}"
            if response.status_code != 400:
                assert _rows(response) == expected, f"{name} {url}?{lookup} changed the rows"


@pytest.mark.parametrize("url", LISTS, ids=lambda url: url.split("/")[-2])
def test_no_query_string_makes_a_list_fail(client, world, url):
    for name in ("dt", "head", "admin", "staff"):
        client.logout()
        sign_in(client, getattr(world["personas"], name))
        for query in FUZZ:
            response = client.get(f"{url}?{query}")
            assert response.status_code < 500, f"{name} {url}?{query[:40]}: {response.status_code}"


def test_the_designated_teacher_sees_the_rows_their_declared_filters_choose(client, world):
    personas = world["personas"]
    sign_in(client, personas.dt)
    brook_child = world["cw_brook"]["child"]
    chosen = client.get(f"/admin/casework/child/?school__id__exact={personas.brook.pk}")
    assert brook_child.pk in _rows(chosen)
    other_school = client.get(f"/admin/casework/child/?school__id__exact={personas.meadow.pk}")
    assert brook_child.pk not in _rows(other_school)
    assert _rows(client.get("/admin/casework/child/?q=SecretBrook")) == [brook_child.pk]
    assert _rows(client.get("/admin/casework/child/?q=SecretCastle")) == []


def test_a_bad_filter_value_is_answered_in_plain_english(client, world):
    sign_in(client, world["personas"].dt)
    response = client.get("/admin/casework/child/?school__id__exact=abc")
    assert response.status_code == 400
    assert "One of the list&#x27;s filters has a value it cannot use." in response.content.decode()
    response = client.get("/admin/casework/child/?q=Secret%00")
    assert response.status_code == 400 and "NUL byte" in response.content.decode()
