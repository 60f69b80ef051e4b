"""The whole trust's briefing rebuilt in process: medians over `RUNS` builds of this process's CPU
(time.process_time), the PostgreSQL backend's CPU (a mean) (its /proc stat: the server is on this machine) and the
wall time, then the SQL time of each statement of one more build (`python -m bench.rebuild_time`, on
BENCH_DB). CPU, unlike wall time, barely moves with the machine's load."""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _backend_cpu_ms(pid) -> float:
    """User and system CPU the PostgreSQL backend `pid` has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def main():
    sys.path.insert(0, str(ROOT))
    from bench import run

    run.use_redis_if_running()
    os.environ.update(run.ENV)
    import django

    django.setup()
    from django.db import connection

    from training.briefing import build_report

    runs = int(os.environ.get("RUNS", "21"))
    build_report(None)  # warm the process and the connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    cpu, server, wall = [], [], []
    for _ in range(runs):
        started_cpu, started_server, started = time.process_time(), _backend_cpu_ms(backend), time.perf_counter()
        build_report(None)
        cpu.append((time.process_time() - started_cpu) * 1000)
        server.append(_backend_cpu_ms(backend) - started_server)
        wall.append((time.perf_counter() - started) * 1000)
    statements = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append(((time.perf_counter() - started) * 1000, sql))

    with connection.execute_wrapper(timed):
        build_report(None)
    print(
        f"{run.DB_NAME}: build_report(None), medians of {runs}: CPU {statistics.median(cpu):.1f} ms here + "
        f"{statistics.mean(server):.1f} ms PostgreSQL (a mean: ticks of 10 ms), wall {statistics.median(wall):.1f} ms; "
        f"{len(statements)} statements"
    )
    for ms, sql in sorted(statements, reverse=True)[: int(os.environ.get("TOP", "6"))]:
        print(f"  {ms:7.1f} ms  {' '.join(sql.split())[:150]}")


if __name__ == "__main__":
    main()
