from portal.tests.access import EVERYONE, Covered, Expect

TRUST_ADMIN = frozenset({"admin"})
NONE = frozenset()


def viewset_expectations(name, pk_of, allowed=TRUST_ADMIN, deletable=True):
    """The screens a Wagtail ModelViewSet serves, each against every persona. Schools, memberships and
    calendars are trust-wide records, none hidden from the admin's users: every refusal is a 403."""
    listing = [("", ""), ("results/", "results/"), ("new/", "new/")]
    per_object = ["edit", "delete", "history", "history-results", "usage"]
    items = [
        Expect(f"admin/{name}/{route}", f"/admin/{name}/{path}", allowed=allowed, not_found=NONE)
        for route, path in listing
    ]
    items += [
        Expect(
            f"admin/{name}/{view}/<int:pk>/",
            lambda w, view=view: f"/admin/{name}/{view}/{pk_of(w)}/",
            allowed=allowed if (deletable or view != "delete") else frozenset(),
            not_found=NONE,
        )
        for view in per_object
    ]
    return items


ADMIN_USERS = frozenset({"dt", "dt_castle", "head", "admin"})

EXPECTATIONS = [
    Expect("health/live", "/health/live", anonymous_ok=True),
    Expect("health/ready", "/health/ready", anonymous_ok=True),
    Expect("admin/login/", "/admin/login/", anonymous_ok=True, allowed_status=(302,)),
    Expect("_util/login/", "/_util/login/", anonymous_ok=True, allowed_status=(302,), note="to allauth's sign-in"),
    Expect(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        "/_util/authenticate_with_password/1/1/",
        note="page passwords are off: 404 for everyone",
        not_found=EVERYONE,
    ),
    Expect(
        "documents/authenticate_with_password/<int:restriction_id>/",
        "/documents/authenticate_with_password/1/",
        note="document passwords are off: 404 for everyone",
        not_found=EVERYONE,
    ),
    Expect("accessibility/", "/accessibility/", anonymous_ok=True, allowed=EVERYONE),
    Expect("admin/", "/admin/", allowed=ADMIN_USERS, not_found=NONE),
    Expect("admin/trust/import-staff/", "/admin/trust/import-staff/", allowed=frozenset({"admin"}), not_found=NONE),
    Expect(r"^((?:[\w\-]+/)*)$", "/", allowed=EVERYONE, not_found=NONE),
    *viewset_expectations("schools", lambda w: w["personas"].brook.pk, deletable=False),
    *viewset_expectations("memberships", lambda w: w["personas"].staff.memberships.first().pk),
    Expect("accounts/login/", "/accounts/login/", anonymous_ok=True, allowed_status=(200, 302)),
    Expect("accounts/password/reset/", "/accounts/password/reset/", anonymous_ok=True, allowed_status=(200, 302)),
    Expect("accounts/2fa/", "/accounts/2fa/", allowed=EVERYONE, not_found=NONE),
    Expect("accounts/sessions/", "/accounts/sessions/", allowed=EVERYONE, not_found=NONE),
]

# Admin screens of our own: every route under these needs its own Expect.
OWN_ADMIN_PREFIXES = ["admin/trust/", "admin/schools/", "admin/memberships/"]

COVERED = [
    Covered("_util/", "Wagtail's sign-in and page-password screens: each has its own Expect above"),
    Covered("admin/", "Wagtail's own admin screens: access is sampled through /admin/ above"),
    Covered("accounts/", "allauth's own screens: sign-in, reset, MFA and sessions are sampled above"),
    Covered("documents/", "Wagtail document serving: permission tests in policy/training"),
    Covered("^media/", "image renditions in DEBUG only"),
    Covered("^static/", "static files in DEBUG only"),
]

