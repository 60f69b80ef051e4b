"""Wagtail's choosers, bulk actions and error page, tried with ids no record can have: a 404, never a server error."""

import pytest
from django.test import Client
from wagtail.models import Page

from conftest import sign_in

pytestmark = pytest.mark.django_db

NO_RECORD_CAN_HAVE = ["abc", "\x00", "-1", "9223372036854775808", "1" * 40, "1" * 5000, "١٢"]  # last: Arabic-Indic digits

CHOSEN = ["/admin/documents/chooser/chosen/{}/", "/admin/images/chooser/chosen/{}/"]
CHOSEN_MULTIPLE = [
    "/admin/documents/chooser/chosen-multiple/",
    "/admin/images/chooser/chosen-multiple/",
    "/admin/choose-page/chosen-multiple/",
]


@pytest.fixture(params=["admin", "dt"])
def admin_client(request, personas):
    """Anyone who may use the admin: the trust's administrator and a designated teacher (casework)."""
    client = Client(raise_request_exception=False)
    sign_in(client, getattr(personas, request.param))
    return client


@pytest.mark.parametrize("value", NO_RECORD_CAN_HAVE)
@pytest.mark.parametrize("address", CHOSEN)
def test_a_chosen_address_with_an_id_no_record_can_have_is_not_found(admin_client, address, value):
    assert admin_client.get(address.format(value.replace("\x00", "%00"))).status_code == 404


@pytest.mark.parametrize("value", NO_RECORD_CAN_HAVE)
@pytest.mark.parametrize("address", CHOSEN_MULTIPLE)
def test_choosing_several_with_an_id_no_record_can_have_is_not_found(admin_client, address, value):
    assert admin_client.get(address, {"id": ["1", value]}).status_code == 404


@pytest.mark.parametrize("value", NO_RECORD_CAN_HAVE)
@pytest.mark.parametrize("action", ["set_active_state", "assign_role", "delete"])
def test_a_bulk_action_on_an_id_no_record_can_have_is_not_found(client, personas, action, value):
    client.raise_request_exception = False
    sign_in(client, personas.admin)
    address = f"/admin/bulk/auth/user/{action}/"
    assert client.get(address, {"id": [str(personas.staff.pk), value]}).status_code == 404
    assert client.post(f"{address}?id={personas.staff.pk}&id={value}", {"mark_as_active": "False"}).status_code == 404
    personas.staff.refresh_from_db()
    assert personas.staff.is_active


def test_a_bulk_action_on_people_that_exist_and_on_all_still_works(client, personas):
    sign_in(client, personas.admin)
    address = "/admin/bulk/auth/user/set_active_state/"
    assert client.get(address, {"id": "all", "next": "/admin/users/"}).status_code == 200
    response = client.post(f"{address}?id={personas.staff.pk}&next=/admin/users/", {"mark_as_active": "False"})
    assert response.status_code == 302
    personas.staff.refresh_from_db()
    assert not personas.staff.is_active


@pytest.fixture
def superuser_client(client, personas):
    client.raise_request_exception = False
    personas.head.is_superuser = True
    personas.head.save(update_fields=["is_superuser"])
    return sign_in(client, personas.head)


@pytest.mark.parametrize("parent", [*NO_RECORD_CAN_HAVE, "9000000"])
@pytest.mark.parametrize("action", ["delete", "move", "publish", "unpublish"])
def test_a_bulk_action_on_the_pages_under_a_page_that_cannot_exist_is_not_found(superuser_client, action, parent):
    address = f"/admin/bulk/wagtailcore/page/{action}/"
    assert superuser_client.get(address, {"id": "all", "childOf": parent}).status_code == 404
    assert superuser_client.post(f"{address}?id=all&childOf={parent.replace(chr(0), '%00')}").status_code == 404


def test_every_page_of_the_tree_at_once_is_not_a_listing_and_nothing_is_deleted(superuser_client):
    pages = Page.objects.count()
    response = superuser_client.post("/admin/bulk/wagtailcore/page/delete/?id=all")
    assert response.status_code == 404
    assert Page.objects.count() == pages


def test_a_bulk_action_on_the_pages_under_a_page_still_asks_to_confirm(superuser_client):
    parent = Page.objects.get(depth=2)
    response = superuser_client.get("/admin/bulk/wagtailcore/page/unpublish/", {"id": "all", "childOf": str(parent.pk)})
    assert response.status_code == 200


LISTING_FILTERS = [
    "/admin/pages/?content_type={}",
    "/admin/pages/?owner={}",
    "/admin/pages/?edited_by={}",
    "/admin/pages/?site={}",
    "/admin/forms/?owner={}",
    "/admin/forms/results/?site={}",
    "/admin/workflows/tasks/index/?content_type={}",
    "/admin/workflows/tasks/index/results/?content_type={}",
]


@pytest.mark.parametrize("value", ["9223372036854775808", "1" * 40, "1" * 5000])
@pytest.mark.parametrize("address", LISTING_FILTERS)
def test_a_listing_filtered_by_a_number_past_every_id_is_not_found(superuser_client, address, value):
    assert superuser_client.get(address.format(value)).status_code == 404


def test_a_listing_filtered_by_ids_that_exist_and_a_search_for_any_number_still_work(superuser_client, personas):
    assert superuser_client.get(f"/admin/pages/?owner={personas.head.pk}").status_code == 200
    assert superuser_client.get("/admin/pages/search/?q=" + "9" * 30).status_code == 200


@pytest.mark.parametrize("address", CHOSEN)
def test_a_chosen_address_with_an_unknown_id_is_still_not_found(admin_client, address):
    assert admin_client.get(address.format(9_000_000)).status_code == 404


def test_choosing_pages_that_exist_still_works(admin_client):
    pages = list(Page.objects.filter(depth__gt=1).values_list("pk", flat=True)[:2])
    response = admin_client.get(CHOSEN_MULTIPLE[2], {"id": [str(pk) for pk in pages]})
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["result"]] == pages


def test_the_error_test_page_is_not_served(admin_client):
    """Wagtail's /admin/failwhale/ raises a server error on purpose: here it is not found."""
    assert admin_client.get("/admin/failwhale/").status_code == 404


@pytest.mark.parametrize(
    "address",
    ["/admin/workflows/tasks/add/%00/%00/", "/admin/workflows/tasks/add/wagtailcore/%00task/", "/policies/%00/"],
)
def test_an_address_with_a_nul_in_its_path_is_not_found(admin_client, address):
    """PostgreSQL refuses a NUL in any text: Wagtail's workflow task form raised a server error with one."""
    assert admin_client.get(address).status_code == 404
    assert admin_client.post(address).status_code == 404
