"""`make bench`: generate the 50-school trust, serve it with gunicorn, measure each page against /health/live.

Prints one line a scenario (requests per second, p50, p95, peak worker memory, ratio to the bare
request of the same run) and writes them to bench/results.md.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8765"))
DB_NAME = os.environ.get("BENCH_DB", "portal_bench")
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
PASSWORD = "Symphony-demo-2026"  # noqa: S105 - the documented demo password
TOTP = "JBSWY3DPEHPK3PXP"  # noqa: S105 - the documented demo secret

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "portal.settings.bench",
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdef",
    "CASE_AUDIT_HMAC_KEY": "bench-only-case-audit-key-not-for-production-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DB_CONN_MAX_AGE": "600",
}

# issue 16: ratios to the bare request of the same run
GOALS = {
    "policy page": 0.30,
    "staff dashboard": 0.25,
    "acknowledging": 0.15,
    "briefing (whole trust)": 0.03,
    "search": 0.15,
    "casework home": 0.15,
}
MEMORY_GOAL_MB = 300
BRIEFING_GROWTH_GOAL = 2.0  # the whole trust's briefing at 5,000 staff costs at most twice what it does at 500
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")


def use_redis_if_running():
    """Production runs several workers with a shared cache: Redis, when one answers here (db 1, emptied)."""
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        client.flushdb()
    except Exception:  # noqa: BLE001 - any failure means no Redis: the bench runs without it and says so
        return False
    ENV["REDIS_URL"] = REDIS_URL
    return True


def manage(*args, check=True):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=ENV, check=check)


def prepare_database(schools, staff):
    from django.db import connections

    connections.close_all()  # this process reads the bench data too (scenarios.py)
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", DB_NAME], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB_NAME], check=True)
    manage("migrate", "--noinput", "-v", "0")
    manage("createcachetable")  # the shared cache when there is no Redis (portal/settings/bench.py)
    manage("load_demo")
    manage(
        "generate_bench_data",
        "--schools", str(schools), "--staff-per-school", str(staff), "--policies", "20",
        "--versions", "3", "--children-per-school", "10",
    )
    # A deployment's autovacuum gathers the planner's statistics soon after a bulk load; this machine's
    # PostgreSQL runs with autovacuum off, so the bench gathers them itself. Without them the whole trust's
    # briefing at 5,000 staff took 27 s, not 0.2 s (bench/results.md).
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", "ANALYZE", DB_NAME], check=True)


def start_server():
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "portal.wsgi", "--workers", "2", "--no-control-socket",
         "--bind", f"{HOST}:{PORT}", "--access-logfile", "/dev/null", "--error-logfile", "-", "--log-level", "warning"],
        cwd=ROOT, env=ENV,
    )
    from bench.http import Session

    for _ in range(100):
        try:
            if Session(HOST, PORT).get("/health/live")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not answer /health/live")


def worker_peak_mb(server):
    peak = 0
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    for pid in children.read_text().split() if children.exists() else []:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]) // 1024)
    return peak


def drive(spec):
    """Run the load from a second process, as a separate client would."""
    result = subprocess.run(
        [PYTHON, "-m", "bench.drive"], cwd=ROOT, input=json.dumps(spec), capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def signed_in_cookies(email, password=PASSWORD, visit=None):
    """The cookies of a session signed in as `email` (that has then opened `visit`, as a person would)."""
    from bench.http import Session

    session = Session(HOST, PORT).sign_in(email, password, TOTP)
    if visit:
        session.get(visit)
    return session.cookies


def briefing_build_ms(runs=3):
    """The whole trust's briefing report built afresh (no cache), in this process: the median of `runs`."""
    from training.briefing import build_report

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        build_report(None)
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)[len(times) // 2]


def main():
    sys.path.insert(0, str(ROOT))
    redis_used = use_redis_if_running()
    os.environ.update(ENV)
    # Before this process loads Django: the production settings' manifest storage reads its manifest once, when
    # first used, and a fresh clone has none yet.
    manage("collectstatic", "--noinput", "-v", "0")
    import django

    django.setup()
    from bench import scenarios

    lines, figures, built = [], {}, {}
    sizes = [tuple(int(n) for n in size.split("x")) for size in os.environ.get("BENCH_SIZES", "5x100,50x100").split(",")]
    for schools, staff in sizes:
        prepare_database(schools, staff)
        server = start_server()
        try:
            plan = scenarios.plan(schools=schools, signed_in=signed_in_cookies)
            from bench.profile import queries_per_scenario

            queries = queries_per_scenario()
            baseline = None
            for name, spec in plan:
                if spec is None:
                    lines.append(f"{name}: not available in this build")
                    continue
                result = drive({"host": HOST, "port": PORT, "seconds": SECONDS, "concurrency": CONCURRENCY, **spec})
                baseline = baseline or result["rps"]
                ratio = result["rps"] / baseline if baseline else 0
                label = f"{name} [{schools * staff} staff]"
                figures[label] = {**result, "ratio": ratio}
                goal = GOALS.get(name)
                verdict = "" if goal is None else (" (goal met)" if ratio >= goal else f" (GOAL {goal} MISSED)")
                lines.append(
                    f"{label}: {result['rps']:.0f} req/s p50 {result['p50_ms']:.0f} ms p95 {result['p95_ms']:.0f} ms "
                    f"ratio {ratio:.2f} errors {result['errors']} queries {queries.get(name, '?')}{verdict}"
                )
                print(lines[-1], flush=True)
            peak = worker_peak_mb(server)
            memory_verdict = "goal met" if peak < MEMORY_GOAL_MB else f"GOAL {MEMORY_GOAL_MB} MB MISSED"
            lines.append(f"peak worker memory [{schools * staff} staff]: {peak} MB ({memory_verdict})")
            print(lines[-1], flush=True)
            built[schools * staff] = briefing_build_ms()
            lines.append(f"briefing report built afresh, in process [{schools * staff} staff]: {built[schools * staff]:.0f} ms")
            print(lines[-1], flush=True)
            if (schools, staff) == sizes[-1]:
                morning, _ok = scenarios.inset_morning(HOST, PORT, people=min(5000, schools * staff))
                lines.append(morning)
                print(morning, flush=True)
                lines.append(f"peak worker memory after the morning: {worker_peak_mb(server)} MB")
                print(lines[-1], flush=True)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    if len(built) > 1:
        (small, small_ms), (large, large_ms) = min(built.items()), max(built.items())
        served = {
            size: figures.get(f"briefing (whole trust) [{size} staff]", {}).get("rps") for size in (small, large)
        }
        if served[small] and served[large]:
            growth = served[small] / served[large]  # the cost of a request is the inverse of the throughput
            verdict = "goal met" if growth <= BRIEFING_GROWTH_GOAL else f"GOAL {BRIEFING_GROWTH_GOAL:.0f}x MISSED"
            lines.append(f"briefing cost per request at {large} staff against {small}: {growth:.1f}x ({verdict})")
            print(lines[-1], flush=True)
        rebuilt = large_ms / small_ms if small_ms else 0
        lines.append(
            f"briefing rebuild (the first reader after a change) at {large} staff against {small}: {rebuilt:.1f}x"
            + (" (goal met)" if rebuilt <= BRIEFING_GROWTH_GOAL else f" (GOAL {BRIEFING_GROWTH_GOAL:.0f}x MISSED)")
        )
        print(lines[-1], flush=True)
    results = ROOT / "bench" / "results.md"
    # The written analysis under the figures (from its first "## " heading on) is kept from run to run.
    previous = results.read_text() if results.exists() else ""
    analysis = previous[previous.index("\n## ") :] if "\n## " in previous else ""
    results.write_text(
        "# Benchmark results\n\nProduced by `make bench` on "
        f"{time.strftime('%Y-%m-%d %H:%M')} ({os.cpu_count()} cores): gunicorn, 2 workers, PostgreSQL, "
        f"DEBUG off, {'Redis cache and sessions' if redis_used else 'no Redis (local memory cache, sessions in the database)'}, "
        f"{CONCURRENCY} client threads for {SECONDS:.0f} s a scenario from a second process.\n\n"
        + "\n".join(f"- {line}" for line in lines)
        + "\n"
        + analysis
    )
    print(f"Wrote {results}")


if __name__ == "__main__":
    main()
