"""Real app servers for tests: gunicorn with the production settings (plain HTTP), on free ports.

`AppServer` starts one gunicorn, waits until /health/ready answers 200 and stops it (and its workers)
when the test is done; `EmbeddedServer` is the same for the embedded default (`make run`: runserver on a
SQLite file). `Visitor` is one person's browser: a requests.Session whose cookies (session,
CSRF) go to every server on 127.0.0.1, as they would to every server behind one load balancer.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SETTINGS_MODULE = "portal.tests.server_settings"
# The one name people use, which the load balancer passes on to every server in the Host header.
PUBLIC_HOST = "portal.symphony.test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_url() -> str | None:
    """redis://127.0.0.1:6379/0 when a Redis server answers there, else None."""
    try:
        import redis
    except ImportError:
        return None
    url = "redis://127.0.0.1:6379/0"
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        return url if client.ping() else None
    except redis.RedisError:
        return None
    finally:
        client.close()


def database_url() -> str:
    """The database this test process uses (the test database pytest-django made), as DATABASE_URL."""
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise RuntimeError("App servers need PostgreSQL")
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def server_environment(**overrides) -> dict:
    """What every app server of one deployment shares: the secret key (sessions, MFA secrets), database,
    allowed hosts, and the switches the bench settings use for plain HTTP."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "AWS_", "REDIS_", "MEDIA_", "PORTAL_TEST_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
        SECRET_KEY=settings.SECRET_KEY,  # the test process encrypted the TOTP secrets with it
        CASE_AUDIT_HMAC_KEY=settings.CASE_AUDIT_HMAC_KEY,  # one case audit chain, written by every server
        DATABASE_URL=database_url(),
        ALLOWED_HOSTS=f"{PUBLIC_HOST},127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        PYTHONUNBUFFERED="1",
    )
    env.update({key: str(value) for key, value in overrides.items() if value is not None})
    return env


def collect_static(env: dict) -> None:
    """Production keeps static files in a manifest storage: collect them once for the servers. Without
    Redis, the servers share the database cache: its table is made here too."""
    for command in (["collectstatic", "--noinput", "-v", "0"], ["createcachetable"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=180)


class AppServer:
    def __init__(self, name: str, env: dict, log_dir: Path, workers: int = 2):
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = env
        self.workers = workers
        self.log_path = log_dir / f"gunicorn-{name}.log"
        self.process = None

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "gunicorn", "portal.wsgi",
            "--workers", str(self.workers), "--no-control-socket", "--timeout", "60",
            "--bind", f"127.0.0.1:{self.port}", "--access-logfile", "-", "--error-logfile", "-",
        ]  # fmt: skip

    def launch(self) -> "AppServer":
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                self.command(),
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stop() can reach every worker
            )
        return self

    def wait_until_ready(self, timeout: float = 90) -> "AppServer":
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.name} exited with {self.process.returncode}:\n{self.log()}")
            try:
                if requests.get(f"{self.url}/health/ready", timeout=15).status_code == 200:
                    return self
            except (requests.ConnectionError, requests.Timeout):
                pass  # not listening yet, or its workers are still starting
            time.sleep(0.1)  # poll again: gunicorn is still importing Django
        raise RuntimeError(f"gunicorn {self.name} did not answer /health/ready in {timeout:.0f} s:\n{self.log()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop: the master stops its workers
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # the group this test started, and nothing else
            self.process.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""


def embedded_environment(database: Path, media: Path) -> dict:
    """The embedded default as `make run` serves it: development settings on a SQLite file (WAL)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "AWS_", "REDIS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        DATABASE_URL=f"sqlite:///{database}",
        MEDIA_ROOT=str(media),
        PYTHONUNBUFFERED="1",
    )
    return env


class EmbeddedServer(AppServer):
    """`manage.py runserver` (threaded, no autoreload), as `make run` starts it."""

    def command(self) -> list[str]:
        return [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.port}"]


class Visitor:
    """One person at one browser, whichever server the load balancer sends each request to.

    Every request carries the public host name, as it would through the load balancer: allauth, for one,
    counts failed sign-ins per site and account, and the site is the host the request names."""

    def __init__(self, host: str | None = PUBLIC_HOST):
        self.http = requests.Session()
        if host:
            self.http.headers["Host"] = host

    def get(self, server: AppServer, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        return self.http.get(server.url + path, timeout=60, **kwargs)

    def csrf_token(self, server: AppServer, page: str) -> str:
        response = self.get(server, page)
        assert response.status_code == 200, f"{server.name} {page}: {response.status_code}"
        match = CSRF_INPUT.search(response.text)
        assert match, f"{server.name} {page} has no form with a CSRF token"
        return match.group(1)

    def post(self, server: AppServer, path: str, data: dict, *, token: str, files=None) -> requests.Response:
        return self.http.post(
            server.url + path,
            data={**data, "csrfmiddlewaretoken": token},
            files=files,
            allow_redirects=False,
            timeout=60,
        )

    def follow(self, server: AppServer, response: requests.Response) -> requests.Response:
        """The page a redirect leads to, fetched from the given server."""
        assert response.status_code in (301, 302, 303), f"expected a redirect, got {response.status_code}"
        location = response.headers["Location"]
        path = re.sub(r"^https?://[^/]+", "", location)
        return self.get(server, path)

    def sign_in(self, email: str, password: str, *, at: AppServer, totp=None, totp_at: AppServer | None = None):
        """Sign in through the site's own form (allauth), with the TOTP step when asked for."""
        token = self.csrf_token(at, "/accounts/login/")
        response = self.post(at, "/accounts/login/", {"login": email, "password": password}, token=token)
        assert response.status_code == 302, f"{email}: sign-in answered {response.status_code}"
        if "/accounts/2fa/authenticate/" in response.headers["Location"]:
            assert totp is not None, f"{email} was asked for a TOTP code"
            second = totp_at or at
            token = self.csrf_token(second, "/accounts/2fa/authenticate/")
            response = self.post(second, "/accounts/2fa/authenticate/", {"code": totp()}, token=token)
            assert response.status_code == 302, f"{email}: the TOTP step answered {response.status_code}"
        return response
