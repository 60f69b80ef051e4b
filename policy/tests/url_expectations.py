"""The policy hub's own (non-page) URLs × every persona. Policy and guidance pages themselves are served
under Wagtail's catch-all route, covered by the "/" expectation; their access is tested in test_access.py."""

from portal.tests.access import EVERYONE, Expect


def build_world(personas):
    from policy.acknowledgements import create_receipt
    from policy.tests.factories import make_policy
    from policy.versions import current_version

    page = make_policy("Matrix policy", slug="matrix-policy")
    version = current_version(page)
    receipt = create_receipt(personas.staff, page, version, version.revision_id)
    return {"policy_page": page, "staff_receipt": receipt}


EXPECTATIONS = [
    Expect("policies/receipts/", "/policies/receipts/", allowed=EVERYONE),
    Expect(
        "policies/receipts/<int:pk>/",
        lambda w: f"/policies/receipts/{w['staff_receipt'].pk}/",
        allowed=frozenset({"staff"}),
        note="a person opens only their own receipts",
    ),
    Expect(
        "policies/acknowledge/<int:page_id>/",
        lambda w: f"/policies/acknowledge/{w['policy_page'].pk}/",
        not_found=frozenset(),
        method_not_allowed=EVERYONE,
        note="POST only, where the page's form posts: a GET is 405 for everyone, whatever the page; who may "
        "post is tested in test_acknowledge_address.py",
    ),
    Expect(
        "policies/receipts/record-on-paper/",
        "/policies/receipts/record-on-paper/",
        allowed=frozenset({"admin"}),
        note="trust administrators record paper acknowledgements",
    ),
]
EXPECTATIONS += [
    Expect(
        "admin/policies/import/",
        "/admin/policies/import/",
        allowed=frozenset({"head"}),
        note="people who may add policy pages (the executive head) import a policy",
    ),
    Expect(
        "admin/policies/import/create/",
        "/admin/policies/import/create/",
        allowed=frozenset(),
        note="POST only (a GET is 405 for everyone); creating is tested in test_import_admin.py",
    ),
]

# Admin screens of our own: every route under these needs its own Expect.
OWN_ADMIN_PREFIXES = ["admin/policies/"]
