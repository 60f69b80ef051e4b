"""The staff import's preview: by name, nothing saved; confirming applies exactly it; the leavers' guard;
invitations for new starters on password sign-in (works once, expires); links from the site address."""

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from conftest import sign_in
from trust.enums import Role
from trust.models import Membership
from trust.staff_import import plan_import
from trust.tests.factories import MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
URL = "/admin/trust/import-staff/"
HEADER = "email,first_name,last_name,roles,job_title\n"
# brook today (personas): staff, governor and dt (who is also at meadow).
BROOK_NOW = (
    "staff@symphony.example,Sam,Staff,staff,\n"
    "governor@symphony.example,Gill,Governor,governor,\n"
    "dt@symphony.example,Dee,Tee,designated teacher;staff,\n"
)


def names(people):
    return [(p.name, p.changes) for p in people]


def set_names(personas):
    for user, (first, last) in ((personas.staff, ("Sam", "Staff")), (personas.governor, ("Gill", "Governor")), (personas.dt, ("Dee", "Tee"))):
        user.first_name, user.last_name = first, last
        user.save()


def upload(client, school, text):
    file = SimpleUploadedFile("staff.csv", text.encode(), content_type="text/csv")
    return client.post(URL, {"school": school.pk, "file": file})


def confirm(client, response, **extra):
    return client.post(URL, {"action": "confirm", "digest": response.context["plan"].digest, **extra}, follow=True)


def test_the_preview_names_who_is_added_changed_and_deactivated_and_saves_nothing(personas):
    set_names(personas)
    text = HEADER + (
        "ann.ash@symphony.example,Ann,Ash,staff,Class teacher\n"
        "staff@symphony.example,Samuel,Staff,staff;governor,\n"
        "dt@symphony.example,Dee,Tee,designated teacher;staff,\n"
    )
    users, memberships = User.objects.count(), Membership.objects.count()
    plan = plan_import(personas.brook, text)
    assert names(plan.added) == [("Ann Ash", ["staff member"])]
    assert names(plan.changed) == [("Samuel Staff", ["name Sam Staff → Samuel Staff", "becomes governor"])]
    assert names(plan.deactivated) == [("Gill Governor", [])]
    assert plan.current_staff == 3
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)
    assert personas.governor.is_active


def test_a_leaver_who_works_at_another_school_is_listed_as_staying_active(personas):
    set_names(personas)
    plan = plan_import(personas.brook, HEADER + BROOK_NOW.replace("dt@symphony.example,Dee,Tee,designated teacher;staff,\n", ""))
    assert names(plan.leaving_but_active) == [("Dee Tee", [])]
    assert plan.deactivated == []


def test_confirming_applies_the_preview_and_invites_new_starters(client, personas):
    set_names(personas)
    sign_in(client, personas.admin)
    response = upload(client, personas.brook, HEADER + BROOK_NOW + "ann.ash@symphony.example,Ann,Ash,staff,Class teacher\n")
    page = response.content.decode()
    assert "Ann Ash &lt;ann.ash@symphony.example&gt;: staff member" in page
    assert not User.objects.filter(email="ann.ash@symphony.example").exists()
    response = confirm(client, response)
    assert "Brook Primary School: 1 people added, 0 changed, 0 accounts deactivated" in response.content.decode()
    assert "1 invitations sent" in response.content.decode()
    ann = User.objects.get(email="ann.ash@symphony.example")
    assert Membership.objects.current().get(user=ann).role == Role.STAFF
    [invitation] = mail.outbox
    assert invitation.to == ["ann.ash@symphony.example"]
    assert re.search(r"http://testserver/accounts/password/reset/key/\S+/", invitation.body)
    # Confirming twice does not import twice.
    again = client.post(URL, {"action": "confirm", "digest": ""}, follow=True)
    assert "There is no preview to confirm" in again.content.decode()


def test_if_the_staff_changed_since_the_preview_it_says_so_and_asks_again(client, personas):
    set_names(personas)
    sign_in(client, personas.admin)
    response = upload(client, personas.brook, HEADER + BROOK_NOW + "ann.ash@symphony.example,Ann,Ash,staff,\n")
    MembershipFactory(user=UserFactory(email="late@symphony.example", first_name="Lee", last_name="Late"), role=Role.STAFF, school=personas.brook)
    again = confirm(client, response)
    page = again.content.decode()
    assert "changed since your preview" in page
    assert "Lee Late &lt;late@symphony.example&gt;" in page  # now a leaver, shown before anything happens
    assert not User.objects.filter(email="ann.ash@symphony.example").exists()
    done = confirm(client, again, confirm_deactivations="1")  # Lee is 1 of 4 now: more than a tenth
    assert "1 people added, 0 changed, 1 accounts deactivated" in done.content.decode()
    assert "invitations sent" in done.content.decode()
    assert not User.objects.get(email="late@symphony.example").is_active


def test_deactivating_more_than_a_tenth_needs_a_tick_that_names_the_number(client, personas):
    set_names(personas)
    sign_in(client, personas.admin)
    response = upload(client, personas.brook, HEADER + "dt@symphony.example,Dee,Tee,designated teacher;staff,\n")
    page = response.content.decode()
    assert "Yes, deactivate 2 accounts: more than a tenth of the 3 people at Brook Primary School." in page
    refused = confirm(client, response)
    assert "Tick the box to confirm that 2 accounts are deactivated." in refused.content.decode()
    assert User.objects.get(pk=personas.staff.pk).is_active
    wrong_number = confirm(client, refused, confirm_deactivations="1")
    assert "Tick the box" in wrong_number.content.decode()
    done = confirm(client, wrong_number, confirm_deactivations="2")
    assert "2 accounts deactivated" in done.content.decode()
    assert not User.objects.get(pk=personas.staff.pk).is_active


def test_a_tenth_or_fewer_needs_no_tick(client, personas):
    set_names(personas)
    for n in range(8):  # brook: 11 people; one leaver is under a tenth
        MembershipFactory(user=UserFactory(email=f"t{n}@symphony.example", first_name="T", last_name=f"Eacher{n}"), role=Role.STAFF, school=personas.brook)
    rows = "".join(f"t{n}@symphony.example,T,Eacher{n},staff,\n" for n in range(8))
    plan = plan_import(personas.brook, HEADER + BROOK_NOW.replace("governor@symphony.example,Gill,Governor,governor,\n", "") + rows)
    assert len(plan.deactivated) == 1 and plan.current_staff == 11
    assert not plan.needs_deactivation_tick


def test_the_command_dry_run_prints_the_preview_and_saves_nothing(personas, tmp_path):
    set_names(personas)
    path = tmp_path / "staff.csv"
    path.write_text(HEADER + BROOK_NOW + "ann.ash@symphony.example,Ann,Ash,staff,\n")
    out = io.StringIO()
    call_command("import_staff", "brook", str(path), "--dry-run", stdout=out)
    assert "  Added: Ann Ash <ann.ash@symphony.example> (staff member)" in out.getvalue()
    assert "Dry run: nothing was saved." in out.getvalue()
    assert not User.objects.filter(email="ann.ash@symphony.example").exists()


def test_the_command_needs_the_number_to_deactivate_more_than_a_tenth(personas, tmp_path):
    set_names(personas)
    path = tmp_path / "staff.csv"
    path.write_text(HEADER + "dt@symphony.example,Dee,Tee,designated teacher;staff,\n")
    with pytest.raises(CommandError, match="Run again with --confirm-deactivations 2"):
        call_command("import_staff", "brook", str(path), stdout=io.StringIO())
    assert User.objects.get(pk=personas.staff.pk).is_active
    call_command("import_staff", "brook", str(path), "--confirm-deactivations", "2", stdout=io.StringIO())
    assert not User.objects.get(pk=personas.staff.pk).is_active


def _invite(client, personas):
    sign_in(client, personas.admin)
    confirm(client, upload(client, personas.brook, HEADER + BROOK_NOW + "ann.ash@symphony.example,Ann,Ash,staff,\n"))
    client.logout()
    [invitation] = mail.outbox
    return re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", invitation.body).group(1)


def _set_password(client, link):
    response = client.get(link, follow=True)
    if "password1" not in response.content.decode():
        return response
    return client.post(response.redirect_chain[-1][0], {"password1": "A-new-Password-2026!", "password2": "A-new-Password-2026!"}, follow=True)


def test_the_invitation_link_works_once(client, personas):
    set_names(personas)
    link = _invite(client, personas)
    _set_password(client, link)
    ann = User.objects.get(email="ann.ash@symphony.example")
    assert ann.check_password("A-new-Password-2026!")
    client.logout()
    second = client.get(link, follow=True).content.decode()
    assert "password1" not in second and "invalid" in second.lower()


def test_the_invitation_link_expires(client, personas, settings):
    set_names(personas)
    link = _invite(client, personas)
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)):
        page = client.get(link, follow=True).content.decode()
    assert "password1" not in page and "invalid" in page.lower()
    assert not User.objects.get(email="ann.ash@symphony.example").has_usable_password()


def sso_on(settings, *apps):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": [
        {"provider_id": provider_id, "name": name, "settings": {"domains": ["symphony.example"], "trust_provider_mfa": False}}
        for provider_id, name in apps
    ]}}


def test_new_starters_on_single_sign_on_get_a_welcome_not_a_password_invitation(client, personas, settings):
    set_names(personas)
    sso_on(settings, ("microsoft", "Microsoft"))
    sign_in(client, personas.admin)
    upload_response = upload(client, personas.brook, HEADER + BROOK_NOW + "ann.ash@symphony.example,Ann,Ash,staff,\n")
    # The confirming request names another host: the email's link still uses the configured site address.
    response = confirm(client, upload_response, HTTP_HOST="localhost")
    assert "0 invitations sent, 1 welcome emails (single sign-on) sent." in response.content.decode()
    [welcome] = mail.outbox
    assert welcome.to == ["ann.ash@symphony.example"]
    assert welcome.subject == "[Symphony staff portal] Welcome to the staff portal: sign in with Microsoft 365"
    assert welcome.body == (
        "Hello Ann,\n\n"
        "Brook Primary School has added you to the Symphony Learning Trust staff portal.\n"
        "You sign in with your school Microsoft 365 account, ann.ash@symphony.example: you do not need another password.\n\n"
        'Go to http://testserver/accounts/login/ and choose "Sign in with Microsoft".\n'
    )
    assert "password/reset" not in welcome.body and "localhost" not in welcome.body
    assert not User.objects.get(email="ann.ash@symphony.example").has_usable_password()


def test_a_welcome_to_a_role_that_needs_mfa_says_an_authenticator_app_follows(personas, settings, tmp_path):
    sso_on(settings, ("microsoft", "Microsoft"), ("google", "Google"))
    path = tmp_path / "staff.csv"
    path.write_text(HEADER + "priya.shah@symphony.example,Priya,Shah,designated teacher;staff,Designated teacher\n")
    out = io.StringIO()
    SchoolFactory(slug="willow", name="Willow Primary School")
    call_command("import_staff", "willow", str(path), stdout=out)
    assert "0 invitations sent, 1 welcome emails (single sign-on) sent." in out.getvalue()
    [welcome] = mail.outbox
    assert "your school Microsoft 365 or Google Workspace account" in welcome.body
    assert 'choose "Sign in with Microsoft" or "Sign in with Google".' in welcome.body
    assert "Your role also needs a code from an authenticator app" in welcome.body


def test_when_the_trust_relies_on_the_providers_mfa_the_welcome_does_not_promise_an_app(personas, settings, tmp_path):
    sso_on(settings, ("microsoft", "Microsoft"))
    settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]["settings"]["trust_provider_mfa"] = True
    path = tmp_path / "staff.csv"
    path.write_text(HEADER + "priya.shah@symphony.example,Priya,Shah,designated teacher;staff,Designated teacher\n")
    SchoolFactory(slug="willow", name="Willow Primary School")
    call_command("import_staff", "willow", str(path), stdout=io.StringIO())
    [welcome] = mail.outbox
    assert "authenticator app" not in welcome.body


def test_with_single_sign_on_on_a_starter_outside_its_domains_still_gets_a_password_invitation(client, personas, settings):
    set_names(personas)
    sso_on(settings, ("microsoft", "Microsoft"))
    sign_in(client, personas.admin)
    response = confirm(client, upload(client, personas.brook, HEADER + BROOK_NOW + "visiting@music.example,Val,Visit,staff,\n"))
    assert "1 invitations sent, 0 welcome emails (single sign-on) sent." in response.content.decode()
    [invitation] = mail.outbox
    assert invitation.to == ["visiting@music.example"]
    assert re.search(r"http://testserver/accounts/password/reset/key/\S+/", invitation.body)
    assert "Sign in with" not in invitation.body


def test_a_password_reset_email_links_to_the_site_address_not_the_requests_host(client, personas):
    client.post("/accounts/password/reset/", {"email": personas.staff.email}, HTTP_HOST="localhost")
    [message] = mail.outbox
    assert "http://testserver/accounts/password/reset/key/" in message.body
    assert "localhost" not in message.body and "localhost" not in message.subject
