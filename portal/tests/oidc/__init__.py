"""A real OpenID Connect provider (node's oidc-provider, portal/tests/oidc/provider.mjs) for the SSO tests."""

import json
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

PROVIDER_SCRIPT = Path(__file__).with_name("provider.mjs")
REPO = Path(__file__).resolve().parents[3]


@dataclass
class RunningProvider:
    issuer: str

    def next_login(self, **claims):
        requests.post(f"{self.issuer}/test/next-login", json=claims, timeout=5).raise_for_status()

    def publish_wrong_keys(self):
        requests.post(f"{self.issuer}/test/wrong-keys", timeout=5).raise_for_status()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_provider(clients: list[dict]):
    """Start the provider on a free port of 127.0.0.1; yields it, and stops it afterwards."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the single sign-on tests need it to run a real OpenID Connect provider")
    if not (REPO / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("node_modules/oidc-provider is missing: run `npm ci` (make pytest does)")
    port = _free_port()
    process = subprocess.Popen(
        [node, str(PROVIDER_SCRIPT), str(port), json.dumps(clients)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline()
        if not line.startswith("ready "):
            raise RuntimeError(f"the OpenID Connect test provider did not start: {line!r}")
        yield RunningProvider(issuer=line.split()[1])
    finally:
        process.terminate()
        process.wait(timeout=10)
