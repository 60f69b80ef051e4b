"""Fixtures shared by every app's tests: the personas, signing in, an S3-compatible server."""

import os
from dataclasses import dataclass, field

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.core.cache import cache

from trust.enums import Role
from trust.middleware import MFA_VERIFIED_SESSION_KEY
from trust.tests.factories import MembershipFactory, SchoolFactory, UserFactory

TOTP_SECRET = "JBSWY3DPEHPK3PXP"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_sessionstart(session):
    # The suite runs in random order (pytest-randomly); its own header line is hidden by -q, so say the seed
    # that repeats this order. `-p no:randomly` runs the files in order, as written.
    seed = getattr(session.config.option, "randomly_seed", None)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if isinstance(seed, int) and reporter is not None:
        reporter.write_line(f"Random test order: repeat it with --randomly-seed={seed}")


def _runs_outside_a_transaction(item) -> bool:
    marker = item.get_closest_marker("django_db")
    flagged = marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    return bool(flagged) or bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests that commit (live servers, transaction=True) run after every test that rolls back, whatever the
    random order: each one empties the database when it ends and restores the migrated data only for the next
    such test (serialized_rollback), so a rolled-back test after it would find no groups or content types.
    pytest-django sorts them last, but pytest-randomly shuffles after it; the stable sort keeps the shuffle."""
    items.sort(key=_runs_outside_a_transaction)


@pytest.fixture(autouse=True)
def _clear_cache():
    # Wagtail caches the site root; allauth keeps rate limits in the cache.
    cache.clear()
    yield
    cache.clear()


@dataclass
class Personas:
    brook: object
    meadow: object
    castle: object
    staff: object  # staff member of brook
    governor: object  # governor of brook
    dt: object  # designated teacher of brook and meadow
    dt_castle: object  # designated teacher of castle
    head: object  # executive head
    admin: object  # trust administrator
    dpo: object  # data protection officer
    nobody: object  # signed in, no role
    make_delegate: object = field(default=None, repr=False)
    _delegate: object = field(default=None, repr=False)

    @property
    def delegate(self):
        """A staff member of brook with MFA (casework's build_world gives them a delegation). Made on first
        use, so tests that count brook's staff see the same people as before."""
        if self._delegate is None:
            self._delegate = self.make_delegate()
        return self._delegate

    def all(self):
        return {
            "staff": self.staff,
            "governor": self.governor,
            "dt": self.dt,
            "dt_castle": self.dt_castle,
            "head": self.head,
            "admin": self.admin,
            "dpo": self.dpo,
            "nobody": self.nobody,
        }


def totp_code(secret=TOTP_SECRET):
    """The current code an authenticator app would show (RFC 6238, via allauth's own HOTP)."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def enrol_totp(user):
    TOTP.activate(user, TOTP_SECRET)
    RecoveryCodes.activate(user)


@pytest.fixture
def personas(db):
    brook = SchoolFactory(slug="brook", name="Brook Primary School")
    meadow = SchoolFactory(slug="meadow", name="Meadow Primary School")
    castle = SchoolFactory(slug="castle", name="Castle Academy")

    def person(email, *grants, mfa=False):
        user = UserFactory(email=email)
        for role, school in grants:
            MembershipFactory(user=user, role=role, school=school)
        if mfa:
            enrol_totp(user)
        return user

    return Personas(
        brook=brook,
        meadow=meadow,
        castle=castle,
        staff=person("staff@symphony.example", (Role.STAFF, brook)),
        governor=person("governor@symphony.example", (Role.GOVERNOR, brook)),
        dt=person(
            "dt@symphony.example",
            (Role.DESIGNATED_TEACHER, brook),
            (Role.DESIGNATED_TEACHER, meadow),
            (Role.STAFF, brook),
            mfa=True,
        ),
        dt_castle=person("dt.castle@symphony.example", (Role.DESIGNATED_TEACHER, castle), (Role.STAFF, castle), mfa=True),
        head=person("head@symphony.example", (Role.EXECUTIVE_HEAD, None), mfa=True),
        admin=person("admin@symphony.example", (Role.TRUST_ADMIN, None), mfa=True),
        dpo=person("dpo@symphony.example", (Role.DATA_PROTECTION_OFFICER, None), mfa=True),
        nobody=person("nobody@symphony.example"),
        make_delegate=lambda: person("mentor@symphony.example", (Role.STAFF, brook), mfa=True),
    )


def sign_in(client, user):
    """Sign a persona in as if they had passed every step, MFA included."""
    client.force_login(user, backend="trust.auth_backends.ModelBackend")
    session = client.session
    session[MFA_VERIFIED_SESSION_KEY] = True
    session.save()
    return client


@pytest.fixture
def signed_in(client):
    return lambda user: sign_in(client, user)


@pytest.fixture(scope="session")
def s3_server():
    """An S3-compatible server on 127.0.0.1 (moto), spoken to over real HTTP by boto3."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()
