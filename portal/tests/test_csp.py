"""The Content-Security-Policy and framing headers: one strict policy everywhere, the Wagtail admin's
included; same-origin framing for the admin's live preview only (portal/csp.py)."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from conftest import sign_in
from portal.csp import is_admin_preview

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


def an_editable_page():
    return Page.objects.filter(depth=2).first()


def test_wagtails_preview_routes_are_the_ones_framing_is_allowed_for():
    page = an_editable_page()
    framed = [
        reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk]),
        reverse("wagtailadmin_pages:preview_on_add", args=["home", "homepage", page.pk]),
        reverse("wagtailadmin_block_preview"),
    ]
    for path in framed:
        assert is_admin_preview(path), path
    for path in [
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        reverse("wagtailadmin_home"),
        "/admin/casework/child/create/",
        "/admin/pages/1/edit/preview/extra/",
        "/policies/preview/",
        "/preview/",
    ]:
        assert not is_admin_preview(path), path


def policy_edit_form(client, page, body):
    from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    streams = nested_form_data(
        {"body": streamfield([("paragraph", rich_text(body))]), "comprehension_check": streamfield([])}
    )
    for key, value in streams.items():
        data[key] = value
    data["applies_to_all_schools"] = "on"
    return data


def test_the_admin_preview_may_be_framed_by_the_portal_itself(client, personas):
    from policy.tests.factories import make_policy

    page = make_policy()
    sign_in(client, personas.head)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    # What the editor's preview panel does: post the form as it stands, then load the preview in its iframe.
    form = policy_edit_form(client, page, "<p>Drafted in the editor.</p>")
    form["title"] = "Children in Care policy, as drafted"
    posted = client.post(url, form)
    assert posted.status_code == 200 and posted.json()["is_valid"], posted.content.decode()[:2000]
    response = client.get(url)
    assert response.status_code == 200
    assert "Children in Care policy, as drafted" in response.content.decode()  # the draft, not the live page
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    policy = directives(response)
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # the previewed page is the front end: still strict


@pytest.mark.parametrize(
    "path",
    ["/", "/policies/", "/accounts/login/", "/admin/", "/admin/pages/", "/admin/casework/child/create/"],
)
def test_every_other_page_refuses_to_be_framed_and_runs_only_its_own_scripts(client, personas, path):
    sign_in(client, personas.dt)
    response = client.get(path, follow=True)
    assert response.status_code == 200, path
    assert response["X-Frame-Options"] == "DENY"
    policy = directives(response)
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', admin included
    assert policy["object-src"] == ["'none'"]


def test_wagtails_date_picker_is_rendered_without_an_inline_script(client, personas):
    sign_in(client, personas.dt)
    html = client.get("/admin/casework/child/create/").content.decode()
    assert 'data-portal-init="initDateChooser"' in html
    assert "<script>initDateChooser" not in html
    assert "js/admin-init.js" in html


def test_only_frame_ancestors_changes_in_a_framed_policy():
    from portal.csp import framed_by_self

    assert framed_by_self("default-src 'self'; frame-ancestors 'none'; script-src 'self' 'nonce-abc'") == (
        "default-src 'self'; script-src 'self' 'nonce-abc'; frame-ancestors 'self'"
    )
    assert framed_by_self("default-src 'self'") == "default-src 'self'; frame-ancestors 'self'"


def test_the_policy_built_once_is_django_csps_and_follows_the_settings_a_nonce_and_a_decorator(rf, settings):
    """portal/csp.py builds the settings' policy once; a nonce, a view's decorator or new settings still count."""
    from csp.constants import NONCE
    from csp.decorators import csp_update
    from csp.utils import build_policy
    from django.http import HttpResponse

    from portal.csp import PortalCSPMiddleware

    def served(view):
        request = rf.get("/somewhere/")
        middleware = PortalCSPMiddleware(view)
        middleware.process_request(request)
        return request, middleware.process_response(request, view(request))

    _, plain = served(lambda request: HttpResponse("plain"))
    assert plain["Content-Security-Policy"] == build_policy()
    assert "frame-ancestors 'none'" in plain["Content-Security-Policy"]

    _, updated = served(csp_update({"img-src": ["https://images.example"]})(lambda request: HttpResponse("img")))
    assert "https://images.example" in updated["Content-Security-Policy"]

    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {
            **settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
            "script-src": ["'self'", NONCE],
            "img-src": ["'self'", "https://cdn.example"],
        }
    }
    request, with_nonce = served(lambda request: HttpResponse(f"<script nonce='{request.csp_nonce}'>"))
    assert f"'nonce-{request._csp_nonce}'" in with_nonce["Content-Security-Policy"]
    _, without = served(lambda request: HttpResponse("no script"))
    assert "nonce" not in without["Content-Security-Policy"]
    assert "https://cdn.example" in without["Content-Security-Policy"]
    assert without["Content-Security-Policy"] == build_policy()
