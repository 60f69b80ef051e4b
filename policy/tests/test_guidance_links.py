import http.server
import socket
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from policy.tests.factories import make_guidance

pytestmark = pytest.mark.django_db


class Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):
        if self.path == "/no-head":
            self.send_response(405)
        else:
            self.send_response(200 if self.path in ("/ok", "/get-only") else 404)
        self.end_headers()

    def do_GET(self):
        self.send_response(200 if self.path in ("/ok", "/no-head") else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_links_that_answer_pass(server):
    make_guidance("Answers", slug="answers", link_url=f"{server}/ok")
    make_guidance("Refuses HEAD", slug="refuses-head", link_url=f"{server}/no-head")
    out = StringIO()
    call_command("check_guidance_links", stdout=out)
    assert "All 2 guidance links answered." in out.getvalue()


def test_links_that_do_not_answer_are_reported(server):
    make_guidance("Answers", slug="answers", link_url=f"{server}/ok")
    make_guidance("Gone", slug="gone", link_url=f"{server}/gone")
    make_guidance("Nobody home", slug="nobody-home", link_url=f"http://127.0.0.1:{closed_port()}/")
    out = StringIO()
    with pytest.raises(CommandError, match="2 of 3 guidance links did not answer"):
        call_command("check_guidance_links", "--timeout", "2", stdout=out)
    report = out.getvalue()
    assert "BROKEN  Gone" in report and "HTTP 404" in report
    assert "BROKEN  Nobody home" in report and "no answer" in report
    assert "ok      Answers" in report
