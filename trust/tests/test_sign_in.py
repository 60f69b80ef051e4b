import datetime
import re

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core import mail

from conftest import TOTP_SECRET, totp_code
from trust.tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def password_step(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_staff_member_signs_in_with_password_alone(client, personas):
    response = password_step(client, personas.staff.email)
    assert response.status_code == 302 and response.url == "/"
    page = client.get("/")
    assert page.status_code == 200
    assert "staff@symphony.example" in page.content.decode() or personas.staff.first_name in page.content.decode()


def test_designated_teacher_must_give_a_totp_code_before_any_page(client, personas):
    response = password_step(client, personas.dt.email)
    assert response.url == "/accounts/2fa/authenticate/"
    assert client.get("/").status_code == 302  # not signed in yet
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert "Incorrect code" in wrong.content.decode()
    done = client.post("/accounts/2fa/authenticate/", {"code": totp_code()})
    assert done.status_code == 302
    assert client.get("/").status_code == 200


def test_a_recovery_code_also_passes_the_second_step(client, personas):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    codes = RecoveryCodes(Authenticator.objects.get(user=personas.head, type="recovery_codes")).get_unused_codes()
    password_step(client, personas.head.email)
    client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert client.get("/").status_code == 200


def test_person_with_an_mfa_role_but_no_authenticator_is_sent_to_enrol(
    client, personas, django_capture_on_commit_callbacks
):
    newcomer = UserFactory(email="newdt@symphony.example")
    MembershipFactory(user=newcomer, role="designated_teacher", school=personas.brook)
    password_step(client, newcomer.email)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/accounts/2fa/totp/activate/"
    assert client.get("/policies/").url == "/accounts/2fa/totp/activate/"
    # allauth asks for the password again before showing a new secret, then shows the QR code.
    assert client.get("/accounts/2fa/totp/activate/").url.startswith("/accounts/reauthenticate/")
    client.post("/accounts/reauthenticate/?next=/accounts/2fa/totp/activate/", {"password": PASSWORD})
    activate = client.get("/accounts/2fa/totp/activate/")
    assert activate.status_code == 200
    secret = activate.context["form"].secret
    with django_capture_on_commit_callbacks(execute=True):
        enrolled = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert enrolled.status_code == 302
    assert Authenticator.objects.filter(user=newcomer, type="totp").exists()
    assert client.get("/").status_code == 200  # enrolling proved the factor for this session


def test_totp_secret_is_encrypted_at_rest(personas):
    stored = Authenticator.objects.get(user=personas.dt, type="totp").data["secret"]
    assert TOTP_SECRET not in stored
    assert len(stored) > 40


def test_admin_login_cannot_create_a_session_that_skips_mfa(client, personas):
    # Wagtail's own login form is replaced by a redirect to allauth.
    page = client.get("/admin/login/?next=/admin/")
    assert page.status_code == 302 and page.url.startswith("/accounts/login/")
    posted = client.post("/admin/login/", {"username": personas.head.email, "password": PASSWORD})
    assert posted.status_code in (302, 405)
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_a_session_made_without_the_mfa_step_is_ended(client, personas):
    client.force_login(personas.head, backend="trust.auth_backends.ModelBackend")
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_wrong_password_and_unknown_address_get_the_same_answer(client, personas):
    known = password_step(client, personas.staff.email, "not-the-password")
    unknown = password_step(client, "nobody-here@symphony.example", "not-the-password")
    assert known.status_code == unknown.status_code == 200
    assert "not correct" in known.content.decode()
    def main_without_csrf(response):
        html = response.content.decode().replace("nobody-here@symphony.example", "X").replace(personas.staff.email, "X")
        main = html.split("<main")[1].split("</main>")[0]
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)

    assert main_without_csrf(known) == main_without_csrf(unknown)


def test_password_reset_does_not_reveal_whether_an_address_has_an_account(client, personas):
    known = client.post("/accounts/password/reset/", {"email": personas.staff.email})
    unknown = client.post("/accounts/password/reset/", {"email": "stranger@symphony.example"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert len(mail.outbox) == 2  # allauth tells an unknown address that it has no account, to that address only
    assert mail.outbox[0].to == [personas.staff.email]
    assert "reset" in mail.outbox[0].body.lower()


def test_there_is_no_self_sign_up(client, db):
    response = client.post(
        "/accounts/signup/", {"email": "me@example.com", "password1": "Long-password-123", "password2": "Long-password-123"}
    )
    assert response.status_code == 200
    assert "Sign up closed" in response.content.decode() or "closed" in response.content.decode().lower()
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(email="me@example.com").exists()


def test_failed_sign_ins_are_limited_per_account(client, personas):
    for _ in range(5):
        password_step(client, personas.staff.email, "wrong-password")
    blocked = password_step(client, personas.staff.email, PASSWORD)
    assert blocked.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    # Another person from the same address is not affected.
    assert password_step(client, personas.governor.email).status_code == 302


def test_a_whole_staff_room_can_sign_in_from_one_address(client, personas):
    people = [UserFactory(email=f"burst{n}@symphony.example") for n in range(150)]
    for person in people:
        MembershipFactory(user=person, school=personas.brook)
    for person in people:
        client.cookies.clear()
        response = password_step(client, person.email)
        assert response.status_code == 302, f"{person.email} was refused"


def test_signing_out_ends_every_session_of_that_person(client, personas, django_user_model):
    from django.test import Client

    laptop, phone = Client(), Client()
    for device in (laptop, phone):
        password_step(device, personas.staff.email)
        assert device.get("/").status_code == 200
    assert UserSession.objects.filter(user=personas.staff).count() == 2
    laptop.post("/accounts/logout/")
    assert phone.get("/").status_code == 302
    assert not UserSession.objects.filter(user=personas.staff).exists()


def test_a_session_left_idle_ends_and_a_busy_one_does_not(client, personas):
    idle_minutes = settings.SESSION_IDLE_MINUTES
    with time_machine.travel("2026-11-30 09:00 +0000", tick=False) as clock:
        password_step(client, personas.staff.email)
        # Busy: a page every few minutes for twice the idle period keeps the person signed in.
        for _ in range(2 * idle_minutes // 5):
            clock.shift(datetime.timedelta(minutes=5))
            assert client.get("/").status_code == 200
        # Idle: one minute past the period (the expiry is pushed on at most once a minute) ends it.
        clock.shift(datetime.timedelta(minutes=idle_minutes + 1))
        response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_pages_within_the_same_minute_do_not_rewrite_the_session(client, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    password_step(client, personas.staff.email)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(("UPDATE", "INSERT", "DELETE"))]
    assert writes == []


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/password/reset/", "/health/live", "/health/ready"])
def test_only_sign_in_reset_and_health_answer_without_signing_in(client, db, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/", "/admin/", "/accounts/2fa/", "/documents/1/x.pdf", "/no-such-page/"])
def test_everything_else_asks_to_sign_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_a_password_stored_the_old_way_is_stored_with_argon2id_after_signing_in(client, personas):
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.test import override_settings

    from portal.settings.base import PASSWORD_HASHERS
    from trust.tests.factories import PASSWORD

    staff = personas.staff
    staff.password = PBKDF2PasswordHasher().encode(PASSWORD, "oldsalt123456789", iterations=1000)
    staff.save(update_fields=["password"])
    with override_settings(PASSWORD_HASHERS=PASSWORD_HASHERS):
        assert password_step(client, staff.email).status_code == 302
        assert client.get("/").status_code == 200
    staff.refresh_from_db()
    assert staff.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_a_flood_of_failed_sign_ins_from_one_address_does_not_shut_out_a_colleague(client, personas):
    school_address = {"REMOTE_ADDR": "10.20.30.40"}
    for n in range(400):
        client.post("/accounts/login/", {"login": f"made-up-{n}@symphony.example", "password": "guess"}, **school_address)
    colleague = client.post("/accounts/login/", {"login": personas.staff.email, "password": PASSWORD}, **school_address)
    assert colleague.status_code == 302 and colleague.url == "/"
    assert client.session["_auth_user_id"] == str(personas.staff.pk)
