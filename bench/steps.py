"""The INSET morning step by step: each worker's CPU a person for each of the morning's five requests.

`python -m bench.steps` (after `make bench`, on the database it left; PEOPLE=300 by default) publishes a new
version of the Children in Care policy, serves the portal as `make bench` does, and takes that many people
through the morning one step at a time (every person's sign-in page, then every sign-in, then every dashboard,
policy page and acknowledgement, 8 client threads), printing for each step the CPU the two gunicorn workers and
PostgreSQL spent a person (from /proc) and the wall time a person. CPU time moves less with other load on the
machine than wall time does, though a busy machine still raises it.
"""

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def _cpu_seconds(pids) -> float:
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _postgres_pids():
    return subprocess.run(["pgrep", "-u", "postgres"], capture_output=True, text=True).stdout.split()


def main():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench import run

    run.use_redis_if_running()
    os.environ.update(run.ENV)
    import django

    django.setup()
    from bench.http import CSRF_INPUT, Session
    from policy.bench import acknowledgement_forms, publish_new_version

    server = run.start_server()
    try:
        workers = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        publish_new_version()
        people = [
            {"entry": entry, "session": Session(run.HOST, run.PORT)}
            for entry in acknowledgement_forms(limit=int(os.environ.get("PEOPLE", "300")))
        ]

        def sign_in_page(person):
            person["html"] = person["session"].get("/accounts/login/")[2]

        def sign_in(person):
            _, email, password, _, _ = person["entry"]
            token = CSRF_INPUT.search(person["html"]).group(1)
            form = {"login": email, "password": password, "csrfmiddlewaretoken": token}
            assert person["session"].request("POST", "/accounts/login/", form, referer="/accounts/login/")[0] == 302

        def dashboard(person):
            assert person["session"].get("/")[0] == 200

        def policy(person):
            status, _, person["html"] = person["session"].get(person["entry"][4])
            assert status == 200

        def acknowledge(person):
            path, _, _, form, page = person["entry"]
            token = CSRF_INPUT.search(person["html"]).group(1)
            assert (
                person["session"].request("POST", path, {**form, "csrfmiddlewaretoken": token}, referer=page)[0] == 302
            )

        steps = [
            ("sign-in page", sign_in_page),
            ("sign-in", sign_in),
            ("dashboard", dashboard),
            ("policy page", policy),
            ("acknowledge", acknowledge),
        ]
        for name, step in steps:
            worker_cpu, postgres_cpu, started = _cpu_seconds(workers), _cpu_seconds(_postgres_pids()), time.time()
            with ThreadPoolExecutor(8) as pool:
                list(pool.map(step, people))
            each = 1000 / len(people)
            print(
                f"{name:13s} workers {each * (_cpu_seconds(workers) - worker_cpu):5.1f} ms CPU a person, "
                f"PostgreSQL {each * (_cpu_seconds(_postgres_pids()) - postgres_cpu):4.1f} ms, "
                f"wall {each * (time.time() - started):5.1f} ms",
                flush=True,
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
