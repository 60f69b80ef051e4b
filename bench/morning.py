"""`python -m bench.morning`: the INSET-day morning alone, on the bench database `make bench` made.

PEOPLE distinct staff (5,000 unless set) sign in, land on the dashboard, open the Children in Care policy and
acknowledge it (bench/scenarios.py `inset_morning`, 8 client threads) against gunicorn's 2 workers, and it prints the
line `make bench` prints. It publishes a new version first, so it can be run again on the same database; run it on a
copy (`createdb -T portal_bench <copy>`, then BENCH_DB=<copy>) to keep the bench database as `make bench` left it.
Two runs on the same quiet machine, one a commit before and one after, compare; one run against another day's does not.
"""

import os
import sys

from bench import run, scenarios


def main():
    sys.path.insert(0, str(run.ROOT))
    run.use_redis_if_running()
    os.environ.update(run.ENV)
    import django

    django.setup()
    server = run.start_server()
    try:
        line, _ok = scenarios.inset_morning(run.HOST, run.PORT, people=int(os.environ.get("PEOPLE", "5000")))
        print(line, flush=True)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
