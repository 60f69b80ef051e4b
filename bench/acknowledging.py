"""`python -m bench.acknowledging`: the acknowledging scenario alone, on the bench database `make bench` made.

PEOPLE distinct people (300 unless set) who have not acknowledged the current version each acknowledge it once,
from the bench's driver (4 client threads) against gunicorn's 2 workers; prints requests a second, p50, p95 and
errors. Each run uses up its people: run it on a copy (`createdb -T portal_bench <copy>`, then BENCH_DB=<copy>).
"""

import json
import os
import sys

from bench import run, scenarios


def main():
    sys.path.insert(0, str(run.ROOT))
    run.use_redis_if_running()
    os.environ.update(run.ENV)
    import django

    django.setup()
    scenarios.ACKNOWLEDGERS = int(os.environ.get("PEOPLE", "300"))
    server = run.start_server()
    try:
        spec = scenarios.acknowledging_spec(run.signed_in_cookies)
        result = run.drive({"host": run.HOST, "port": run.PORT, "seconds": 10, "concurrency": 4, **spec})
        print(json.dumps({key: result[key] for key in ("rps", "p50_ms", "p95_ms", "errors")}))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
