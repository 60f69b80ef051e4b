"""Sign-in adapters: no self sign-up; TOTP secrets encrypted at rest."""

import base64
import hashlib

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet
from django.conf import settings


class NoSignupAccountAdapter(DefaultAccountAdapter):
    """Accounts are made by the trust (admin or staff import), never by the public."""

    def is_open_for_signup(self, request):
        return False


def _fernet() -> Fernet:
    key_material = settings.MFA_ENCRYPTION_KEY or settings.SECRET_KEY
    digest = hashlib.sha256(f"mfa-secrets:{key_material}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


class EncryptingMFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return _fernet().decrypt(encrypted_text.encode()).decode()
