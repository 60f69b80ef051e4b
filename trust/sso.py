"""Single sign-on through OpenID Connect, for people already in the portal only.

allauth's `openid_connect` provider, with what it leaves out added back: a nonce sent with every
authorisation request and checked in the ID token, and the ID token's signature always checked against
the issuer's keys (allauth skips it when the token came straight from the token endpoint). The apps come
from the environment (portal/settings/sso.py). Nobody is ever signed up here: the person must already
have an active account whose address, in one of the trust's domains, the provider says it has verified.
"""

import secrets

from allauth.account.internal.flows.login import record_authentication
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal.datakit import parse_bool_safely
from allauth.mfa.stages import AuthenticateStage
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter, _build_apps_from_settings
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.contrib.auth import get_user_model
from django.http import Http404
from django.template.response import TemplateResponse

# RFC 8176: "mfa" is what Microsoft Entra ID (and most providers) put in `amr` after a second factor.
MFA_AMR_VALUES = {"mfa"}


class SignatureCheckingAdapter(OpenIDConnectOAuth2Adapter):
    def __init__(self, request, provider_id=None):
        super().__init__(request, provider_id or request.resolver_match.kwargs["provider_id"])

    def get_provider(self):
        try:
            return super().get_provider()
        except SocialApp.DoesNotExist as exc:
            raise Http404 from exc

    def _decode_id_token(self, app, id_token):
        return jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )


class CheckedOpenIDConnectProvider(OpenIDConnectProvider):
    oauth2_adapter_class = SignatureCheckingAdapter

    @classmethod
    def get_package(cls):
        return "trust.oidc"  # allauth finds the provider's URLs there: its own, with a checking callback

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        # The nonce goes to the provider and into the signed state kept in this session (allauth's statekit).
        return super().redirect(
            request, process, next_url, data, auth_params={**auth_params, "nonce": nonce}, nonce=nonce, **kwargs
        )


def _claims(sociallogin) -> tuple[dict, dict]:
    data = sociallogin.account.extra_data or {}
    return data.get("id_token") or {}, data.get("userinfo") or {}


def _refuse(request, provider_name, reason):
    response = TemplateResponse(
        request, "trust/sso_refused.html", {"provider_name": provider_name, "reason": reason}, status=403
    )
    raise ImmediateHttpResponse(response.render())


def verified_email(app_settings: dict, id_token: dict, userinfo: dict) -> tuple[str, bool]:
    """The address the provider vouches for, and whether it says it has verified it. Entra ID marks an
    address in one of the tenant's verified domains with `xms_edov` rather than `email_verified`."""
    claims = {**id_token, **userinfo}
    email = (claims.get("email") or "").strip().lower()
    verified = parse_bool_safely(claims.get("email_verified")) or parse_bool_safely(claims.get("xms_edov"))
    return email, bool(verified)


def provider_mfa_accepted(sociallogin) -> bool:
    """Whether this sign-in's second factor was the provider's, and the trust has said it relies on it."""
    if sociallogin is None:
        return False
    app = sociallogin.account.get_provider().app
    if not app.settings.get("trust_provider_mfa"):
        return False
    id_token, _ = _claims(sociallogin)
    amr = id_token.get("amr") or []
    return bool(MFA_AMR_VALUES.intersection(amr if isinstance(amr, list) else [amr]))


class ExistingStaffOnlyAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return False

    def list_apps(self, request, provider=None, client_id=None):
        """The apps of SOCIALACCOUNT_PROVIDERS alone (from the environment: portal/settings/sso.py). allauth also
        reads apps from the database, which the portal never keeps there: a query on every sign-in page."""
        apps = _build_apps_from_settings(provider=provider, client_id=client_id)
        return [app for provider_apps in apps.values() for app in provider_apps]

    def pre_social_login(self, request, sociallogin):
        provider = sociallogin.account.get_provider()
        app_settings = provider.app.settings
        id_token, userinfo = _claims(sociallogin)
        nonce = (sociallogin.state or {}).get("nonce")
        if not nonce or not secrets.compare_digest(str(id_token.get("nonce", "")), nonce):
            _refuse(request, provider.name, "the answer from the sign-in service did not match this sign-in. Try again.")
        email, verified = verified_email(app_settings, id_token, userinfo)
        domains = app_settings.get("domains") or []
        domain = email.rpartition("@")[2]
        if not email or not verified or domain not in domains:
            _refuse(
                request,
                provider.name,
                f"{email or 'your account'} is not a verified address of the trust ({', '.join(domains)}).",
            )
        hosted_domain = id_token.get("hd")
        if provider.app.provider_id == "google" and hosted_domain not in domains:
            _refuse(request, provider.name, f"{email} is not an account of the trust's Google Workspace.")
        user = sociallogin.user if sociallogin.is_existing else None
        if user is None:
            user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None or not user.is_active or user.email.lower() != email:
            _refuse(
                request,
                provider.name,
                f"there is no portal account for {email}. Your school adds staff to the portal: "
                "ask your school office or the trust administrator.",
            )
        if not sociallogin.is_existing:
            sociallogin.connect(request, user)


class ProviderAwareMFAStage(AuthenticateStage):
    """The portal's own TOTP step after sign-in, unless the trust relies on the provider's MFA and the
    ID token says it was used; then that is recorded as this session's second factor."""

    def handle(self):
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        if self.login.user is not None and provider_mfa_accepted(sociallogin):
            record_authentication(
                self.request, self.login.user, "mfa", type="identity_provider", provider=sociallogin.account.provider
            )
            return None, True
        return super().handle()
