"""A sign-in is written in one transaction: the person's last sign-in, the record of their session and the session.

Signing in writes three rows: Django's `last_login` (during the sign-in), allauth's record of the session
(trust/user_sessions.py) and the session itself (at the end of the request, by SessionMiddleware). Each was a
transaction of its own, and each commit waits for the database's disk: on an INSET morning, 5,000 sign-ins waited
for 15,000 commits. `SignInTransactionMiddleware`, above SessionMiddleware, holds one transaction around a POST
to a sign-in address (the password form and the second-factor form), so the three are committed together, or
none of them when the sign-in ends in a server error.

Not on SQLite, the embedded default: there (WAL, synchronous=NORMAL) a commit does not wait for the disk, and a
transaction takes the write lock when it begins (IMMEDIATE, portal/settings/base.py), so holding one through the
password check would only make every sign-in wait for the one before it.
"""

import functools

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.urls import get_script_prefix, reverse

SIGN_IN_URL_NAMES = ("account_login", "mfa_authenticate")


@functools.cache
def sign_in_paths() -> frozenset[str]:
    """The sign-in forms' paths, as `request.path_info` gives them (without the script prefix)."""
    prefix = get_script_prefix()
    return frozenset("/" + reverse(name)[len(prefix) :] for name in SIGN_IN_URL_NAMES)


class SignInTransactionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method != "POST"
            or request.path_info not in sign_in_paths()
            or connections[DEFAULT_DB_ALIAS].vendor == "sqlite"
        ):
            return self.get_response(request)
        with transaction.atomic():
            response = self.get_response(request)
            if response.status_code >= 500:  # the error became a response inside: nothing of it is kept
                transaction.set_rollback(True)
        return response
