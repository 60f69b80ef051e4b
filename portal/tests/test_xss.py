"""Markup typed into editable fields comes out escaped, in the site and in the admin."""

import pytest

from conftest import sign_in
from trust.models import Membership, School

pytestmark = pytest.mark.django_db
PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def assert_escaped(html):
    assert PAYLOAD not in html
    assert "<script>alert" not in html
    assert "<img src=x onerror" not in html


def test_a_persons_name_and_school_are_escaped_in_the_header(client, personas):
    personas.staff.first_name = PAYLOAD
    personas.staff.save()
    School.objects.filter(pk=personas.brook.pk).update(name=f"Brook {PAYLOAD}")
    sign_in(client, personas.staff)
    html = client.get("/").content.decode()
    assert_escaped(html)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_school_and_role_fields_are_escaped_in_the_admin(client, personas):
    School.objects.filter(pk=personas.brook.pk).update(name=f"Brook {PAYLOAD}", local_authority=PAYLOAD)
    Membership.objects.filter(user=personas.staff).update(job_title=PAYLOAD)
    sign_in(client, personas.admin)
    for url in ("/admin/schools/", f"/admin/schools/edit/{personas.brook.pk}/", "/admin/memberships/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.content.decode())
