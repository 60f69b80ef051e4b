"""What `make bench` measures. Each scenario is (name, spec for bench.drive, or None if unavailable)."""

import time
from concurrent.futures import ThreadPoolExecutor

from bench.http import CSRF_INPUT, Session

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


def inset_morning(host, port, people=5000, seconds=180, threads=8, give_up_after=3):
    """The whole morning: after a material change to the Children in Care policy, `people` distinct staff
    sign in, land on the dashboard, open the policy and acknowledge it. Goal: within `seconds` on the two
    workers, no error, exactly `people` new receipts. A morning still going at `give_up_after` times the goal
    stops there (the rest are not started) and says how many it reached. Returns the line to print and whether
    it passed."""
    from policy.bench import acknowledgement_forms, publish_new_version, receipt_count

    publish_new_version()
    forms = acknowledgement_forms(limit=people)
    before = receipt_count()
    steps = {"sign in": [], "dashboard": [], "policy": [], "acknowledge": []}
    errors = []

    def timed(step, call, ok=(200,)):
        started = time.perf_counter()
        status = call()
        steps[step].append(time.perf_counter() - started)
        if status not in ok:
            errors.append((step, status))
            return False
        return True

    def one(entry):
        if time.perf_counter() - started > seconds * give_up_after:
            return
        path, email, password, form, page = entry
        session = Session(host, port)
        try:
            if not timed("sign in", lambda: _sign_in_status(session, email, password), ok=(302,)):
                return
            if not timed("dashboard", lambda: session.get("/")[0]):
                return
            holder = {}

            def open_policy():
                status, _, html = session.get(page)
                holder["html"] = html
                return status

            if not timed("policy", open_policy):
                return
            match = CSRF_INPUT.search(holder["html"])
            token = match.group(1) if match else session.cookies.get("csrftoken", "")
            timed(
                "acknowledge",
                lambda: session.request("POST", path, {**form, "csrfmiddlewaretoken": token}, referer=page)[0],
                ok=(302,),
            )
        except OSError as exc:
            errors.append(("connection", str(exc)))
        finally:
            session.conn.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(one, forms))
    elapsed = time.perf_counter() - started
    made = receipt_count() - before
    reached = len(steps["acknowledge"])
    ok = len(forms) == people and not errors and made == people and elapsed <= seconds
    stopped = "" if reached >= len(forms) else f" (stopped at {seconds * give_up_after} s: {reached} reached the end)"
    p95 = ", ".join(f"{step} {_p95_ms(times):.0f} ms" for step, times in steps.items())
    line = (
        f"INSET-day morning: {len(forms)} of {people} distinct staff signed in, opened the dashboard and the "
        f"Children in Care policy and acknowledged it in {elapsed:.0f} s{stopped} (goal {seconds} s), {len(errors)} errors, "
        f"{made} new receipts; p95 {p95} ({'goal met' if ok else 'GOAL MISSED'})"
    )
    return line, ok


def _sign_in_status(session, email, password):
    status, _, _ = session.post_form("/accounts/login/", {"login": email, "password": password})
    return status


def _p95_ms(times):
    if not times:
        return 0
    ordered = sorted(times)
    return 1000 * ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
