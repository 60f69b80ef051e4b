"""Drive one scenario against the running server from this (second) process; print JSON figures."""

import json
import statistics
import sys
import threading
import time

from bench.http import Session


def run_scenario(host, port, cookies, paths, seconds, concurrency, forms=None):
    """GET `paths` in a loop for `seconds`; or, with `forms`, POST each (cookies, form) once."""
    latencies, errors, lock = [], [], threading.Lock()
    deadline = time.perf_counter() + seconds
    counter = {"n": 0}

    def next_index():
        with lock:
            counter["n"] += 1
            return counter["n"] - 1

    def worker():
        session = Session(host, port)
        session.cookies.update(cookies)
        while time.perf_counter() < deadline:
            i = next_index()
            if forms is not None and i >= len(forms):
                return
            path = paths[i % len(paths)]
            started = time.perf_counter()
            if forms is not None:
                cookies_for, form = forms[i]
                session.cookies = dict(cookies_for)
                token = session.cookies.get("csrftoken", "")
                status, _, _ = session.request("POST", path, {**form, "csrfmiddlewaretoken": token}, referer=path)
                ok = status == 302
            else:
                status, _, _ = session.get(path)
                ok = status == 200
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(status)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    latencies.sort()
    n = len(latencies)
    return {
        "requests": n,
        "errors": len(errors),
        "error_statuses": sorted(set(errors))[:5],
        "rps": n / wall if wall else 0,
        "p50_ms": 1000 * statistics.median(latencies) if n else 0,
        "p95_ms": 1000 * latencies[min(n - 1, int(n * 0.95))] if n else 0,
    }


if __name__ == "__main__":
    spec = json.loads(sys.stdin.read())
    print(json.dumps(run_scenario(**spec)))
