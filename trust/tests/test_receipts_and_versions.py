"""One receipt, one "text shown", one publication hook for every versioned page (issue 15, item 4).

A read receipt and a training completion are checked through the same function of the revision they point
at; every page class that shows text for receipts records its versions; trust's one `after_publish_page` hook
records who published a policy and a training module alike."""

import hashlib

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from wagtail import hooks
from wagtail.models import Page, PageLogEntry

from conftest import sign_in
from policy.acknowledgements import create_receipt
from policy.models import GuidancePage, PolicyPage, PolicyVersion, ReadReceipt
from policy.tests.factories import make_guidance, make_policy
from policy.tests.factories import publish_change as publish_policy_change
from policy.versions import current_version
from training.builders import build_module, ensure_training_index, question
from training.completion import complete_module
from training.models import TrainingCompletion, TrainingModulePage, TrainingVersion
from trust import page_versions
from trust.enums import Role
from trust.receipts import AppendOnlyError
from trust.shown_text import revision_text_sha256

pytestmark = pytest.mark.django_db


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fire_drill_module(*, checked=True):
    return build_module(
        ensure_training_index(),
        "Fire drills",
        roles=[Role.STAFF],
        summary="What to do when the alarm sounds.",
        paragraphs=["Leave by the <b>nearest</b> exit."],
        questions=[question("Where do we meet?", ["The car park", "The hall"], 1)] if checked else [],
    )


def test_a_read_receipt_and_a_training_completion_both_verify_through_the_one_function(personas):
    policy = make_policy("Fire safety policy")
    version = current_version(policy)
    receipt = create_receipt(personas.staff, policy, version, version.revision_id)
    module = fire_drill_module()
    completion = complete_module(
        personas.staff, module, revision_id=module.live_revision_id, answers={module.questions()[0][0]: 0}
    ).receipt

    # What each kind hashes is what it hashed before: a policy's body rendered to HTML; a module's text, normalised.
    assert receipt.text_sha256 == sha256(str(version.revision.as_object().body))
    assert completion.text_sha256 == sha256(
        "Fire drills\nWhat to do when the alarm sounds.\nLeave by the nearest exit.\nWhere do we meet?\nThe car park\nThe hall"
    )
    cache.clear()
    assert revision_text_sha256(receipt.revision_id) == receipt.text_sha256
    assert revision_text_sha256(completion.revision_id) == completion.text_sha256
    # A later version's text is another text.
    changed, _ = publish_policy_change(policy, material=True, body=[{"type": "paragraph", "value": "<p>Changed.</p>"}])
    assert revision_text_sha256(changed.live_revision_id) != receipt.text_sha256


def test_the_person_sees_their_receipt_matches_the_text_of_its_version(client, personas):
    policy = make_policy("Fire safety policy")
    version = current_version(policy)
    receipt = create_receipt(personas.staff, policy, version, version.revision_id)
    publish_policy_change(policy, material=True, body=[{"type": "paragraph", "value": "<p>Changed.</p>"}])
    cache.clear()
    sign_in(client, personas.staff)
    html = client.get(f"/policies/receipts/{receipt.pk}/").content.decode()
    assert "(matches the published text of this version)" in html


@pytest.mark.parametrize("many", [False, True])
def test_the_receipt_page_takes_a_fixed_number_of_queries(client, personas, django_assert_num_queries, many):
    policy = make_policy("Fire safety policy")
    version = current_version(policy)
    receipt = create_receipt(personas.staff, policy, version, version.revision_id)
    for person in [personas.governor, personas.dt, personas.head] if many else []:
        create_receipt(person, policy, version, version.revision_id)
    sign_in(client, personas.staff)
    client.get(f"/policies/receipts/{receipt.pk}/")  # the body is rendered once, then kept
    with django_assert_num_queries(6):
        html = client.get(f"/policies/receipts/{receipt.pk}/").content.decode()
    assert "(matches the published text of this version)" in html


def test_both_kinds_of_receipt_refuse_changes_with_the_one_error(personas):
    policy = make_policy("Fire safety policy")
    version = current_version(policy)
    receipt = create_receipt(personas.staff, policy, version, version.revision_id)
    module = fire_drill_module(checked=False)
    completion = complete_module(personas.staff, module, revision_id=module.live_revision_id, answers={}).receipt
    for model, row in ((ReadReceipt, receipt), (TrainingCompletion, completion)):
        with pytest.raises(AppendOnlyError, match="cannot be changed"):
            row.save()
        with pytest.raises(AppendOnlyError, match="cannot be deleted"):
            model.objects.filter(pk=row.pk).delete()
        assert model.objects.get(pk=row.pk).has_valid_seal()
    assert ReadReceipt.AppendOnly is AppendOnlyError


# --- one publication hook ----------------------------------------------------------------------------------

# Each concrete versioned page class, and how a test publishes one (without saying who).
PUBLISHERS = {
    PolicyPage: lambda: make_policy("Fire safety policy"),
    GuidancePage: lambda: make_guidance("Fire safety guidance"),
    TrainingModulePage: lambda: fire_drill_module(checked=False),
}
VERSION_MODELS = {PolicyPage: PolicyVersion, GuidancePage: PolicyVersion, TrainingModulePage: TrainingVersion}


def concrete_versioned_pages():
    from django.apps import apps

    return {m for m in apps.get_models() if issubclass(m, Page) and page_versions.versioning_for(m)}


def test_every_page_class_that_shows_text_for_receipts_records_its_versions():
    from django.core.checks import run_checks

    assert not [e for e in run_checks() if e.id == "trust.E001"]
    assert concrete_versioned_pages() == set(PUBLISHERS), "add the new versioned page type to PUBLISHERS"
    for page_class, version_model in VERSION_MODELS.items():
        assert page_versions.versioning_for(page_class).version_model is version_model


def test_a_page_class_showing_text_without_a_version_model_is_named_by_the_checks():
    class ShownButNotVersioned(Page):
        class Meta:
            abstract = True
            app_label = "trust"

        def shown_text(self):
            return ""

    assert page_versions.unregistered_versioned_pages([ShownButNotVersioned, PolicyPage]) == [ShownButNotVersioned]
    with pytest.raises(ImproperlyConfigured, match="concrete PageVersion model"):
        page_versions.register(ShownButNotVersioned, ReadReceipt, log_action="trust.version_recorded")
    with pytest.raises(ImproperlyConfigured):
        page_versions.register(ShownButNotVersioned, page_versions.PageVersion, log_action="trust.version_recorded")
    page_versions.register(ShownButNotVersioned, PolicyVersion, log_action="policy.version_recorded")
    try:
        assert page_versions.unregistered_versioned_pages([ShownButNotVersioned]) == []
    finally:
        page_versions.unregister(ShownButNotVersioned)


@pytest.mark.parametrize("page_class", list(PUBLISHERS), ids=lambda c: c.__name__)
def test_the_one_hook_records_each_kind_of_publication_with_who_published(personas, page_class):
    page = PUBLISHERS[page_class]()
    version_model = VERSION_MODELS[page_class]
    version = version_model.objects.get(revision_id=page.live_revision_id)
    assert version.published_by is None  # published by the signal alone, which does not know who

    request = RequestFactory().post("/admin/")
    request.user = personas.head
    for hook in hooks.get_hooks("after_publish_page"):
        hook(request, Page.objects.get(pk=page.pk))

    version = version_model.objects.get(revision_id=page.live_revision_id)
    assert (version.number, version.published_by) == (1, personas.head)
    assert version_model.objects.filter(page_id=page.pk).count() == 1
    log_action = page_versions.versioning_for(page_class).log_action
    assert PageLogEntry.objects.filter(page_id=page.pk, action=log_action).count() == 1


def test_an_unversioned_page_records_nothing(personas):
    from home.models import HomePage

    home = HomePage.objects.first() or Page.objects.get(depth=1)
    request = RequestFactory().post("/admin/")
    request.user = personas.head
    before = (PolicyVersion.objects.count(), TrainingVersion.objects.count())
    for hook in hooks.get_hooks("after_publish_page"):
        hook(request, home)
    assert (PolicyVersion.objects.count(), TrainingVersion.objects.count()) == before
