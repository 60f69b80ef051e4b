"""Invitations for new starters who sign in with a password, and links in emails.

The invitation's link is allauth's "set a new password" link: it works once (setting the password changes
what the token is made from) and expires after PASSWORD_RESET_TIMEOUT seconds (Django's default, 3 days).
Every link in an email starts with WAGTAILADMIN_BASE_URL, never the host a request happened to name.
"""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse

from .links import site_url


def sso_domains() -> set[str]:
    apps = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])
    return {domain for app in apps for domain in app.get("settings", {}).get("domains", [])}


def signs_in_with_password(user) -> bool:
    return user.email.rpartition("@")[2].lower() not in sso_domains()


def set_password_link(user) -> str:
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return site_url(path)


def invitation_message(user, school) -> EmailMessage:
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    body = (
        f"Hello {user.first_name},\n\n"
        f"{school.name} has added you to the {settings.WAGTAIL_SITE_NAME}.\n"
        f"Choose your password here (this link works once, for {days} days):\n\n"
        f"{set_password_link(user)}\n\n"
        f"Then sign in at {site_url(reverse('account_login'))} with {user.email}.\n"
        "If the link has expired, use 'Forgotten your password?' on the sign-in page.\n"
    )
    return EmailMessage(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}You have been invited to the staff portal",
        body=body,
        to=[user.email],
    )


def send_invitations(users, school) -> int:
    """Invite the new starters who sign in with a password; those on single sign-on need no password."""
    messages = [invitation_message(user, school) for user in users if signs_in_with_password(user)]
    if messages:
        get_connection().send_messages(messages)
    return len(messages)
