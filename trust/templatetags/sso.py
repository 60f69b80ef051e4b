from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def sso_sign_in_choices():
    """The single sign-on apps switched on, with the MFA choice the trust made for each (security page)."""
    apps = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])
    return [
        {
            "name": app["name"],
            "domains": app["settings"].get("domains", []),
            "trust_provider_mfa": app["settings"].get("trust_provider_mfa", False),
        }
        for app in apps
    ]
