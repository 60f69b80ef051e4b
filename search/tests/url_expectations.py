from portal.tests.access import EVERYONE, Expect

EXPECTATIONS = [
    Expect(
        "search/",
        "/search/?q=policy",
        allowed=EVERYONE - {"nobody"},
        note="no role, no audience: 403 (a screen, not a record)",
        not_found=frozenset(),
    ),
]
