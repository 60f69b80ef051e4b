"""Single sign-on apps from the environment: Microsoft Entra ID (one tenant) and Google Workspace.

Each is an allauth `openid_connect` app whose issuer is Microsoft's or Google's (allauth's own `microsoft`
provider reads the profile from Graph, not the ID token, and `google` takes its URLs at import time, so
neither can be pointed at a test issuer nor gives us the ID token's `amr`). Either is off while its
client ID is unset. trust/sso.py checks the nonce, the signature, the domain and the person.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_list, env_str

MICROSOFT_LOGIN_URL = "https://login.microsoftonline.com"
GOOGLE_ISSUER = "https://accounts.google.com"


def _app(provider_id, name, prefix, server_url, domains, extra_settings=None):
    secret = env_str(f"{prefix}_CLIENT_SECRET", required=True)
    if not domains:
        raise ImproperlyConfigured(f"The environment variable {prefix}_DOMAINS must list the trust's email domains.")
    return {
        "provider_id": provider_id,
        "name": name,
        "client_id": env_str(f"{prefix}_CLIENT_ID"),
        "secret": secret,
        "settings": {
            "server_url": server_url,
            "oauth_pkce_enabled": True,
            "token_auth_method": "client_secret_post",
            "domains": [d.lower().lstrip("@") for d in domains],
            "trust_provider_mfa": env_bool(f"{prefix}_TRUST_MFA", False),
            **(extra_settings or {}),
        },
    }


def sso_apps() -> list[dict]:
    apps = []
    if env_str("SSO_MICROSOFT_CLIENT_ID"):
        tenant = env_str("SSO_MICROSOFT_TENANT_ID", required=True)
        if tenant in {"common", "organizations", "consumers"}:
            raise ImproperlyConfigured("SSO_MICROSOFT_TENANT_ID must be the trust's own tenant ID, not a shared one.")
        server_url = env_str("SSO_MICROSOFT_SERVER_URL", f"{MICROSOFT_LOGIN_URL}/{tenant}/v2.0")
        apps.append(
            _app("microsoft", "Microsoft", "SSO_MICROSOFT", server_url, env_list("SSO_MICROSOFT_DOMAINS"))
        )
    if env_str("SSO_GOOGLE_CLIENT_ID"):
        domains = env_list("SSO_GOOGLE_DOMAINS")
        server_url = env_str("SSO_GOOGLE_SERVER_URL", GOOGLE_ISSUER)
        # hd asks Google to offer only the trust's Workspace accounts; trust/sso.py still checks the claim.
        extra = {"auth_params": {"hd": domains[0]} if len(domains) == 1 else {"hd": "*"}}
        apps.append(_app("google", "Google", "SSO_GOOGLE", server_url, domains, extra))
    return apps


def sign_in_origins(apps: list[dict]) -> list[str]:
    """The providers' addresses: the sign-in form's redirect goes there, which CSP's form-action must allow."""
    origins = []
    for app in apps:
        parts = urlsplit(app["settings"]["server_url"])
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in origins:
            origins.append(origin)
    return origins
