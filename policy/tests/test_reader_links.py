"""A link in a page to a page the reader may not open is shown as plain text with a note (issue 17, item 10)."""

import pytest

from conftest import sign_in
from policy.tests.factories import make_guidance, make_policy
from trust.enums import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(personas):
    guidance = make_guidance(
        "The designated teacher guidance", slug="designated-teacher", audience_roles=[Role.DESIGNATED_TEACHER]
    )
    body = [
        {"type": "paragraph", "value": "<p>Read this before a PEP meeting.</p>"},
        {"type": "guidance_link", "value": {"page": guidance.pk, "text": ""}},
    ]
    return make_policy(body=body), guidance


def test_staff_see_the_guidance_named_as_text_for_designated_teachers_never_a_dead_link(client, personas, linked):
    policy, guidance = linked
    sign_in(client, personas.staff)
    assert client.get(guidance.url).status_code == 404  # why it must not be a link for them
    html = client.get(policy.url).content.decode()
    assert "The designated teacher guidance <span class=\"hint\">(for designated teachers)</span>" in html
    assert f'href="{guidance.url}"' not in html
    versions = client.get(f"{policy.url}versions/{policy.live_revision_id}/").content.decode()
    assert "(for designated teachers)" in versions and f'href="{guidance.url}"' not in versions


def test_the_designated_teacher_still_gets_the_link_after_staff_have_seen_the_page(client, personas, linked):
    policy, guidance = linked
    sign_in(client, personas.staff)
    client.get(policy.url)  # the body is cached once for everyone: the staff member's view must not stick
    client.logout()
    sign_in(client, personas.dt)
    html = client.get(policy.url).content.decode()
    assert f'href="{guidance.url}"' in html and "(for designated teachers)" not in html
