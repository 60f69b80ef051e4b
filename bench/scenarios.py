"""What `make bench` measures. Each scenario is (name, spec for bench.drive, or None if unavailable)."""

import time
from concurrent.futures import ThreadPoolExecutor

from bench.http import Session

BENCH_PASSWORD = "Bench-data-2026"  # noqa: S105 - training/bench_data.py's bench-only password
ACKNOWLEDGERS = 150


def _first_live_url(model_path):
    from django.apps import apps

    try:
        model = apps.get_model(model_path)
    except LookupError:
        return None
    page = model.objects.live().order_by("pk").first()
    return page.url if page else None


def plan(schools, signed_in):
    staff = signed_in("staff1.bench-0001@bench.example", BENCH_PASSWORD)
    head = signed_in("head@symphony.example")
    dt = signed_in("dt.brook@symphony.example")
    policy_url = _first_live_url("policy.PolicyPage")
    return [
        ("bare request (/health/live)", {"paths": ["/health/live"], "cookies": {}}),
        ("policy page", policy_url and {"paths": [policy_url], "cookies": staff}),
        ("staff dashboard", {"paths": ["/"], "cookies": staff}),
        ("acknowledging", acknowledging_spec(signed_in)),
        ("briefing (whole trust)", {"paths": ["/briefing/"], "cookies": head}),
        ("search", {"paths": ["/search/?q=children+in+care", "/search/?q=designated+teacher"], "cookies": staff}),
        ("casework home", {"paths": ["/casework/"], "cookies": dt}),
    ]


def acknowledging_spec(signed_in):
    """Distinct people each acknowledging the current version once (a receipt can be made only once), each
    having opened the page first, as a person reads before acknowledging (that read is not timed)."""
    from policy.bench import acknowledgement_forms

    forms = acknowledgement_forms(limit=ACKNOWLEDGERS)
    if not forms:
        return None
    return {
        "paths": [forms[0][0]],
        "cookies": {},
        "forms": [(signed_in(email, password, visit=page), form) for _, email, password, form, page in forms],
    }


def inset_burst(host, port, people=500, seconds=120):
    """500 distinct staff sign in and acknowledge within two minutes: no error, exactly 500 new receipts."""
    from policy.bench import acknowledgement_forms, receipt_count

    forms = acknowledgement_forms(limit=people, offset=ACKNOWLEDGERS)
    before = receipt_count()
    started = time.perf_counter()

    def one(entry):
        path, email, password, form, page = entry
        session = Session(host, port).sign_in(email, password)
        status, _, _ = session.post_form(path, form, page=page)
        return status in (200, 302)

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(one, forms))
    elapsed = time.perf_counter() - started
    made = receipt_count() - before
    ok = len(forms) == people and all(outcomes) and made == len(forms) and elapsed <= seconds
    return (
        f"INSET-day burst: {len(forms)} of {people} staff signed in and acknowledged in {elapsed:.0f} s, "
        f"{outcomes.count(False)} errors, {made} new receipts ({'pass' if ok else 'FAIL'})"
    )
