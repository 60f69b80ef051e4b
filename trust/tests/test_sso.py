"""Single sign-on end to end, against a real OpenID Connect provider on 127.0.0.1 (portal/tests/oidc)."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from conftest import totp_code
from portal.tests.oidc import start_provider

pytestmark = pytest.mark.django_db
User = get_user_model()
CALLBACK = "http://testserver/accounts/oidc/{}/login/callback/"
CLIENTS = [
    {
        "client_id": f"portal-{name}",
        "client_secret": f"test-secret-{name}",
        "redirect_uris": [CALLBACK.format(name)],
        "token_endpoint_auth_method": "client_secret_post",
    }
    for name in ("microsoft", "google")
]


@pytest.fixture(scope="module")
def idp():
    yield from start_provider(CLIENTS)


def app(idp, name, label, *, trust_mfa=False, **extra):
    return {
        "provider_id": name,
        "name": label,
        "client_id": f"portal-{name}",
        "secret": f"test-secret-{name}",
        "settings": {
            "server_url": idp.issuer,
            "oauth_pkce_enabled": True,
            "token_auth_method": "client_secret_post",
            "domains": ["symphony.example"],
            "trust_provider_mfa": trust_mfa,
            **extra,
        },
    }


@pytest.fixture
def sso(settings, idp):
    def configure(trust_mfa=False):
        settings.SOCIALACCOUNT_PROVIDERS = {
            "openid_connect": {
                "provider_class": "trust.sso.CheckedOpenIDConnectProvider",
                "APPS": [
                    app(idp, "microsoft", "Microsoft", trust_mfa=trust_mfa),
                    app(idp, "google", "Google", auth_params={"hd": "symphony.example"}),
                ],
            }
        }

    configure()
    return configure


def person(email, *, sub="sub-1", verified=True, amr=("pwd",), **claims):
    return {"sub": sub, "email": email, "email_verified": verified, "amr": list(amr), "given_name": "A", **claims}


def sign_in_with(client, idp, provider, claims, *, tamper=None):
    """The browser's part: start at the portal, sign in at the provider, come back with the code."""
    idp.next_login(**claims)
    response = client.post(f"/accounts/oidc/{provider}/login/", {"process": "login"})
    assert response.status_code == 302, response.content
    url = response["Location"]
    assert url.startswith(idp.issuer)
    if tamper:
        url = tamper(url)
    browser = requests.Session()
    while url.startswith(idp.issuer):
        answer = browser.get(url, allow_redirects=False, timeout=10)
        assert answer.status_code in (302, 303), answer.text
        url = requests.compat.urljoin(url, answer.headers["Location"])
    assert url.startswith(CALLBACK.format(provider)), url
    parts = urlsplit(url)
    return client.get(parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()})


def signed_in_user(client):
    return client.get("/").wsgi_request.user


def test_the_sign_in_page_offers_each_provider_switched_on(client, sso):
    page = client.get("/accounts/login/").content.decode()
    assert "/accounts/oidc/microsoft/login/" in page and "/accounts/oidc/google/login/" in page
    assert ">Sign in with Microsoft</a>" in page and ">Sign in with Google</a>" in page


def test_no_provider_is_offered_when_sso_is_off(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"provider_class": "trust.sso.CheckedOpenIDConnectProvider", "APPS": []}}
    page = client.get("/accounts/login/").content.decode()
    assert "/accounts/oidc/" not in page
    assert client.post("/accounts/oidc/microsoft/login/").status_code == 404
    assert client.get("/accounts/oidc/microsoft/login/callback/?code=x&state=y").status_code == 404


def test_the_request_to_the_provider_uses_pkce_and_a_nonce(client, sso, idp):
    response = client.post("/accounts/oidc/microsoft/login/", {"process": "login"})
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert len(query["nonce"][0]) >= 32
    assert set(query["scope"][0].split()) == {"openid", "profile", "email"}


def test_imported_staff_sign_in_with_microsoft(client, sso, idp, personas):
    response = sign_in_with(client, idp, "microsoft", person("Staff@symphony.example"))
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in_user(client) == personas.staff
    account = SocialAccount.objects.get(user=personas.staff)
    assert (account.provider, account.uid) == ("microsoft", "sub-1")
    # The second time, the connected account is used.
    client.logout()
    sign_in_with(client, idp, "microsoft", person("staff@symphony.example"))
    assert signed_in_user(client) == personas.staff


def test_a_google_workspace_account_of_the_trust_signs_in(client, sso, idp, personas):
    response = sign_in_with(client, idp, "google", person("staff@symphony.example", hd="symphony.example"))
    assert response["Location"] == "/"
    assert signed_in_user(client) == personas.staff


def test_a_google_account_outside_the_trusts_workspace_is_refused(client, sso, idp, personas):
    response = sign_in_with(client, idp, "google", person("staff@symphony.example"))  # a personal account: no hd
    assert response.status_code == 403
    assert "is not an account of the trust&#x27;s Google Workspace" in response.content.decode()
    assert not signed_in_user(client).is_authenticated


def test_someone_not_in_the_portal_is_refused_and_no_account_is_made(client, sso, idp, personas):
    users = User.objects.count()
    response = sign_in_with(client, idp, "microsoft", person("new.starter@symphony.example"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot sign in with Microsoft: there is no portal account for new.starter@symphony.example." in page
    assert "No account has been made." in page
    assert User.objects.count() == users and not SocialAccount.objects.exists()
    assert not signed_in_user(client).is_authenticated


def test_a_deactivated_leaver_is_refused(client, sso, idp, personas):
    personas.staff.is_active = False
    personas.staff.save()
    response = sign_in_with(client, idp, "microsoft", person("staff@symphony.example"))
    assert response.status_code == 403
    assert not signed_in_user(client).is_authenticated


@pytest.mark.parametrize(
    "claims, reason",
    [
        (person("staff@symphony.example", verified=False), "staff@symphony.example is not a verified address"),
        (person("staff@elsewhere.example"), "staff@elsewhere.example is not a verified address"),
    ],
)
def test_an_unverified_address_or_one_outside_the_trusts_domains_is_refused(client, sso, idp, personas, claims, reason):
    User.objects.create(username="x", email="staff@elsewhere.example")
    response = sign_in_with(client, idp, "microsoft", claims)
    assert response.status_code == 403
    assert reason in response.content.decode()
    assert not SocialAccount.objects.exists()


def test_an_id_token_for_another_sign_in_is_refused(client, sso, idp, personas):
    """The provider signs what it was asked; a token minted for another nonce is not this sign-in's."""

    def other_nonce(url):
        return url.replace("nonce=", "nonce=someone-elses-")

    response = sign_in_with(client, idp, "microsoft", person("staff@symphony.example"), tamper=other_nonce)
    assert response.status_code == 403
    assert "did not match this sign-in" in response.content.decode()
    assert not signed_in_user(client).is_authenticated


def test_an_id_token_not_signed_by_the_providers_key_is_refused(client, sso, idp, personas):
    idp.next_login(**person("staff@symphony.example"))
    idp.publish_wrong_keys()
    response = client.post("/accounts/oidc/microsoft/login/", {"process": "login"})
    browser, url = requests.Session(), response["Location"]
    while url.startswith(idp.issuer):
        url = requests.compat.urljoin(url, browser.get(url, allow_redirects=False, timeout=10).headers["Location"])
    parts = urlsplit(url)
    response = client.get(parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()})
    assert "Third-Party Login Failure" in response.content.decode() or response.status_code >= 400
    assert not signed_in_user(client).is_authenticated
    assert not SocialAccount.objects.exists()


def test_a_role_that_needs_mfa_is_asked_for_the_portals_code_after_sso(client, sso, idp, personas):
    response = sign_in_with(client, idp, "microsoft", person("dt@symphony.example", amr=("pwd", "mfa")))
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not signed_in_user(client).is_authenticated
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code()})
    assert response.status_code == 302
    assert signed_in_user(client) == personas.dt
    assert client.get("/casework/").status_code == 200


def test_when_the_trust_relies_on_the_providers_mfa_a_token_that_says_so_is_enough(client, sso, idp, personas):
    sso(trust_mfa=True)
    response = sign_in_with(client, idp, "microsoft", person("dt@symphony.example", amr=("pwd", "mfa")))
    assert response["Location"] == "/"
    assert signed_in_user(client) == personas.dt
    assert client.get("/casework/").status_code == 200  # not sent back to sign in by the MFA check


def test_when_the_trust_relies_on_the_providers_mfa_a_password_only_token_still_needs_the_code(client, sso, idp, personas):
    sso(trust_mfa=True)
    response = sign_in_with(client, idp, "microsoft", person("dt@symphony.example", amr=("pwd",)))
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not signed_in_user(client).is_authenticated


def test_the_security_page_shows_the_mfa_choice(client, sso, personas):
    from conftest import sign_in

    sign_in(client, personas.dt)
    page = client.get("/accounts/2fa/").content.decode()
    assert "Single sign-on" in page
    assert "the portal asks for its own code after Microsoft sign-in" in page
    sso(trust_mfa=True)
    assert "the trust relies on Microsoft's MFA" in client.get("/accounts/2fa/").content.decode()


def test_an_sso_only_starter_whose_role_needs_mfa_can_set_up_the_authenticator_app_after_signing_in(client, sso, idp, personas):
    """They have no password to confirm and no code yet: their fresh sign-in with the provider stands for it."""
    from trust.enums import Role
    from trust.tests.factories import MembershipFactory, UserFactory

    starter = UserFactory(email="priya.shah@symphony.example", first_name="Priya", last_name="Shah")
    starter.set_unusable_password()
    starter.save()
    MembershipFactory(user=starter, role=Role.DESIGNATED_TEACHER, school=personas.brook)
    response = sign_in_with(client, idp, "microsoft", person("priya.shah@symphony.example", sub="sub-priya"))
    assert signed_in_user(client) == starter
    assert client.get(response["Location"]).url == "/accounts/2fa/totp/activate/"  # the portal asks her to enrol
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    assert "Authenticator secret" in page.content.decode()


def test_a_password_account_is_still_asked_for_its_password_before_setting_up_an_app(client, personas):
    from trust.tests.factories import PASSWORD

    client.post("/accounts/login/", {"login": personas.staff.email, "password": PASSWORD})
    assert signed_in_user(client) == personas.staff
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 302 and response.url.startswith("/accounts/reauthenticate/")
