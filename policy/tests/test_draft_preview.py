"""The head previews what they approve (issue 17, item 3): every admin preview shows the draft's words."""

import pytest

from conftest import sign_in
from policy.tests.factories import make_policy

pytestmark = pytest.mark.django_db

DRAFT_BODY = [{"type": "paragraph", "value": "<p>Draftonly wording awaiting approval.</p>"}]


def _draft_of(policy, user):
    policy.body = DRAFT_BODY
    return policy.save_revision(user=user)


def test_view_draft_shows_the_revision_in_moderation_not_the_live_text(client, personas):
    policy = make_policy()
    _draft_of(policy, personas.head)
    sign_in(client, personas.head)
    html = client.get(f"/admin/pages/{policy.pk}/view_draft/").content.decode()
    assert "Draftonly wording awaiting approval." in html
    live = client.get(policy.url).content.decode()
    assert "Draftonly" not in live  # readers still see the published version


def test_the_preview_of_a_draft_never_published_shows_its_body(client, personas):
    policy = make_policy(body=DRAFT_BODY, publish_it=False)
    sign_in(client, personas.head)
    html = client.get(f"/admin/pages/{policy.pk}/view_draft/").content.decode()
    assert "Draftonly wording awaiting approval." in html


def test_the_live_preview_renders_the_unsaved_edit(personas):
    policy = make_policy()
    policy.body = DRAFT_BODY
    response = policy.make_preview_request()
    assert "Draftonly wording awaiting approval." in response.content.decode()
