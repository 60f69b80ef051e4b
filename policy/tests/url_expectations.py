"""The policy hub's URLs × every persona: its own screens, and a policy page with its routes (served under
Wagtail's catch-all route; the audience rules themselves are tested in test_access.py)."""

from portal.tests.access import EVERYONE, Expect

NONE = frozenset()
ADMIN_USERS = frozenset({"dt", "dt_castle", "head", "admin"})  # everyone else is refused the Wagtail admin whole
# make_policy's audience: staff, governors and designated teachers (delegate is brook staff); the executive head edits it.
POLICY_READERS = frozenset({"staff", "governor", "dt", "dt_castle", "head", "delegate"})
PAGE_ROUTE = r"^((?:[\w\-]+/)*)$"
POLICY_URL = "/policies/matrix-policy/"


def build_world(personas):
    from policy.acknowledgements import create_receipt
    from policy.tests.factories import make_policy
    from policy.versions import current_version

    page = make_policy("Matrix policy", slug="matrix-policy")
    version = current_version(page)
    receipt = create_receipt(personas.staff, page, version, version.revision_id)
    return {"policy_page": page, "staff_receipt": receipt, "policy_revision_id": version.revision_id}


EXPECTATIONS = [
    Expect("policies/receipts/", "/policies/receipts/", allowed=EVERYONE, not_found=NONE),
    Expect(
        "policies/receipts/<int:pk>/",
        lambda w: f"/policies/receipts/{w['staff_receipt'].pk}/",
        allowed=frozenset({"staff"}),
        note="a person opens only their own receipts: anyone else's is not found",
        not_found=EVERYONE - {"staff"},
    ),
    Expect(
        "policies/acknowledge/<record_id:page_id>/",
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
        not_found=NONE,
    ),
]
EXPECTATIONS += [
    Expect(
        "admin/policies/import/",
        "/admin/policies/import/",
        allowed=frozenset({"head"}),
        note="people who may add policy pages (the executive head) import a policy",
        not_found=NONE,
    ),
    Expect(
        "admin/policies/import/create/",
        "/admin/policies/import/create/",
        allowed=frozenset(),
        note="POST only: a GET is 405 for the admin's users (everyone else is refused the admin); creating is "
        "tested in test_import_admin.py",
        not_found=NONE,
        method_not_allowed=ADMIN_USERS,
    ),
]
# A policy page outside a person's audience is not found, whichever of its routes they ask for.
EXPECTATIONS += [
    Expect(PAGE_ROUTE, POLICY_URL, allowed=POLICY_READERS, not_found=EVERYONE - POLICY_READERS),
    Expect(PAGE_ROUTE, f"{POLICY_URL}versions/", allowed=POLICY_READERS, not_found=EVERYONE - POLICY_READERS),
    Expect(
        PAGE_ROUTE,
        lambda w: f"{POLICY_URL}versions/{w['policy_revision_id']}/",
        allowed=POLICY_READERS,
        not_found=EVERYONE - POLICY_READERS,
    ),
    Expect(PAGE_ROUTE, f"{POLICY_URL}changes/", allowed=POLICY_READERS, not_found=EVERYONE - POLICY_READERS),
    Expect(
        PAGE_ROUTE,
        f"{POLICY_URL}acknowledge/",
        note="POST only: a GET is 405 for the page's readers, 404 for everyone else",
        not_found=EVERYONE - POLICY_READERS,
        method_not_allowed=POLICY_READERS,
    ),
]

# Admin screens of our own: every route under these needs its own Expect.
OWN_ADMIN_PREFIXES = ["admin/policies/"]
