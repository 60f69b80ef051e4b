"""What `make bench` measures. Each scenario is (name, spec for bench.drive, or None if unavailable)."""

import time
from concurrent.futures import ThreadPoolExecutor

from bench.http import Session


def _first_live_url(model_path):
    from django.apps import apps

    try:
        model = apps.get_model(model_path)
    except LookupError:
        return None
    page = model.objects.live().order_by("pk").first()
    return page.url if page else None


def plan(schools, signed_in):
    staff = signed_in("staff1.brook@symphony.example")
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
    """Distinct people each acknowledging the current version once (a receipt can be made only once)."""
    from policy.bench import acknowledgement_forms  # noqa: PLC0415 - optional until the policy app provides it

    forms = acknowledgement_forms(limit=400)
    if not forms:
        return None
    path = forms[0][0]
    return {"paths": [path], "cookies": {}, "method": "POST", "forms": [(signed_in(email), form, page) for _, email, form, page in forms]}


def inset_burst(host, port, password, people=500, seconds=120):
    """500 distinct staff sign in and acknowledge within two minutes: no error, exactly 500 new receipts."""
    try:
        from policy.bench import acknowledgement_forms, receipt_count
    except ImportError:
        return "INSET-day burst: not available in this build"
    forms = acknowledgement_forms(limit=people, offset=400)
    before = receipt_count()
    started = time.perf_counter()

    def one(entry):
        path, email, form, page = entry
        session = Session(host, port).sign_in(email, password)
        status, _, _ = session.post_form(path, form, page=page)
        return status in (200, 302)

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(one, forms))
    elapsed = time.perf_counter() - started
    made = receipt_count() - before
    ok = all(outcomes) and made == len(forms) and elapsed <= seconds
    return (
        f"INSET-day burst: {len(forms)} staff signed in and acknowledged in {elapsed:.0f} s, "
        f"{outcomes.count(False)} errors, {made} new receipts ({'pass' if ok else 'FAIL'})"
    )
