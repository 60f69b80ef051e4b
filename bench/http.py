"""A small keep-alive HTTP client for the benchmark driver (standard library only)."""

import http.client
import re
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Session:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(host, port, timeout=60)

    def _headers(self, extra=None):
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(extra or {})
        return headers

    def request(self, method: str, path: str, form: dict | None = None, referer: str | None = None):
        body = urlencode(form, doseq=True) if form is not None else None
        extra = {"Content-Type": "application/x-www-form-urlencoded"} if form is not None else {}
        if referer:
            extra["Referer"] = f"http://{self.host}:{self.port}{referer}"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=self._headers(extra))
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return response.status, response.headers, data.decode("utf-8", "replace")

    def get(self, path):
        return self.request("GET", path)

    def post_form(self, path, form, page=None):
        """GET the form page for its CSRF token, then POST the form."""
        status, _, html = self.get(page or path)
        match = CSRF_INPUT.search(html)
        token = match.group(1) if match else self.cookies.get("csrftoken", "")
        return self.request("POST", path, {**form, "csrfmiddlewaretoken": token}, referer=page or path)

    def sign_in(self, email, password, totp_secret=None):
        status, headers, _ = self.post_form("/accounts/login/", {"login": email, "password": password})
        location = headers.get("Location", "")
        if "2fa/authenticate" in location:
            from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

            for _attempt in range(2):
                code = format_hotp_value(hotp_value(totp_secret, int(time.time()) // 30))
                status, headers, _ = self.post_form("/accounts/2fa/authenticate/", {"code": code})
                if status == 302:
                    break
                time.sleep(30 - time.time() % 30 + 1)  # a code is accepted once: wait for the next one
        if status != 302:
            raise RuntimeError(f"{email} could not sign in (status {status})")
        return self
