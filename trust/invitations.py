"""The first email a new starter gets: an invitation to choose a password, or, for people whose address is in a
single sign-on domain, a welcome that says which button to use (they never need a portal password).

The invitation's link is allauth's "set a new password" link: it works once (setting the password changes
what the token is made from) and expires after PASSWORD_RESET_TIMEOUT seconds (Django's default, 3 days).
Every link in an email starts with WAGTAILADMIN_BASE_URL, never the host a request happened to name.
"""

from dataclasses import dataclass

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse

from .access import needs_mfa
from .links import site_url

# What a person calls the account they sign in with, by provider.
ACCOUNT_NAMES = {"microsoft": "Microsoft 365", "google": "Google Workspace"}


def sso_apps() -> list[dict]:
    return settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])


def sso_domains() -> set[str]:
    return {domain for app in sso_apps() for domain in app.get("settings", {}).get("domains", [])}


def sso_apps_for(user) -> list[dict]:
    """The single sign-on apps that accept this person's address (none: they sign in with a password)."""
    domain = user.email.rpartition("@")[2].lower()
    return [app for app in sso_apps() if domain in app.get("settings", {}).get("domains", [])]


def signs_in_with_password(user) -> bool:
    return not sso_apps_for(user)


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


def welcome_message(user, school, apps) -> EmailMessage:
    accounts = " or ".join(ACCOUNT_NAMES.get(app["provider_id"], app["name"]) for app in apps)
    buttons = " or ".join(f'"Sign in with {app["name"]}"' for app in apps)
    body = (
        f"Hello {user.first_name},\n\n"
        f"{school.name} has added you to the {settings.WAGTAIL_SITE_NAME}.\n"
        f"You sign in with your school {accounts} account, {user.email}: you do not need another password.\n\n"
        f"Go to {site_url(reverse('account_login'))} and choose {buttons}.\n"
    )
    if needs_mfa(user) and not all(app.get("settings", {}).get("trust_provider_mfa") for app in apps):
        body += (
            "Your role also needs a code from an authenticator app on your phone: the first time you sign in, "
            "the portal shows you how to set one up.\n"
        )
    return EmailMessage(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Welcome to the staff portal: sign in with {accounts}",
        body=body,
        to=[user.email],
    )


@dataclass
class Sent:
    invitations: int = 0
    welcomes: int = 0

    def __str__(self):
        return f"{self.invitations} invitations sent, {self.welcomes} welcome emails (single sign-on) sent."


def send_invitations(users, school) -> Sent:
    """Each new starter's first email: an invitation to choose a password, or, on single sign-on, a welcome."""
    sent, messages = Sent(), []
    for user in users:
        if signs_in_with_password(user):
            sent.invitations += 1
            messages.append(invitation_message(user, school))
        else:
            sent.welcomes += 1
            messages.append(welcome_message(user, school, sso_apps_for(user)))
    if messages:
        get_connection().send_messages(messages)
    return sent
