"""Single sign-on in a real browser: a person added by the staff import signs in with "Microsoft" at a real
OpenID Connect provider (portal/tests/oidc, npm's oidc-provider) on its own sign-in and consent pages, comes
back through real redirects, and gives the portal's own TOTP code when their role needs it; someone the
portal does not know is refused and no account is made.
"""

import io
import re
from urllib.parse import urlparse

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from conftest import totp_code
from portal.settings.sso import sign_in_origins
from portal.tests.oidc import start_provider
from trust.tests.factories import SchoolFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
User = get_user_model()

STARTER = "priya.shah@symphony.example"
STARTER_CSV = (
    "email,first_name,last_name,roles,job_title\n"
    f"{STARTER},Priya,Shah,designated teacher;staff,Designated teacher\n"
)
# What the provider accepts at its own sign-in page for the person who signs in next.
PROVIDER_PASSWORD = "provider-password-only-the-test-provider-knows"
# The secret of the authenticator app Priya set up the first time she signed in (computed codes from it).
DEVICE_SECRET = "OBZGS6LBFVZWQYLIFVYGQ33OMUWWC4DQ"


@pytest.fixture(scope="module")
def idp(live_server):
    callback = f"{live_server.url}/accounts/oidc/microsoft/login/callback/"
    client = {
        "client_id": "portal-microsoft",
        "client_secret": "test-secret-microsoft",
        "redirect_uris": [callback],
        "token_endpoint_auth_method": "client_secret_post",
    }
    yield from start_provider([client])


@pytest.fixture
def sso(settings, idp, live_server):
    """Microsoft sign-in switched on, as portal/settings/sso.py makes it from SSO_MICROSOFT_*, pointed at the
    test provider; the site address is the live server's, so emails link to it."""

    def configure(trust_mfa=False):
        apps = [
            {
                "provider_id": "microsoft",
                "name": "Microsoft",
                "client_id": "portal-microsoft",
                "secret": "test-secret-microsoft",
                "settings": {
                    "server_url": idp.issuer,
                    "oauth_pkce_enabled": True,
                    "token_auth_method": "client_secret_post",
                    "domains": ["symphony.example"],
                    "trust_provider_mfa": trust_mfa,
                },
            }
        ]
        settings.SOCIALACCOUNT_PROVIDERS = {
            "openid_connect": {"provider_class": "trust.sso.CheckedOpenIDConnectProvider", "APPS": apps}
        }
        # As base.py does: the sign-in button's form posts to the portal, which redirects to the provider.
        policy = settings.CONTENT_SECURITY_POLICY
        directives = {**policy["DIRECTIVES"], "form-action": [*policy["DIRECTIVES"]["form-action"], *sign_in_origins(apps)]}
        settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}

    settings.WAGTAILADMIN_BASE_URL = live_server.url
    configure()
    return configure


@pytest.fixture
def imported_starter(sso, tmp_path):
    """Priya, added by the staff import as a designated teacher of Willow Primary School; her welcome email."""
    SchoolFactory(slug="willow", name="Willow Primary School")
    path = tmp_path / "willow-staff.csv"
    path.write_text(STARTER_CSV)
    call_command("import_staff", "willow", str(path), stdout=io.StringIO())
    [welcome] = mail.outbox
    return User.objects.get(email=STARTER), welcome


def at(path):
    return lambda url: urlparse(url).path == path


def sign_in_at_the_provider(page, idp, email, typed_email=None, **claims):
    """The provider knows this person (with this password) from now on; they type their address and password
    on the provider's own page and accept the portal's request on its consent page."""
    idp.next_login(sub=f"entra-{email}", email=email, email_verified=True, given_name="Test", password=PROVIDER_PASSWORD, **claims)
    page.get_by_role("link", name="Sign in with Microsoft").click()
    page.get_by_role("button", name="Continue").click()  # allauth's confirmation: the request to leave is a POST
    page.wait_for_url(f"{idp.issuer}/interaction/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in to your account"
    page.get_by_label("Email").fill(typed_email or email)
    page.get_by_label("Password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{idp.issuer}/interaction/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Permissions requested"
    page.get_by_role("button", name="Accept").click()


def test_an_imported_designated_teacher_signs_in_with_microsoft_then_gives_the_portals_code(page, idp, imported_starter, live_server):
    priya, welcome = imported_starter
    TOTP.activate(priya, DEVICE_SECRET)  # the authenticator app she set up at her first sign-in
    sign_in_url = re.search(r"Go to (\S+) and choose \"Sign in with Microsoft\"", welcome.body).group(1)
    assert sign_in_url == f"{live_server.url}/accounts/login/"

    page.goto(sign_in_url)
    sign_in_at_the_provider(page, idp, STARTER, typed_email="Priya.Shah@symphony.example", amr=["pwd", "mfa"])

    # Back at the portal through the provider's redirect: her role needs the portal's own code.
    page.wait_for_url(f"{live_server.url}/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(totp_code(DEVICE_SECRET))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(at("/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Your dashboard"
    assert "Designated teacher, Willow Primary School" in page.inner_text("header")
    page.goto("/casework/")
    assert urlparse(page.url).path == "/casework/"
    assert page.get_by_role("heading", level=1).is_visible()
    account = SocialAccount.objects.get(user=priya)
    assert (account.provider, account.uid) == ("microsoft", f"entra-{STARTER}")


def test_without_the_portals_code_the_imported_teacher_reaches_nothing(page, idp, imported_starter, live_server):
    priya, _ = imported_starter
    TOTP.activate(priya, DEVICE_SECRET)
    page.goto("/accounts/login/")
    sign_in_at_the_provider(page, idp, STARTER)
    page.wait_for_url(f"{live_server.url}/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill("000000" if totp_code(DEVICE_SECRET) != "000000" else "111111")
    page.get_by_role("button", name="Sign In").click()
    assert "Incorrect code" in page.inner_text("main")
    page.goto("/casework/")
    assert urlparse(page.url).path == "/accounts/2fa/authenticate/"  # still asked for the code, nothing else
    assert "Your dashboard" not in page.content()


def test_someone_the_portal_does_not_know_is_refused_and_no_account_is_made(page, idp, sso, live_server):
    people = User.objects.count()
    page.goto("/accounts/login/")
    sign_in_at_the_provider(page, idp, "new.starter@symphony.example")
    page.wait_for_url(f"{live_server.url}/accounts/oidc/microsoft/login/callback/**")
    main = page.inner_text("main")
    assert "You cannot sign in with Microsoft: there is no portal account for new.starter@symphony.example." in main
    assert "No account has been made." in main
    assert User.objects.count() == people
    assert not User.objects.filter(email__iexact="new.starter@symphony.example").exists()
    assert not SocialAccount.objects.exists()
    page.goto("/")
    assert urlparse(page.url).path == "/accounts/login/"


def test_when_the_trust_relies_on_microsofts_mfa_a_token_that_says_so_skips_the_portals_code(page, idp, sso, imported_starter, live_server):
    sso(trust_mfa=True)
    priya, _ = imported_starter
    TOTP.activate(priya, DEVICE_SECRET)
    page.goto("/accounts/login/")
    sign_in_at_the_provider(page, idp, STARTER, amr=["pwd", "mfa"])
    page.wait_for_url(at("/"))
    assert "Designated teacher, Willow Primary School" in page.inner_text("header")
    page.goto("/casework/")
    assert urlparse(page.url).path == "/casework/"


def test_at_her_first_sign_in_the_imported_teacher_sets_up_the_authenticator_app_her_welcome_promised(page, idp, imported_starter, live_server):
    priya, welcome = imported_starter
    assert "the first time you sign in, the portal shows you how to set one up" in welcome.body
    page.goto("/accounts/login/")
    sign_in_at_the_provider(page, idp, STARTER)
    page.wait_for_url(f"{live_server.url}/accounts/2fa/totp/activate/**")
    secret = page.get_by_label("Authenticator secret").input_value()  # what her phone's app stores
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url(lambda url: "/totp/activate/" not in url)
    page.goto("/casework/")
    assert urlparse(page.url).path == "/casework/"
    assert priya.authenticator_set.filter(type="totp").count() == 1
