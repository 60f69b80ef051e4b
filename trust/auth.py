"""Sign-in adapters: no self sign-up; TOTP secrets encrypted at rest."""

import base64
import hashlib
import time
from urllib.parse import quote

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet
from django.conf import settings
from django.urls import reverse


def signed_in_with_sso_since(request, moment: float) -> bool:
    records = get_authentication_records(request, request.user)
    return any(r.get("method") == "socialaccount" and r.get("at", 0) >= moment for r in records)


class NoSignupAccountAdapter(DefaultAccountAdapter):
    """Accounts are made by the trust (admin or staff import), never by the public."""

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix, email, context):
        # allauth names the site after the request's Host header; emails name the configured site instead.
        from .links import configured_site

        return super().send_mail(template_prefix, email, {"current_site": configured_site(), **context})

    def get_reset_password_from_key_url(self, key):
        # The configured site address, never the Host header of the request that asked for the reset.
        from .links import site_url

        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return site_url(path.replace("UID-KEY", quote(key)))

    def is_reauthentication_required(self, *, app, **kwargs):
        """A person on single sign-on only has no password (and, before enrolling, no code) to confirm again:
        allauth would refuse them the authenticator set-up their role needs. Their sign-in with the provider
        within the last ACCOUNT_REAUTHENTICATION_TIMEOUT seconds stands for it instead."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = self.request
        if request is None or not request.user.is_authenticated or request.user.has_usable_password():
            return True
        return not signed_in_with_sso_since(request, time.time() - account_settings.REAUTHENTICATION_TIMEOUT)

    def get_login_stages(self):
        # After single sign-on the trust may rely on the provider's MFA (trust/sso.py).
        return [
            "trust.sso.ProviderAwareMFAStage" if path == "allauth.mfa.stages.AuthenticateStage" else path
            for path in super().get_login_stages()
        ]


def _fernet() -> Fernet:
    key_material = settings.MFA_ENCRYPTION_KEY or settings.SECRET_KEY
    digest = hashlib.sha256(f"mfa-secrets:{key_material}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


class EncryptingMFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return _fernet().decrypt(encrypted_text.encode()).decode()
