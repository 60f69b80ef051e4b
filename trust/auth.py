"""Sign-in adapters: no self sign-up; TOTP secrets encrypted at rest."""

import base64
import hashlib
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet
from django.conf import settings
from django.urls import reverse


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
