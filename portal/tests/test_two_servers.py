"""Two app servers, one trust: how the portal grows past one machine.

Two gunicorn servers (production settings on plain HTTP) on different ports share one PostgreSQL
database, one S3-compatible server (moto) and, when one answers at 127.0.0.1:6379, one Redis cache.
Every person's requests go to both, as a load balancer would send them: a person signed in through
one is signed in on the other, a document uploaded through one downloads through the other, and
acknowledgements sent to both leave exactly one receipt each, a flood of failed sign-ins sent by threads to
both shuts out nobody, and a TOTP code sent to both at once is accepted once.

The servers read the test database pytest-django made, so the data must be committed: the tests are
transactional, and `serialized_rollback` puts the migrated data (site, page tree) back for the tests
that come after.
"""

import re
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import boto3
import pytest
import redis
from django.db import connection
from django.utils.html import escape

from conftest import totp_code
from portal.tests.app_servers import AppServer, Visitor, collect_static, redis_url, server_environment

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Two app servers share one PostgreSQL database: this test runs on PostgreSQL only",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Two-servers-one-trust-2026"
BUCKET = "two-servers-" + uuid.uuid4().hex[:12]
CACHE_PREFIX = "two-servers-" + uuid.uuid4().hex[:12]  # the servers' keys in the shared Redis
S3_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
STAFF_COUNT = 10
FLOOD, FLOOD_THREADS = 400, 8
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@cache
def password_hash():
    """A hash the production settings verify (the test settings hash with MD5, which production refuses)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    hasher = PBKDF2PasswordHasher()
    return hasher.encode(PASSWORD, hasher.salt())


def can_sign_in(*users):
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(pk__in=[u.pk for u in users]).update(password=password_hash())


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker, s3_server, tmp_path_factory):
    """Servers A and B, started once for this module: everything they share is outside them."""
    boto3.client("s3", endpoint_url=s3_server, region_name="eu-west-2", **S3_CREDENTIALS).create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    run = tmp_path_factory.mktemp("two-servers")
    with django_db_blocker.unblock():
        shared = {
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": s3_server,
            "AWS_S3_REGION_NAME": "eu-west-2",
            "AWS_S3_ADDRESSING_STYLE": "path",
            "AWS_ACCESS_KEY_ID": S3_CREDENTIALS["aws_access_key_id"],
            "AWS_SECRET_ACCESS_KEY": S3_CREDENTIALS["aws_secret_access_key"],
            "REDIS_URL": redis_url(),
            "PORTAL_TEST_CACHE_PREFIX": CACHE_PREFIX,
            "PORTAL_TEST_STATIC_ROOT": run / "static",
        }
        collect_static(server_environment(**shared))
        # Each server has a media folder of its own: a file kept on one machine's disk would not be found.
        a = AppServer("A", server_environment(**shared, MEDIA_ROOT=run / "media-a"), run)
        b = AppServer("B", server_environment(**shared, MEDIA_ROOT=run / "media-b"), run)
    try:
        a.launch(), b.launch()
        a.wait_until_ready(), b.wait_until_ready()
        yield a, b
    finally:
        a.stop()
        b.stop()


@pytest.fixture(autouse=True)
def nothing_kept_from_an_earlier_test():
    """What the servers keep for everyone is kept under generations that the signals of the process changing the
    data renew in the shared cache (trust/personal_pages.py). This test process writes each test's data with a
    cache of its own, so each test starts with the servers' shared keys gone: pages kept during an earlier test
    (another page at the same address, since emptied from the database) are not taken for this test's."""
    url = redis_url()
    if url is None:
        return
    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=f"{CACHE_PREFIX}:*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture
def policy(personas):
    from policy.tests.factories import choose_as_gate_policy, make_policy

    return choose_as_gate_policy(make_policy(title="Children in Care policy"))


def revision_in_form(html):
    match = re.search(r'name="revision" value="(\d+)"', html)
    assert match, "the page offers no acknowledgement form"
    return match.group(1)


def test_a_person_signed_in_through_one_server_is_signed_in_on_the_other(servers, personas):
    a, b = servers
    staff = personas.staff
    can_sign_in(staff)
    visitor = Visitor()

    assert visitor.get(b, "/").headers["Location"].startswith("/accounts/login/")
    visitor.sign_in(staff.email, PASSWORD, at=a)

    dashboard = visitor.get(b, "/")
    assert dashboard.status_code == 200
    assert f'<span class="person-name">{escape(staff.get_full_name())}</span>' in dashboard.text
    assert "Staff member, Brook Primary School" in dashboard.text

    # Signing out through B ends the session on A too.
    token = visitor.csrf_token(b, "/")
    assert visitor.post(b, "/accounts/logout/", {}, token=token).status_code == 302
    after = visitor.get(a, "/")
    assert after.status_code == 302 and after.headers["Location"].startswith("/accounts/login/")


def test_a_case_document_uploaded_through_one_server_downloads_through_the_other(servers, personas, policy, s3_server):
    from casework.models import CaseDocument
    from casework.tests.factories import ChildFactory, add_terms

    a, b = servers
    dt, brook = personas.dt, personas.brook
    add_terms(brook, 2025)
    add_terms(brook, 2026)
    child = ChildFactory(school=brook, preferred_name="Robin")
    can_sign_in(dt)
    visitor = Visitor()

    # Password through A, the authenticator's code through B.
    visitor.sign_in(dt.email, PASSWORD, at=a, totp=totp_code, totp_at=b)

    # The casework gate holds on B until the designated teacher acknowledges the policy through A.
    gate = visitor.get(b, "/casework/")
    assert gate.status_code == 403 and f'href="{policy.url}?next=' in gate.text
    revision = revision_in_form(visitor.get(b, policy.url).text)
    token = visitor.csrf_token(a, policy.url)
    assert (
        visitor.post(a, policy.url + "acknowledge/", {"revision": revision, "statement": "on"}, token=token).status_code
        == 302
    )
    assert visitor.get(b, "/casework/").status_code == 200

    content = PDF + f"% {uuid.uuid4().hex}\n".encode()  # this run's own bytes
    token = visitor.csrf_token(a, "/admin/casework/casedocument/create/")
    uploaded = visitor.post(
        a,
        "/admin/casework/casedocument/create/",
        {"child": child.pk, "title": "Care plan summary", "category": "general"},
        token=token,
        files={"file": ("care-plan.pdf", content, "application/pdf")},
    )
    assert uploaded.status_code == 302, uploaded.text[-2000:]

    listing = visitor.get(b, "/admin/casework/casedocument/")
    assert listing.status_code == 200 and "Care plan summary" in listing.text
    links = re.findall(r'href="(/casework/documents/\d+/download/)"', listing.text)
    assert len(links) == 1
    download = visitor.get(b, links[0])
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.content == content

    # The file is in the shared bucket, not on either machine's disk.
    document = CaseDocument.objects.get(child=child)
    stored = boto3.client("s3", endpoint_url=s3_server, region_name="eu-west-2", **S3_CREDENTIALS).get_object(
        Bucket=BUCKET, Key=document.file.name
    )
    assert stored["Body"].read() == content
    for server in servers:
        media = server.env["MEDIA_ROOT"]
        assert not any(p.is_file() for p in Path(media).rglob("*")), f"{server.name} kept a file"


def test_acknowledgements_sent_to_both_servers_leave_exactly_one_receipt_each(servers, personas, policy):
    from policy.models import ReadReceipt
    from trust.enums import Role
    from trust.tests.factories import MembershipFactory, UserFactory

    a, b = servers
    staff = [UserFactory(email=f"staff{n}.brook@symphony.example") for n in range(1, STAFF_COUNT + 1)]
    for person in staff:
        MembershipFactory(user=person, role=Role.STAFF, school=personas.brook)
    can_sign_in(*staff)

    for n, person in enumerate(staff):
        first, second = (a, b) if n % 2 == 0 else (b, a)
        visitor = Visitor()
        visitor.sign_in(person.email, PASSWORD, at=first)
        page = visitor.get(second, policy.url)
        assert "Please read and acknowledge version 1" in page.text
        form = {"revision": revision_in_form(page.text), "statement": "on"}
        token = visitor.csrf_token(first, policy.url)
        path = policy.url + "acknowledge/"
        if n % 4 < 2:
            # One after the other: the first is thanked, the second (to the other server) already counted.
            thanked = visitor.follow(first, visitor.post(first, path, form, token=token))
            assert "You acknowledged version 1 of “Children in Care policy”" in thanked.text
            again = visitor.follow(second, visitor.post(second, path, form, token=token))
            assert "You have already acknowledged version 1." in again.text
        else:
            # A double submission that the load balancer splits: both at once, one to each server.
            with ThreadPoolExecutor(max_workers=2) as pool:
                sent = [pool.submit(visitor.post, server, path, form, token=token) for server in (first, second)]
                answers = [future.result() for future in sent]
            assert [r.status_code for r in answers] == [302, 302], [r.text[-1000:] for r in answers]
        # Both servers had kept this person's copy of the page (trust/personal_pages.py): the receipt
        # renewed it in the shared cache, so neither serves the old one.
        shown = visitor.get(second, policy.url).text
        assert "You acknowledged version 1 on" in shown
        assert "Please read and acknowledge version 1" not in shown

    receipts = ReadReceipt.objects.filter(page_id=policy.pk, user__in=staff)
    counts = {person.email: receipts.filter(user=person).count() for person in staff}
    assert counts == {person.email: 1 for person in staff}


def test_failed_sign_ins_are_counted_across_both_servers(servers, personas):
    """allauth counts failed sign-ins per account in the cache: shared through Redis, the limit holds
    across every server and worker, instead of five tries for each."""
    a, b = servers
    if not a.env.get("REDIS_URL"):
        pytest.skip("No Redis answers at 127.0.0.1:6379: the servers keep separate local caches")
    governor = personas.governor
    can_sign_in(governor)
    visitor = Visitor()
    for attempt in range(5):
        server = (a, b)[attempt % 2]
        token = visitor.csrf_token(server, "/accounts/login/")
        refused = visitor.post(server, "/accounts/login/", {"login": governor.email, "password": "wrong"}, token=token)
        assert refused.status_code == 200 and "Too many failed" not in refused.text
    token = visitor.csrf_token(b, "/accounts/login/")
    locked = visitor.post(b, "/accounts/login/", {"login": governor.email, "password": PASSWORD}, token=token)
    assert locked.status_code == 200
    assert "Too many failed login attempts. Try again later." in locked.text


def test_a_flood_of_failed_sign_ins_from_one_address_does_not_shut_out_a_colleague(servers, personas):
    """400 failed sign-ins to made-up addresses, sent by 8 threads to both servers from one address (as from
    a school behind one router): each is told the address or password is wrong, none is locked out; then a
    colleague with the right password, from the same address, signs in."""
    a, b = servers
    can_sign_in(personas.staff)

    def flood(thread):
        visitor = Visitor()
        token = visitor.csrf_token(a, "/accounts/login/")
        answers = []
        for n in range(thread, FLOOD, FLOOD_THREADS):
            data = {"login": f"made-up-{n}@symphony.example", "password": "guess"}
            refused = visitor.post((a, b)[n % 2], "/accounts/login/", data, token=token)
            answers.append(
                (refused.status_code, "specified are not correct" in refused.text, "Too many" in refused.text)
            )
        return answers

    with ThreadPoolExecutor(max_workers=FLOOD_THREADS) as pool:
        answers = [answer for batch in pool.map(flood, range(FLOOD_THREADS)) for answer in batch]
    assert len(answers) == FLOOD
    assert set(answers) == {(200, True, False)}

    colleague = Visitor()
    colleague.sign_in(personas.staff.email, PASSWORD, at=b)
    dashboard = colleague.get(a, "/")
    assert dashboard.status_code == 200
    assert f'<span class="person-name">{escape(personas.staff.get_full_name())}</span>' in dashboard.text


def test_a_totp_code_sent_to_both_servers_at_once_is_accepted_once(servers, personas):
    """Someone who has the password and saw the code races the designated teacher: the same code reaches
    server A and server B at the same moment. Used codes are kept in the shared cache, so one is let in."""
    a, b = servers
    dt = personas.dt
    can_sign_in(dt)
    pairs = [(Visitor(), a), (Visitor(), b)]
    for visitor, server in pairs:
        token = visitor.csrf_token(server, "/accounts/login/")
        password = visitor.post(server, "/accounts/login/", {"login": dt.email, "password": PASSWORD}, token=token)
        assert password.status_code == 302 and "/accounts/2fa/authenticate/" in password.headers["Location"]
    tokens = [visitor.csrf_token(server, "/accounts/2fa/authenticate/") for visitor, server in pairs]
    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30)  # one code for both: never send it as its 30 seconds end
    code = totp_code()
    barrier = threading.Barrier(2)

    def send(n):
        visitor, server = pairs[n]
        barrier.wait(timeout=30)
        return visitor.post(server, "/accounts/2fa/authenticate/", {"code": code}, token=tokens[n])

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(send, range(2)))
    assert sorted(r.status_code for r in answers) == [200, 302], [r.status_code for r in answers]
    let_in = next(n for n, r in enumerate(answers) if r.status_code == 302)
    refused = answers[1 - let_in]
    assert "Incorrect code." in refused.text
    for n, (visitor, _) in enumerate(pairs):
        home = visitor.get((b, a)[n], "/")  # asked of the other server
        assert home.status_code == (200 if n == let_in else 302)
