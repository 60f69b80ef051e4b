"""Profile by work, not time: each bench page in this process, on the bench database (`make bench` made it).

`python -m bench.profile [--top N] [--sort cumulative|tottime]` signs in as the bench's people, requests
each page twice (the first warms the process, as a worker that has served before), and prints for the
second: the queries it made, the Python function calls, and the functions that dominate. Counts of
queries and calls do not change with the machine's load, unlike timings.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup():
    sys.path.insert(0, str(ROOT))
    from bench import run

    os.environ.update({k: v for k, v in run.ENV.items() if k != "REDIS_URL"})
    os.environ.setdefault("REDIS_URL", run.REDIS_URL)
    import django

    django.setup()


def signed_in_client(email, password, totp=None):
    from django.test import Client

    from bench.run import TOTP

    client = Client(HTTP_HOST="127.0.0.1")
    response = client.post("/accounts/login/", {"login": email, "password": password})
    if "2fa/authenticate" in response.get("Location", ""):
        from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

        for _attempt in range(2):
            code = format_hotp_value(hotp_value(totp or TOTP, int(time.time()) // 30))
            response = client.post("/accounts/2fa/authenticate/", {"code": code})
            if response.status_code == 302:
                break
            # A code is accepted once (allauth refuses a replay): the bench signed this person in over HTTP
            # moments ago, so wait for the next code.
            time.sleep(30 - time.time() % 30 + 1)
    assert response.status_code == 302, (email, response.status_code)
    return client


def measure(label, request, top, sort):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    request()  # warm: templates compiled, content types and the site cached, as in a serving worker
    profiler = cProfile.Profile()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        profiler.enable()
        response = request()
        profiler.disable()
        elapsed = (time.perf_counter() - started) * 1000
    stats = pstats.Stats(profiler)
    print(f"\n== {label}: status {response.status_code}, {len(queries)} queries, "
          f"{stats.total_calls} function calls, {elapsed:.0f} ms (noisy)")
    for q in queries.captured_queries:
        print("   SQL", q["sql"][:160])
    stats.sort_stats(sort).print_stats(top)
    return response


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    setup()
    from bench.run import PASSWORD
    from bench.scenarios import BENCH_PASSWORD
    from policy.bench import acknowledgement_forms

    staff = signed_in_client("staff1.bench-0001@bench.example", BENCH_PASSWORD)
    dt = signed_in_client("dt.brook@symphony.example", PASSWORD)
    head = signed_in_client("head@symphony.example", PASSWORD)
    pages = {
        "staff dashboard": lambda: staff.get("/"),
        "briefing (whole trust)": lambda: head.get("/briefing/"),
        "casework home": lambda: dt.get("/casework/"),
        "search": lambda: staff.get("/search/?q=children+in+care"),
    }
    for label, request in pages.items():
        if not args.only or args.only in label:
            measure(label, request, args.top, args.sort)
    if not args.only or "first" in args.only:
        visits = iter([_first_visit(*entry) for entry in acknowledgement_forms(limit=2, offset=4500)])
        measure("policy page (first visit)", lambda: next(visits)(), args.top, args.sort)
    if not args.only or "rebuilt" in args.only:
        from types import SimpleNamespace

        from training.briefing import build_report

        def rebuild():
            build_report(None)
            return SimpleNamespace(status_code=200)  # not a page: what the first reader after any receipt waits for

        measure("briefing report rebuilt (whole trust, no cache)", rebuild, args.top, args.sort)
    for label, request in first_visit_scenarios().items():
        if not args.only or args.only in label:
            measure(label, request, args.top, args.sort)
    if not args.only or "ack" in args.only:
        ready = [_ready_to_acknowledge(*entry) for entry in acknowledgement_forms(limit=2, offset=4000)]
        posts = iter(ready)
        measure("acknowledging", lambda: next(posts)(), args.top, args.sort)


def _first_visit(path, email, password, form, page):
    """Signed in and landed on the dashboard, as each person in the INSET-day morning: their first GET of the
    policy page (no kept copy of it yet) is what is measured."""
    client = signed_in_client(email, password)
    client.get("/")
    return lambda: client.get(page)


def first_visit_scenarios():
    """The INSET morning's first steps, each by a person not seen before (bench/scenarios.py `inset_morning`):
    the sign-in page, the sign-in (the password checked, the session made), and the first dashboard after it
    (no kept copy yet: built afresh). Two people each: the first warms the process, the second is measured."""
    from django.test import Client

    from bench.scenarios import BENCH_PASSWORD

    people = iter([f"staff{n}.bench-{school:04d}@bench.example" for school in (41, 42) for n in range(90, 100)])

    def ready_to_sign_in(email):
        client = Client(HTTP_HOST="127.0.0.1")
        client.get("/accounts/login/")  # a person opens the sign-in page before signing in
        return lambda: client.post("/accounts/login/", {"login": email, "password": BENCH_PASSWORD})

    def ready_for_dashboard(email):
        client = signed_in_client(email, BENCH_PASSWORD)
        return lambda: client.get("/")

    sign_ins = iter([ready_to_sign_in(next(people)) for _ in range(2)])
    dashboards = iter([ready_for_dashboard(next(people)) for _ in range(2)])
    return {
        "sign-in page": lambda: Client(HTTP_HOST="127.0.0.1").get("/accounts/login/"),
        "sign-in (POST)": lambda: next(sign_ins)(),
        "first dashboard": lambda: next(dashboards)(),
    }


def _ready_to_acknowledge(path, email, password, form, page):
    """Signed in, the page opened (as a person reads before acknowledging): the POST is what is measured, its form
    encoded as a browser and the bench's driver encode it (not the test client's multipart)."""
    import re
    from urllib.parse import urlencode

    client = signed_in_client(email, password)
    html = client.get(page).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    body = urlencode({**form, "csrfmiddlewaretoken": token}, doseq=True)
    return lambda: client.post(path, body, content_type="application/x-www-form-urlencoded")


if __name__ == "__main__":
    main()


def queries_per_scenario() -> dict[str, int]:
    """The queries of one request of each scenario, in this process (the bench database, the shared cache):
    the third request, as the driver's loop sees it (the first two warm and keep any copy)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.run import PASSWORD
    from bench.scenarios import ACKNOWLEDGERS, BENCH_PASSWORD
    from policy.bench import acknowledgement_forms, children_in_care_policy

    staff = signed_in_client("staff1.bench-0001@bench.example", BENCH_PASSWORD)
    head = signed_in_client("head@symphony.example", PASSWORD)
    dt = signed_in_client("dt.brook@symphony.example", PASSWORD)
    policy = children_in_care_policy()
    requests = {
        "bare request (/health/live)": lambda: staff.get("/health/live"),
        "policy page": lambda: staff.get(policy.url),
        "staff dashboard": lambda: staff.get("/"),
        "briefing (whole trust)": lambda: head.get("/briefing/"),
        "search": lambda: staff.get("/search/?q=children+in+care"),
        "casework home": lambda: dt.get("/casework/"),
    }
    forms = acknowledgement_forms(limit=1, offset=ACKNOWLEDGERS)  # not one of the driven scenario's people
    if forms:
        post = _ready_to_acknowledge(*forms[0])
        requests["acknowledging"] = lambda: post()
    counts = {}
    for name, request in requests.items():
        if name != "acknowledging":
            request()  # the first sets the CSRF cookie, the second may keep the person's copy
            request()
        with CaptureQueriesContext(connection) as queries:
            request()
        counts[name] = len(queries)
    return counts
